/**
 * Exact USD amounts. Owns every piece of money arithmetic in the extension.
 * Never uses floating point for sums: amounts are BigInt counts of 1e-18 USD
 * ("atto-dollars"), enough for OpenRouter's per-token prices (strings such as
 * "0.0000000375") times any realistic token count without rounding.
 * Shared by the host and the webview (display formatting), so it uses nothing
 * but BigInt: no Node, no DOM.
 */

/** Decimal places kept exactly. */
export const USD_SCALE = 18;
const SCALE = 10n ** BigInt(USD_SCALE);

/** An exact, immutable USD amount. */
export interface Usd {
  readonly atto: bigint;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export function usd(atto: bigint): Usd {
  return { atto };
}

export const ZERO: Usd = usd(0n);

/**
 * Parses a decimal string ("0.000003", "1e-7", "-1.5") exactly.
 * Digits beyond 18 decimal places are rounded half-even (never seen in practice,
 * but a parse must not throw on them). Returns undefined for anything else.
 */
export function parseUsd(text: string): Usd | undefined {
  const x = parseExact(text);
  if (!x) return undefined;
  // value = n × 10^e; we want value × 10^USD_SCALE, rounded on the magnitude.
  const negative = x.n < 0n;
  const digits = negative ? -x.n : x.n;
  const shift = x.e + USD_SCALE;
  const atto = shift >= 0 ? digits * 10n ** BigInt(shift) : divRoundHalfEven(digits, 10n ** BigInt(-shift));
  return usd(negative ? -atto : atto);
}

/**
 * Converts a JSON number (such as `usage.cost`) exactly as it was written on the
 * wire: JavaScript's shortest round-trip representation is the decimal the
 * server sent, so parsing `String(n)` loses nothing a float could hold.
 */
export function usdFromNumber(n: number): Usd | undefined {
  if (!Number.isFinite(n)) return undefined;
  return parseUsd(String(n));
}

export function add(a: Usd, b: Usd): Usd {
  return usd(a.atto + b.atto);
}

export function sum(values: Iterable<Usd>): Usd {
  let total = 0n;
  for (const v of values) total += v.atto;
  return usd(total);
}

export function sub(a: Usd, b: Usd): Usd {
  return usd(a.atto - b.atto);
}

/** Price per unit × an integer count (tokens, requests). */
export function times(price: Usd, count: number | bigint): Usd {
  const n = typeof count === 'bigint' ? count : BigInt(Math.trunc(count));
  return usd(price.atto * n);
}

export function compare(a: Usd, b: Usd): -1 | 0 | 1 {
  return a.atto < b.atto ? -1 : a.atto > b.atto ? 1 : 0;
}

export function isZero(a: Usd): boolean {
  return a.atto === 0n;
}

/** Largest ratio reported (10 000 %): a runaway ratio must not become an unsafe Number. */
const MAX_BASIS_POINTS = 1_000_000n;

/**
 * a / b as a ratio in basis points (1/10000), rounded down and clamped to
 * [0, 1 000 000]; for budget bars. Returns undefined when b is not positive.
 */
export function ratioBasisPoints(a: Usd, b: Usd): number | undefined {
  if (b.atto <= 0n) return undefined;
  const bp = (a.atto * 10000n) / b.atto;
  return Number(bp > MAX_BASIS_POINTS ? MAX_BASIS_POINTS : bp < 0n ? 0n : bp);
}

/** A decimal string at full precision, `n × 10^e`: for comparing texts that may carry more than 18 places. */
interface ExactDecimal {
  readonly n: bigint;
  readonly e: number;
}

function parseExact(text: string): ExactDecimal | undefined {
  const m = DECIMAL.exec(text.trim());
  if (!m) return undefined;
  const [, sign = '', intPart = '', fracPart = '', expPart] = m;
  if (intPart === '' && fracPart === '') return undefined;
  const exp = expPart === undefined ? 0 : Number(expPart);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 400) return undefined;
  const digits = BigInt((intPart + fracPart) || '0');
  return { n: sign === '-' ? -digits : digits, e: exp - fracPart.length };
}

