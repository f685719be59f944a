/**
 * Token counting for context fitting and estimates. Exact counts use js-tiktoken with
 * the encoding of the model's family, loaded lazily through an injected loader (the
 * rank tables are megabytes; activation must not pay for them). In the extension the
 * loader's encoders live in a worker thread (encoders/countClient.ts): building one
 * takes far longer than the host may be held. Input is cut into bounded chunks first:
 * BPE on one long unbroken run (100k characters without a space) is super-linear and
 * would stall the thread it runs on. No `vscode` import.
 */
import type { TokenCounterPort } from './ports';

export type EncodingName = 'o200k_base' | 'cl100k_base';

/** The slice of js-tiktoken's encoder we use. */
export interface Encoder {
  encode(text: string): number[];
}

/** An encoder that counts somewhere else (the tokenizer worker): the host only waits for the number. */
export interface OffThreadEncoder {
  countTokens(text: string): Promise<number>;
}

export type EncoderLoader = (name: EncodingName) => Promise<Encoder | OffThreadEncoder>;

/** Longest piece handed to the encoder in one call. */
export const MAX_CHUNK_CHARS = 2048;
/** Longest stretch of counting work between yields to the event loop (see attachments/folder.ts). */
const YIELD_AFTER_MS = 4;
/** Per-message framing tokens in chat formats (role, separators), per OpenAI's guidance. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

/** OpenAI's newer families use o200k; everything else is approximated with cl100k. */
export function encodingForModel(modelId: string): EncodingName {
  const id = modelId.toLowerCase().replace(/^openai\//, '');
  return /^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|chatgpt-4o|gpt-oss)/.test(id) ? 'o200k_base' : 'cl100k_base';
}

/**
 * Splits text into pieces of at most `max` characters, preferring to cut after
 * whitespace so token boundaries move as little as possible. Never splits a UTF-16
 * surrogate pair.
 */
export function chunkText(text: string, max = MAX_CHUNK_CHARS): string[] {
  if (text.length <= max) return text.length ? [text] : [];
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + max, text.length);
    if (end < text.length) {
      const window = text.slice(start + (max >> 1), end);
      const soft = Math.max(window.lastIndexOf(' '), window.lastIndexOf('\n'));
      if (soft >= 0) end = start + (max >> 1) + soft + 1;
      end = surrogateSafe(text, end);
    }
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks;
}

/**
 * BPE cost grows with the square of a word's length (measured: a 1024-character run
 * takes ~180 ms, 32 characters ~0.15 ms), so runs without whitespace longer than this
 * are counted in pieces. Inflates their count by well under 1%.
 */
export const MAX_RUN_CHARS = 32;
const LONG_RUN = new RegExp(`\\S{${MAX_RUN_CHARS + 1},}`, 'g');

/** The pieces of one chunk handed to the encoder: long unbroken runs cut to MAX_RUN_CHARS. */
export function encoderPieces(chunk: string): string[] {
  const out: string[] = [];
  let at = 0;
  for (const m of chunk.matchAll(LONG_RUN)) {
    const runStart = m.index ?? 0;
    if (runStart > at) out.push(chunk.slice(at, runStart));
    const runEnd = runStart + m[0].length;
    let i = runStart;
    while (i < runEnd) {
      const end = i + MAX_RUN_CHARS >= runEnd ? runEnd : surrogateSafe(chunk, i + MAX_RUN_CHARS);
      out.push(chunk.slice(i, end));
      i = end;
    }
    at = runEnd;
  }
  if (at < chunk.length) out.push(chunk.slice(at));
  return out;
}

function surrogateSafe(text: string, end: number): number {
  const code = text.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}

/**
 * A fast estimate without the encoder: ~4 characters per token for prose, more tokens
 * for dense non-ASCII text. Used for live composer estimates; never for billing.
 */
export function estimateTokens(text: string): number {
  if (!text) return 0;
  let ascii = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 128) ascii++;
  const other = text.length - ascii;
  return Math.ceil(ascii / 4 + other / 1.5);
}

export class TokenCounter implements TokenCounterPort {
  private readonly encoders = new Map<EncodingName, Promise<Encoder | OffThreadEncoder>>();
  /** Encodings whose encoder has finished loading. */
  private readonly loaded = new Set<EncodingName>();

  constructor(private readonly load: EncoderLoader) {}

  /** Loads (once) and returns the encoder for a model. */
  encoderFor(modelId: string): Promise<Encoder | OffThreadEncoder> {
    const name = encodingForModel(modelId);
    let encoder = this.encoders.get(name);
    if (!encoder) {
      encoder = this.load(name);
      // A failed load must not be cached forever: the next call retries.
      encoder.then(
        () => this.loaded.add(name),
        () => this.encoders.delete(name),
      );
      this.encoders.set(name, encoder);
    }
    return encoder;
  }

  /**
   * Exact count of a text for the model's encoding. Long input is counted chunk by
   * chunk with a yield to the event loop between slices of work, so even pathological
   * text never blocks the extension host for long.
   */
  async count(modelId: string, text: string): Promise<number> {
    const encoder = await this.encoderFor(modelId);
    if ('countTokens' in encoder) return encoder.countTokens(text);
    if (text.length <= MAX_CHUNK_CHARS) return countWith(encoder, text);
    let total = 0;
    let sliceStart = performance.now();
    for (const chunk of chunkText(text)) {
      total += countWith(encoder, chunk);
      if (performance.now() - sliceStart > YIELD_AFTER_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    return total;
  }

  /**
   * Starts loading the model's encoder without waiting for it, so a count that follows soon
   * (the user is choosing what to attach) does not wait for the load. A failed load is
   * forgotten (see encoderFor) and surfaces on the count that needs it.
   */
  warm(modelId: string): void {
    this.encoderFor(modelId).catch(() => undefined);
  }

  /** Whether a count for this model would start at once (its encoder is loaded). */
  isReady(modelId: string): boolean {
    return this.loaded.has(encodingForModel(modelId));
  }

  /** Tokens a chat message occupies, with framing overhead. */
  async countMessage(modelId: string, content: string): Promise<number> {
    return (await this.count(modelId, content)) + MESSAGE_OVERHEAD_TOKENS;
  }
}

/** Synchronous count; callers with long text should prefer `TokenCounter.count`. */
export function countWith(encoder: Encoder, text: string): number {
  let total = 0;
  for (const chunk of chunkText(text)) {
    for (const piece of encoderPieces(chunk)) total += encoder.encode(piece).length;
  }
  return total;
}
