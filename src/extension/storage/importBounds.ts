/**
 * Bounds on what an import file may hold. An export is untrusted input: one message
 * with 9007199254740991 tokens made every total unreadable, a 1-million-digit cost
 * made every spend sum slow, and a message dated in the year 285,428 counted in every
 * month. Every number is bounded here before the schema accepts it, and the text is
 * checked for nesting depth and well-formed Unicode before it is parsed.
 * No `vscode` import.
 */
import { compare, parseUsd, type Usd } from '../../shared/money';
import { StorageError } from './errors';

/** Most tokens one message may claim (prompt, completion, reasoning or cached). */
export const MAX_TOKENS = 1_000_000_000;
/** Longest timing a message may claim: a day, in milliseconds. */
export const MAX_DURATION_MS = 86_400_000;
/** Longest cost text; real costs have at most 18 decimals. */
export const MAX_COST_TEXT = 40;
/** Highest cost of one message, in USD. */
export const MAX_MESSAGE_COST = '100000';
/** Highest (informational) conversation total, in USD. */
export const MAX_TOTAL_COST = '1000000000';
/** Earliest date an export can hold: before the project existed is not a real date. */
export const MIN_DATE = Date.UTC(2020, 0, 1);
/** How far in the future a date may be (clock skew between machines). */
export const FUTURE_SLACK_MS = 86_400_000;
/** Deepest JSON nesting an export has (metadata included), with room to spare. */
export const MAX_DEPTH = 64;

const MAX_MESSAGE_COST_USD = parseUsd(MAX_MESSAGE_COST)!;
const MAX_TOTAL_COST_USD = parseUsd(MAX_TOTAL_COST)!;

/** A cost text within bounds, or undefined: checked by length before any arithmetic. */
export function boundedCost(text: string, kind: 'message' | 'total'): Usd | undefined {
  if (typeof text !== 'string' || text.length > MAX_COST_TEXT) return undefined;
  const value = parseUsd(text);
  if (value === undefined || value.atto < 0n) return undefined;
  return compare(value, kind === 'message' ? MAX_MESSAGE_COST_USD : MAX_TOTAL_COST_USD) > 0 ? undefined : value;
}

export function dateInRange(ms: number, now: number): boolean {
  return Number.isSafeInteger(ms) && ms >= MIN_DATE && ms <= now + FUTURE_SLACK_MS;
}

/**
 * Refuses text nested deeper than MAX_DEPTH, in one pass and without recursion, so a
 * file of a million `[` is a typed refusal and not a stack overflow in a parser.
 */
export function checkDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH) throw tooDeep();
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
}

/** Decodes file bytes as UTF-8, refusing invalid sequences with a typed error. */
export function decodeImportBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new StorageError('invalid-import', 'The file is not valid UTF-8 text.', 'Choose a file exported by Neural Terminal.');
  }
}

/** True when a string has no unpaired surrogates (they cannot be stored as UTF-8). */
export function isWellFormed(text: string): boolean {
  // A lone high surrogate, or a low surrogate without its high half.
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

function tooDeep(): StorageError {
  return new StorageError(
    'invalid-import',
    `The file nests data more than ${MAX_DEPTH} levels deep; a Neural Terminal export never does.`,
    'Choose a file exported by Neural Terminal.',
  );
}
