/**
 * Catalog prices as the chat engine uses them: exact per-token USD, "free", or
 * "variable" (routers such as openrouter/auto publish "-1": never computed with).
 * No `vscode` import.
 */
import { add, isZero, parseUsd, times, type Usd } from './money';

export type Price = { kind: 'fixed'; perToken: Usd } | { kind: 'variable' };

export interface ModelPrices {
  prompt: Price;
  completion: Price;
  /** Per-request fee, when the model has one. */
  request?: Price;
}

/** Parses one catalog price string; "-1" (or any negative) means variable. */
export function priceFromText(text: string | null | undefined): Price | undefined {
  if (text === null || text === undefined) return undefined;
  const value = parseUsd(text);
  if (!value) return undefined;
  return value.atto < 0n ? { kind: 'variable' } : { kind: 'fixed', perToken: value };
}

export function isFree(prices: ModelPrices): boolean {
  const zero = (p: Price | undefined) => p === undefined || (p.kind === 'fixed' && isZero(p.perToken));
  return zero(prices.prompt) && zero(prices.completion) && zero(prices.request);
}

/**
 * Catalog price × tokens. Undefined when any part is variable: an estimate we cannot
 * make is shown as "varies", never as a wrong number.
 */
export function estimateCost(prices: ModelPrices, promptTokens: number, completionTokens: number): Usd | undefined {
  if (prices.prompt.kind === 'variable' || prices.completion.kind === 'variable') return undefined;
  if (prices.request?.kind === 'variable') return undefined;
  let total = add(times(prices.prompt.perToken, promptTokens), times(prices.completion.perToken, completionTokens));
  if (prices.request?.kind === 'fixed') total = add(total, prices.request.perToken);
  return total;
}
