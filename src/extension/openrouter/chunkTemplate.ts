/**
 * The fast path for the common chunk. Within one generation a stream's chunks repeat the same
 * envelope (id, provider, model, created, role, `finish_reason: null`, …) and differ only in the
 * text of the delta. A template is the text of one checked chunk cut around its text literal:
 * a later event that starts with its prefix and ends with its suffix, with a single JSON string
 * literal between them, is the same chunk with other text — so that text is all there is to read,
 * and `JSON.parse` of the whole event (most of the per-token cost) is skipped.
 *
 * Sound by construction rather than by trusting the server: a template is only kept after its
 * prefix and suffix around a probe literal parse (through the full check) to the same chunk with
 * the probe as its text. JSON is context free and the probe can only parse as one string token,
 * so any other single string literal in that place changes that text and nothing else. Anything
 * else takes the full parse.
 *
 * A template may have a second slot, for one number that changes from chunk to chunk (a
 * provider that stamps every chunk with its own `created` or a sequence number): it is cut only
 * from two consecutive chunks that differ in their text and in that one number, and kept only
 * when a string probe in the number's place parses to the same chunk. In a string the probe's
 * backslash would stand outside any string and fail the parse, so the place is a whole JSON
 * value; the chunk read the same with a number and with a string there, so the check does not
 * read that value, and any other number literal there changes nothing the client reads.
 * No `vscode` import.
 */
import { isRejection, parseChunk, type StreamChunk } from './sse';

export type TextKind = 'content' | 'reasoning';

/** Where a template's number slot sits, if it has one. */
export type NumberSlot = 'none' | 'before-text' | 'after-text';

export interface ChunkTemplate {
  /** Before the first slot. */
  readonly prefix: string;
  /** Between the two slots ('' without a number slot). */
  readonly middle: string;
  /** After the last slot. */
  readonly suffix: string;
  /** Which delta field the text literal is. */
  readonly kind: TextKind;
  readonly numberSlot: NumberSlot;
}

// No quote, backslash or control character: the literal's text is its inside, as is.
const PLAIN_LITERAL = /^"[^"\\\u0000-\u001f]*"$/;
// A JSON number literal, whole.
const NUMBER_LITERAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

// Backslashes are only valid inside a JSON string, so the probe cannot parse as anything but one
// string token in the slot: if it parsed open the prefix's last string, the text after its first
// quote would be bare JSON with a backslash in it.
const PROBE = '\u0001nt\\probe\u0001';
const PROBE_LITERAL = JSON.stringify(PROBE);
// Another for the number slot, so the text's probe cannot be mistaken for it.
const SLOT_PROBE_LITERAL = JSON.stringify('\u0001nt\\slot\u0001');

/** A character a JSON number token can hold. */
function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;
}

/** Index just past the run of number characters starting at `start`. */
function numberRunEnd(data: string, start: number): number {
  let i = start;
  while (i < data.length && isNumberChar(data.charCodeAt(i))) i++;
  return i;
}

/** Index just past the string literal opening at `start`, or -1. */
function literalEnd(data: string, start: number): number {
  if (data.charCodeAt(start) !== 34) return -1;
  for (let i = start + 1; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i + 1;
  }
  return -1;
}

