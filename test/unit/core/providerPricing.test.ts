/**
 * Priced at the provider that serves, through the chat engine and the fake over HTTP: the
 * pre-flight estimate follows the routing's filters (zdr, max_price) to one provider and that
 * provider's prompt, completion and cache prices; the stored cache saving is computed at the
 * serving provider's cache prices (the fake lists per-provider cache prices that differ from
 * the catalog's, so a catalog-priced saving fails here); and the stored cost is what the fake billed.
 */
import { strict as assert } from 'node:assert';
import { DEFAULT_CONTROL_SETTINGS } from '../../../src/extension/core/routing';
import type { ModelEndpoint } from '../../../src/extension/openrouter/client';
import type { Price } from '../../../src/extension/openrouter/pricing';
import { toDecimalString, usd, usdFromNumber } from '../../../src/shared/money';
import type { StoredMessage } from '../../../src/extension/storage/types';
import { chatRequests } from '../openrouter/harness';
import { closeAfterEach, chatHarness, serverBilled, started, storedTotal, type ChatHarness } from './chatHarness';

const MODEL = 'anthropic/claude-sonnet-4';
const SYSTEM = 'You are a careful assistant who answers in full sentences. '.repeat(30);
const atto = (p: Price | undefined): bigint => (p?.kind === 'fixed' ? p.perUnit.atto : 0n);
const money = (a: bigint): string => toDecimalString(usd(a));

describe('Priced at the provider that serves (routing filters, cache prices)', function () {
  this.timeout(30_000);
  let h: ChatHarness;
  let fastlane: ModelEndpoint;
  let anthropic: ModelEndpoint;

  beforeEach(async () => {
    h = await chatHarness({ settings: { systemPrompt: SYSTEM, controls: { ...DEFAULT_CONTROL_SETTINGS, sessionId: false } } });
    const list = await h.endpoints.load(MODEL);
    fastlane = list.find((e) => e.tag === 'fastlane')!;
    anthropic = list.find((e) => e.tag === 'anthropic')!;
  });
  afterEach(closeAfterEach(() => h));

  async function send(text: string, extra: object): Promise<StoredMessage> {
    return started(await h.engine.send({ text, ...extra })).done;
  }

  it('stores the cache saving at the serving provider’s cache prices, and the bill agrees', async () => {
    const routing = { zdr: true };
    const first = await send('first question', { model: MODEL, controls: { routing } });
    const second = await send('second question', { conversationId: first.conversationId });
    assert.deepEqual(chatRequests(h.fake).map((r) => r.servedProvider), ['Fastlane', 'Fastlane'], 'only Fastlane is zero-data-retention');
    const c2 = second.metadata.cache as { readTokens: number; writeTokens: number; saving: string; cost: string; pricedAt: string };
    assert.ok(c2.readTokens > 0 && c2.writeTokens > 0, 'the first turn is read back and the new turn written');
    const [p, r, w] = [atto(fastlane.prompt), atto(fastlane.cacheRead), atto(fastlane.cacheWrite)];
    const read = BigInt(c2.readTokens);
    const write = BigInt(c2.writeTokens);
    assert.equal(c2.pricedAt, 'Fastlane');
    assert.equal(c2.cost, money(read * r + write * w));
    assert.equal(c2.saving, money(read * (p - r) - write * (w - p)));
    // The fake bills the reads at Fastlane's read price: its discount is the read part of our saving.
    const gen = h.fake.generations().find((g) => g.id === second.generationId)!;
    assert.equal(toDecimalString(usdFromNumber(gen.cache_discount!)!), money(read * (p - r)));
    // Guard: at the catalog's (= Anthropic's) cache prices the saving would differ.
    const [cp, cr, cw] = [atto(anthropic.prompt), atto(anthropic.cacheRead), atto(anthropic.cacheWrite)];
    assert.notEqual(c2.saving, money(read * (cp - cr) - write * (cw - cp)));
    assert.equal(second.cost?.usd, toDecimalString(usdFromNumber(gen.total_cost)!));
    assert.equal(await storedTotal(h.store), toDecimalString(serverBilled(h.fake)));
  });

  it('estimates before the send at the provider the routing filters leave, cache reads at its read price', async () => {
    const first = await send('first question', { model: MODEL, controls: { routing: { zdr: true } } });
    const promptTokens = 2000;
    const replyTokens = 500;
    const estimate = await h.engine.estimateSend({ conversationId: first.conversationId, modelId: MODEL, promptTokens, replyTokens, controls: undefined });
    assert.equal(estimate.provider, 'Fastlane', 'the conversation’s routing (zdr) is applied');
    assert.equal(estimate.noProvider, undefined);
    // The previous prompt was sent within the cache's lifetime: it is expected back at Fastlane's read
    // price; the rest is written at Fastlane's write price (Anthropic caches explicitly).
    const reads = BigInt(first.promptTokens!);
    const [p, c, r, w] = [atto(fastlane.prompt), atto(fastlane.completion), atto(fastlane.cacheRead), atto(fastlane.cacheWrite)];
    const expected = 2000n * p + 500n * c + reads * (r - p) + (2000n - reads) * (w - p);
    assert.equal(toDecimalString(estimate.usd!), money(expected));
  });

  it('says before the send when no provider meets the routing, and OpenRouter then refuses it', async () => {
    const none = await h.engine.estimateSend({ conversationId: undefined, modelId: MODEL, promptTokens: 100, replyTokens: 100, controls: { routing: { zdr: true, maxPrice: { prompt: '3' } } } });
    assert.equal(none.noProvider, 'max price $3 / $∞ per 1M');
    const cheap = await h.engine.estimateSend({ conversationId: undefined, modelId: MODEL, promptTokens: 1000, replyTokens: 1000, controls: { routing: { maxPrice: { prompt: '2' } } } });
    assert.equal(cheap.provider, 'Bargain', 'max price leaves only Bargain');
    assert.equal(toDecimalString(cheap.usd!), '0.0108');
    const reply = await send('nobody', { model: MODEL, controls: { routing: { zdr: true, maxPrice: { prompt: '3' } } } });
    assert.equal(reply.status, 'failed');
    assert.equal(chatRequests(h.fake)[0]?.status, 404);
  });
});
