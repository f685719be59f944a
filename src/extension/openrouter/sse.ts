/**
 * The per-token hot path of a chat stream: bytes → text (streaming UTF-8) →
 * SSE events (eventsource-parser) → a validated `StreamChunk`.
 *
 * Chunks are checked with a hand-written shape check rather than zod: the house
 * rule is zod at boundaries, but this runs once per token and a full schema parse
 * costs several times more (see test/bench/sseParse.bench.ts for the measured ratio).
 * The check is still strict about every field it reads — a wrong type rejects the
 * chunk, which the client logs and skips. No `vscode` import.
 */
import { createParser, type EventSourceParser } from 'eventsource-parser';
import type { ServerErrorBody } from './errors';

export interface ChunkUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly reasoningTokens: number;
  readonly cachedTokens: number;
  /** `usage.cost` as sent (USD); converted exactly by the client. */
  readonly cost: number | undefined;
}

/** One `data:` event of a chat stream, reduced to what the client reads (first choice only). */
export interface StreamChunk {
  readonly id: string | undefined;
  readonly model: string | undefined;
  readonly provider: string | undefined;
  readonly content: string | undefined;
  readonly reasoning: string | undefined;
  readonly finishReason: string | undefined;
  readonly usage: ChunkUsage | undefined;
  readonly error: ServerErrorBody | undefined;
}

/** Why a chunk was skipped. A separate shape (not a `{ok, chunk}` wrapper) so the common case allocates nothing extra. */
export interface ChunkRejection {
  readonly rejected: string;
}

export type ChunkParse = StreamChunk | ChunkRejection;

export function isRejection(parse: ChunkParse): parse is ChunkRejection {
  return (parse as Partial<ChunkRejection>).rejected !== undefined;
}

export const DONE_SENTINEL = '[DONE]';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Optional string field: absent and null both mean "not sent". */
function optString(v: unknown): string | undefined | false {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : false;
}

function count(v: unknown): number | false {
  if (v === undefined || v === null) return 0;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : false;
}

function bad(reason: string): ChunkRejection {
  return { rejected: reason };
}

/** Parses one event's data and checks the shape of every field the client reads. */
export function parseChunk(data: string): ChunkParse {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return bad('not JSON');
  }
  if (!isObject(raw)) return bad('not an object');

  const id = optString(raw['id']);
  const model = optString(raw['model']);
  const provider = optString(raw['provider']);
  if (id === false || model === false || provider === false) return bad('id/model/provider not strings');

  let content: string | undefined;
  let reasoning: string | undefined;
  let finishReason: string | undefined;
  const choices = raw['choices'];
  if (choices !== undefined && choices !== null) {
    if (!Array.isArray(choices)) return bad('choices not an array');
    const first: unknown = choices[0];
    if (first !== undefined) {
      if (!isObject(first)) return bad('choice not an object');
      const delta = first['delta'];
      if (delta !== undefined && delta !== null) {
        if (!isObject(delta)) return bad('delta not an object');
        const c = optString(delta['content']);
        const r = optString(delta['reasoning']);
        if (c === false || r === false) return bad('delta content/reasoning not strings');
        content = c;
        reasoning = r;
      }
      const f = optString(first['finish_reason']);
      if (f === false) return bad('finish_reason not a string');
      finishReason = f;
    }
  }

  let usage: ChunkUsage | undefined;
  const u = raw['usage'];
  if (u !== undefined && u !== null) {
    if (!isObject(u)) return bad('usage not an object');
    const promptTokens = count(u['prompt_tokens']);
    const completionTokens = count(u['completion_tokens']);
    const pd = u['prompt_tokens_details'];
    const cd = u['completion_tokens_details'];
    const cachedTokens = isObject(pd) ? count(pd['cached_tokens']) : 0;
    const reasoningTokens = isObject(cd) ? count(cd['reasoning_tokens']) : 0;
    const cost = u['cost'];
    if (promptTokens === false || completionTokens === false || cachedTokens === false || reasoningTokens === false) {
      return bad('usage counts not numbers');
    }
    if (cost !== undefined && cost !== null && (typeof cost !== 'number' || !Number.isFinite(cost))) {
      return bad('usage cost not a number');
    }
    usage = { promptTokens, completionTokens, reasoningTokens, cachedTokens, cost: typeof cost === 'number' ? cost : undefined };
  }

  let error: ServerErrorBody | undefined;
  const e = raw['error'];
  if (e !== undefined && e !== null) {
    if (!isObject(e)) return bad('error not an object');
    const code = e['code'];
    const message = optString(e['message']);
    const metadata = e['metadata'];
    error = {
      ...(typeof code === 'number' || typeof code === 'string' ? { code } : {}),
      ...(typeof message === 'string' ? { message } : {}),
      ...(isObject(metadata) ? { metadata } : {}),
    };
  }

  return { id, model, provider, content, reasoning, finishReason, usage, error };
}

export interface SseSink {
  /** The data of one complete event (`[DONE]` included); `event` is the `event:` field, if any. */
  onData(data: string, event: string | undefined): void;
  /** A `:` comment line such as `: OPENROUTER PROCESSING`. */
  onComment(text: string): void;
  /** A line the SSE grammar rejects (garbage, unknown field). */
  onSyntaxError(message: string): void;
}

// Bounds memory if a server never ends an event; far above any real chunk.
const MAX_BUFFER_CHARS = 8 * 1024 * 1024;

/**
 * Bytes in, events out. A streaming `TextDecoder` keeps multi-byte characters
 * split across reads intact; eventsource-parser handles CRLF, events split
 * across reads and comments.
 */
export class SseDecoder {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly parser: EventSourceParser;

  constructor(sink: SseSink) {
    this.parser = createParser({
      onEvent: (event) => sink.onData(event.data, event.event),
      onComment: (comment) => sink.onComment(comment),
      onError: (error) => sink.onSyntaxError(`${error.type}${error.field ? ` (${error.field})` : ''}`),
      maxBufferSize: MAX_BUFFER_CHARS,
    });
  }

  push(bytes: Uint8Array): void {
    const text = this.decoder.decode(bytes, { stream: true });
    if (text.length > 0) this.parser.feed(text);
  }

  /** Flushes a dangling partial character; an unterminated last event is dropped, as SSE requires. */
  end(): void {
    const rest = this.decoder.decode();
    if (rest.length > 0) this.parser.feed(rest);
  }
}
