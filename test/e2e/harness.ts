/**
 * E2E harness: one code-server + one chromium (playwright-core) per mocha process, shared by all
 * `test/e2e/*.e2e.ts` files, with Neural Terminal loaded as a development extension and the fake
 * OpenRouter (test/fixtures/serve.ts, when present) plugged in through `neuralTerminal.baseUrl`.
 *
 * Loaded with `--require` by scripts/test.mjs so `mochaGlobalTeardown` stops everything; process
 * exit and signals kill the process groups as a last resort (scripts/lib/codeServer.mjs).
 * Every wait is bounded.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import {
  createRun,
  EXTENSION_ID,
  launchBrowser,
  newAutomationPage,
  readSettings,
  startCodeServer,
  withTimeout,
  writeSettings,
  type CodeServer,
  type Run,
} from '../../scripts/lib/codeServer.mjs';
import { fakeServerAvailable, startFakeServer } from '../../scripts/lib/fakeServer.mjs';
import { REPO_ROOT } from '../../scripts/lib/tools.mjs';

export const RESULTS_DIR = process.env.NT_TEST_RESULTS_DIR || join(REPO_ROOT, 'test-results');

/** Theme names as written to `workbench.colorTheme`. */
export const THEMES = {
  dark: 'Default Dark Modern',
  light: 'Default Light Modern',
  highContrast: 'Default High Contrast',
  highContrastLight: 'Default High Contrast Light',
} as const;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string; html: string }[];
}

export interface EditorSession {
  run: Run;
  server: CodeServer;
  browser: Browser;
  page: Page;
  /** Base URL of the fake OpenRouter, when test/fixtures/serve.ts exists. */
  fakeUrl: string | undefined;
  /** Merge into the run's User/settings.json (code-server applies it live). */
  updateSettings(patch: Record<string, unknown>): void;
  /** Switch the colour theme and wait until the workbench and the webview show it. */
  setTheme(theme: string, timeoutMs?: number): Promise<void>;
  /** Click the Neural Terminal activity-bar item and return the chat webview's inner frame. */
  openChatView(timeoutMs?: number): Promise<Frame>;
  /**
   * Drags the side bar's sash until the side bar is `width` px wide (the workbench has no setting
   * for it); returns the width the view's webview then has.
   */
  setSidebarWidth(width: number, timeoutMs?: number): Promise<number>;
  /** The inner frame (the page's document) of the Neural Terminal webview. */
  webviewFrame(timeoutMs?: number): Promise<Frame>;
  /** Full-page screenshot into test-results/<name>.png; returns the path. */
  screenshot(name: string): Promise<string>;
  /** axe-core in the frame (background fix applied first); returns the violations. */
  axe(frame: Frame, tags?: string[]): Promise<AxeViolation[]>;
  stop(): Promise<void>;
}

let current: Promise<EditorSession> | undefined;

/** The shared session (started on first use). */
export function editorSession(): Promise<EditorSession> {
  current ??= startSession();
  return current;
}

/** Mocha global teardown (this file is loaded with --require). */
export async function mochaGlobalTeardown(): Promise<void> {
  if (!current) return;
  const s = await current.catch(() => undefined);
  current = undefined;
  await s?.stop();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startSession(): Promise<EditorSession> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const settings: Record<string, unknown> = { 'workbench.colorTheme': THEMES.dark };
  let fake: Awaited<ReturnType<typeof startFakeServer>> | undefined;
  if (fakeServerAvailable()) {
    fake = await startFakeServer({ timeoutMs: 30_000, args: ['--max-lifetime-sec', '3600'] });
    settings['neuralTerminal.baseUrl'] = fake.url;
  }
  const run = createRun('e2e', { settings });
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startCodeServer(run, { timeoutMs: 90_000, env: fake ? { NT_FAKE_OPENROUTER_URL: fake.url } : {} });
    browser = await launchBrowser(run, { headless: process.env.NT_HEADED !== '1' });
    const { page } = await newAutomationPage(browser);
    await page.goto(server.workbenchUrl({ extensionDevelopmentPath: REPO_ROOT }), {
      waitUntil: 'domcontentloaded',
      timeout: 60_000,
    });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    return makeSession(run, server, browser, page, fake);
  } catch (err) {
    await browser?.close().catch(() => {});
    await server?.stop();
    await fake?.stop();
    throw err;
  }
}

