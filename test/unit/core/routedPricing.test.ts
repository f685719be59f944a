/**
 * Which provider's prices a send is estimated at: the routing's filters and first choice
 * among the model's providers as the fake's endpoints API lists them (real HTTP, with the
 * zero-data-retention list), else the catalog price — and the cache prices that come with it.
 * The fake's providers (test/fixtures/fake-openrouter/endpoints.ts): Anthropic at catalog
 * prices ($3 / $15 per 1M, cache read $0.30, write $3.75); Fastlane 25% dearer with cache
 * reads at half the catalog's, ZDR, fastest; Bargain 40% cheaper with no cache prices.
 */
import assert from 'node:assert/strict';
import { firstProvider, pickProvider, routeForEstimate, routedPricing, servedPricing } from '../../../src/extension/core/routedPricing';
import { cacheFigures } from '../../../src/extension/core/billing';
import { parseCatalog } from '../../../src/extension/openrouter/catalog';
import { EndpointCache } from '../../../src/extension/openrouter/endpointCache';
import { estimateCost, type Price } from '../../../src/extension/openrouter/pricing';
import type { ModelEndpoint } from '../../../src/extension/openrouter/client';
import { toDecimalString } from '../../../src/shared/money';
import { startFakeOpenRouter, type FakeServer } from '../../fixtures/fakeOpenRouter';
import { makeClient } from '../openrouter/harness';

const MODEL = 'anthropic/claude-sonnet-4';
const text = (p: Price | undefined): string => (p?.kind === 'fixed' ? toDecimalString(p.perUnit) : String(p?.kind));

