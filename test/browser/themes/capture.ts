/**
 * Regenerates the theme stylesheets in this folder from a real VS Code (code-server + chromium):
 * opens the Neural Terminal view, switches the colour theme through the command palette and
 * records every `--vscode-*` variable the workbench gives the webview, the body class and VS
 * Code's default webview stylesheet.
 * Run by hand when VS Code's themes change (`npx tsx test/browser/themes/capture.ts`); the
 * browser tests only read the generated files, so they stay fast and offline.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { editorSession } from '../../e2e/harness';

const THEMES: [label: string, file: string][] = [
  ['Dark Modern', 'dark-modern'],
  ['Light Modern', 'light-modern'],
  ['Dark High Contrast', 'high-contrast'],
  ['Light High Contrast', 'high-contrast-light'],
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const s = await editorSession();
  try {
    await s.openChatView(90_000);
    for (const [label, file] of THEMES) {
      const { page } = s;
      await page.locator('.monaco-workbench .part.editor').click({ position: { x: 20, y: 20 } });
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('>Preferences: Color Theme');
      // Click the exact row: fuzzy matching also lists "Browse Color Themes in Marketplace".
      await page
        .locator('.quick-input-list .monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: /^Preferences: Color Theme$/ }) })
        .first()
        .click({ timeout: 10_000 });
      await sleep(800);
      await input.fill(label);
      await sleep(500);
      await page.keyboard.press('Enter');
      let frame = await s.webviewFrame(30_000);
      for (let i = 0; i < 50; i++) {
        frame = await s.webviewFrame(30_000);
        const id = await frame.evaluate(() => document.body.dataset.vscodeThemeId ?? '').catch(() => '');
        if (id.toLowerCase() === label.toLowerCase() || id.replace(/^Default /, '') === label) break;
        await sleep(200);
      }
      const captured = await frame.evaluate(() => {
        const style = document.documentElement.style;
        const vars: [string, string][] = [];
        for (let i = 0; i < style.length; i++) {
          const name = style.item(i);
          if (name.startsWith('--vscode-')) vars.push([name, style.getPropertyValue(name).trim()]);
        }
        const defaults = document.getElementById('_defaultStyles')?.textContent ?? '';
        return { vars, defaults, bodyClass: document.body.className, id: document.body.dataset.vscodeThemeId ?? '' };
      });
      const lines = captured.vars.map(([n, v]) => `  ${n}: ${v};`).join('\n');
      const css =
        `/* ${captured.id}: the --vscode-* variables VS Code 1.139 gives a webview (captured by capture.ts). */\n` +
        `/* body class: ${captured.bodyClass} */\nhtml {\n${lines}\n}\n`;
      writeFileSync(join(__dirname, `${file}.css`), css);
      // The page-level defaults every webview gets (same in every theme: they use the variables).
      writeFileSync(join(__dirname, 'vscode-defaults.css'), `/* VS Code's default webview styles (captured by capture.ts). */\n${captured.defaults.trim()}\n`);
      console.log(`${label} → ${captured.id}: ${captured.vars.length} variables, body class "${captured.bodyClass}"`);
    }
  } finally {
    await s.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
