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
import type { ServerErrorBody } from './errorStatus';

export interface ChunkUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly reasoningTokens: number;
  readonly cachedTokens: number;
  /** Prompt tokens written to the provider's cache (billed at the cache-write price). */
  readonly cacheWriteTokens: number;
  /** `usage.cost` as sent (USD); converted exactly by the client. */
  readonly cost: number | undefined;
  /** `usage.cost_details.upstream_inference_cost`: the provider's own charge on a BYOK route. */
  readonly upstreamCost: number | undefined;
  /** `usage.is_byok`: the request ran on the user's own provider key. */
  readonly byok: boolean;
}

/** A `url_citation` annotation (web search), as the stream sends it. */
export interface UrlCitation {
  readonly url: string;
  readonly title: string | undefined;
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
  /** Citations carried by this chunk's delta, if any. */
  readonly citations: readonly UrlCitation[] | undefined;
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

/** A money field may be absent or null; when present it must be a finite number. */
function optMoney(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'number' && Number.isFinite(v));
}

/** Keeps the well-formed `url_citation` entries; anything else in the list is ignored, not fatal. */
function readCitations(v: unknown): UrlCitation[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: UrlCitation[] = [];
  for (const a of v) {
    if (!isObject(a) || a['type'] !== 'url_citation') continue;
    const c = a['url_citation'];
    if (!isObject(c) || typeof c['url'] !== 'string') continue;
    out.push({ url: c['url'], title: typeof c['title'] === 'string' ? c['title'] : undefined });
  }
  return out.length ? out : undefined;
}

function bad(reason: string): ChunkRejection {
  return { rejected: reason };
}

/** Parses one event's data and checks the shape of every field the client reads. */
export function parseChunk(data: string): ChunkParse {
  // Not base/json's parseJson: this runs once per token, where its result object and the call
  // across modules were measurable (test/bench/streamCpu.bench.ts).
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
  let citations: UrlCitation[] | undefined;
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
        citations = readCitations(delta['annotations']);
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
    const cacheWriteTokens = isObject(pd) ? count(pd['cache_write_tokens']) : 0;
    const reasoningTokens = isObject(cd) ? count(cd['reasoning_tokens']) : 0;
    const cost = u['cost'];
    const costDetails = u['cost_details'];
    const upstream = isObject(costDetails) ? costDetails['upstream_inference_cost'] : undefined;
    if (
      promptTokens === false ||
      completionTokens === false ||
      cachedTokens === false ||
      cacheWriteTokens === false ||
      reasoningTokens === false
    ) {
      return bad('usage counts not numbers');
    }
    if (!optMoney(cost)) return bad('usage cost not a number');
    if (!optMoney(upstream)) return bad('usage upstream cost not a number');
    usage = {
      promptTokens,
      completionTokens,
      reasoningTokens,
      cachedTokens,
      cacheWriteTokens,
      cost: typeof cost === 'number' ? cost : undefined,
      upstreamCost: typeof upstream === 'number' ? upstream : undefined,
      byok: u['is_byok'] === true,
    };
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

  return { id, model, provider, content, reasoning, finishReason, usage, error, citations };
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
