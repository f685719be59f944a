/**
 * The OpenRouter client every reply flows through: streaming chat with retries
 * (only before the first token; one attempt's work in `chatAttempt.ts`), circuit breakers
 * (`chatLease.ts`), fallback models, and
 * the JSON endpoints /models, /key and /generation (their GETs in `jsonRequests.ts`; /credits
 * and /activity in `account.ts`; the
 * request body in `requestOptions.ts`). Everything it touches — base URL, key,
 * fetch, clock, logger, randomness — is injected. The key is read from its
 * provider on every request and never appears in a log line or error text.
 * No `vscode` import.
 */
import { toDecimalString, usdFromNumber } from '../../shared/money';
import { sleep } from '../base/clock';
import type { Logger } from '../base/logger';
import { ChatAttempt, type ChatAttemptContext } from './chatAttempt';
import type { AttemptEnd } from './chatStream';
import { CircuitBreakers, DEFAULT_CIRCUIT_OPTIONS, type CircuitOptions } from './circuitBreaker';
import { cancelledError, invalidResponseError, isOpenRouterError, OpenRouterError } from './errors';
import { scrubbingLogger } from './http';
import { JsonRequests } from './jsonRequests';
import { keyInfoFrom } from './account';
import { parsePrice, type Price } from './pricing';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
import { endpointsSchema, generationSchema, keyInfoSchema, zdrEndpointsSchema } from './schemas';
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

export interface ModelEndpoint {
  readonly name: string;
  readonly tag: string;
  readonly prompt: Price;
  readonly completion: Price;
  /** This provider's own cache prices; absent when it lists none (reads and writes then cost the prompt price). */
  readonly cacheRead?: Price;
  readonly cacheWrite?: Price;
  /** The model's permaslug as the endpoints API names it (matches `/endpoints/zdr`). */
  readonly modelId?: string;
  /** On OpenRouter's zero-data-retention list; undefined when that list could not be read. */
  readonly zdr?: boolean;
  /** Median time to first token and tokens per second over the last 30 minutes (what `sort` ranks by). */
  readonly latencyP50?: number;
  readonly throughputP50?: number;
}

/** How `/endpoints/zdr` names one endpoint: permaslug and provider tag. */
export const zdrKey = (modelId: string, tag: string): string => `${modelId}\u0000${tag.toLowerCase()}`;

export class OpenRouterClient {
  /** Breakers by endpoint and model; subscribe to `circuits.onChange` for `circuit.changed` events. */
  readonly circuits: CircuitBreakers;
  private readonly log: Logger;
  private readonly secrets = new Set<string>();
  private timeouts: Timeouts;
  private readonly retryPolicy: RetryPolicy;
  private readonly lookupPolicy: GenerationLookupPolicy;
  private readonly json: JsonRequests;
  private readonly attemptContext: ChatAttemptContext;

