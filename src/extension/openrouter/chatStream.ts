/**
 * One attempt of a streaming chat completion: POST, then bytes → SSE → typed
 * events, with a connect timeout, a stall timeout and caller cancellation.
 * Owns the stream's success rule (docs/openrouter.md): `[DONE]` or a finish_reason
 * ends it well; an `error` chunk or `finish_reason: "error"` is a mid-stream
 * failure; a body that ends with neither was cut off. Retrying, breakers and the
 * `finish`/`retry` events belong to chatAttempt.ts and client.ts. No `vscode` import.
 *
 * Events leave in batches, one per network read, with the text of adjacent chunks of one kind
 * joined into one event. The attempt is a plain object with one async `read()` per network read
 * filling a reused array, not a generator the client iterates: the client's own generator is the
 * only one a read passes through, so a read costs one promise and one text event instead of two
 * generator steps, their promises and a fresh batch array (see test/bench/streamCpu.bench.ts).
 * The client unpacks the batch and counts what it actually delivered.
 */
import { usdFromNumber, toDecimalString } from '../../shared/money';
import type { Clock, TimerHandle } from '../base/clock';
import {
  cancelledError,
  connectTimeoutError,
  cutOffError,
  invalidResponseError,
  isOpenRouterError,
  networkError,
  stalledError,
  type OpenRouterError,
  type PartialInfo,
} from './errors';
import { errorFromMidstream } from './errorStatus';
import { errorFromResponse } from './http';
import { ChunkDecoder, type ChunkSink } from './chunkDecoder';
import type { TextKind } from './chunkTemplate';
import type { StreamChunk } from './sse';
import type { Logger } from '../base/logger';
import type { ChatStreamEvent, FetchLike, Timeouts } from './types';

/** What one attempt has seen so far; read by the client when the attempt fails. */
export class AttemptProgress {
  /** Counted by the client as it hands events to its consumer, not as they are parsed. */
  contentChars = 0;
  reasoningChars = 0;
  generationId: string | undefined;
  servedModel: string | undefined;
  provider: string | undefined;
  headersAt: number | undefined;
  firstTokenAt: number | undefined;

  get partial(): PartialInfo {
    return {
      delivered: this.contentChars > 0 || this.reasoningChars > 0,
      contentChars: this.contentChars,
      reasoningChars: this.reasoningChars,
    };
  }
}

export interface AttemptInput {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly requestedModel: string;
  readonly fetch: FetchLike;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timeouts: Timeouts;
  readonly secrets: ReadonlySet<string>;
  readonly signal: AbortSignal | undefined;
  readonly progress: AttemptProgress;
}

export interface AttemptEnd {
  readonly finishReason: string;
}

type AbortCause = 'cancel' | 'connect' | 'stall';

// A few skipped lines are worth seeing in the log; thousands are not.
const MALFORMED_LOG_LIMIT = 5;

type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;

/**
 * One attempt: `open()` sends the request and checks the status, each `read()` takes one
 * network read into `events`, and `close()` (always called, also after a failure or when the
 * consumer stops early) aborts the request if it is still open. Every failure is thrown as an
 * `OpenRouterError`.
 */
export class StreamAttempt implements ChunkSink {
  /** What the last `read()` produced, in order; emptied at the start of the next one. */
  readonly events: ChatStreamEvent[] = [];

  private readonly controller = new AbortController();
  private abortCause: AbortCause | undefined;
  private timer: TimerHandle | undefined;
  // Silence is measured only while waiting on the network, not while the
  // consumer is busy with events we handed over (a slow UI is not a stalled server).
  private lastActivity = 0;
  private reading = false;
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  private readonly decoder = new ChunkDecoder(this);
  // Text of consecutive chunks of one kind within a read goes out as one event: the consumer
  // then does per-read, not per-token, work (a generator step, a bus event, a string append).
  private runKind: TextKind | undefined;
  private runText = '';
  private sawDone = false;
  private stopped = false;
  private ended = false;
  private finishReason: string | undefined;
  private midstream: OpenRouterError | undefined;
  private failed: OpenRouterError | undefined;
  private malformed = 0;
  private readonly onCallerAbort = (): void => this.abort('cancel');

