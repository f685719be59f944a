import { strict as assert } from 'node:assert';
import {
  DEFAULT_CONTROL_SETTINGS,
  expectedCacheReads,
  preflightAdjustment,
  requestFields,
  type ControlSettings,
} from '../../../src/extension/core/routing';
import { parseCatalog } from '../../../src/extension/openrouter/catalog';
import { catalogResponse } from '../../fixtures/catalog';
import { toDecimalString, usdFromNumber } from '../../../src/shared/money';
import type { StoredMessage } from '../../../src/extension/storage/types';
import { chatRequests } from '../openrouter/harness';
import { closeAfterEach, chatHarness, serverBilled, storedTotal, started, type ChatHarness } from './chatHarness';


type Body = Record<string, unknown> & { messages: Array<{ role: string; content: unknown }> };

/** The exact JSON bodies the fake OpenRouter received for chat, oldest first. */
function bodies(h: ChatHarness): Body[] {
  return chatRequests(h.fake).map((r) => r.body as Body);
}

function controls(over: Partial<ControlSettings>): ControlSettings {
  return { ...DEFAULT_CONTROL_SETTINGS, ...over };
}

describe('OpenRouter request controls through the chat engine', function () {
  // Four streamed sends per test; on a loaded shared machine that can pass 30 s.
  this.timeout(90_000);
  let h: ChatHarness;

  afterEach(closeAfterEach(() => h));

  async function send(text: string, extra: Parameters<ChatHarness['engine']['send']>[0] | object = {}): Promise<StoredMessage> {
    return started(await h.engine.send({ text, ...extra })).done;
  }

  describe('provider routing', () => {
    it('sends every routing field exactly, sticks to the conversation and bills the provider that served', async () => {
      h = await chatHarness({ settings: { controls: controls({ sessionId: false, promptCaching: false }) } });
      const routing = {
        sort: 'throughput' as const,
        ignore: ['bargain'],
        allowFallbacks: false,
        denyDataCollection: true,
        zdr: true,
        maxPrice: { prompt: '5', completion: '20' },
      };
      const first = await send('route me', { model: 'anthropic/claude-sonnet-4', controls: { routing } });
      const second = await send('again', { conversationId: first.conversationId });
      const [a, b] = bodies(h);
      const expected = { sort: 'throughput', ignore: ['bargain'], allow_fallbacks: false, data_collection: 'deny', zdr: true, max_price: { prompt: 5, completion: 20 } };
      assert.deepEqual(a?.provider, expected);
      assert.deepEqual(b?.provider, expected, 'the next send in the conversation keeps its routing');
      // Fastlane is the only ZDR endpoint; its prices are 25% above the catalog's.
      assert.equal(chatRequests(h.fake)[0]?.servedProvider, 'Fastlane');
      assert.equal(first.metadata.provider, 'Fastlane');
      const gen = h.fake.generations().find((g) => g.id === first.generationId)!;
      assert.equal(first.cost?.usd, toDecimalString(usdFromNumber(gen.total_cost)!));
      assert.match(String(second.metadata.controls), /sort throughput · ignore bargain · no fallbacks · no data collection · ZDR · max \$5\/\$20 per 1M/);
      assert.equal(await storedTotal(h.store), toDecimalString(serverBilled(h.fake)));
    });

    it('orders and restricts providers, and a new conversation starts from the settings default', async () => {
      h = await chatHarness({ settings: { controls: controls({ routing: { sort: 'price' }, sessionId: false }) } });
      const bargain = await send('cheapest please');
      assert.deepEqual(bodies(h)[0]?.provider, { sort: 'price' });
      assert.equal(bargain.metadata.provider, 'Bargain');
      const ordered = await send('ordered', { controls: { routing: { order: ['fastlane', 'openai'], only: ['fastlane', 'openai'] } } });
      assert.deepEqual(bodies(h)[1]?.provider, { order: ['fastlane', 'openai'], only: ['fastlane', 'openai'] });
      assert.equal(ordered.metadata.provider, 'Fastlane');
    });

    it('reports a routing nobody can serve as a failure, not a silent reroute', async () => {
      h = await chatHarness();
      const reply = await send('nobody', { controls: { routing: { only: ['bargain'], zdr: true } } });
      assert.equal(reply.status, 'failed');
      assert.equal(chatRequests(h.fake)[0]?.status, 404);
    });
  });

  describe('prompt caching', () => {
    it('puts cache_control breakpoints on Anthropic system and user turns and records writes, then reads and the saving', async () => {
      h = await chatHarness({ settings: { systemPrompt: 'You are a careful assistant. '.repeat(40), controls: controls({ sessionId: false }) } });
      const first = await send('first question', { model: 'anthropic/claude-sonnet-4' });
      const second = await send('second question', { conversationId: first.conversationId });
      const [a, b] = bodies(h);
      const mark = { type: 'ephemeral' };
      assert.deepEqual(a?.messages[0], { role: 'system', content: [{ type: 'text', text: 'You are a careful assistant. '.repeat(40), cache_control: mark }] });
      assert.deepEqual(a?.messages[1], { role: 'user', content: [{ type: 'text', text: 'first question', cache_control: mark }] });
      // The previous user turn keeps its breakpoint so its prefix is read back.
      assert.deepEqual(b?.messages[1], { role: 'user', content: [{ type: 'text', text: 'first question', cache_control: mark }] });
      assert.equal(b?.messages[2]?.role, 'assistant');
      assert.equal(typeof b?.messages[2]?.content, 'string', 'no breakpoint on assistant turns');
      const c1 = first.metadata.cache as { readTokens: number; writeTokens: number; saving: string };
      const c2 = second.metadata.cache as { readTokens: number; writeTokens: number; saving: string };
      assert.equal(c1.readTokens, 0);
      assert.ok(c1.writeTokens > 0);
      assert.ok(c1.saving.startsWith('-'), 'a cache write costs more than the plain prompt');
      assert.ok(c2.readTokens >= c1.writeTokens);
      assert.ok(!c2.saving.startsWith('-') && c2.saving !== '0');
      assert.equal(second.cachedTokens, c2.readTokens);
      assert.equal(await storedTotal(h.store), toDecimalString(serverBilled(h.fake)));
    });

    it('marks only the last user turn for Gemini, and sends no breakpoints to OpenAI (automatic caching)', async () => {
      h = await chatHarness({ settings: { controls: controls({ sessionId: false }) } });
      const g = await send('gemini one', { model: 'google/gemini-2.5-flash' });
      await send('gemini two', { conversationId: g.conversationId });
      const gem = bodies(h)[1]!;
      assert.equal(typeof gem.messages[0]?.content, 'string');
      assert.deepEqual(gem.messages[2], { role: 'user', content: [{ type: 'text', text: 'gemini two', cache_control: { type: 'ephemeral' } }] });
      const long = 'long context '.repeat(400);
      const o = await send(long, { model: 'openai/gpt-4o-mini' });
      const o2 = await send('follow-up', { conversationId: o.conversationId });
      for (const body of bodies(h).slice(2)) assert.ok(body.messages.every((m) => typeof m.content === 'string'), 'OpenAI caches on its own');
      assert.ok((o2.cachedTokens ?? 0) >= 1024, 'the automatic cache read the long prefix back');
    });

    it('sends plain messages when prompt caching is turned off', async () => {
      h = await chatHarness({ settings: { controls: controls({ promptCaching: false }) } });
      await send('plain', { model: 'anthropic/claude-sonnet-4' });
      assert.ok(bodies(h)[0]!.messages.every((m) => typeof m.content === 'string'));
    });
  });

  describe('reasoning', () => {
    it('sends the chosen effort to a reasoning model and prices its reasoning tokens', async () => {
      h = await chatHarness();
      const high = await send('think hard', { model: 'deepseek/deepseek-r1', controls: { reasoning: { effort: 'high' } } });
      assert.deepEqual(bodies(h)[0]?.reasoning, { effort: 'high' });
      assert.ok((high.reasoningTokens ?? 0) > 0);
      assert.match(String(high.metadata.reasoning), /Finally I verify/);
      const none = await send('do not think', { conversationId: high.conversationId, controls: { reasoning: { effort: 'none' } } });
      assert.deepEqual(bodies(h)[1]?.reasoning, { effort: 'none' });
      assert.equal(none.reasoningTokens, 0);
      const budget = await send('think briefly', { conversationId: high.conversationId, controls: { reasoning: { maxTokens: 5 } } });
      assert.deepEqual(bodies(h)[2]?.reasoning, { max_tokens: 5 });
      assert.equal(budget.reasoningTokens, 5);
      assert.equal(await storedTotal(h.store), toDecimalString(serverBilled(h.fake)));
    });

    it('never sends reasoning to a model whose catalog entry does not list it', async () => {
      h = await chatHarness();
      await send('no reasoning here', { model: 'openai/gpt-4o-mini', controls: { reasoning: { effort: 'high' } } });
      assert.equal(bodies(h)[0]?.reasoning, undefined);
    });
  });

  describe('web search', () => {
    it('asks for web results on this send only, stores the citations and bills the results', async () => {
      h = await chatHarness({ settings: { controls: controls({ webSearchResults: 3 }) } });
      const web = await send('latest news', { controls: { webSearch: true } });
      const plain = await send('no search now', { conversationId: web.conversationId });
      const [a, b] = bodies(h);
      assert.deepEqual(a?.plugins, [{ id: 'web', max_results: 3 }]);
      assert.equal(b?.plugins, undefined);
      const citations = web.metadata.citations as Array<{ url: string; title?: string }>;
      assert.equal(citations.length, 3);
      assert.match(citations[0]!.url, /^https:\/\/example\.org\/search\/1\?q=latest/);
      assert.equal(plain.metadata.citations, undefined);
      const gen = h.fake.generations().find((g) => g.id === web.generationId)!;
      assert.equal(gen.num_search_results, 3);
      assert.equal(await storedTotal(h.store), toDecimalString(serverBilled(h.fake)));
    });

    it('counts the web results in the pre-flight budget check, even on a free model', async () => {
      h = await chatHarness({ limits: { session: usdFromNumber(0.01)! } });
      const refused = await h.engine.send({ text: 'search for free', model: 'meta-llama/llama-3.3-70b-instruct:free', controls: { webSearch: true } });
      assert.equal(refused.status, 'refused');
      assert.equal(refused.status === 'refused' && refused.reason, 'budget_confirm');
      assert.match(refused.status === 'refused' ? refused.message : '', /could cost up to \$0\.02/);
      const fine = await h.engine.send({ text: 'no search for free', model: 'meta-llama/llama-3.3-70b-instruct:free' });
      assert.equal(fine.status, 'started');
    });
  });

  describe('pre-flight estimate', () => {
    const catalog = parseCatalog(JSON.stringify(catalogResponse({ includeMalformed: false })));
    const claude = catalog.models.find((m) => m.id === 'anthropic/claude-sonnet-4')!;
    const fields = (webSearch: boolean) =>
      requestFields({ modelId: claude.id, model: claude, controls: { webSearch }, settings: DEFAULT_CONTROL_SETTINGS, conversationId: 'c' });

    it('expects the previous prompt to be read back while the cache is warm, for the same model only', () => {
      const previous = { promptTokens: 2000, createdAt: 1_000, modelId: claude.id };
      assert.equal(expectedCacheReads({ modelId: claude.id, promptCachingOn: true, previous, now: 60_000 }), 2000);
      assert.equal(expectedCacheReads({ modelId: claude.id, promptCachingOn: true, previous, now: 1_000 + 6 * 60_000 }), 0, 'expired');
      assert.equal(expectedCacheReads({ modelId: claude.id, promptCachingOn: false, previous, now: 60_000 }), 0, 'no breakpoints, no reads');
      assert.equal(expectedCacheReads({ modelId: 'openai/gpt-4o-mini', promptCachingOn: true, previous: { ...previous, modelId: 'openai/gpt-4o-mini', promptTokens: 500 }, now: 60_000 }), 0, 'below the automatic minimum');
    });

    it('prices expected reads at the cache-read price, new writes at the write premium and web results per result, exactly', () => {
      // 2000 prompt tokens, 1500 expected from cache: reads save (3 − 0.3) $/M × 1500,
      // the 500 new tokens cost (3.75 − 3) $/M more as writes; 5 web results × $0.004.
      const warm = preflightAdjustment({ model: claude, fields: fields(true), promptTokens: 2000, expectedCachedTokens: 1500 });
      assert.equal(toDecimalString(warm.webSearch), '0.02');
      assert.equal(toDecimalString(warm.adjustment), '0.016325'); // 0.02 − 0.00405 + 0.000375
      const cold = preflightAdjustment({ model: claude, fields: fields(false), promptTokens: 2000, expectedCachedTokens: 0 });
      assert.equal(toDecimalString(cold.adjustment), '0.0015'); // all 2000 written at the premium
    });
  });

  describe('preset and session id', () => {
    it('passes the preset slug and one stable session id per conversation', async () => {
      h = await chatHarness({ settings: { controls: controls({ preset: 'my-team-preset' }) } });
      const a1 = await send('one');
      await send('two', { conversationId: a1.conversationId });
      await send('elsewhere');
      const [x, y, z] = bodies(h);
      assert.equal(x?.preset, 'my-team-preset');
      assert.equal(x?.session_id, `nt-${a1.conversationId}`);
      assert.equal(y?.session_id, x?.session_id);
      assert.notEqual(z?.session_id, x?.session_id);
    });
  });
});
