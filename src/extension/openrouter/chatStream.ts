/**
 * One attempt of a streaming chat completion: POST, then bytes → SSE → typed
 * events, with a connect timeout, a stall timeout and caller cancellation.
 * Owns the stream's success rule (docs/openrouter.md): `[DONE]` or a finish_reason
 * ends it well; an `error` chunk or `finish_reason: "error"` is a mid-stream
 * failure; a body that ends with neither was cut off. Retrying, breakers and the
 * `finish`/`retry` events belong to client.ts. No `vscode` import.
 *
 * Events leave in batches, one per network read, with the text of adjacent chunks of one kind
 * joined into one event: a generator step and one text event per read instead of per token
 * keeps the per-token cost near the bare parse (see test/bench/streamCpu.bench.ts). The client
 * unpacks them and counts what it actually delivered.
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
import { ChunkDecoder } from './chunkDecoder';
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

/**
 * Yields batches of generation/model/content/reasoning/usage events; returns
 * the finish reason, or throws an `OpenRouterError`. Ending the iteration early
 * (`return()`) aborts the request.
 */
export async function* streamAttempt(input: AttemptInput): AsyncGenerator<readonly ChatStreamEvent[], AttemptEnd, undefined> {
  const { clock, logger, progress, signal, timeouts } = input;
  if (signal?.aborted) throw cancelledError();

  const controller = new AbortController();
  let abortCause: AbortCause | undefined;
  const abort = (cause: AbortCause): void => {
    abortCause ??= cause;
    controller.abort();
  };
  const onCallerAbort = (): void => abort('cancel');
  signal?.addEventListener('abort', onCallerAbort, { once: true });

  let timer: TimerHandle | undefined = clock.setTimeout(() => abort('connect'), timeouts.connectMs);
  const clearTimer = (): void => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };

  // Silence is measured only while waiting on the network, not while the
  // consumer is busy with events we yielded (a slow UI is not a stalled server).
  let lastActivity = 0;
  let reading = false;
  const armStall = (ms: number): void => {
    timer = clock.setTimeout(() => {
      if (!reading) {
        armStall(timeouts.stallMs);
        return;
      }
      const idle = clock.now() - lastActivity;
      if (idle >= timeouts.stallMs) abort('stall');
      else armStall(timeouts.stallMs - idle);
    }, ms);
  };

  const failure = (error: unknown): OpenRouterError => {
    if (isOpenRouterError(error)) return error;
    if (abortCause === 'cancel') return cancelledError();
    if (abortCause === 'connect') return connectTimeoutError(timeouts.connectMs);
    if (abortCause === 'stall') return stalledError(timeouts.stallMs);
    return progress.headersAt === undefined ? networkError(error, input.secrets) : cutOffError();
  };

  let response: Response;
  try {
    response = await input.fetch(input.url, {
      method: 'POST',
      headers: input.headers,
      body: input.body,
      signal: controller.signal,
    });
  } catch (error) {
    clearTimer();
    signal?.removeEventListener('abort', onCallerAbort);
    throw failure(error);
  }

  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    progress.headersAt = clock.now();
    const headerId = response.headers.get('x-generation-id') ?? undefined;
    if (headerId) progress.generationId = headerId;

    if (!response.ok) {
      // The connect timer keeps guarding the (small) error body read.
      throw (await errorFromResponse(response, { now: clock.now(), secrets: input.secrets, model: input.requestedModel })).withContext({
        generationId: headerId,
      });
    }
    if (!response.body) throw invalidResponseError('empty response');
    clearTimer();
    lastActivity = clock.now();
    armStall(timeouts.stallMs);

    if (headerId) yield [{ type: 'generation', id: headerId }];

    let pending: ChatStreamEvent[] = [];
    // Text of consecutive chunks of one kind within a read goes out as one event: the consumer
    // then does per-read, not per-token, work (a generator step, a bus event, a string append).
    let runKind: 'content' | 'reasoning' | undefined;
    let runText = '';
    const endRun = (): void => {
      if (runKind === undefined) return;
      pending.push({ type: runKind, text: runText });
      runKind = undefined;
      runText = '';
    };
    const addText = (kind: 'content' | 'reasoning', text: string): void => {
      if (runKind !== kind) {
        endRun();
        runKind = kind;
      }
      runText += text;
    };
    const push = (event: ChatStreamEvent): void => {
      endRun();
      pending.push(event);
    };
    let sawDone = false;
    let stopped = false;
    let finishReason: string | undefined;
    let midstream: OpenRouterError | undefined;
    let malformed = 0;

    const skip = (reason: string): void => {
      malformed++;
      if (malformed <= MALFORMED_LOG_LIMIT) logger.warn(`openrouter: skipped a malformed stream event (${reason})`);
    };

    const take = (chunk: StreamChunk): void => {
      if (chunk.id !== undefined && chunk.id !== progress.generationId) {
        progress.generationId = chunk.id;
        push({ type: 'generation', id: chunk.id });
      }
      if (chunk.model !== undefined) {
        const provider = chunk.provider ?? progress.provider;
        if (chunk.model !== progress.servedModel || provider !== progress.provider) {
          progress.servedModel = chunk.model;
          progress.provider = provider;
          push({ type: 'model', model: chunk.model, provider });
        }
      }
      if (chunk.reasoning) {
        progress.firstTokenAt ??= clock.now();
        addText('reasoning', chunk.reasoning);
      }
      if (chunk.content) {
        progress.firstTokenAt ??= clock.now();
        addText('content', chunk.content);
      }
      if (chunk.usage) {
        const u = chunk.usage;
        const cost = u.cost === undefined ? undefined : usdFromNumber(u.cost);
        push({
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
      if (chunk.citations) push({ type: 'citations', citations: chunk.citations });
      if (chunk.error || chunk.finishReason === 'error') {
        midstream = errorFromMidstream(chunk.error, input.secrets, {
          ...(progress.servedModel !== undefined ? { model: progress.servedModel } : {}),
          ...(progress.provider !== undefined ? { provider: progress.provider } : {}),
        });
        stopped = true;
        decoder.stop();
      } else if (chunk.finishReason) {
        finishReason = chunk.finishReason;
      }
    };

    const decoder = new ChunkDecoder({
      onChunk: take,
      // The last chunk again with other text: its id, model and first token were taken already.
      onText: (kind, text) => {
        if (text.length > 0) addText(kind, text);
      },
      onDone: () => {
        sawDone = true;
        stopped = true;
      },
      onSkip: skip,
    });

    reader = response.body.getReader();
    for (;;) {
      let read: Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;
      try {
        lastActivity = clock.now();
        reading = true;
        read = await reader.read();
        reading = false;
      } catch (error) {
        // The reply had finished; only the trailing usage/[DONE] was lost with the connection.
        if (finishReason !== undefined && abortCause === undefined) break;
        throw failure(error);
      }
      if (read.done) {
        decoder.end();
      } else {
        decoder.push(read.value);
      }
      endRun();
      if (pending.length > 0) {
        yield pending;
        pending = [];
      }
      if (midstream) throw midstream;
      if (stopped || read.done) break;
    }

    if (!sawDone && finishReason === undefined) throw cutOffError();
    if (malformed > MALFORMED_LOG_LIMIT) logger.warn(`openrouter: skipped ${malformed} malformed stream events in total`);
    return { finishReason: finishReason ?? 'stop' };
  } catch (error) {
    throw failure(error);
  } finally {
    clearTimer();
    signal?.removeEventListener('abort', onCallerAbort);
    // Frees the socket when we stop early ([DONE] before EOF, failure, or the consumer broke off).
    if (!controller.signal.aborted) controller.abort();
    try {
      reader?.releaseLock();
    } catch {
      // Already released or errored: nothing left to free.
    }
  }
}