  private constructor(private readonly input: AttemptInput) {}

  /** Sends the request; resolves once the reply's status is OK and its body can be read. */
  static async open(input: AttemptInput): Promise<StreamAttempt> {
    if (input.signal?.aborted) throw cancelledError();
    const attempt = new StreamAttempt(input);
    await attempt.connect();
    return attempt;
  }

  private abort(cause: AbortCause): void {
    this.abortCause ??= cause;
    this.controller.abort();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.input.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private armStall(ms: number): void {
    const { clock, timeouts } = this.input;
    this.timer = clock.setTimeout(() => {
      if (!this.reading) {
        this.armStall(timeouts.stallMs);
        return;
      }
      const idle = clock.now() - this.lastActivity;
      if (idle >= timeouts.stallMs) this.abort('stall');
      else this.armStall(timeouts.stallMs - idle);
    }, ms);
  }

  private failure(error: unknown): OpenRouterError {
    if (isOpenRouterError(error)) return error;
    const { timeouts } = this.input;
    if (this.abortCause === 'cancel') return cancelledError();
    if (this.abortCause === 'connect') return connectTimeoutError(timeouts.connectMs);
    if (this.abortCause === 'stall') return stalledError(timeouts.stallMs);
    return this.input.progress.headersAt === undefined ? networkError(error, this.input.secrets) : cutOffError();
  }

  private async connect(): Promise<void> {
    const { clock, progress, signal, timeouts } = this.input;
    signal?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.timer = clock.setTimeout(() => this.abort('connect'), timeouts.connectMs);
    try {
      const response = await this.input.fetch(this.input.url, {
        method: 'POST',
        headers: this.input.headers,
        body: this.input.body,
        signal: this.controller.signal,
      });
      progress.headersAt = clock.now();
      const headerId = response.headers.get('x-generation-id') ?? undefined;
      if (headerId) progress.generationId = headerId;

      if (!response.ok) {
        // The connect timer keeps guarding the (small) error body read.
        throw (await errorFromResponse(response, { now: clock.now(), secrets: this.input.secrets, model: this.input.requestedModel })).withContext({
          generationId: headerId,
        });
      }
      if (!response.body) throw invalidResponseError('empty response');
      this.clearTimer();
      this.lastActivity = clock.now();
      this.armStall(timeouts.stallMs);
      if (headerId) this.events.push({ type: 'generation', id: headerId });
      this.reader = response.body.getReader();
    } catch (error) {
      this.close();
      throw this.failure(error);
    }
  }

  /**
   * Takes the next network read into `events` (emptied first). Resolves to how the stream ended
   * once it has, else to undefined; throws an `OpenRouterError`. A failure found in a read that
   * also produced events is thrown by the next call, so those events are delivered first.
   */
  async read(): Promise<AttemptEnd | undefined> {
    this.events.length = 0;
    if (this.failed) throw this.failed;
    const reader = this.reader;
    if (reader === undefined || this.ended) throw invalidResponseError('read after the end');
    let read: ReadResult;
    try {
      this.lastActivity = this.input.clock.now();
      this.reading = true;
      read = await reader.read();
      this.reading = false;
    } catch (error) {
      this.reading = false;
      // The reply had finished; only the trailing usage/[DONE] was lost with the connection.
      if (this.finishReason !== undefined && this.abortCause === undefined) return this.end();
      throw this.fail(error);
    }
    try {
      if (read.done) this.decoder.end();
      else this.decoder.push(read.value);
    } catch (error) {
      return this.failAfterEvents(error);
    }
    this.endRun();
    if (this.midstream) return this.failAfterEvents(this.midstream);
    if (this.stopped || read.done) {
      return !this.sawDone && this.finishReason === undefined ? this.failAfterEvents(cutOffError()) : this.end();
    }
    return undefined;
  }

  /** Frees the socket and the timers; safe to call more than once. */
  close(): void {
    this.clearTimer();
    this.input.signal?.removeEventListener('abort', this.onCallerAbort);
    // Frees the socket when we stop early ([DONE] before EOF, failure, or the consumer broke off).
    if (!this.controller.signal.aborted) this.controller.abort();
    try {
      this.reader?.releaseLock();
    } catch {
      // Already released or errored: nothing left to free.
    }
  }

  private end(): AttemptEnd {
    this.ended = true;
    if (this.malformed > MALFORMED_LOG_LIMIT) this.input.logger.warn(`openrouter: skipped ${this.malformed} malformed stream events in total`);
    this.close();
    return { finishReason: this.finishReason ?? 'stop' };
  }

  private fail(error: unknown): OpenRouterError {
    this.ended = true;
    const failure = this.failure(error);
    this.close();
    return failure;
  }

  private failAfterEvents(error: unknown): undefined {
    const failure = this.fail(error);
    if (this.events.length === 0) throw failure;
    this.failed = failure;
    return undefined;
  }

  private endRun(): void {
    if (this.runKind === undefined) return;
    this.events.push({ type: this.runKind, text: this.runText });
    this.runKind = undefined;
    this.runText = '';
  }

  private addText(kind: TextKind, text: string): void {
    if (this.runKind !== kind) {
      this.endRun();
      this.runKind = kind;
    }
    this.runText += text;
  }

  private push(event: ChatStreamEvent): void {
    this.endRun();
    this.events.push(event);
  }

  onChunk(chunk: StreamChunk): void {
    const { progress, clock } = this.input;
    if (chunk.id !== undefined && chunk.id !== progress.generationId) {
      progress.generationId = chunk.id;
      this.push({ type: 'generation', id: chunk.id });
    }
    if (chunk.model !== undefined) {
      const provider = chunk.provider ?? progress.provider;
      if (chunk.model !== progress.servedModel || provider !== progress.provider) {
        progress.servedModel = chunk.model;
        progress.provider = provider;
        this.push({ type: 'model', model: chunk.model, provider });
      }
    }
    if (chunk.reasoning) {
      progress.firstTokenAt ??= clock.now();
      this.addText('reasoning', chunk.reasoning);
    }
    if (chunk.content) {
      progress.firstTokenAt ??= clock.now();
      this.addText('content', chunk.content);
    }
    if (chunk.usage) {
      const u = chunk.usage;
      const cost = u.cost === undefined ? undefined : usdFromNumber(u.cost);
      this.push({
        type: 'usage',
        promptTokens: u.promptTokens,
        completionTokens: u.completionTokens,
        reasoningTokens: u.reasoningTokens,
        cachedTokens: u.cachedTokens,
        cacheWriteTokens: u.cacheWriteTokens,
        cost,
        costText: cost === undefined ? undefined : toDecimalString(cost),
        upstreamCost: u.upstreamCost === undefined ? undefined : usdFromNumber(u.upstreamCost),
        byok: u.byok,
      });
    }
    if (chunk.citations) this.push({ type: 'citations', citations: chunk.citations });
    if (chunk.error || chunk.finishReason === 'error') {
      this.midstream = errorFromMidstream(chunk.error, this.input.secrets, {
        ...(progress.servedModel !== undefined ? { model: progress.servedModel } : {}),
        ...(progress.provider !== undefined ? { provider: progress.provider } : {}),
      });
      this.stopped = true;
      this.decoder.stop();
    } else if (chunk.finishReason) {
      this.finishReason = chunk.finishReason;
    }
  }

  /** The last chunk again with other text: its id, model and first token were taken already. */
  onText(kind: TextKind, text: string): void {
    if (text.length > 0) this.addText(kind, text);
  }

  onDone(): void {
    this.sawDone = true;
    this.stopped = true;
  }

  onSkip(reason: string): void {
    this.malformed++;
    if (this.malformed <= MALFORMED_LOG_LIMIT) this.input.logger.warn(`openrouter: skipped a malformed stream event (${reason})`);
  }
}
