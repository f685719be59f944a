/**
 * Model prices as exact values: OpenRouter's per-token USD strings become
 * `Usd` (never divided by 1000, never a float), `"-1"` becomes "variable" and is
 * never computed with. Also the pre-usage estimate (catalog price × tokens) that
 * `usage.cost` replaces when it arrives. No `vscode` import.
 */
import { add, formatUsd, isZero, parseUsd, perMillion, times, ZERO, type Usd } from '../../shared/money';

/** USD per unit (token, request, image…); `variable` for routers whose price depends on the model chosen. */
export type Price = { readonly kind: 'fixed'; readonly perUnit: Usd } | { readonly kind: 'variable' };

export const VARIABLE: Price = { kind: 'variable' };

/** `"0.000003"` → fixed 3e-6 USD, `"0"` → fixed zero (free), `"-1"` → variable; anything else → undefined. */
export function parsePrice(text: string): Price | undefined {
  if (text.trim() === '-1') return VARIABLE;
  const value = parseUsd(text);
  if (!value || value.atto < 0n) return undefined;
  return { kind: 'fixed', perUnit: value };
}

export function isFree(price: Price): boolean {
  return price.kind === 'fixed' && isZero(price.perUnit);
}

/** A model costs nothing when prompt, completion and any per-request fee are all free. */
export function isFreeModel(pricing: Pick<ModelPricing, 'prompt' | 'completion' | 'request'>): boolean {
  return isFree(pricing.prompt) && isFree(pricing.completion) && (!pricing.request || isFree(pricing.request));
}

/** "$3.00 / 1M", "free", "varies" — display only. */
export function formatPerMillion(price: Price, decimals = 2): string {
  if (price.kind === 'variable') return 'varies';
  if (isZero(price.perUnit)) return 'free';
  return `${formatUsd(perMillion(price.perUnit), decimals)} / 1M`;
}

export interface ModelPricing {
  readonly prompt: Price;
  readonly completion: Price;
  readonly request: Price | undefined;
  readonly image: Price | undefined;
  readonly webSearch: Price | undefined;
  readonly internalReasoning: Price | undefined;
  readonly inputCacheRead: Price | undefined;
  readonly inputCacheWrite: Price | undefined;
}

export interface TokenCounts {
  /** Includes cached tokens, as `usage.prompt_tokens` does. */
  readonly promptTokens: number;
  /** Includes reasoning tokens, as `usage.completion_tokens` does. */
  readonly completionTokens: number;
  readonly cachedTokens?: number;
}

export type CostEstimate = { readonly kind: 'estimate'; readonly usd: Usd } | { readonly kind: 'variable' };

/**
 * Catalog price × tokens, for display until `usage.cost` arrives. Cached prompt
 * tokens are charged at the cache-read price when the model has one; they are a
 * part of `promptTokens`, never added on top. Only `usage.cost` knows the real
 * figure (providers behind one id differ), hence "estimate".
 */
export function estimateCost(pricing: ModelPricing, tokens: TokenCounts): CostEstimate {
  const cached = Math.min(tokens.cachedTokens ?? 0, tokens.promptTokens);
  const cacheRead = pricing.inputCacheRead;
  const parts: Array<[Price | undefined, number]> = [
    [pricing.prompt, cacheRead ? tokens.promptTokens - cached : tokens.promptTokens],
    [pricing.completion, tokens.completionTokens],
    [pricing.request, 1],
  ];
  if (cacheRead) parts.push([cacheRead, cached]);
  let total = ZERO;
  for (const [price, count] of parts) {
    if (!price || count === 0) continue;
    if (price.kind === 'variable') return VARIABLE_ESTIMATE;
    total = add(total, times(price.perUnit, count));
  }
  return { kind: 'estimate', usd: total };
}

const VARIABLE_ESTIMATE: CostEstimate = { kind: 'variable' };