function makeSession(
  run: Run,
  server: CodeServer,
  browser: Browser,
  page: Page,
  fake: { url: string; stop(): Promise<void> } | undefined,
): EditorSession {
  let viewOpened = false;
  const extRe = new RegExp(`extensionId=${EXTENSION_ID.replace(/\./g, '\\.')}`, 'i');

  const findWebviewFrame = (): Frame | undefined =>
    page
      .frames()
      .find((f) => f.url().includes('/webview/browser/pre/fake.html') && extRe.test(f.parentFrame()?.url() ?? ''));

  const session: EditorSession = {
    run,
    server,
    browser,
    page,
    fakeUrl: fake?.url,

    updateSettings(patch) {
      writeSettings(run, { ...readSettings(run), ...patch });
    },

    async setTheme(theme, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      // The webview body carries data-vscode-theme-id: the theme's label, which is the setting
      // value without the "Default " prefix ("Default Dark Modern" -> "Dark Modern").
      const want = (id: string) => id === theme || id === theme.replace(/^Default /, '');
      const currentId = async () => {
        const frame = findWebviewFrame();
        return frame ? await frame.evaluate(() => document.body?.dataset.vscodeThemeId ?? '').catch(() => '') : '';
      };
      if (want(await currentId())) return;
      session.updateSettings({ 'workbench.colorTheme': theme });
      // code-server does not pick up edits of User/settings.json while the page is open (checked
      // with 4.139.1: neither rename nor in-place writes), so reload the workbench — it reads the
      // settings on load. Note: SecretStorage does not survive the reload.
      await page.reload({ waitUntil: 'domcontentloaded', timeout: 60_000 });
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: Math.max(1000, deadline - Date.now()) });
      if (viewOpened) await session.openChatView(Math.max(1000, deadline - Date.now()));
      while (Date.now() < deadline) {
        if (!viewOpened) {
          const cls = await page.evaluate(() => document.querySelector('.monaco-workbench')?.className ?? '');
          if (cls.includes('vscode-theme-')) return;
        } else if (want(await currentId())) return;
        await sleep(200);
      }
      throw new Error(`theme "${theme}" was not applied within ${timeoutMs} ms (webview reports "${await currentId()}")`);
    },

    async setSidebarWidth(width, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      const sideBar = page.locator('.part.sidebar').first();
      const sash = page.locator('.monaco-sash.primary-sidebar-sash').first();
      let current = 0;
      while (Date.now() < deadline) {
        current = (await sideBar.boundingBox({ timeout: 5000 }))?.width ?? 0;
        if (Math.abs(current - width) < 1) {
          const box = await page
            .locator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}" i]`)
            .first()
            .boundingBox({ timeout: Math.max(1000, deadline - Date.now()) });
          if (box) return box.width;
        }
        const at = await sash.boundingBox({ timeout: 5000 });
        if (!at) throw new Error('the side bar sash is not on screen');
        const x = at.x + at.width / 2;
        const y = at.y + at.height / 2;
        await page.mouse.move(x, y);
        await page.mouse.down();
        await page.mouse.move(x + (width - current) / 2, y, { steps: 3 });
        await page.mouse.move(x + (width - current), y, { steps: 3 });
        await page.mouse.up();
        await sleep(150);
      }
      throw new Error(`the side bar did not reach ${width} px within ${timeoutMs} ms (it is ${current} px)`);
    },

    async webviewFrame(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const f = findWebviewFrame();
        if (f) {
          const ok = await f.evaluate(() => document.readyState !== 'loading' && !!document.body).catch(() => false);
          if (ok) return f;
        }
        await sleep(200);
      }
      throw new Error(`the ${EXTENSION_ID} webview frame did not appear within ${timeoutMs} ms`);
    },

    async openChatView(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      const item = page.locator('.activitybar a.action-label[aria-label^="Neural Terminal"]').first();
      await item.waitFor({ state: 'visible', timeout: Math.max(1000, deadline - Date.now()) });
      viewOpened = true;
      // Clicking the container that is already shown collapses the side bar, and while the
      // workbench restores its layout the "checked" state can flip under us: re-check the state
      // and click (at most every 3 s) until the view's webview frame exists.
      let frame: Frame | undefined;
      let lastClick = 0;
      while (Date.now() < deadline) {
        frame = findWebviewFrame();
        if (frame && (await frame.evaluate(() => !!document.body).catch(() => false))) break;
        frame = undefined;
        const shown = await item
          .evaluate((a) => {
            const checked = a.closest('.action-item')?.classList.contains('checked') ?? false;
            const sideBarHidden = document.querySelector('.monaco-workbench')?.classList.contains('nosidebar') ?? true;
            return checked && !sideBarHidden;
          })
          .catch(() => false);
        if (!shown && Date.now() - lastClick > 3000) {
          await item.click({ timeout: 10_000 }).catch(() => {});
          lastClick = Date.now();
        }
        await sleep(250);
      }
      if (!frame) throw new Error(`the ${EXTENSION_ID} webview frame did not appear within ${timeoutMs} ms`);
      // Wait for the Lit app to be defined and rendered (custom element upgraded, shadow root filled).
      await frame.waitForFunction(
        () => {
          const app = document.querySelector('nt-app');
          return !!app?.shadowRoot && app.shadowRoot.childElementCount > 0;
        },
        undefined,
        { timeout: Math.max(1000, deadline - Date.now()), polling: 100 },
      );
      return frame;
    },

    async screenshot(name) {
      const file = join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
      await page.screenshot({ path: file, timeout: 15_000 });
      return file;
    },

    async axe(frame, tags = ['wcag2a', 'wcag2aa']) {
      const require = createRequire(join(REPO_ROOT, 'package.json'));
      const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
      const loaded = await frame.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
      if (!loaded) await frame.evaluate(source);
      // html/body are transparent in webviews: paint the real background (the side bar's) behind
      // them, or axe computes contrast against white (wrong in dark themes, both ways).
      await frame.evaluate(() => {
        const cs = getComputedStyle(document.documentElement);
        const bg =
          cs.getPropertyValue('--vscode-sideBar-background').trim() ||
          cs.getPropertyValue('--vscode-editor-background').trim();
        if (bg) document.documentElement.style.backgroundColor = bg;
      });
      const result = await withTimeout(
        frame.evaluate(
          (opts) =>
            (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: unknown[] }> } }).axe.run(
              document,
              opts,
            ),
          { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] },
        ),
        30_000,
        'axe.run',
      );
      return result.violations as AxeViolation[];
    },

    async stop() {
      await withTimeout(browser.close(), 10_000, 'closing chromium').catch(() => {});
      await server.stop();
      await fake?.stop();
    },
  };
  return session;
}