describe('Pricing a send at the provider routing picks', () => {
  let fake: FakeServer;
  let providers: readonly ModelEndpoint[];
  let catalogPricing: ReturnType<typeof parseCatalog>['models'][number]['pricing'];
  before(async () => {
    fake = await startFakeOpenRouter({ latencyScale: 0 });
    const { client } = makeClient(fake);
    providers = await new EndpointCache(client).load(MODEL);
    catalogPricing = parseCatalog(await client.fetchModelsText()).models.find((m) => m.id === MODEL)!.pricing;
  });
  after(() => fake.close());

  const cost = (routing: Parameters<typeof routedPricing>[2]) => {
    const e = estimateCost(routedPricing(catalogPricing, providers, routing), { promptTokens: 1000, completionTokens: 1000 });
    return e.kind === 'estimate' ? toDecimalString(e.usd) : 'varies';
  };

  it('reads each provider’s own prices, cache prices included, and which are zero-data-retention', () => {
    assert.deepEqual(
      providers.map((p) => [p.tag, text(p.prompt), text(p.cacheRead), text(p.cacheWrite), p.zdr]),
      [
        ['anthropic', '0.000003', '0.0000003', '0.00000375', false],
        ['fastlane', '0.00000375', '0.00000015', '0.0000046875', true],
        ['bargain', '0.0000018', 'undefined', 'undefined', false],
      ],
    );
    assert.ok(fake.requests.some((r) => r.path === '/api/v1/endpoints/zdr'), 'the ZDR list came from /endpoints/zdr');
  });

  it('uses the first `order` provider that `only` and `ignore` leave in', () => {
    assert.equal(firstProvider(providers, { order: ['fastlane'] })?.tag, 'fastlane');
    assert.equal(firstProvider(providers, { order: ['fastlane', 'bargain'], ignore: ['fastlane'] })?.tag, 'bargain');
    assert.equal(firstProvider(providers, { order: ['fastlane'], only: ['anthropic'] })?.tag, 'anthropic', 'an order slug outside only is skipped');
    assert.equal(firstProvider(providers, { only: ['Bargain'] })?.tag, 'bargain', 'a single `only` decides it, slugs compared without case');
  });

  it('ranks by price, throughput or latency as the endpoints API reports them; the catalog price when routing does not decide', () => {
    assert.equal(firstProvider(providers, { sort: 'price' })?.tag, 'bargain');
    assert.equal(firstProvider(providers, { sort: 'throughput' })?.tag, 'fastlane');
    assert.equal(firstProvider(providers, { sort: 'latency' })?.tag, 'fastlane');
    assert.equal(firstProvider(undefined, { order: ['fastlane'] }), undefined, 'providers not known yet');
    assert.equal(cost(undefined), '0.018');
    assert.equal(cost({ allowFallbacks: true }), '0.018', 'nothing filtered, nothing ranked: the catalog price');
    assert.equal(cost({ order: ['fastlane'] }), '0.0225');
    assert.equal(cost({ sort: 'price' }), '0.0108');
  });

  it('applies zdr, max_price and order-without-fallbacks before picking, as OpenRouter filters', () => {
    assert.equal(firstProvider(providers, { zdr: true })?.tag, 'fastlane', 'only Fastlane is on the ZDR list');
    assert.equal(firstProvider(providers, { zdr: true, sort: 'price' })?.tag, 'fastlane', 'sort by price cannot pick a non-ZDR provider');
    // $3.5 per 1M prompt rules Fastlane ($3.75) out: sort by throughput then picks Anthropic (60) over Bargain (20).
    assert.equal(firstProvider(providers, { maxPrice: { prompt: '3.5' }, sort: 'throughput' })?.tag, 'anthropic');
    assert.equal(firstProvider(providers, { maxPrice: { prompt: '2', completion: '10' } })?.tag, 'bargain', 'the one survivor decides it');
    assert.equal(cost({ maxPrice: { completion: '15' } }), '0.018', 'Anthropic and Bargain left, unranked: the dearer one (never promise less)');
    assert.deepEqual(pickProvider(providers, { zdr: true, maxPrice: { prompt: '3' } }), { kind: 'none', why: 'max price $3 / $∞ per 1M' });
    assert.deepEqual(pickProvider(providers, { order: ['bargain'], allowFallbacks: false, zdr: true }), { kind: 'none', why: 'order bargain without fallbacks' });
    assert.equal(routeForEstimate(catalogPricing, providers, { only: ['nobody'] }).noProvider, 'only nobody');
  });

  it('a ZDR list that cannot be read leaves every provider in (OpenRouter decides)', async () => {
    const { client } = makeClient(fake);
    const offline = new EndpointCache({ getEndpoints: (id) => client.getEndpoints(id), getZdrEndpoints: () => Promise.reject(new Error('offline')) });
    const list = await offline.load(MODEL);
    assert.deepEqual(list.map((p) => p.zdr), [undefined, undefined, undefined]);
    assert.equal(pickProvider(list, { zdr: true })?.kind, 'open');
  });

  it('prices cache reads and writes at the routed or serving provider, never the catalog’s', () => {
    const at = (routing: Parameters<typeof routedPricing>[2]) => routedPricing(catalogPricing, providers, routing);
    assert.equal(text(at({ order: ['fastlane'] }).inputCacheRead), '0.00000015');
    assert.equal(at({ order: ['bargain'] }).inputCacheRead, undefined, 'Bargain lists no cache price');
    // 1000 read + 100 written. Catalog: saving 1000×(3−0.3)/1M − 100×(3.75−3)/1M = 0.0027 − 0.000075.
    const saving = (served: string) => {
      const s = servedPricing(catalogPricing, providers, served);
      const c = cacheFigures(s.pricing, 1000, 100, s.provider?.name);
      return [toDecimalString(c!.saving), c!.pricedAt];
    };
    assert.deepEqual(saving('Anthropic'), ['0.002625', 'Anthropic']);
    // Fastlane: 1000×(3.75−0.15)/1M − 100×(4.6875−3.75)/1M = 0.0036 − 0.00009375.
    assert.deepEqual(saving('Fastlane'), ['0.00350625', 'Fastlane']);
    assert.deepEqual(saving('Bargain'), ['0', 'Bargain'], 'no cache price: no saving');
    assert.deepEqual(saving('Unknown Provider'), ['0.002625', undefined], 'an unknown provider falls back to the catalog');
  });
});
