/**
 * The OpenRouter controls driven through the real UI (code-server + chromium): pick a model in
 * the models drawer, then routing (sort, preferred provider, strict) and reasoning effort in the
 * composer picker; the pre-flight estimate follows the picked provider's price. Two sends in one
 * conversation: the fake OpenRouter must receive exactly the JSON the picks mean (provider
 * object, reasoning, Anthropic cache breakpoints, a stable session_id), serve from the picked
 * provider, read the first turn back from its prompt cache on the second send, and bill reasoning
 * tokens — and each entry must show the provider, the cache reads and exactly the billed cost.
 */
import * as assert from 'node:assert/strict';
import type { Frame, Locator, Page } from 'playwright-core';
import { formatUsd } from '../../src/webview/format';
import { readSettings } from '../../scripts/lib/codeServer.mjs';
import { editorSession, type EditorSession } from './harness';
import { ensureApiKey, fakeGenerations, fakeRequests, pickModel as pickModelIn, until, type FakeRequest } from './flows';

const API_KEY = 'sk-or-v1-e2e-controls-key-0123456789abcdef';
const MODEL = 'anthropic/claude-sonnet-4';
const STAMP = Date.now().toString(36);
const FIRST = `Plan the controls test ${STAMP}: which provider answers?`;
const SECOND = `And a second question ${STAMP}, so the first turn is read back from the cache.`;
const EPHEMERAL = { type: 'ephemeral' };

type WireMessage = { role: string; content: string | { type: string; text: string; cache_control?: unknown }[] };
type ChatBody = { messages: WireMessage[]; session_id?: string } & Record<string, unknown>;