/**
 * All text under `selector` including every nested open shadow root, plus the values of `title`
 * and `aria-label` attributes (so text that is only exposed as a tooltip/label is found too).
 * Hidden elements count: this is about what the app rendered, not what is on screen.
 */
export async function deepText(frame: Frame, selector = 'nt-app'): Promise<string> {
  // No named closures inside evaluate: tsx/esbuild would wrap them in a `__name` helper that the
  // page does not define.
  return frame.evaluate((sel) => {
    const host = document.querySelector(sel);
    if (!host) return '';
    const roots: (ShadowRoot | Element)[] = [host.shadowRoot ?? host];
    let out = '';
    for (let i = 0; i < roots.length; i++) {
      const root = roots[i]!;
      out += ` ${root.textContent ?? ''}`;
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) roots.push(el.shadowRoot);
        for (const attr of ['title', 'aria-label']) {
          const v = el.getAttribute(attr);
          if (v) out += ` ${v}`;
        }
      }
    }
    return out.replace(/\s+/g, ' ');
  }, selector);
}

/** Human-readable axe violations for an assertion message. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `- ${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n` +
        v.nodes
          .slice(0, 5)
          .map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary?.split('\n').join(' ') ?? ''}`)
          .join('\n'),
    )
    .join('\n');
}