/** The text a JSON string literal holds, or undefined when it is not one. */
function literalText(literal: string): string | undefined {
  if (PLAIN_LITERAL.test(literal)) return literal.slice(1, -1);
  // Escapes (\n, \", \u…): JSON.parse reads the literal alone, still a small part of the event.
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The text of `data` if it is the template's chunk with other literals in its slots. */
export function matchTemplate(t: ChunkTemplate, data: string): string | undefined {
  const start = t.prefix.length;
  const end = data.length - t.suffix.length;
  // Slice-and-compare, not startsWith: V8's startsWith walks a sliced string a character at a
  // time (~1 µs for a 200-character prefix, as much as the JSON.parse it replaces).
  if (end - start < 2 || data.slice(0, start) !== t.prefix || data.slice(end) !== t.suffix) return undefined;
  if (t.numberSlot === 'none') return literalText(data.slice(start, end));
  if (t.numberSlot === 'before-text') {
    const numberEnd = numberRunEnd(data, start);
    const textStart = numberEnd + t.middle.length;
    if (textStart > end || data.slice(numberEnd, textStart) !== t.middle || !NUMBER_LITERAL.test(data.slice(start, numberEnd))) return undefined;
    return literalText(data.slice(textStart, end));
  }
  const textEnd = literalEnd(data, start);
  const numberStart = textEnd + t.middle.length;
  if (textEnd < 0 || numberStart > end || data.slice(textEnd, numberStart) !== t.middle || !NUMBER_LITERAL.test(data.slice(numberStart, end))) {
    return undefined;
  }
  return literalText(data.slice(start, textEnd));
}

/** The one text field a chunk carries, when it carries nothing else a template could not repeat. */
export function plainTextKind(c: StreamChunk): TextKind | undefined {
  if (c.finishReason !== undefined || c.usage !== undefined || c.error !== undefined || c.citations !== undefined) return undefined;
  if (c.content && !c.reasoning) return 'content';
  if (c.reasoning && !c.content) return 'reasoning';
  return undefined;
}

/** `data` cut around its last `kind` literal, unchecked. */
function cut(data: string, kind: TextKind): { prefix: string; suffix: string } | undefined {
  const key = `"${kind}":`;
  const at = data.lastIndexOf(key);
  if (at < 0) return undefined;
  const start = at + key.length;
  const end = literalEnd(data, start);
  return end < 0 ? undefined : { prefix: data.slice(0, start), suffix: data.slice(end) };
}

/** `t` if `data` (which parsed to `chunk`) matches it and a probe in every slot proves it sound. */
function proven(t: ChunkTemplate, data: string, chunk: StreamChunk): ChunkTemplate | undefined {
  const { kind } = t;
  // A string in the number slot (see the header); the text slot's probe as for one slot.
  const probeData =
    t.numberSlot === 'none'
      ? t.prefix + PROBE_LITERAL + t.suffix
      : t.numberSlot === 'before-text'
        ? t.prefix + SLOT_PROBE_LITERAL + t.middle + PROBE_LITERAL + t.suffix
        : t.prefix + PROBE_LITERAL + t.middle + SLOT_PROBE_LITERAL + t.suffix;
  const probe = parseChunk(probeData);
  if (isRejection(probe) || probe[kind] !== PROBE) return undefined;
  const other = kind === 'content' ? 'reasoning' : 'content';
  const same =
    probe.id === chunk.id &&
    probe.model === chunk.model &&
    probe.provider === chunk.provider &&
    probe[other] === chunk[other] &&
    plainTextKind(probe) === kind;
  return same && matchTemplate(t, data) === chunk[kind] ? t : undefined;
}

/** A template cut from `data`, which parsed to `chunk`; undefined when none can be proved sound. */
export function buildTemplate(data: string, chunk: StreamChunk, kind: TextKind): ChunkTemplate | undefined {
  const c = cut(data, kind);
  return c && proven({ prefix: c.prefix, middle: '', suffix: c.suffix, kind, numberSlot: 'none' }, data, chunk);
}

/**
 * Where `before` and `after` differ in exactly one number token: the text before it and after
 * it, in `after`'s terms. Undefined when they differ in anything else.
 */
function numberDifference(before: string, after: string): { head: string; tail: string } | undefined {
  let head = 0;
  const max = Math.min(before.length, after.length);
  while (head < max && before.charCodeAt(head) === after.charCodeAt(head)) head++;
  if (head === before.length && head === after.length) return undefined;
  let tail = 0;
  while (tail < max - head && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  // Widen to whole runs of number characters on both sides.
  while (head > 0 && isNumberChar(after.charCodeAt(head - 1))) head--;
  while (tail > 0 && isNumberChar(after.charCodeAt(after.length - tail))) tail--;
  const was = before.slice(head, before.length - tail);
  const now = after.slice(head, after.length - tail);
  if (!NUMBER_LITERAL.test(was) || !NUMBER_LITERAL.test(now)) return undefined;
  return { head: after.slice(0, head), tail: after.slice(after.length - tail) };
}

/**
 * A two-slot template from `data` (which parsed to `chunk`) and the one-slot template `last`
 * cut from the chunk before it, when the two chunks differ in their text and in one number.
 */
export function widenTemplate(last: ChunkTemplate, data: string, chunk: StreamChunk): ChunkTemplate | undefined {
  const { kind } = last;
  if (last.numberSlot !== 'none' || plainTextKind(chunk) !== kind) return undefined;
  const c = cut(data, kind);
  if (c === undefined) return undefined;
  let t: ChunkTemplate | undefined;
  if (c.suffix === last.suffix) {
    const d = numberDifference(last.prefix, c.prefix);
    if (d) t = { prefix: d.head, middle: d.tail, suffix: c.suffix, kind, numberSlot: 'before-text' };
  } else if (c.prefix === last.prefix) {
    const d = numberDifference(last.suffix, c.suffix);
    if (d) t = { prefix: c.prefix, middle: d.head, suffix: d.tail, kind, numberSlot: 'after-text' };
  }
  return t && proven(t, data, chunk);
}
