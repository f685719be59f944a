/**
 * Which provider's prices a send will be billed at, as far as the routing says before
 * the send: the first `order` slug that `only`/`ignore` leave in, else with `sort: price`
 * the cheapest remaining provider, else the catalog's price (OpenRouter balances between
 * providers itself). Providers differ in price, so the pre-flight estimate and the budget
 * check price the provider the request will go to first. No `vscode` import.
 */
import type { ModelPricing, Price } from '../openrouter/pricing';
import type { Routing } from './routing';

/** One provider behind a model with its own prices (the endpoints API). */
export interface ProviderPrice {
  readonly tag: string;
  readonly prompt: Price;
  readonly completion: Price;
}

const sameSlug = (p: ProviderPrice, slug: string): boolean => p.tag.toLowerCase() === slug.toLowerCase();

/** The provider routing would try first, when the routing and the known providers decide it. */
export function firstProvider(providers: readonly ProviderPrice[] | undefined, routing: Routing | undefined): ProviderPrice | undefined {
  if (!providers?.length || !routing) return undefined;
  let candidates = providers.filter((p) => !(routing.ignore ?? []).some((s) => sameSlug(p, s)));
  if (routing.only?.length) candidates = candidates.filter((p) => routing.only!.some((s) => sameSlug(p, s)));
  for (const slug of routing.order ?? []) {
    const hit = candidates.find((p) => sameSlug(p, slug));
    if (hit) return hit;
  }
  if (routing.sort === 'price') {
    const fixed = candidates.filter((p) => p.prompt.kind === 'fixed' && p.completion.kind === 'fixed');
    const total = (p: ProviderPrice): bigint => (p.prompt.kind === 'fixed' ? p.prompt.perUnit.atto : 0n) + (p.completion.kind === 'fixed' ? p.completion.perUnit.atto : 0n);
    return fixed.reduce<ProviderPrice | undefined>((best, p) => (!best || total(p) < total(best) ? p : best), undefined);
  }
  // `only` with a single provider decides it too.
  return routing.only?.length === 1 ? candidates[0] : undefined;
}

/** The model's pricing with the first provider's prompt and completion prices, when routing decides one. */
export function routedPricing(pricing: ModelPricing, providers: readonly ProviderPrice[] | undefined, routing: Routing | undefined): ModelPricing {
  const first = firstProvider(providers, routing);
  return first ? { ...pricing, prompt: first.prompt, completion: first.completion } : pricing;
}
