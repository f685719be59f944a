/**
 * Which provider's prices a send will be billed at, as far as the routing says before the
 * send. The model's providers (the endpoints API) are filtered the way OpenRouter filters
 * them — `ignore`, `only`, `zdr`, `max_price`, and `order` without fallbacks — then the
 * first `order` slug left, else `sort`'s best, else a lone survivor decides it. When the
 * routing leaves several and does not rank them, OpenRouter balances between them itself:
 * the estimate takes the catalog price when nothing was filtered out, else the dearest one
 * left (never promising less than it may cost). None left: the send would be refused.
 * The rules are written down in docs/openrouter.md ("How the estimate picks a provider").
 * No `vscode` import.
 */
import type { ModelPricing, Price } from '../openrouter/pricing';
import { parseUsd, perMillion } from '../../shared/money';
import type { Routing } from './routing';

/** One provider behind a model with its own prices (the endpoints API). */
export interface ProviderPrice {
  readonly tag: string;
  readonly name?: string;
  readonly prompt: Price;
  readonly completion: Price;
  /** Its own cache prices; absent = it lists none (cached tokens then cost the prompt price). */
  readonly cacheRead?: Price;
  readonly cacheWrite?: Price;
  /** On OpenRouter's zero-data-retention list; undefined = unknown. */
  readonly zdr?: boolean;
  readonly latencyP50?: number;
  readonly throughputP50?: number;
}

export type ProviderPick =
  | { readonly kind: 'provider'; readonly provider: ProviderPrice }
  /** Several providers may serve and the routing does not rank them. */
  | { readonly kind: 'open'; readonly candidates: readonly ProviderPrice[]; readonly filtered: boolean }
  /** No provider meets the routing; `why` names the rules that emptied the list. */
  | { readonly kind: 'none'; readonly why: string };

const sameSlug = (p: ProviderPrice, slug: string): boolean => {
  const s = slug.toLowerCase();
  return p.tag.toLowerCase() === s || p.name?.toLowerCase() === s;
};

const fixed = (p: Price): bigint | undefined => (p.kind === 'fixed' ? p.perUnit.atto : undefined);
const total = (p: ProviderPrice): bigint => (fixed(p.prompt) ?? 0n) + (fixed(p.completion) ?? 0n);

/** Within `max` USD per million tokens (a variable price cannot be checked, so it is kept). */
function within(price: Price, max: string | undefined): boolean {
  if (max === undefined || price.kind !== 'fixed') return true;
  const limit = parseUsd(max);
  return !limit || perMillion(price.perUnit).atto <= limit.atto;
}

/** The providers the routing leaves, with the name of the rule that removed the last ones. */
function filtered(providers: readonly ProviderPrice[], routing: Routing): { list: ProviderPrice[]; emptiedBy: string | undefined } {
  let list = [...providers];
  let emptiedBy: string | undefined;
  const keep = (rule: string, test: (p: ProviderPrice) => boolean): void => {
    if (!list.length) return;
    list = list.filter(test);
    if (!list.length) emptiedBy = rule;
  };
  if (routing.ignore?.length) keep(`ignore ${routing.ignore.join(', ')}`, (p) => !routing.ignore!.some((s) => sameSlug(p, s)));
  if (routing.only?.length) keep(`only ${routing.only.join(', ')}`, (p) => routing.only!.some((s) => sameSlug(p, s)));
  // Unknown ZDR status (the list could not be read) is kept: OpenRouter decides.
  if (routing.zdr) keep('zero data retention', (p) => p.zdr !== false);
  const max = routing.maxPrice;
  if (max) {
    keep(
      `max price $${max.prompt ?? '∞'} / $${max.completion ?? '∞'} per 1M`,
      (p) => within(p.prompt, max.prompt) && within(p.completion, max.completion),
    );
  }
  if (routing.order?.length && routing.allowFallbacks === false) keep(`order ${routing.order.join(' > ')} without fallbacks`, (p) => routing.order!.some((s) => sameSlug(p, s)));
  return { list, emptiedBy };
}

