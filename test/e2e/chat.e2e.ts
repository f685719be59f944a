/**
 * User flows in the real workbench (code-server + chromium), driven through the chat webview
 * and the editor: send and read a reply with its cost, cancel a streaming reply and retry it
 * into a second branch, regenerate, fork, search the history, Send Selection from an editor
 * (keybinding + InputBox) and Fork Conversation from the editor's context menu (QuickPick).
 *
 * The fake OpenRouter backs every request (it echoes "You said: <text>"); `[[scenario:NAME]]` in
 * a message steers one reply. The API key is set through the UI ("Set API Key" → InputBox)
 * whenever the view says none is stored (SecretStorage does not survive a workbench reload, and
 * another file may have reloaded the shared session). Flows run in order and build on each other
 * (later flows search/fork what earlier ones sent). Every wait is bounded; screenshots of key
 * states go to test-results/e2e-flow-*.png.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { deepText, editorSession, type EditorSession } from './harness';
import { ensureApiKey, until } from './flows';

const API_KEY = 'sk-or-v1-e2e-demo-key-0123456789abcdef';
/** A word that only flow 1 sends, so the history search finds exactly that conversation's text. */
const UNIQUE = `zephyrquokka${Date.now().toString(36)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Neural Terminal chat flows (E2E, chromium + code-server)', function () {
  this.timeout(180_000);
  let s: EditorSession;
  let page: Page;
  let frame: Frame;

  const app = (): Locator => frame.locator('nt-app');
  const textbox = (): Locator => app().getByRole('textbox', { name: 'Message' });
  const transcript = (): Locator => app().getByRole('log', { name: 'Transcript' });
  const assistants = (): Locator => transcript().locator('article.assistant');
  const users = (): Locator => transcript().locator('article.user');
  const quickInput = (): Locator => page.locator('.quick-input-widget');


  /** Sets the API key through the UI when the view says none is stored. */
  async function ensureKey(): Promise<void> {
    frame = await ensureApiKey(s, API_KEY);
  }

  async function send(text: string): Promise<void> {
    const box = textbox();
    await box.waitFor({ state: 'visible', timeout: 15_000 });
    await box.click({ timeout: 10_000 });
    // A user waits for the composer to be ready (Send enabled: nothing streaming, text taken).
    await box.fill(text);
    const sendButton = app().locator('nt-composer vscode-button', { hasText: /^\s*Send\s*$/ });
    await until('the Send button to be enabled', async () => (await sendButton.getAttribute('aria-disabled', { timeout: 1000 })) === 'false', 20_000);
    await box.press('Enter');
    await until('the composer to take the message (textbox cleared)', async () => (await box.inputValue({ timeout: 1000 })) === '', 10_000);
  }

  /** The last assistant entry whose text contains `needle`, once it reached `status`. */
  async function waitReply(needle: string, status = 'complete', ms = 45_000): Promise<Locator> {
    const entry = assistants().filter({ hasText: needle }).last();
    await until(`an assistant entry containing "${needle}" with status ${status}`, async () =>
      (await entry.getAttribute('data-status', { timeout: 1000 })) === status, ms);
    return entry;
  }

  async function dismissNotices(): Promise<void> {
    for (let i = 0; i < 10; i++) {
      const d = app().locator('nt-notices button.dismiss').first();
      if (!(await d.isVisible().catch(() => false))) return;
      await d.click({ timeout: 5000 }).catch(() => {});
      await sleep(150);
    }
  }

  async function waitForkNotice(): Promise<string> {
    const notice = app().locator('nt-notices').getByText(/Forked into/).first();
    await notice.waitFor({ state: 'visible', timeout: 20_000 });
    return (await notice.textContent()) ?? '';
  }

  /** Focus the workbench (not the webview) so keyboard shortcuts reach it. */
  async function focusWorkbench(): Promise<void> {
    await page.locator('.part.editor').first().click({ position: { x: 200, y: 200 }, timeout: 10_000 });
  }

  before(async function () {
    this.timeout(240_000);
    s = await editorSession();
    page = s.page;
    if (!s.fakeUrl) this.skip();
    await ensureKey();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && s) {
      await s.screenshot(`e2e-flow-FAILED-${this.currentTest.title.slice(0, 40)}`).catch(() => {});
    }
  });

  it('sends a typed message with Enter and shows the echoed reply with its cost and tokens', async () => {
    await ensureKey();
    const text = `hello from the e2e flow ${UNIQUE}`;
    await send(text);
    const reply = await waitReply(`You said: ${text}`);
    const meta = reply.locator('.meta');
    const metaText = await until('a cost in the reply metadata', async () => {
      const t = (await meta.textContent()) ?? '';
      return t.includes('$0.') ? t : '';
    }, 20_000);
    // Research mode shows "N in → M out" for replies, compact mode "M tok"; user entries "N tok".
    assert.match(metaText, /tok|\bout\b/, `reply metadata should show tokens: ${metaText}`);
    await s.screenshot('e2e-flow-1-reply');
  });

  it('cancels a streaming reply with Escape, retries it into branch 2 of 2 and switches back', async () => {
    await ensureKey();
    const filler = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const text = `[[scenario:slow]] stop me ${filler}`;
    await send(text);
    const streaming = assistants().last();
    await until('the reply to start streaming', async () => (await streaming.getAttribute('data-status', { timeout: 1000 })) === 'streaming', 30_000);
    await until('some streamed text', async () => ((await streaming.locator('.content').textContent({ timeout: 1000 })) ?? '').includes('You said'), 20_000);
    await s.screenshot('e2e-flow-2-streaming');
    await textbox().press('Escape');
    const stopped = assistants().filter({ hasText: 'stop me' }).last();
    const status = await until('the cancelled reply to be marked partial/cancelled', async () => {
      const st = await stopped.getAttribute('data-status', { timeout: 1000 });
      return st && st !== 'streaming' ? st : '';
    }, 20_000);
    assert.match(status, /partial|cancel/, `the cancelled reply's status should be partial/cancelled, got "${status}"`);
    const content = (await stopped.locator('.content').textContent()) ?? '';
    assert.ok(!content.includes('priced from the fake catalog'), 'the cancelled reply should not contain the end of the echo');
    await s.screenshot('e2e-flow-2-cancelled');

    await stopped.locator('.problem').getByRole('button', { name: 'Retry' }).click({ timeout: 10_000 });
    const branch2 = transcript().getByRole('group', { name: 'Branch 2 of 2' }).first();
    await branch2.waitFor({ state: 'visible', timeout: 30_000 });
    await waitReply('priced from the fake catalog', 'complete', 60_000);
    await s.screenshot('e2e-flow-2-branch-2-of-2');

    await branch2.getByRole('button', { name: 'Previous branch' }).click({ timeout: 10_000 });
    await transcript().getByRole('group', { name: 'Branch 1 of 2' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    const back = assistants().last();
    assert.match((await back.getAttribute('data-status')) ?? '', /partial|cancel/, 'branch 1 should be the cancelled reply');
    await s.screenshot('e2e-flow-2-branch-1-of-2');
  });

  it('regenerates an assistant reply and the branch count grows', async () => {
    await ensureKey();
    const text = `please regenerate this ${UNIQUE}`;
    await send(text);
    const reply = await waitReply(`You said: ${text}`);
    assert.equal(await reply.getByRole('group', { name: /^Branch \d+ of \d+$/ }).count(), 0, 'a fresh reply has no branches');
    await reply.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name: 'regenerate' }).click({ timeout: 10_000 });
    const group = transcript().getByRole('group', { name: 'Branch 2 of 2' }).last();
    await group.waitFor({ state: 'visible', timeout: 30_000 });
    await waitReply(`You said: ${text}`);
    const last = assistants().last();
    await last.getByRole('group', { name: 'Branch 2 of 2' }).waitFor({ state: 'visible', timeout: 10_000 });
    // Once more: 3 of 3.
    await last.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name: 'regenerate' }).click({ timeout: 10_000 });
    await transcript().getByRole('group', { name: 'Branch 3 of 3' }).last().waitFor({ state: 'visible', timeout: 30_000 });
    await waitReply(`You said: ${text}`);
    await s.screenshot('e2e-flow-3-regenerated');
  });

  it('forks from a message and announces the fork', async () => {
    await ensureKey();
    await dismissNotices();
    const before = await app().locator('.bar .title').textContent();
    const entry = users().filter({ hasText: 'please regenerate this' }).last();
    await entry.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name: 'Fork from here' }).click({ timeout: 10_000 });
    const notice = await waitForkNotice();
    assert.match(notice, /Forked into “.+”/);
    // The fork is open and keeps the message it was forked at.
    await users().filter({ hasText: 'please regenerate this' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    const after = await app().locator('.bar .title').textContent();
    await s.screenshot('e2e-flow-4-forked');
    assert.ok(after, `the bar should show the fork's title (before: ${before})`);
    assert.match(after, /fork at \d\d:\d\d · please regenerate this/, 'the fork is named after its fork point');
  });

  it('searches the history drawer, highlights the match and opens the conversation', async () => {
    await ensureKey();
    // Start from an empty conversation so opening the hit visibly changes the transcript.
    await page.locator('.part.sidebar a.action-label[aria-label^="New Conversation"]').first().click({ timeout: 10_000 });
    await until('an empty transcript', async () => (await users().count()) === 0, 15_000);
    await app().locator('.tools button[data-drawer="archive"]').click({ timeout: 10_000 });
    const drawer = app().getByRole('complementary', { name: 'History' });
    await drawer.waitFor({ state: 'visible', timeout: 10_000 });
    const search = drawer.getByRole('searchbox', { name: 'Search history' });
    await search.fill(UNIQUE);
    const results = drawer.getByRole('list', { name: 'Search results' });
    const mark = results.locator('mark').first();
    await mark.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match((await mark.textContent()) ?? '', new RegExp(UNIQUE, 'i'));
    await s.screenshot('e2e-flow-5-search');
    // The flow-1 message (the oldest conversation with it) — any hit opens a conversation with the word.
    await results.locator('button.hit').filter({ hasText: 'hello from the e2e flow' }).first().click({ timeout: 10_000 });
    await users().filter({ hasText: `hello from the e2e flow ${UNIQUE}` }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await drawer.waitFor({ state: 'hidden', timeout: 10_000 });
    await s.screenshot('e2e-flow-5-opened');
  });

  it('Send Selection (Ctrl+Alt+Enter) attaches the selection as a chip; the question is typed in the composer and the request carries the code', async () => {
    await ensureKey();
    writeFileSync(
      join(s.run.workspace, 'sample.ts'),
      'export function add(a: number, b: number): number {\n  return a + b;\n}\n',
    );
    await focusWorkbench();
    await page.keyboard.press('Control+P');
    const input = quickInput().locator('input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('sample.ts');
    await quickInput().locator('.monaco-list-row', { hasText: 'sample.ts' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await input.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').filter({ hasText: 'return a + b' }).first();
    await editor.waitFor({ state: 'visible', timeout: 20_000 });
    await editor.locator('.view-lines').click({ timeout: 30_000 });
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Control+Alt+Enter');
    frame = await s.webviewFrame(30_000);
    const chip = app().locator('nt-composer nt-attachment-chips li', { hasText: 'sample.ts:1-3' });
    await chip.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match((await chip.textContent()) ?? '', /@selection[\s\S]*\d+ tok/);
    await s.screenshot('e2e-flow-6-selection-chip');
    await textbox().fill('Explain');
    await textbox().press('Enter');
    const user = users().filter({ hasText: 'Explain' }).last();
    await user.waitFor({ state: 'visible', timeout: 30_000 });
    // The chips live in the entry's own shadow root: found by locator (textContent stops at it).
    await user.locator('nt-attachment-chips li', { hasText: 'sample.ts:1-3' }).waitFor({ state: 'visible', timeout: 20_000 });
    // The fake echoes the user message it received: the selected code was in it.
    await waitReply('return a + b', 'complete', 60_000);
    assert.equal(await app().locator('nt-composer nt-attachment-chips li').count(), 0, 'the chip left the composer with the send');
    await s.screenshot('e2e-flow-6-selection-reply');
  });

  it('attaches a file with @: the chip shows its tokens and cost, and the request the fake server received holds the file', async () => {
    await ensureKey();
    const word = `${UNIQUE}attached`;
    writeFileSync(join(s.run.workspace, 'attach-note.md'), `# Note\n\nThe secret word is ${word}.\n`);
    await textbox().click();
    await textbox().pressSequentially('@fi');
    const option = app().getByRole('option', { name: /@file/ });
    await option.waitFor({ state: 'visible', timeout: 10_000 });
    await s.screenshot('e2e-flow-attach-menu');
    await textbox().press('Enter');
    const pick = quickInput().locator('input');
    await until('the Attach a file picker', async () => (await quickInput().isVisible()) && /Attach a file/.test((await quickInput().textContent()) ?? ''), 20_000);
    await pick.fill('attach-note');
    await quickInput().locator('.monaco-list-row', { hasText: 'attach-note.md' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await pick.press('Enter');
    frame = await s.webviewFrame(30_000);
    const chip = app().locator('nt-composer nt-attachment-chips li', { hasText: 'attach-note.md' });
    await chip.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match((await chip.textContent()) ?? '', /@file[\s\S]*\d+ tok[\s\S]*\$\d/, 'the chip shows tokens and an estimated cost');
    assert.equal(await textbox().inputValue(), '', 'the @word left the text');
    await s.screenshot('e2e-flow-attach-chip');
    await textbox().fill('What is the secret word?');
    await textbox().press('Enter');
    await waitReply(word, 'complete', 60_000);
    assert.ok(s.fakeUrl, 'the fake OpenRouter is running');
    const { requests } = (await (await fetch(`${new URL(s.fakeUrl).origin}/__control/requests`)).json()) as {
      requests: Array<{ path: string; body?: { messages?: Array<{ role: string; content: string }> } }>;
    };
    const sent = requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)?.body?.messages?.at(-1);
    assert.equal(sent?.role, 'user');
    assert.ok(sent?.content.includes(`The secret word is ${word}.`), 'the file content reached the server');
    assert.ok(sent?.content.includes('@file attach-note.md'), 'labelled with its path');
    assert.ok(sent?.content.endsWith('What is the secret word?'), 'the question follows the attachment');
    await s.screenshot('e2e-flow-attach-reply');
  });

  it('forks the conversation from the editor context menu through a QuickPick of messages', async () => {
    await ensureKey();
    await dismissNotices();
    const editor = page.locator('.editor-instance .monaco-editor').filter({ hasText: 'return a + b' }).first();
    await editor.waitFor({ state: 'visible', timeout: 20_000 });
    await editor.locator('.view-lines').click({ button: 'right', timeout: 30_000 });
    const item = page.locator('.monaco-menu .action-label', { hasText: /^Fork Conversation$/ }).first();
    await item.waitFor({ state: 'visible', timeout: 15_000 });
    await s.screenshot('e2e-flow-7-context-menu');
    await item.click({ timeout: 10_000 });
    await until('the Fork QuickPick', async () =>
      (await quickInput().isVisible()) && /Fork .* at/.test((await quickInput().textContent()) ?? ''), 20_000);
    await s.screenshot('e2e-flow-7-quickpick');
    await quickInput().locator('input').press('Enter');
    frame = await s.webviewFrame(30_000);
    const notice = await waitForkNotice();
    assert.match(notice, /Forked into/);
    assert.match(await deepText(frame), /sample\.ts:1-3/, 'the fork keeps the messages up to the chosen one');
    await s.screenshot('e2e-flow-7-forked');
  });
});
