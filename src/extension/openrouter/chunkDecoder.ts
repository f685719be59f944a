/**
 * Bytes in, checked chat chunks out: SSE decoding, the full chunk check (`sse.ts`) and the fast
 * path for chunks that repeat the last one but for their text (`chunkTemplate.ts`). No `vscode` import.
 */
import { buildTemplate, matchTemplate, plainTextKind, widenTemplate, type ChunkTemplate, type TextKind } from './chunkTemplate';
import { DONE_SENTINEL, parseChunk, SseDecoder, type ChunkRejection, type SseSink, type StreamChunk } from './sse';

export interface ChunkSink {
  /** A chat chunk whose every field read passed the shape check. */
  onChunk(chunk: StreamChunk): void;
  /**
   * A chunk equal to the one last given to `onChunk` except for its `kind` text (a string,
   * possibly empty). Only ever follows an `onChunk` with non-empty text of that kind and no
   * finish reason, usage, error or citations, so it changes nothing but the text.
   */
  onText(kind: TextKind, text: string): void;
  /** The `[DONE]` sentinel: the stream ended well. Nothing after it is parsed. */
  onDone(): void;
  /** A line or event that was skipped (SSE syntax, not JSON, a field of the wrong type). */
  onSkip(reason: string): void;
}

// After a template that matched nothing, wait this many plain chunks (doubling up to the cap)
// before cutting another: a stream whose chunks all differ pays for few useless probes.
const MAX_TEMPLATE_BACKOFF = 256;

/**
 * Chat chunks are unnamed events; a named one is an extension we do not know and is ignored.
 * After `[DONE]` or `stop()` the rest of the stream is not parsed.
 */
export class ChunkDecoder implements SseSink {
  private readonly sse = new SseDecoder(this);
  private stopped = false;
  private template: ChunkTemplate | undefined;
  private templateHits = 0;
  private backoff = 0;
  private wait = 0;

  constructor(private readonly sink: ChunkSink) {}

  push(bytes: Uint8Array): void {
    this.sse.push(bytes);
  }

  end(): void {
    this.sse.end();
  }

  /** Ignores every later event (the stream failed mid-way). */
  stop(): void {
    this.stopped = true;
  }

  onData(data: string, event: string | undefined): void {
    if (this.stopped || (event !== undefined && event !== 'message')) return;
    const t = this.template;
    if (t !== undefined) {
      const text = matchTemplate(t, data);
      if (text !== undefined) {
        this.templateHits++;
        this.sink.onText(t.kind, text);
        return;
      }
    }
    if (data === DONE_SENTINEL) {
      this.stopped = true;
      this.sink.onDone();
      return;
    }
    const parsed = parseChunk(data);
    if ((parsed as Partial<ChunkRejection>).rejected !== undefined) {
      // A skipped event changes nothing delivered, so a template still holds after it.
      this.sink.onSkip((parsed as ChunkRejection).rejected);
      return;
    }
    this.nextTemplate(data, parsed as StreamChunk);
    this.sink.onChunk(parsed as StreamChunk);
  }

  // Keep-alive comments need no handling: their bytes already reset the stall clock.
  onComment(): void {}

  onSyntaxError(message: string): void {
    this.sink.onSkip(message);
  }

  /**
   * Any chunk that took the full parse ends the template (`onText` promises the last chunk's
   * envelope). When it differs from the template's chunk only in its text and one number, the
   * next template has a slot for that number too.
   */
  private nextTemplate(data: string, chunk: StreamChunk): void {
    const last = this.template;
    if (last !== undefined) {
      this.template = undefined;
      const widened = widenTemplate(last, data, chunk);
      if (widened !== undefined) {
        this.template = widened;
        this.templateHits = 0;
        this.backoff = 0;
        this.wait = 0;
        return;
      }
      if (this.templateHits > 0) this.backoff = 0;
      else this.backOff();
    }
    const kind = plainTextKind(chunk);
    if (kind === undefined) return;
    if (this.wait > 0) {
      this.wait--;
      return;
    }
    this.template = buildTemplate(data, chunk, kind);
    this.templateHits = 0;
    if (this.template === undefined) this.backOff();
  }

  private backOff(): void {
    this.backoff = Math.min(MAX_TEMPLATE_BACKOFF, this.backoff * 2 + 1);
    this.wait = this.backoff;
  }
}
