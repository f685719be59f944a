/**
 * Compare and replay in the real workbench (code-server + chromium), against the fake OpenRouter:
 * type a prompt, press Compare…, tick three models in the multi-select quick pick, and watch the
 * table fill in — rows streaming with live counts, then each row's served model, tokens, exact
 * cost and timings; the fake must have received the prompt once per model. Pick a winner (the
 * conversation goes on with its model), ask once more, then "Replay Branch on Another Model…"
 * from the palette and open the diff from the notification: a Markdown table of both turns with
 * the original and replayed cost and latency. (The README's pictures: screenshots.e2e.ts.)
 */
import * as assert from 'node:assert/strict';
import type { Frame, Locator, Page } from 'playwright-core';
import type { EditorSession } from './harness';
import { fakeRequests, tickExactly as tickIn, until, keyedSession } from './flows';

const API_KEY = 'sk-or-v1-e2e-compare-key-0123456789abcdef';
const MODELS = ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4', 'google/gemini-2.5-flash'];
const REPLAY_MODEL = 'mistralai/mistral-small-3.2-24b-instruct';
const STAMP = Date.now().toString(36);
// The fake echoes the prompt, ~100 ms a chunk with `slow`: a longer prompt streams for several seconds.
const PROMPT = `Which sorting algorithms are stable ${STAMP}? ${'Weigh merge sort, insertion sort, timsort and heapsort on stability and memory. '.repeat(4)}[[scenario:slow]]`;
const FOLLOW_UP = `And which of them sort in place ${STAMP}?`;

