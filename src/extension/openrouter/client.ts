/**
 * The OpenRouter client every reply flows through: streaming chat with retries
 * (only before the first token), circuit breakers, fallback models, and the JSON
 * endpoints /models, /key and /generation (/credits and /activity: account.ts). Everything it touches — base URL, key,
 * fetch, clock, logger, randomness — is injected. The key is read from its
 * provider on every request and never appears in a log line or error text.
 * No `vscode` import.
 */
import { toDecimalString, usdFromNumber } from '../../shared/money';
import { AttemptProgress, streamAttempt, type AttemptEnd } from './chatStream';
import {
  CircuitBreakers,
  DEFAULT_CIRCUIT_OPTIONS,
  endpointKey,
  failureScope,
  modelKey,
  type CircuitBreaker,
} from './circuitBreaker';
import { sleep } from '../base/clock';
import {
  cancelledError,
  circuitOpenError,
  invalidResponseError,
  isOpenRouterError,
  missingKeyError,
  networkError,
  OpenRouterError,
  connectTimeoutError,
} from './errors';
import type { Logger } from '../base/logger';
import { errorFromResponse, joinUrl, requestHeaders, scrubbingLogger } from './http';
import { providerBody, wireMessages } from './requestOptions';
import { decideRetry, DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry';
import { endpointsSchema, generationSchema, keyInfoSchema } from './schemas';
import { keyInfoFrom } from './account';
import { parsePrice, type Price } from './pricing';
import {
  DEFAULT_GENERATION_LOOKUP,
  DEFAULT_TIMEOUTS,
  type ChatRequest,
  type ChatStreamEvent,
  type GenerationCost,
  type GenerationLookupPolicy,
  type KeyInfo,
  type OpenRouterClientDeps,
  type StreamOptions,
  type Timeouts,
} from './types';
import type * as z from 'zod';

export const CHAT_ENDPOINT = 'chat';

export interface ModelEndpoint {
  readonly name: string;
  readonly tag: string;
  readonly prompt: Price;
  readonly completion: Price;
}

/** Passed to `return()` of an attempt we stop reading; the value itself is never used. */
const ABANDONED: AttemptEnd = { finishReason: 'abandoned' };

/** Circuit permits held by one chat attempt, settled exactly once. */
class ChatLease {
  private settled = false;

  constructor(
    private readonly endpoint: CircuitBreaker,
    private readonly models: readonly CircuitBreaker[],
  ) {}

  /** `undefined` = neutral (cancelled, consumer stopped, user error). */
  settle(outcome: 'success' | OpenRouterError | undefined, servedModel: string | undefined): void {
    if (this.settled) return;
    this.settled = true;
    if (outcome === 'success') {
      this.endpoint.recordSuccess();
      for (const m of this.models) {
        if (m.key === modelKey(servedModel ?? '')) m.recordSuccess();
        else m.release();
      }
      return;
    }
    const scope = outcome ? failureScope(outcome.kind) : 'none';
    if (scope === 'endpoint') this.endpoint.recordFailure();
    else this.endpoint.release();
    if (scope !== 'model') {
      for (const m of this.models) m.release();
      return;
    }
    // A mid-stream failure is the served model's; a 502/503 before the stream
    // means every model of the fallback list was tried and failed.
    const blamed = servedModel !== undefined ? this.models.filter((m) => m.key === modelKey(servedModel)) : this.models;
    for (const m of this.models) {
      if (blamed.includes(m)) m.recordFailure();
      else m.release();
    }
  }
}

export class OpenRouterClient {
  /** Breakers by endpoint and model; subscribe to `circuits.onChange` for `circuit.changed` events. */
  readonly circuits: CircuitBreakers;
  private readonly log: Logger;
  private readonly secrets = new Set<string>();
  private readonly timeouts: Timeouts;
  private readonly retryPolicy: RetryPolicy;
  private readonly lookupPolicy: GenerationLookupPolicy;

  constructor(private readonly deps: OpenRouterClientDeps) {
    this.log = scrubbingLogger(deps.logger, this.secrets);
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...deps.retry };
    this.lookupPolicy = { ...DEFAULT_GENERATION_LOOKUP, ...deps.generationLookup };
    this.circuits = new CircuitBreakers({ ...DEFAULT_CIRCUIT_OPTIONS, ...deps.circuit }, deps.clock);
  }

  /**
   * Streams one reply. Yields typed events; ends with a `finish` event, or
   * throws an `OpenRouterError`. Failed attempts are retried (with a `retry`
   * event first) only while no content or reasoning had been delivered.
   * Breaking out of the loop or aborting `options.signal` cancels the request.
   */
  async *streamChat(request: ChatRequest, options: StreamOptions = {}): AsyncGenerator<ChatStreamEvent, void, undefined> {
    const { clock } = this.deps;
    const { signal } = options;
    const startedAt = clock.now();
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw cancelledError();
      const apiKey = await this.readKey();
      const { lease, models } = this.acquireChat(request);
      const progress = new AttemptProgress();
      const attemptStartedAt = clock.now();
      let batches: AsyncGenerator<readonly ChatStreamEvent[], AttemptEnd, undefined> | undefined;
      try {
        this.log.debug(`openrouter: chat attempt ${attempt} model=${models[0]}${models.length > 1 ? ` fallbacks=${models.length - 1}` : ''}`);
        batches = streamAttempt({
          url: joinUrl(this.deps.baseUrl(), 'chat/completions'),
          headers: { ...requestHeaders(apiKey, this.deps.app, 'text/event-stream'), 'Content-Type': 'application/json' },
          body: chatBody(request, models),
          requestedModel: models[0] ?? request.model,
          fetch: this.deps.fetch,
          clock,
          logger: this.log,
          timeouts: this.timeouts,
          secrets: this.secrets,
          signal,
          progress,
        });
        let end: AttemptEnd;
        for (;;) {
          const step = await batches.next();
          if (step.done) {
            end = step.value;
            break;
          }
          for (const event of step.value) {
            // Counted on delivery: `partial` must say what the consumer really got.
            if (event.type === 'content') progress.contentChars += event.text.length;
            else if (event.type === 'reasoning') progress.reasoningChars += event.text.length;
            yield event;
            // A cancel during a yield stops delivery at once, not after the rest of this read.
            if (signal?.aborted) throw cancelledError();
          }
        }
        lease.settle('success', progress.servedModel);
        this.log.debug(`openrouter: chat done generation=${progress.generationId ?? '?'} reason=${end.finishReason}`);
        yield {
          type: 'finish',
          reason: end.finishReason,
          timing: {
            startedAt,
            attemptStartedAt,
            headersAt: progress.headersAt ?? attemptStartedAt,
            firstTokenAt: progress.firstTokenAt,
            endedAt: clock.now(),
            attempts: attempt,
          },
        };
        return;
      } catch (caught) {
        const error = (isOpenRouterError(caught) ? caught : networkError(caught, this.secrets)).withContext({
          partial: progress.partial,
          generationId: progress.generationId,
        });
        lease.settle(error, progress.servedModel);
        this.log.info(
          `openrouter: chat attempt ${attempt} failed kind=${error.kind}${error.status ? ` status=${error.status}` : ''}` +
            ` generation=${error.generationId ?? '-'} delivered=${error.partial.delivered}`,
        );
        const decision = decideRetry({
          error,
          attempts: attempt,
          elapsedMs: clock.now() - startedAt,
          policy: this.retryPolicy,
          random: this.deps.random,
        });
        if (!decision.retry) throw error;
        yield { type: 'retry', attempt: attempt + 1, delayMs: decision.delayMs, error };
        try {
          await sleep(clock, decision.delayMs, signal);
        } catch {
          throw cancelledError();
        }
      } finally {
        // Aborts the request if it is still open (consumer stopped, cancel, failure).
        await batches?.return(ABANDONED);
        // Reached with nothing settled only when the consumer stopped iterating.
        lease.settle(undefined, progress.servedModel);
      }
    }
  }

  /**
   * The raw `/models` body; parsing and caching belong to `ModelCatalog`. The endpoint
   * needs no key, so the list (and with it the budget's price check) loads on a first
   * run before the key is set; the key is sent when there is one.
   */
  async fetchModelsText(signal?: AbortSignal): Promise<string> {
    return this.getText('models', 'models', signal, undefined, false);
  }

  /**
   * Balance and usage of a key. Pass `apiKey` to check a key the user just
   * entered before storing it; otherwise the provider's key is used.
   */
  async getKeyInfo(options: { signal?: AbortSignal; apiKey?: string } = {}): Promise<KeyInfo> {
    return keyInfoFrom(await this.getJson('key', 'key', keyInfoSchema, options.signal, options.apiKey));
  }

  /** The providers serving a model, with their own prices (`tag` is the slug routing takes). */
  async getEndpoints(modelId: string, signal?: AbortSignal): Promise<ModelEndpoint[]> {
    const path = `models/${modelId.split('/').map(encodeURIComponent).join('/')}/endpoints`;
    const body = await this.getJson('endpoints', path, endpointsSchema, signal);
    const out: ModelEndpoint[] = [];
    for (const e of body.data.endpoints) {
      const prompt = parsePrice(e.pricing.prompt);
      const completion = parsePrice(e.pricing.completion);
      if (!prompt || !completion) continue;
      out.push({ name: e.provider_name, tag: e.tag ?? e.provider_name.toLowerCase(), prompt, completion });
    }
    return out;
  }

  /** One `/generation` lookup; a 404 (not recorded yet) throws kind `not_found`. */
  async getGeneration(id: string, signal?: AbortSignal): Promise<GenerationCost> {
    const body = await this.getJson('generation', `generation?id=${encodeURIComponent(id)}`, generationSchema, signal);
    const d = body.data;
    const cost = usdFromNumber(d.total_cost);
    if (!cost) throw invalidResponseError('generation cost');
    const upstream = d.upstream_inference_cost === null || d.upstream_inference_cost === undefined ? undefined : usdFromNumber(d.upstream_inference_cost);
    return {
      id: d.id,
      cost,
      costText: toDecimalString(cost),
      upstreamCost: upstream,
      byok: d.is_byok === true,
      model: d.model ?? undefined,
      provider: d.provider_name ?? undefined,
      promptTokens: d.native_tokens_prompt ?? d.tokens_prompt ?? undefined,
      completionTokens: d.native_tokens_completion ?? d.tokens_completion ?? undefined,
      reasoningTokens: d.native_tokens_reasoning ?? undefined,
      cachedTokens: d.native_tokens_cached ?? undefined,
      cancelled: d.cancelled ?? undefined,
      finishReason: d.finish_reason ?? undefined,
    };
  }

  /**
   * What a generation was billed, for replies that ended without `usage`
   * (cancelled, cut off, failed mid-stream). OpenRouter answers 404 for a few
   * seconds after a stream: those are retried with doubling delays, a bounded
   * number of times, then `not_found` is thrown and the cost stays estimated.
   */
  async lookupGenerationCost(id: string, signal?: AbortSignal): Promise<GenerationCost> {
    const policy = this.lookupPolicy;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.getGeneration(id, signal);
      } catch (error) {
        if (!isOpenRouterError(error) || error.kind !== 'not_found') throw error;
        if (attempt >= policy.maxAttempts) {
          throw new OpenRouterError({
            ...error.toInit(),
            details: { ...error.details, costNotRecorded: true },
            generationId: id,
          });
        }
        const delay = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
        this.log.debug(`openrouter: generation ${id} not recorded yet; lookup ${attempt + 1} in ${delay} ms`);
        try {
          await sleep(this.deps.clock, delay, signal);
        } catch {
          throw cancelledError();
        }
      }
    }
  }

  private async readKey(override?: string): Promise<string> {
    let key: string | undefined;
    try {
      key = override ?? (await this.deps.apiKey());
    } catch {
      // A secret store failure reads as "no key"; its text could hold the key.
      key = undefined;
    }
    key = key?.trim();
    if (!key) throw missingKeyError();
    this.secrets.add(key);
    return key;
  }

  /** Takes permits from the chat endpoint breaker and from each usable model's breaker. */
  private acquireChat(request: ChatRequest): { lease: ChatLease; models: string[] } {
    const endpoint = this.circuits.get(endpointKey(CHAT_ENDPOINT));
    const endpointPermit = endpoint.tryAcquire();
    if (!endpointPermit.ok) throw circuitOpenError(endpoint.key, endpointPermit.retryInMs);

    const candidates = [...new Set([request.model, ...(request.fallbackModels ?? [])])];
    const models: string[] = [];
    const breakers: CircuitBreaker[] = [];
    let soonest: { key: string; retryInMs: number } | undefined;
    for (const model of candidates) {
      const breaker = this.circuits.get(modelKey(model));
      const permit = breaker.tryAcquire();
      if (permit.ok) {
        models.push(model);
        breakers.push(breaker);
      } else if (!soonest || permit.retryInMs < soonest.retryInMs) {
        soonest = { key: breaker.key, retryInMs: permit.retryInMs };
      }
    }
    if (models.length === 0) {
      endpoint.release();
      throw circuitOpenError(soonest?.key ?? modelKey(request.model), soonest?.retryInMs ?? 0);
    }
    if (models[0] !== request.model) this.log.info(`openrouter: ${request.model} is paused by its circuit; using ${models[0]}`);
    return { lease: new ChatLease(endpoint, breakers), models };
  }

  /** One validated GET of a JSON endpoint (the account endpoints pass their own key). */
  async getJson<T>(
    endpoint: string,
    path: string,
    schema: z.ZodType<T>,
    signal: AbortSignal | undefined,
    apiKeyOverride?: string,
  ): Promise<T> {
    const text = await this.getText(endpoint, path, signal, apiKeyOverride);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw invalidResponseError(`${endpoint} response (not JSON)`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      this.log.warn(`openrouter: ${endpoint} response failed validation: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      throw invalidResponseError(`${endpoint} response`);
    }
    return parsed.data;
  }

  /** GET with timeout, breaker and retries (GETs are idempotent). */
  private async getText(
    endpoint: string,
    path: string,
    signal: AbortSignal | undefined,
    apiKeyOverride?: string,
    keyRequired = true,
  ): Promise<string> {
    const { clock } = this.deps;
    return withRetry(
      async () => {
        const apiKey = keyRequired ? await this.readKey(apiKeyOverride) : await this.readKey(apiKeyOverride).catch(() => undefined);
        const breaker = this.circuits.get(endpointKey(endpoint));
        const permit = breaker.tryAcquire();
        if (!permit.ok) throw circuitOpenError(breaker.key, permit.retryInMs);
        try {
          const text = await this.getOnce(path, apiKey, signal);
          breaker.recordSuccess();
          return text;
        } catch (caught) {
          const error = isOpenRouterError(caught) ? caught : networkError(caught, this.secrets);
          // On the JSON endpoints a 502/503 is the endpoint's health, not a model's.
          if (failureScope(error.kind) !== 'none') breaker.recordFailure();
          else breaker.release();
          throw error;
        }
      },
      {
        policy: this.retryPolicy,
        clock,
        random: this.deps.random,
        signal,
        onRetry: (n) => this.log.info(`openrouter: GET ${endpoint} failed (${n.error.kind}); attempt ${n.attempt} in ${n.delayMs} ms`),
      },
    );
  }

  private async getOnce(path: string, apiKey: string | undefined, signal: AbortSignal | undefined): Promise<string> {
    const { clock } = this.deps;
    if (signal?.aborted) throw cancelledError();
    const controller = new AbortController();
    let timedOut = false;
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = clock.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeouts.requestMs);
    try {
      const response = await this.deps.fetch(joinUrl(this.deps.baseUrl(), path), {
        method: 'GET',
        headers: requestHeaders(apiKey, this.deps.app, 'application/json'),
        signal: controller.signal,
      });
      if (!response.ok) throw await errorFromResponse(response, { now: clock.now(), secrets: this.secrets });
      return await response.text();
    } catch (caught) {
      if (isOpenRouterError(caught)) throw caught;
      if (signal?.aborted) throw cancelledError();
      if (timedOut) throw connectTimeoutError(this.timeouts.requestMs);
      throw networkError(caught, this.secrets);
    } finally {
      clock.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

/** The OpenAI-compatible body; `models` only when there is a fallback to fall back to. */
export function chatBody(request: ChatRequest, models: readonly string[]): string {
  const body: Record<string, unknown> = {
    model: models[0] ?? request.model,
    messages: wireMessages(request.messages, request.cacheStyle),
    stream: true,
  };
  if (models.length > 1) body['models'] = models;
  if (request.maxTokens !== undefined) body['max_tokens'] = request.maxTokens;
  if (request.temperature !== undefined) body['temperature'] = request.temperature;
  if (request.topP !== undefined) body['top_p'] = request.topP;
  if (request.reasoning) {
    const r = request.reasoning;
    body['reasoning'] = {
      ...(r.effort !== undefined ? { effort: r.effort } : {}),
      ...(r.maxTokens !== undefined ? { max_tokens: r.maxTokens } : {}),
      ...(r.exclude !== undefined ? { exclude: r.exclude } : {}),
    };
  }
  const provider = providerBody(request.provider);
  if (provider) body['provider'] = provider;
  if (request.webSearch) body['plugins'] = [{ id: 'web', max_results: request.webSearch.maxResults }];
  if (request.preset) body['preset'] = request.preset;
  if (request.sessionId) body['session_id'] = request.sessionId;
  return JSON.stringify(body);
}
