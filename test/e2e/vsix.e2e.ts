/**
 * Black-box check of what users install: `npm run package` builds the .vsix, code-server
 * installs it with --install-extension into an empty extensions folder, and the Neural
 * Terminal view opens and renders from the installed copy (no development path).
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Frame } from 'playwright-core';
import {
  cleanEnv,
  createRun,
  EXTENSION_ID,
  launchBrowser,
  newAutomationPage,
  startCodeServer,
} from '../../scripts/lib/codeServer.mjs';
import { CODE_SERVER_ENTRY, NODE24, REPO_ROOT } from '../../scripts/lib/tools.mjs';
import { RESULTS_DIR } from './harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('The packaged .vsix (E2E, installed into code-server)', function () {
  this.timeout(300_000);
  const run = createRun('vsix');
  const vsix = join(run.dir, 'neural-terminal.vsix');
  let server: Awaited<ReturnType<typeof startCodeServer>> | undefined;
  let browser: Browser | undefined;

  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });

  it('packages only what runs', () => {
    execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--out', vsix], {
      cwd: REPO_ROOT,
      stdio: 'pipe',
      timeout: 180_000,
    });
    assert.ok(existsSync(vsix));
    // python3 is part of the tool chain (setup-tools.sh); unzip may not be installed.
    const listing = execFileSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', vsix], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean);
    assert.ok(listing.includes('extension/dist/extension.js'));
    assert.ok(listing.includes('extension/dist/webview/main.js'));
    // The worker threads the host starts: the history engine and the tokenizer with its rank tables.
    for (const file of ['storageWorker.js', 'countWorker.js', 'encoders/cl100k_base.js', 'encoders/o200k_base.js']) {
      assert.ok(listing.includes(`extension/dist/${file}`), `dist/${file} is packaged`);
    }
    const leaked = listing.filter((f) => /(^extension\/(src|test|scripts|node_modules)\/)|\.map$|\.ts$/.test(f));
    assert.deepEqual(leaked, [], 'sources, tests, maps and node_modules stay out of the .vsix');
  });

  it('installs into code-server and shows the Neural Terminal view with its history', async () => {
    const install = spawnSync(
      NODE24,
      [CODE_SERVER_ENTRY, '--install-extension', vsix, '--extensions-dir', run.extensions, '--user-data-dir', run.userData],
      { env: cleanEnv(run), encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(install.status, 0, `install failed: ${install.stderr || install.stdout}`);
    assert.ok(
      readdirSync(run.extensions).some((d) => d.startsWith(`${EXTENSION_ID}-`)),
      'the extension is in the extensions folder',
    );
    server = await startCodeServer(run, { timeoutMs: 90_000 });
    browser = await launchBrowser(run, { headless: true });
    const { page } = await newAutomationPage(browser);
    await page.goto(server.workbenchUrl({}), { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    const item = page.locator('.activitybar a.action-label[aria-label^="Neural Terminal"]').first();
    await item.waitFor({ state: 'visible', timeout: 60_000 });
    const extRe = /extensionId=neural-terminal\.neural-terminal/i;
    const find = (): Frame | undefined =>
      page.frames().find((f) => f.url().includes('/webview/browser/pre/fake.html') && extRe.test(f.parentFrame()?.url() ?? ''));
    let frame: Frame | undefined;
    let lastClick = 0;
    const deadline = Date.now() + 90_000;
    while (!frame && Date.now() < deadline) {
      frame = find();
      if (!frame && Date.now() - lastClick > 3000) {
        await item.click({ timeout: 10_000 }).catch(() => undefined);
        lastClick = Date.now();
      }
      await sleep(250);
    }
    assert.ok(frame, 'the installed extension contributes the view and its webview loads');
    await frame.waitForFunction(() => !!document.querySelector('nt-app')?.shadowRoot?.childElementCount, undefined, {
      timeout: 60_000,
    });
    // The host's snapshot has arrived once the key state shows; with it come the notices. The
    // history engine runs in a worker thread whose script must be in the package: without it the
    // view opens but says history is unavailable.
    const keyState = frame.locator('nt-app aside.rail.model dd').nth(2);
    await frame.waitForFunction(
      () => /missing|stored/.test(document.querySelector('nt-app')?.shadowRoot?.querySelector('aside.rail.model')?.textContent ?? ''),
      undefined,
      { timeout: 60_000 },
    );
    assert.match((await keyState.textContent())?.trim() ?? '', /^(missing|stored)$/);
    const unavailable = frame.locator('nt-app nt-notices li[data-kind="history_unavailable"]');
    assert.equal(await unavailable.count(), 0, 'the installed view says history is unavailable');
    await page.screenshot({ path: join(RESULTS_DIR, 'e2e-installed-vsix.png') });
  });
});
