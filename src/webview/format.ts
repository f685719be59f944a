/**
 * Display formatting for the research terminal: money, token counts, durations, clock times.
 * Money arrives as exact decimal strings ("0.0123"); it is compared, rounded and divided by
 * the one decimal engine, src/shared/money.ts, so sums and ratios never pick up binary
 * floating-point error. No DOM, no host.
 */
import { clockTime } from '../shared/plainText';
import { compareDecimalText, formatBudget, formatCost, isZero, parseUsd, ratioBasisPointsText } from '../shared/money';

/** Compares two decimal strings; unparsable values sort last. */
export function compareDecimal(a: string, b: string): number {
  return compareDecimalText(a, b);
}

/** `part / whole` in basis points (1% = 100), floored; undefined when `whole` is not positive. */
export function ratioBasisPoints(part: string, whole: string): number | undefined {
  return ratioBasisPointsText(part, whole);
}

/** The shared cost format (`formatCost`) for a decimal string; "$?" when it is not a number. */
export function formatUsd(text: string): string {
  const amount = parseUsd(text);
  return amount ? formatCost(amount) : '$?';
}

/** A budget or balance: like formatUsd, without trailing zeros past the cents ("$1.00", "$4.205"). */
export function formatAmount(text: string): string {
  const amount = parseUsd(text);
  return amount ? formatBudget(amount) : '$?';
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "12,345". */
export function formatCount(n: number): string {
  return integer.format(n);
}

/** "812", "12.3k", "1.2M": for the one-line strip, where width is scarce. */
export function formatCompact(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** "340 ms", "1.9 s", "2m 05s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

/** "14:02:11", local time, 24 h (a log, not a chat): the shared clock format. */
export function formatClock(epochMs: number): string {
  return clockTime(epochMs, true);
}

/** "2026-11-25 14:02" for the archive list. */
export function formatDate(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** "42 tok/s". */
export function formatRate(tokensPerSecond: number): string {
  return `${tokensPerSecond < 10 ? tokensPerSecond.toFixed(1) : Math.round(tokensPerSecond)} tok/s`;
}

/** "42.1%" from basis points. */
export function formatPercent(basisPoints: number): string {
  return `${(basisPoints / 100).toFixed(basisPoints < 1000 ? 1 : 0)}%`;
}

/** A price per million tokens: "$3.00", "free" for zero. */
export function formatPerMillion(text: string): string {
  const d = parseUsd(text);
  if (!d) return '?';
  if (isZero(d)) return 'free';
  return formatAmount(text);
}