  constructor(private readonly deps: OpenRouterClientDeps) {
    this.log = scrubbingLogger(deps.logger, this.secrets);
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...deps.retry };
    this.lookupPolicy = { ...DEFAULT_GENERATION_LOOKUP, ...deps.generationLookup };
    this.circuits = new CircuitBreakers({ ...DEFAULT_CIRCUIT_OPTIONS, ...deps.circuit }, deps.clock);
    this.attemptContext = {
      deps,
      log: this.log,
      secrets: this.secrets,
      circuits: this.circuits,
      retryPolicy: this.retryPolicy,
      timeouts: () => this.timeouts,
      readKey: () => this.json.readKey(),
    };
    this.json = new JsonRequests({
      client: deps,
      circuits: this.circuits,
      secrets: this.secrets,
      log: this.log,
      timeouts: () => this.timeouts,
      retryPolicy: this.retryPolicy,
    });
  }

  /** New timeouts or circuit options, applied from the next request on (a settings change, no reload). */
  configure(options: { timeouts?: Partial<Timeouts>; circuit?: Partial<CircuitOptions> }): void {
    if (options.timeouts) this.timeouts = { ...this.timeouts, ...options.timeouts };
    if (options.circuit) this.circuits.configure(options.circuit);
  }

  /**
   * Streams one reply. Yields typed events; ends with a `finish` event, or
   * throws an `OpenRouterError`. Failed attempts are retried (with a `retry`
   * event first) only while no content or reasoning had been delivered.
   * Breaking out of the loop or aborting `options.signal` cancels the request.
   */
  async *streamChat(request: ChatRequest, options: StreamOptions = {}): AsyncGenerator<ChatStreamEvent, void, undefined> {
    const { signal } = options;
    const startedAt = this.deps.clock.now();
    for (let attempt = 1; ; attempt++) {
      // Everything but delivery is in ChatAttempt: this loop is what gets compiled hot.
      const run = new ChatAttempt(this.attemptContext, request, signal, attempt, startedAt);
      await run.prepare();
      try {
        // `send` may leave the header's generation event; each `read` refills the same array.
        const events = await run.send();
        const { progress } = run;
        let end: AttemptEnd | undefined;
        for (;;) {
          for (let i = 0; i < events.length; i++) {
            const event = events[i]!;
            // Counted on delivery: `partial` must say what the consumer really got.
            if (event.type === 'content') progress.contentChars += event.text.length;
            else if (event.type === 'reasoning') progress.reasoningChars += event.text.length;
            yield event;
            // A cancel during a yield stops delivery at once, not after the rest of this read.
            if (signal?.aborted) throw cancelledError();
          }
          if (end !== undefined) break;
          end = await run.read();
        }
        yield run.finish(end);
        return;
      } catch (caught) {
        const retry = run.failed(caught);
        yield retry;
        await run.backOff(retry.delayMs);
      } finally {
        // Aborts the request if it is still open (consumer stopped, cancel, failure).
        run.close();
      }
    }
  }

  /**
   * The raw `/models` body; parsing and caching belong to `ModelCatalog`. The endpoint
   * needs no key, so the list (and with it the budget's price check) loads on a first
   * run before the key is set; the key is sent when there is one.
   */
  async fetchModelsText(signal?: AbortSignal): Promise<string> {
    return this.json.getText('models', 'models', signal, undefined, false);
  }

  /**
   * Balance and usage of a key. Pass `apiKey` to check a key the user just
   * entered before storing it; otherwise the provider's key is used.
   */
  async getKeyInfo(options: { signal?: AbortSignal; apiKey?: string } = {}): Promise<KeyInfo> {
    return keyInfoFrom(await this.json.getJson('key', 'key', keyInfoSchema, options.signal, options.apiKey));
  }

  /** One validated GET of a JSON endpoint (the account endpoints pass their own key). */
  getJson<T>(endpoint: string, path: string, schema: z.ZodType<T>, signal: AbortSignal | undefined, apiKeyOverride?: string): Promise<T> {
    return this.json.getJson(endpoint, path, schema, signal, apiKeyOverride);
  }

  /** The providers serving a model, with their own prices (`tag` is the slug routing takes). */
  async getEndpoints(modelId: string, signal?: AbortSignal): Promise<ModelEndpoint[]> {
    const path = `models/${modelId.split('/').map(encodeURIComponent).join('/')}/endpoints`;
    const body = await this.json.getJson('endpoints', path, endpointsSchema, signal);
    const out: ModelEndpoint[] = [];
    for (const e of body.data.endpoints) {
      const prompt = parsePrice(e.pricing.prompt);
      const completion = parsePrice(e.pricing.completion);
      if (!prompt || !completion) continue;
      const cacheRead = e.pricing.input_cache_read ? parsePrice(e.pricing.input_cache_read) : undefined;
      const cacheWrite = e.pricing.input_cache_write ? parsePrice(e.pricing.input_cache_write) : undefined;
      out.push({
        name: e.provider_name,
        tag: e.tag ?? e.provider_name.toLowerCase(),
        prompt,
        completion,
        ...(cacheRead ? { cacheRead } : {}),
        ...(cacheWrite ? { cacheWrite } : {}),
        ...(e.model_id ? { modelId: e.model_id } : {}),
        ...(typeof e.latency_last_30m?.p50 === 'number' ? { latencyP50: e.latency_last_30m.p50 } : {}),
        ...(typeof e.throughput_last_30m?.p50 === 'number' ? { throughputP50: e.throughput_last_30m.p50 } : {}),
      });
    }
    return out;
  }

  /** The zero-data-retention endpoints of every model, as `zdrKey`s (`GET /endpoints/zdr`). */
  async getZdrEndpoints(signal?: AbortSignal): Promise<Set<string>> {
    const body = await this.json.getJson('endpoints', 'endpoints/zdr', zdrEndpointsSchema, signal);
    return new Set(body.data.map((e) => zdrKey(e.model_id, e.tag ?? e.provider_name)));
  }

  /** One `/generation` lookup; a 404 (not recorded yet) throws kind `not_found`. */
  async getGeneration(id: string, signal?: AbortSignal): Promise<GenerationCost> {
    const body = await this.json.getJson('generation', `generation?id=${encodeURIComponent(id)}`, generationSchema, signal);
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
}