describe('Compare models and replay a branch (E2E, chromium + code-server)', function () {
  this.timeout(300_000);
  let s: EditorSession;
  let page: Page;
  let frame: Frame;

  const app = (): Locator => frame.locator('nt-app');
  const textbox = (): Locator => app().getByRole('textbox', { name: 'Message' });
  const table = (): Locator => app().locator('nt-compare');
  const rows = (): Locator => table().locator('tbody tr');
  const quickInput = (): Locator => page.locator('.quick-input-widget');
  const assistants = (): Locator => app().getByRole('log', { name: 'Transcript' }).locator('article.assistant');

  async function rowStates(): Promise<string[]> {
    return rows().evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status') ?? '?'));
  }

  const tickExactly = (wanted: readonly string[]): Promise<void> => tickIn(page, wanted);

  async function runFromPalette(title: string): Promise<void> {
    await page.locator('.part.editor').first().click({ position: { x: 200, y: 200 }, timeout: 10_000 });
    await page.keyboard.press('F1');
    const input = quickInput().locator('input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(`>${title}`);
    await quickInput().locator('.monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await input.press('Enter');
  }

  before(async function () {
    this.timeout(240_000);
    ({ s, page, frame } = await keyedSession(this, API_KEY));
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && s) await s.screenshot(`e2e-compare-FAILED-${this.currentTest.title.slice(0, 40)}`).catch(() => {});
  });

  it('compares 3 models: the table fills in as they stream, with what the fake served and billed', async () => {
    await page.locator('.part.sidebar a.action-label[aria-label^="New Conversation"]').first().click({ timeout: 10_000 });
    frame = await s.webviewFrame(30_000);
    await textbox().waitFor({ state: 'visible', timeout: 15_000 });
    await textbox().fill(PROMPT);
    const before = (await fakeRequests(s)).filter((r) => r.path.endsWith('/chat/completions')).length;
    const compare = app().locator('nt-composer vscode-button', { hasText: 'Compare…' });
    await until('Compare… to be enabled', async () => (await compare.getAttribute('aria-disabled', { timeout: 1000 })) === 'false', 20_000);
    await compare.click();
    await until('the Compare Models quick pick', async () => /Compare Models/.test((await quickInput().textContent()) ?? ''), 20_000);
    await tickExactly(MODELS);
    assert.match((await quickInput().textContent()) ?? '', /3 picked/);
    await s.screenshot('e2e-compare-quickpick');
    await quickInput().locator('input').press('Enter');
    frame = await s.webviewFrame(30_000);

    // Streaming: rows there before they are done, with live character counts.
    await until('the table with three rows', async () => (await rows().count()) === 3, 30_000);
    const seen = await until('a row still streaming', async () => {
      const states = await rowStates();
      return states.length === 3 && states.includes('streaming') ? states : undefined;
    }, 30_000);
    assert.ok(seen?.includes('streaming'));
    await until('the prompt to leave the composer once the comparison started', async () => (await textbox().inputValue()) === '', 20_000);
    await s.screenshot('e2e-compare-streaming');

    const states = await until('every row complete', async () => {
      const st = await rowStates();
      return st.every((x) => x === 'complete') ? st : undefined;
    }, 90_000);
    assert.equal(states?.length, 3);
    const models = (await rows().locator('th .id').allTextContents()).map((t) => t.trim());
    assert.deepEqual([...models].sort(), [...MODELS].sort());
    await until('every row priced', async () => (await rows().locator('td.cost').allTextContents()).every((t) => /\$\d/.test(t)), 30_000);
    for (const text of await rows().allTextContents()) {
      assert.match(text.replace(/\s+/g, ' '), /complete.*\d.*\$\d.*\d (ms|s).*tok\/s.*stop/, `a filled row: ${text}`);
    }
    const sent = (await fakeRequests(s)).filter((r) => r.path.endsWith('/chat/completions')).slice(before);
    assert.deepEqual(sent.map((r) => (r.body as { model: string }).model).sort(), [...MODELS].sort(), 'one request per model');
    await table().scrollIntoViewIfNeeded();
    await s.screenshot('e2e-compare-table');

    // Sort by cost with the keyboard: aria-sort says so.
    const costHeader = table().getByRole('columnheader', { name: /Exact cost/ });
    await costHeader.getByRole('button').focus();
    await costHeader.getByRole('button').press('Enter');
    assert.equal(await costHeader.getAttribute('aria-sort'), 'ascending');

    // Pick the winner: its branch and model go on.
    const winner = rows().filter({ hasText: MODELS[1]! });
    await winner.getByRole('button', { name: /Pick .* as the winner/ }).click();
    await until('the winner marked', async () => /★ winner/.test((await winner.textContent()) ?? ''), 20_000);
    await until('the composer on the winner’s model', async () => ((await app().locator('nt-composer .model').textContent()) ?? '').includes(MODELS[1]!), 20_000);
  });

  it('replays the branch on another model and opens the per-turn cost and latency diff', async () => {
    const count = await assistants().count();
    await textbox().fill(FOLLOW_UP);
    await textbox().press('Enter');
    await until('the follow-up reply', async () => (await assistants().nth(count).getAttribute('data-status', { timeout: 1000 })) === 'complete', 60_000);
    assert.equal(await table().count(), 0, 'the new exchange compared nothing: no table');
    const before = (await fakeRequests(s)).filter((r) => r.path.endsWith('/chat/completions')).length;

    await runFromPalette('Replay Branch on Another Model');
    await until('the model pick', async () => /Replay .* on/.test((await quickInput().textContent()) ?? ''), 20_000);
    const input = quickInput().locator('input');
    await input.fill(REPLAY_MODEL);
    await quickInput().locator('.monaco-list-row', { hasText: REPLAY_MODEL }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await input.press('Enter');

    const replayed = async () => (await fakeRequests(s)).filter((r) => r.path.endsWith('/chat/completions')).slice(before);
    await until('both turns asked again', async () => (await replayed()).length >= 2, 120_000);
    frame = await s.webviewFrame(30_000);
    await until('the replay to finish', async () => {
      const last = assistants().last();
      return (await last.getAttribute('data-status', { timeout: 1000 })) === 'complete' && ((await last.textContent()) ?? '').includes(REPLAY_MODEL);
    }, 60_000);
    const sent = await replayed();
    assert.deepEqual(sent.map((r) => (r.body as { model: string }).model), [REPLAY_MODEL, REPLAY_MODEL], 'each user turn asked again of the other model');
    assert.match((await app().locator('header .title').getAttribute('title')) ?? '', /replay on/, 'the fork is open');
    await s.screenshot('e2e-replay-done');

    await runFromPalette('Show Replay Diff');
    const editor = page.locator('.editor-instance .monaco-editor').filter({ hasText: 'Replay diff' }).first();
    await editor.waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await editor.locator('.view-lines').textContent())?.replace(/\u00a0/g, ' ') ?? '';
    assert.match(text, /\| 1 \| Which sorting algorithms are stable/);
    assert.match(text, /\| 2 \| And which of them sort in place/);
    assert.ok(text.includes(REPLAY_MODEL), 'the replay model is named');
    assert.match(text, /\*\*total\*\*/);
    await s.screenshot('e2e-replay-diff');
  });
});
