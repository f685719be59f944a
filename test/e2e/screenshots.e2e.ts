/**
 * The README's pictures, retaken from the real workbench (code-server + chromium) against the
 * fake OpenRouter — opt-in: `NT_SCREENSHOTS=1 node scripts/test.mjs --only e2e --grep screenshots`
 * writes them into docs/ (otherwise this file is skipped, so a test run never changes the repo).
 * - docs/screenshot-light-narrow.png and docs/screenshot-dark-narrow.png: the side bar at 300 px
 *   (its usual width) with a reply, in Light Modern and Dark Modern;
 * - docs/screenshot-compare.png: the wide editor tab (Open in Editor, the side bar hidden)
 *   with three models compared — checked to show the whole table, with no sideways scroll.
 * Both are small PNGs at device scale 1.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { EXTENSION_ID } from '../../scripts/lib/codeServer.mjs';
import { REPO_ROOT } from '../../scripts/lib/tools.mjs';
import { ensureApiKey, tickExactly, until } from './flows';
import { editorSession, THEMES, type EditorSession } from './harness';

const ON = process.env.NT_SCREENSHOTS === '1';
const API_KEY = 'sk-or-v1-e2e-screens-key-0123456789abcdef';
const MODELS = ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4', 'google/gemini-2.5-flash'];
const SIDEBAR_WIDTH = 300;
const docs = (name: string) => join(REPO_ROOT, 'docs', name);

describe('README screenshots (E2E, opt-in with NT_SCREENSHOTS=1)', function () {
  this.timeout(300_000);
  let s: EditorSession;
  let page: Page;

  const app = (frame: Frame): Locator => frame.locator('nt-app');
  const quickInput = (): Locator => page.locator('.quick-input-widget');

  async function runFromPalette(title: string): Promise<void> {
    // The title bar's command center opens the quick input (a click on the editor area would land in the tab's webview).
    await page.locator('.command-center-center').first().click({ timeout: 10_000 });
    const input = quickInput().locator('input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(`>${title}`);
    await quickInput().locator('.monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await input.press('Enter');
  }

  /** Types and sends, then waits for the reply to complete. */
  async function ask(frame: Frame, text: string): Promise<void> {
    const box = app(frame).getByRole('textbox', { name: 'Message' });
    await box.click({ timeout: 10_000 });
    await box.fill(text);
    await box.press('Enter');
    const reply = app(frame).getByRole('log', { name: 'Transcript' }).locator('article.assistant').last();
    await until('the reply', async () => (await reply.getAttribute('data-status', { timeout: 1000 })) === 'complete', 60_000);
  }

  /** The Neural Terminal webview inside the editor area (the tab), not the side bar's. */
  async function editorTabFrame(): Promise<Frame> {
    const found = await until('the editor tab’s webview', async () => {
      for (const f of page.frames()) {
        if (!f.url().includes('/webview/browser/pre/fake.html')) continue;
        const outer = f.parentFrame();
        if (!outer || !new RegExp(`extensionId=${EXTENSION_ID.replace(/\./g, '\\.')}`, 'i').test(outer.url())) continue;
        const box = await (await outer.frameElement()).boundingBox();
        const editor = await page.locator('.part.editor').first().boundingBox();
        if (box && editor && box.x >= editor.x - 1 && box.width > 600 && (await f.locator('nt-app').count()) === 1) return f;
      }
      return undefined;
    }, 60_000);
    assert.ok(found);
    return found;
  }

  before(async function () {
    if (!ON) this.skip();
    this.timeout(240_000);
    s = await editorSession();
    page = s.page;
    if (!s.fakeUrl) this.skip();
  });

  after(async () => {
    if (!ON || !s) return;
    await s.setTheme(THEMES.dark).catch(() => undefined);
  });

  it('the side bar at 300 px with a reply, in Light Modern and Dark Modern', async () => {
    for (const [theme, file] of [[THEMES.light, 'screenshot-light-narrow.png'], [THEMES.dark, 'screenshot-dark-narrow.png']] as const) {
      await s.setTheme(theme);
      await s.openChatView(90_000);
      const width = await s.setSidebarWidth(SIDEBAR_WIDTH);
      assert.ok(width <= SIDEBAR_WIDTH && width >= SIDEBAR_WIDTH - 4, `the view is about ${SIDEBAR_WIDTH} px wide (${width})`);
      await ensureApiKey(s, API_KEY);
      await page.locator('.part.sidebar a.action-label[aria-label^="New Conversation"]').first().click({ timeout: 10_000 });
      await ask(await s.webviewFrame(30_000), 'How do I declare a typed constant in TypeScript?');
      // The page's own focus ring and hover states are not part of the picture.
      await page.mouse.move(900, 600);
      await page.locator('.part.sidebar').first().screenshot({ path: docs(file), timeout: 15_000 });
    }
  });

  it('the comparison table of three models in the wide editor tab, every column visible', async () => {
    await ensureApiKey(s, API_KEY);
    // A 1600 px window: the table's twelve columns need about 920 px beside the tab's two rails.
    await page.setViewportSize({ width: 1600, height: 900 });
    await runFromPalette('Neural Terminal: Open in Editor');
    await editorTabFrame();
    // The side bar hidden: the tab takes the window's width (the key stored above is the host's, shared by the tab).
    await runFromPalette('View: Toggle Primary Side Bar Visibility');
    await until('the side bar hidden', async () => !(await page.locator('.part.sidebar').first().isVisible()), 10_000);
    const view = await editorTabFrame();
    const box = app(view).getByRole('textbox', { name: 'Message' });
    await box.waitFor({ state: 'visible', timeout: 15_000 });
    await box.fill('Which sorting algorithms are stable, and which sort in place?');
    const compare = app(view).locator('nt-composer vscode-button', { hasText: 'Compare…' });
    await until('Compare… to be enabled', async () => (await compare.getAttribute('aria-disabled', { timeout: 1000 })) === 'false', 20_000);
    await compare.click();
    await until('the Compare Models quick pick', async () => /Compare Models/.test((await quickInput().textContent()) ?? ''), 20_000);
    await tickExactly(page, MODELS);
    await quickInput().locator('input').press('Enter');
    const table = app(view).locator('nt-compare');
    const rows = table.locator('tbody tr');
    await until('every row complete and priced', async () => {
      const states = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')));
      const costs = await rows.locator('td.cost').allTextContents();
      return states.length === 3 && states.every((x) => x === 'complete') && costs.every((t) => /\$\d/.test(t));
    }, 90_000);
    await table.scrollIntoViewIfNeeded();
    // The whole table: nothing scrolls sideways, inside the table or in the view.
    const overflow = await table.evaluate((el) => {
      const scrollers = [el, ...(el.shadowRoot ? [...el.shadowRoot.querySelectorAll('*')] : [])];
      // (Screen-reader-only text is clipped on purpose: 1 px wide.)
      return scrollers.filter((x) => x.clientWidth > 1 && x.scrollWidth > x.clientWidth + 1 && getComputedStyle(x).overflowX !== 'visible').map((x) => `${x.tagName}.${x.className}: ${x.scrollWidth} > ${x.clientWidth}`);
    });
    await s.screenshot('e2e-screens-compare');
    assert.deepEqual(overflow, [], 'the table fits the tab');
    await page.mouse.move(5, 5);
    await page.locator('.part.editor').first().screenshot({ path: docs('screenshot-compare.png'), timeout: 15_000 });
    // Back as it was: the side bar shown, the tab closed.
    await runFromPalette('View: Toggle Primary Side Bar Visibility');
    await runFromPalette('View: Close All Editors');
    await page.setViewportSize({ width: 1400, height: 900 });
  });
});
