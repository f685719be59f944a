/**
 * Which provider's prices a send is estimated at: the routing's first choice among the
 * model's providers as the fake's endpoints API lists them (real HTTP), else the catalog price.
 */
import assert from 'node:assert/strict';
import { firstProvider, routedPricing } from '../../../src/extension/core/routedPricing';
import { parseCatalog } from '../../../src/extension/openrouter/catalog';
import { estimateCost } from '../../../src/extension/openrouter/pricing';
import type { ModelEndpoint } from '../../../src/extension/openrouter/client';
import { toDecimalString } from '../../../src/shared/money';
import { startFakeOpenRouter, type FakeServer } from '../../fixtures/fakeOpenRouter';
import { makeClient } from '../openrouter/harness';

describe('Pricing a send at the provider routing picks', () => {
  let fake: FakeServer;
  let providers: ModelEndpoint[];
  let catalogPricing: ReturnType<typeof parseCatalog>['models'][number]['pricing'];
  before(async () => {
    fake = await startFakeOpenRouter({ latencyScale: 0 });
    const { client } = makeClient(fake);
    providers = await client.getEndpoints('anthropic/claude-sonnet-4');
    catalogPricing = parseCatalog(await client.fetchModelsText()).models.find((m) => m.id === 'anthropic/claude-sonnet-4')!.pricing;
  });
  after(() => fake.close());

  const cost = (routing: Parameters<typeof routedPricing>[2]) => {
    const e = estimateCost(routedPricing(catalogPricing, providers, routing), { promptTokens: 1000, completionTokens: 1000 });
    return e.kind === 'estimate' ? toDecimalString(e.usd) : 'varies';
  };

  it('uses the first `order` provider that `only` and `ignore` leave in', () => {
    assert.deepEqual(providers.map((p) => p.tag), ['anthropic', 'fastlane', 'bargain']);
    assert.equal(firstProvider(providers, { order: ['fastlane'] })?.tag, 'fastlane');
    assert.equal(firstProvider(providers, { order: ['fastlane', 'bargain'], ignore: ['fastlane'] })?.tag, 'bargain');
    assert.equal(firstProvider(providers, { order: ['fastlane'], only: ['anthropic'] })?.tag, 'anthropic', 'an order slug outside only is skipped');
    assert.equal(firstProvider(providers, { only: ['Bargain'] })?.tag, 'bargain', 'a single `only` decides it, slugs compared without case');
  });

  it('takes the cheapest provider for sort by price, and the catalog price when routing does not decide', () => {
    assert.equal(firstProvider(providers, { sort: 'price' })?.tag, 'bargain');
    assert.equal(firstProvider(providers, { sort: 'throughput' }), undefined);
    assert.equal(firstProvider(undefined, { order: ['fastlane'] }), undefined, 'providers not known yet');
    // Catalog: $3 / $15 per million; Fastlane 25% dearer, Bargain 40% cheaper (the fake's endpoints).
    assert.equal(cost(undefined), '0.018');
    assert.equal(cost({ order: ['fastlane'] }), '0.0225');
    assert.equal(cost({ sort: 'price' }), '0.0108');
  });
});