/** Both values as integers on a common scale. */
function aligned(a: ExactDecimal, b: ExactDecimal): [bigint, bigint] {
  const e = Math.min(a.e, b.e);
  return [a.n * 10n ** BigInt(a.e - e), b.n * 10n ** BigInt(b.e - e)];
}

/** Compares two decimal strings exactly at any precision; unparsable values sort last. */
export function compareDecimalText(a: string, b: string): -1 | 0 | 1 {
  const x = parseExact(a);
  const y = parseExact(b);
  if (!x || !y) return x ? -1 : y ? 1 : 0;
  const [p, q] = aligned(x, y);
  return p < q ? -1 : p > q ? 1 : 0;
}

/** `ratioBasisPoints` for decimal strings, exact at any precision (a budget bar fed by the view). */
export function ratioBasisPointsText(a: string, b: string): number | undefined {
  const x = parseExact(a);
  const y = parseExact(b);
  if (!x || !y) return undefined;
  const [p, q] = aligned(x, y);
  return ratioBasisPoints(usd(p), usd(q));
}

/** Canonical exact text: no exponent, no trailing zeros ("0.0000123", "5", "-0.5"). */
export function toDecimalString(a: Usd): string {
  const negative = a.atto < 0n;
  const abs = negative ? -a.atto : a.atto;
  const whole = abs / SCALE;
  const frac = (abs % SCALE).toString().padStart(USD_SCALE, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/**
 * Display text with a fixed number of decimals, rounded half-even
 * ("$0.0123"). Display only — never parse this back for arithmetic.
 */
export function formatUsd(a: Usd, decimals = 4): string {
  const text = toFixedDecimal(a, decimals);
  return text.startsWith('-') ? `-$${text.slice(1)}` : `$${text}`;
}

/** Plain text with exactly `decimals` places, rounded half-even ("0.0123", "-5.00"). Display only. */
export function toFixedDecimal(a: Usd, decimals: number): string {
  const d = Math.max(0, Math.min(USD_SCALE, Math.trunc(decimals)));
  const unit = 10n ** BigInt(USD_SCALE - d);
  const negative = a.atto < 0n;
  const rounded = divRoundHalfEven(negative ? -a.atto : a.atto, unit);
  const base = 10n ** BigInt(d);
  const whole = rounded / base;
  const frac = d > 0 ? `.${(rounded % base).toString().padStart(d, '0')}` : '';
  return `${negative && rounded !== 0n ? '-' : ''}${whole}${frac}`;
}

/** Groups the whole part by thousands ("12,345.67"). */
function groupThousands(text: string): string {
  const [whole = '', fraction] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

const ONE_CENT = 10n ** BigInt(USD_SCALE - 2);
const TEN_DOLLARS = 10n ** BigInt(USD_SCALE + 1);

/**
 * The one display format for a cost, used on every surface (the view's strip and entries,
 * the status bar, the usage report, history, exports) so the same amount reads the same
 * everywhere: 2 decimals from $10, 4 from a cent, and up to 6 places below a cent (a cheap
 * reply costs fractions of a cent, and "$0.0000" would hide it). Display only.
 */
export function formatCost(a: Usd): string {
  const size = a.atto < 0n ? -a.atto : a.atto;
  const digits = size === 0n || size >= TEN_DOLLARS ? 2 : size >= ONE_CENT ? 4 : 6;
  let out = groupThousands(toFixedDecimal(a, digits));
  if (digits === 6) out = out.replace(/(\.\d{4}\d*?)0+$/, '$1');
  return out.startsWith('-') ? `-$${out.slice(1)}` : `$${out}`;
}

/** A budget, limit or balance: like `formatCost`, without trailing zeros past the cents ("$1.00", "$4.205"). */
export function formatBudget(a: Usd): string {
  return formatCost(a).replace(/(\.\d\d\d*?)0+$/, '$1');
}

/** |a| */
export function abs(a: Usd): Usd {
  return a.atto < 0n ? usd(-a.atto) : a;
}

/** Price per token shown per million tokens ("$3.00 / 1M"). */
export function perMillion(pricePerToken: Usd): Usd {
  return times(pricePerToken, 1_000_000);
}

function divRoundHalfEven(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  const twice = r * 2n;
  if (twice > d || (twice === d && q % 2n !== 0n)) return q + 1n;
  return q;
}
