/**
 * One attempt of `OpenRouterClient.streamChat`, everything but the delivery loop: the key, the
 * circuit permits, the request, and what follows its end or failure (settling the permits, the
 * log lines, the `finish` event, the retry decision). No `vscode` import.
 *
 * Why not inside the generator: TurboFan compiles the generator while a long reply streams, with
 * all it inlines, and the next request's once-per-attempt code (never run by that compiled code)
 * throws it away again; the larger the generator, the more CPU each recompile costs, once per
 * reply (see test/bench/streamCpu.bench.ts). Here that code runs as calls the compiled loop
 * does not have to carry.
 */
import { sleep, type Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import { acquireChat, type ChatLease } from './chatLease';
import { AttemptProgress, StreamAttempt, type AttemptEnd } from './chatStream';
import type { CircuitBreakers } from './circuitBreaker';
import { cancelledError, isOpenRouterError, networkError } from './errors';
import { joinUrl, requestHeaders } from './http';
import { chatBody } from './requestOptions';
import { decideRetry, type RetryPolicy } from './retry';
import type { ChatRequest, ChatStreamEvent, OpenRouterClientDeps, Timeouts } from './types';

/** What every attempt of the client shares. */
export interface ChatAttemptContext {
  readonly deps: OpenRouterClientDeps;
  readonly log: Logger;
  readonly secrets: Set<string>;
  readonly circuits: CircuitBreakers;
  readonly retryPolicy: RetryPolicy;
  readonly timeouts: () => Timeouts;
  readonly readKey: () => Promise<string>;
}

type RetryEvent = Extract<ChatStreamEvent, { type: 'retry' }>;

export class ChatAttempt {
  readonly progress = new AttemptProgress();
  private readonly clock: Clock;
  private readonly attemptStartedAt: number;
  private lease: ChatLease | undefined;
  private stream: StreamAttempt | undefined;
  private apiKey = '';
  private models: readonly string[] = [];

  constructor(
    private readonly c: ChatAttemptContext,
    private readonly request: ChatRequest,
    private readonly signal: AbortSignal | undefined,
    private readonly attempt: number,
    private readonly startedAt: number,
  ) {
    this.clock = c.deps.clock;
    this.attemptStartedAt = this.clock.now();
  }

  /**
   * Reads the key and takes the circuit permits; their errors (no key, a circuit open) are
   * final, never retried.
   */
  async prepare(): Promise<void> {
    if (this.signal?.aborted) throw cancelledError();
    const apiKey = await this.c.readKey();
    const { lease, models } = acquireChat(this.c.circuits, this.request, this.c.log);
    this.lease = lease;
    this.apiKey = apiKey;
    this.models = models;
    this.c.log.debug(`openrouter: chat attempt ${this.attempt} model=${models[0]}${models.length > 1 ? ` fallbacks=${models.length - 1}` : ''}`);
  }

  /** Sends the request; resolves to the array every `read()` refills (the header's event in it first). */
  async send(): Promise<readonly ChatStreamEvent[]> {
    const { c, models } = this;
    this.stream = await StreamAttempt.open({
      url: joinUrl(c.deps.baseUrl(), 'chat/completions'),
      headers: { ...requestHeaders(this.apiKey, c.deps.app, 'text/event-stream'), 'Content-Type': 'application/json' },
      body: chatBody(this.request, models),
      requestedModel: models[0] ?? this.request.model,
      fetch: c.deps.fetch,
      clock: this.clock,
      logger: c.log,
      timeouts: c.timeouts(),
      secrets: c.secrets,
      signal: this.signal,
      progress: this.progress,
    });
    return this.stream.events;
  }

  /** One network read into the array `send` gave; the end once the stream has ended. */
  read(): Promise<AttemptEnd | undefined> {
    return this.stream!.read();
  }

  /** Settles the permits as a success; the `finish` event to deliver. */
  finish(end: AttemptEnd): ChatStreamEvent {
    const { progress } = this;
    this.lease?.settle('success', progress.servedModel);
    this.c.log.debug(`openrouter: chat done generation=${progress.generationId ?? '?'} reason=${end.finishReason}`);
    return {
      type: 'finish',
      reason: end.finishReason,
      timing: {
        startedAt: this.startedAt,
        attemptStartedAt: this.attemptStartedAt,
        headersAt: progress.headersAt ?? this.attemptStartedAt,
        firstTokenAt: progress.firstTokenAt,
        endedAt: this.clock.now(),
        attempts: this.attempt,
      },
    };
  }

  /** Settles the permits with the failure; the `retry` event to deliver, or throws the failure when it is final. */
  failed(caught: unknown): RetryEvent {
    const { progress } = this;
    const error = (isOpenRouterError(caught) ? caught : networkError(caught, this.c.secrets)).withContext({
      partial: progress.partial,
      generationId: progress.generationId,
    });
    this.lease?.settle(error, progress.servedModel);
    this.c.log.info(
      `openrouter: chat attempt ${this.attempt} failed kind=${error.kind}${error.status ? ` status=${error.status}` : ''}` +
        ` generation=${error.generationId ?? '-'} delivered=${error.partial.delivered}`,
    );
    const decision = decideRetry({
      error,
      attempts: this.attempt,
      elapsedMs: this.clock.now() - this.startedAt,
      policy: this.c.retryPolicy,
      random: this.c.deps.random,
    });
    if (!decision.retry) throw error;
    return { type: 'retry', attempt: this.attempt + 1, delayMs: decision.delayMs, error };
  }

  /** The back-off before the next attempt; a cancel ends it at once. */
  async backOff(delayMs: number): Promise<void> {
    try {
      await sleep(this.clock, delayMs, this.signal);
    } catch {
      throw cancelledError();
    }
  }

  /** Aborts the request if still open; settles the permits as neutral if nothing else did (the consumer stopped). */
  close(): void {
    this.stream?.close();
    this.lease?.settle(undefined, this.progress.servedModel);
  }
}
