/**
 * Display formatting for the research terminal: money, token counts, durations, clock times.
 * Money arrives as exact decimal strings ("0.0123"); it is compared, rounded and divided with
 * BigInt so sums and ratios never pick up binary floating-point error. No DOM, no host.
 */

/** An exact decimal: `units / 10^scale`. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Parses an exact decimal string; anything else is undefined (never NaN). */
export function parseDecimal(text: string): Decimal | undefined {
  const m = DECIMAL.exec(text.trim());
  if (!m) return undefined;
  const [, sign = '', whole = '0', fraction = ''] = m;
  const units = BigInt(whole + fraction) * (sign === '-' ? -1n : 1n);
  return { units, scale: fraction.length };
}

function rescale(d: Decimal, scale: number): bigint {
  return d.units * 10n ** BigInt(scale - d.scale);
}

/** Compares two decimal strings; unparsable values sort last. */
export function compareDecimal(a: string, b: string): number {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (!x || !y) return x ? -1 : y ? 1 : 0;
  const scale = Math.max(x.scale, y.scale);
  const diff = rescale(x, scale) - rescale(y, scale);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/** `part / whole` in basis points (1% = 100), floored; undefined when `whole` is not positive. */
export function ratioBasisPoints(part: string, whole: string): number | undefined {
  const x = parseDecimal(part);
  const y = parseDecimal(whole);
  if (!x || !y || y.units <= 0n) return undefined;
  const scale = Math.max(x.scale, y.scale);
  const bp = (rescale(x, scale) * 10_000n) / rescale(y, scale);
  // Clamp before converting: a runaway ratio must not become an unsafe Number.
  return Number(bp > 1_000_000n ? 1_000_000n : bp < 0n ? 0n : bp);
}

/** Rounds half away from zero to `digits` fraction digits. */
function roundTo(d: Decimal, digits: number): bigint {
  if (d.scale <= digits) return rescale(d, digits);
  const divisor = 10n ** BigInt(d.scale - digits);
  const negative = d.units < 0n;
  const abs = negative ? -d.units : d.units;
  const rounded = (abs + divisor / 2n) / divisor;
  return negative ? -rounded : rounded;
}

function groupThousands(whole: string): string {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function render(units: bigint, digits: number): string {
  const negative = units < 0n;
  const text = (negative ? -units : units).toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = text.slice(text.length - digits);
  return `${negative ? '-' : ''}${groupThousands(whole)}${digits > 0 ? `.${fraction}` : ''}`;
}

/**
 * "$0.0123": 2 decimals from $10, 4 from a cent, and up to 6 significant places below a cent
 * (a cheap reply costs fractions of a cent and "$0.0000" would hide it). Fixed decimals keep
 * columns of costs aligned.
 */
export function formatUsd(text: string): string {
  const d = parseDecimal(text);
  if (!d) return '$?';
  const scale = Math.max(d.scale, 2);
  const abs = rescale({ units: d.units < 0n ? -d.units : d.units, scale: d.scale }, scale);
  const oneCent = 10n ** BigInt(scale - 2);
  const tenDollars = 10n * 10n ** BigInt(scale);
  let digits: number;
  if (abs === 0n) digits = 2;
  else if (abs >= tenDollars) digits = 2;
  else if (abs >= oneCent) digits = 4;
  else digits = 6;
  let out = render(roundTo(d, digits), digits);
  if (digits === 6) out = out.replace(/(\.\d{4}\d*?)0+$/, '$1');
  if (out.startsWith('-')) return `-$${out.slice(1)}`;
  return `$${out}`;
}

/** A budget or balance: like formatUsd, without trailing zeros past the cents ("$1.00", "$4.205"). */
export function formatAmount(text: string): string {
  return formatUsd(text).replace(/(\.\d\d\d*?)0+$/, '$1');
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

/** "14:02:11", local time, 24 h (a log, not a chat). */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
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
  const d = parseDecimal(text);
  if (!d) return '?';
  if (d.units === 0n) return 'free';
  return formatAmount(text);
}
