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
 * else takes the full parse. No `vscode` import.
 */
import { isRejection, parseChunk, type StreamChunk } from './sse';

export type TextKind = 'content' | 'reasoning';

export interface ChunkTemplate {
  readonly prefix: string;
  readonly suffix: string;
  /** Which delta field the literal between them is. */
  readonly kind: TextKind;
}

// No quote, backslash or control character: the literal's text is its inside, as is.
const PLAIN_LITERAL = /^"[^"\\\u0000-\u001f]*"$/;

// Backslashes are only valid inside a JSON string, so the probe cannot parse as anything but one
// string token in the slot: if it parsed open the prefix's last string, the text after its first
// quote would be bare JSON with a backslash in it.
const PROBE = '\u0001nt\\probe\u0001';
const PROBE_LITERAL = JSON.stringify(PROBE);

/** The text of `data` if it is the template's chunk with another string literal in its slot. */
export function matchTemplate(t: ChunkTemplate, data: string): string | undefined {
  const end = data.length - t.suffix.length;
  // Slice-and-compare, not startsWith: V8's startsWith walks a sliced string a character at a
  // time (~1 µs for a 200-character prefix, as much as the JSON.parse it replaces).
  if (end - t.prefix.length < 2 || data.slice(0, t.prefix.length) !== t.prefix || data.slice(end) !== t.suffix) return undefined;
  const literal = data.slice(t.prefix.length, end);
  if (PLAIN_LITERAL.test(literal)) return literal.slice(1, -1);
  // Escapes (\n, \", \u…): JSON.parse reads the literal alone, still a small part of the event.
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The one text field a chunk carries, when it carries nothing else a template could not repeat. */
export function plainTextKind(c: StreamChunk): TextKind | undefined {
  if (c.finishReason !== undefined || c.usage !== undefined || c.error !== undefined || c.citations !== undefined) return undefined;
  if (c.content && !c.reasoning) return 'content';
  if (c.reasoning && !c.content) return 'reasoning';
  return undefined;
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

/** A template cut from `data`, which parsed to `chunk`; undefined when none can be proved sound. */
export function buildTemplate(data: string, chunk: StreamChunk, kind: TextKind): ChunkTemplate | undefined {
  const key = `"${kind}":`;
  const at = data.lastIndexOf(key);
  if (at < 0) return undefined;
  const start = at + key.length;
  const end = literalEnd(data, start);
  if (end < 0) return undefined;
  const t: ChunkTemplate = { prefix: data.slice(0, start), suffix: data.slice(end), kind };
  const probe = parseChunk(t.prefix + PROBE_LITERAL + t.suffix);
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
