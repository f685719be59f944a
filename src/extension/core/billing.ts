/**
 * What one reply was billed, split by who bills it, and what prompt caching
 * saved. On a bring-your-own-key (BYOK) route OpenRouter's `usage.cost` is only
 * its fee; the provider charges the user's own account the
 * `upstream_inference_cost`. The message's cost (and every budget) is the sum;
 * the parts are kept beside it, exact, with their source, so the entry and the
 * usage report can show them apart. No `vscode` import.
 */
import type { ModelPricing } from '../openrouter/pricing';
import type { JsonObject } from '../storage/types';
import { ZERO, add, parseUsd, sub, times, toDecimalString, type Usd } from '../../shared/money';

export type BillSource = 'usage' | 'generation';

export interface Bill {
  /** fee + upstream: what this reply cost the user in all. */
  readonly total: Usd;
  /** OpenRouter's charge (`usage.cost` / `total_cost`). */
  readonly fee: Usd;
  /** The provider's own charge on a BYOK route; undefined otherwise. */
  readonly upstream: Usd | undefined;
  readonly byok: boolean;
  readonly source: BillSource;
}

export function billOf(args: { cost: Usd; upstreamCost: Usd | undefined; byok: boolean; source: BillSource }): Bill {
  const upstream = args.upstreamCost;
  return {
    total: upstream ? add(args.cost, upstream) : args.cost,
    fee: args.cost,
    upstream,
    byok: args.byok || upstream !== undefined,
    source: args.source,
  };
}

/** Stored under `metadata.billing`; only when a second party billed (BYOK), so plain replies stay plain. */
export function billingMetadata(bill: Bill): JsonObject | undefined {
  if (!bill.byok) return undefined;
  return {
    fee: toDecimalString(bill.fee),
    upstream: toDecimalString(bill.upstream ?? ZERO),
    source: bill.source,
  };
}

/** The split as stored, read back; undefined for a reply without one (or a corrupt one). */
export function readBilling(metadata: JsonObject): { fee: Usd; upstream: Usd } | undefined {
  const b = metadata['billing'];
  if (typeof b !== 'object' || b === null || Array.isArray(b)) return undefined;
  const fee = typeof b['fee'] === 'string' ? parseUsd(b['fee']) : undefined;
  const upstream = typeof b['upstream'] === 'string' ? parseUsd(b['upstream']) : undefined;
  return fee && upstream ? { fee, upstream } : undefined;
}

export interface CacheFigures {
  readonly readTokens: number;
  readonly writeTokens: number;
  /** Price of the cache reads and writes themselves, at `pricedAt`'s prices. */
  readonly cost: Usd;
  /** The provider whose cache prices these are; undefined = the catalog's. */
  readonly pricedAt: string | undefined;
  /** What the same prompt would have cost uncached, minus what the cache reads and writes cost. Negative when writes outweigh reads. */
  readonly saving: Usd;
}

/**
 * Cache reads are billed at `input_cache_read` instead of the prompt price and
 * writes at `input_cache_write` (dearer on explicit-cache families), at the prices of
 * the provider that served (`pricing` is that provider's when known). Without a
 * catalog price for a part, that part is taken at the prompt price (no saving, no
 * premium). Undefined when nothing touched the cache or prices are variable.
 */
export function cacheFigures(pricing: ModelPricing | undefined, readTokens: number, writeTokens: number, pricedAt?: string): CacheFigures | undefined {
  if (!pricing || (readTokens <= 0 && writeTokens <= 0)) return undefined;
  if (pricing.prompt.kind !== 'fixed') return undefined;
  const prompt = pricing.prompt.perUnit;
  const readPrice = pricing.inputCacheRead?.kind === 'fixed' ? pricing.inputCacheRead.perUnit : prompt;
  const writePrice = pricing.inputCacheWrite?.kind === 'fixed' ? pricing.inputCacheWrite.perUnit : prompt;
  const cost = add(times(readPrice, readTokens), times(writePrice, writeTokens));
  const uncached = times(prompt, readTokens + writeTokens);
  return { readTokens, writeTokens, cost, saving: sub(uncached, cost), pricedAt };
}

/** Stored under `metadata.cache`. */
export function cacheMetadata(c: CacheFigures): JsonObject {
  return {
    readTokens: c.readTokens,
    writeTokens: c.writeTokens,
    cost: toDecimalString(c.cost),
    saving: toDecimalString(c.saving),
    ...(c.pricedAt ? { pricedAt: c.pricedAt } : {}),
  };
}