function best(list: readonly ProviderPrice[], score: (p: ProviderPrice) => number | bigint | undefined, lowest: boolean): ProviderPrice | undefined {
  let top: ProviderPrice | undefined;
  let topScore: number | bigint | undefined;
  for (const p of list) {
    const s = score(p);
    if (s === undefined) continue;
    if (topScore === undefined || (lowest ? s < topScore : s > topScore)) [top, topScore] = [p, s];
  }
  return top;
}

/** The provider routing would try first, or why none / which ones may serve. */
export function pickProvider(providers: readonly ProviderPrice[] | undefined, routing: Routing | undefined): ProviderPick | undefined {
  if (!providers?.length || !routing) return undefined;
  const { list, emptiedBy } = filtered(providers, routing);
  if (!list.length) return { kind: 'none', why: emptiedBy ?? 'routing' };
  for (const slug of routing.order ?? []) {
    const hit = list.find((p) => sameSlug(p, slug));
    if (hit) return { kind: 'provider', provider: hit };
  }
  const sorted =
    routing.sort === 'price'
      ? best(list.filter((p) => p.prompt.kind === 'fixed' && p.completion.kind === 'fixed'), total, true)
      : routing.sort === 'throughput'
        ? best(list, (p) => p.throughputP50, false)
        : routing.sort === 'latency'
          ? best(list, (p) => p.latencyP50, true)
          : undefined;
  if (sorted) return { kind: 'provider', provider: sorted };
  if (list.length === 1) return { kind: 'provider', provider: list[0]! };
  return { kind: 'open', candidates: list, filtered: list.length < providers.length };
}

/** The provider routing would try first, when the routing and the known providers decide it. */
export function firstProvider(providers: readonly ProviderPrice[] | undefined, routing: Routing | undefined): ProviderPrice | undefined {
  const pick = pickProvider(providers, routing);
  return pick?.kind === 'provider' ? pick.provider : undefined;
}

/** The model's pricing as one provider bills it: its prompt, completion and cache prices. */
export function providerPricing(pricing: ModelPricing, p: ProviderPrice): ModelPricing {
  return { ...pricing, prompt: p.prompt, completion: p.completion, inputCacheRead: p.cacheRead, inputCacheWrite: p.cacheWrite };
}

export interface RoutedPricing {
  readonly pricing: ModelPricing;
  /** The provider the send is priced at, when the routing picks one (or the estimate had to assume one). */
  readonly provider: ProviderPrice | undefined;
  /** Set when no provider meets the routing: the send would be refused. */
  readonly noProvider: string | undefined;
}

/** The pricing a send is estimated at, and at which provider; see the module comment for the rule. */
export function routeForEstimate(pricing: ModelPricing, providers: readonly ProviderPrice[] | undefined, routing: Routing | undefined): RoutedPricing {
  const pick = pickProvider(providers, routing);
  if (!pick) return { pricing, provider: undefined, noProvider: undefined };
  if (pick.kind === 'none') return { pricing, provider: undefined, noProvider: pick.why };
  if (pick.kind === 'provider') return { pricing: providerPricing(pricing, pick.provider), provider: pick.provider, noProvider: undefined };
  if (!pick.filtered) return { pricing, provider: undefined, noProvider: undefined };
  // Some providers were ruled out and OpenRouter balances among the rest: assume the dearest.
  const dearest = best(pick.candidates, (p) => (p.prompt.kind === 'fixed' && p.completion.kind === 'fixed' ? total(p) : undefined), false);
  return dearest ? { pricing: providerPricing(pricing, dearest), provider: dearest, noProvider: undefined } : { pricing, provider: undefined, noProvider: undefined };
}

/** The model's pricing at the provider routing picks (see `routeForEstimate`). */
export function routedPricing(pricing: ModelPricing, providers: readonly ProviderPrice[] | undefined, routing: Routing | undefined): ModelPricing {
  return routeForEstimate(pricing, providers, routing).pricing;
}

/** The pricing of the provider that served a reply (named in the stream), when its prices are known. */
export function servedPricing(pricing: ModelPricing, providers: readonly ProviderPrice[] | undefined, served: string | undefined): { pricing: ModelPricing; provider: ProviderPrice | undefined } {
  const p = served ? providers?.find((e) => sameSlug(e, served)) : undefined;
  return p ? { pricing: providerPricing(pricing, p), provider: p } : { pricing, provider: undefined };
}