describe('OpenRouter controls through the composer picker (E2E, chromium + code-server)', function () {
  this.timeout(240_000);
  let s: EditorSession;
  let page: Page;
  let frame: Frame;
  let defaultModel: string | undefined;

  const app = (): Locator => frame.locator('nt-app');
  const textbox = (): Locator => app().getByRole('textbox', { name: 'Message' });
  const transcript = (): Locator => app().getByRole('log', { name: 'Transcript' });
  const assistants = (): Locator => transcript().locator('article.assistant');
  const picker = (): Locator => app().locator('nt-controls');
  const estimate = (): Locator => app().locator('nt-composer .estimate .cost');

  /** The chat requests the fake received since `after` (their count before), oldest first. */
  async function chatRequestsSince(after: number): Promise<FakeRequest[]> {
    return (await fakeRequests(s)).filter((r) => r.path.endsWith('/chat/completions')).slice(after);
  }

  async function sendAndWait(text: string): Promise<Locator> {
    const before = await assistants().count();
    await textbox().fill(text);
    const sendButton = app().locator('nt-composer vscode-button', { hasText: /^\s*Send\s*$/ });
    await until('the Send button to be enabled', async () => (await sendButton.getAttribute('aria-disabled', { timeout: 1000 })) === 'false', 20_000);
    await textbox().press('Enter');
    const reply = assistants().nth(before);
    await until('the reply to complete', async () => (await reply.getAttribute('data-status', { timeout: 1000 })) === 'complete', 60_000);
    return reply;
  }

  const pickModel = (id: string): Promise<void> => pickModelIn(frame, id);

  /** The shown cost of an entry, once the billed figure replaced the estimate. */
  async function shownCost(entry: Locator): Promise<string> {
    return until('the billed cost in the entry', async () => {
      const meta = (await entry.locator('.meta').textContent()) ?? '';
      return meta.includes('(est.)') ? '' : ((await entry.locator('.meta .stat.cost').first().textContent()) ?? '').trim();
    }, 30_000);
  }

  before(async function () {
    this.timeout(240_000);
    s = await editorSession();
    page = s.page;
    if (!s.fakeUrl) this.skip();
    defaultModel = readSettings(s.run)['neuralTerminal.defaultModel'] as string | undefined;
    frame = await ensureApiKey(s, API_KEY);
  });

  // Picking a model makes it the default for new conversations (a user setting): later flows
  // expect the run's default model back.
  after(() => {
    if (s) s.updateSettings({ 'neuralTerminal.defaultModel': defaultModel ?? 'openai/gpt-4o-mini' });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && s) await s.screenshot(`e2e-controls-FAILED-${this.currentTest.title.slice(0, 40)}`).catch(() => {});
  });

  it('sends routing, reasoning and cache breakpoints as picked, and each entry shows exactly what the fake billed', async () => {
    await page.locator('.part.sidebar a.action-label[aria-label^="New Conversation"]').first().click({ timeout: 10_000 });
    await until('an empty transcript', async () => (await transcript().locator('article').count()) === 0, 15_000);

    // The model, from the models drawer.
    await pickModel(MODEL);

    // The picker offers the model's providers (endpoints API) and reasoning effort (catalog).
    const provider = picker().getByRole('combobox', { name: 'Provider', exact: true });
    const effort = picker().getByRole('combobox', { name: 'Reasoning effort' });
    await until('the picker to list the providers and the effort', async () => (await provider.count()) > 0 && (await effort.count()) > 0, 30_000);
    const providerNames = (await provider.locator('option').allTextContents()).map((t) => t.trim().split(/\s+/)[0]);
    assert.deepEqual(providerNames, ['any', 'Anthropic', 'Fastlane', 'Bargain']);

    // Priced before the send: the estimate follows the picked provider (Fastlane is 25% dearer).
    await textbox().fill(FIRST);
    const anyPrice = await until('an estimate', async () => (await estimate().textContent({ timeout: 1000 }))?.trim() ?? '', 20_000);
    await provider.selectOption('fastlane');
    const fastlanePrice = await until('the estimate for Fastlane', async () => {
      const t = (await estimate().textContent({ timeout: 1000 }))?.trim() ?? '';
      return t && t !== anyPrice ? t : '';
    }, 20_000);
    assert.ok(Number(fastlanePrice.replace(/[$,]/g, '')) > Number(anyPrice.replace(/[$,]/g, '')), `${fastlanePrice} > ${anyPrice}`);
    await picker().getByRole('combobox', { name: 'Provider sort' }).selectOption('price');
    await picker().getByLabel('strict').check();
    await effort.selectOption('high');
    await s.screenshot('e2e-controls-1-picked');

    const before = (await fakeRequests(s)).filter((r) => r.path.endsWith('/chat/completions')).length;
    const first = await sendAndWait(FIRST);
    const [request1] = await chatRequestsSince(before);
    assert.ok(request1, 'the fake received the send');
    const body1 = request1.body as ChatBody;
    assert.match(body1.session_id ?? '', /^nt-[0-9a-f-]{8,}$/);
    assert.deepEqual(body1, {
      model: MODEL,
      messages: [{ role: 'user', content: [{ type: 'text', text: FIRST, cache_control: EPHEMERAL }] }],
      stream: true,
      reasoning: { effort: 'high' },
      provider: { sort: 'price', order: ['fastlane'], allow_fallbacks: false },
      session_id: body1.session_id,
    });
    assert.equal(request1.servedProvider, 'Fastlane', 'the picked provider served');

    const gens = await fakeGenerations(s);
    const gen1 = gens.find((g) => g.id === request1.generationId);
    assert.ok(gen1, 'the fake billed the reply');
    assert.ok(gen1.native_tokens_reasoning > 0, 'reasoning tokens were generated and billed');
    assert.equal(await shownCost(first), formatUsd(String(gen1.total_cost)), 'the entry shows the billed cost');
    const meta1 = (await first.locator('.meta').textContent()) ?? '';
    assert.match(meta1, /via Fastlane/);
    assert.match(meta1, new RegExp(`${gen1.native_tokens_reasoning} reasoning`));
    assert.match((await first.locator('details.reasoning summary').textContent()) ?? '', /reasoning/);
    await s.screenshot('e2e-controls-2-first-reply');

    // Second send: the conversation keeps its routing and effort; both turns carry breakpoints.
    const second = await sendAndWait(SECOND);
    const [request2] = await chatRequestsSince(before + 1);
    assert.ok(request2, 'the fake received the second send');
    const body2 = request2.body as ChatBody;
    const reply1 = body2.messages[1];
    assert.ok(reply1 && reply1.role === 'assistant' && typeof reply1.content === 'string' && reply1.content.includes(FIRST.slice(0, 20)));
    assert.deepEqual(body2, {
      model: MODEL,
      messages: [
        { role: 'user', content: [{ type: 'text', text: FIRST, cache_control: EPHEMERAL }] },
        { role: 'assistant', content: reply1.content },
        { role: 'user', content: [{ type: 'text', text: SECOND, cache_control: EPHEMERAL }] },
      ],
      stream: true,
      reasoning: { effort: 'high' },
      provider: { sort: 'price', order: ['fastlane'], allow_fallbacks: false },
      session_id: body1.session_id,
    });
    const gen2 = (await fakeGenerations(s)).find((g) => g.id === request2.generationId);
    assert.ok(gen2, 'the fake billed the second reply');
    assert.ok(gen2.native_tokens_cached > 0, 'the first turn was read back from the prompt cache');
    assert.equal(await shownCost(second), formatUsd(String(gen2.total_cost)), 'the entry shows the billed cost');
    const meta2 = (await second.locator('.meta').textContent()) ?? '';
    assert.match(meta2, new RegExp(`cache (saved|cost) .*${gen2.native_tokens_cached} read`));
    await s.screenshot('e2e-controls-3-cached-reply');

    // Back to the run's default model, the way a user picks one (it also becomes the default for new conversations).
    await pickModel(defaultModel ?? 'openai/gpt-4o-mini');
  });
});
