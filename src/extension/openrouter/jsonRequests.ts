/**
 * The GETs of the JSON endpoints (/models, /key, /generation, /models/…/endpoints): a timeout,
 * the endpoint's circuit breaker and retries (a GET is idempotent), then schema validation.
 * Also reads the API key for every request, so a key change applies at once; each key read is
 * remembered in `secrets` for the scrubbing of logs and errors. No `vscode` import.
 */
import { endpointKey, failureScope, type CircuitBreakers } from './circuitBreaker';
import { cancelledError, circuitOpenError, connectTimeoutError, invalidResponseError, isOpenRouterError, missingKeyError, networkError } from './errors';
import type { Logger } from '../base/logger';
import { errorFromResponse, joinUrl, requestHeaders } from './http';
import { withRetry, type RetryPolicy } from './retry';
import type { OpenRouterClientDeps, Timeouts } from './types';
import type * as z from 'zod';

export interface JsonRequestsDeps {
  readonly client: OpenRouterClientDeps;
  readonly circuits: CircuitBreakers;
  /** Shared with the chat stream: every key read goes in, and everything logged is scrubbed of them. */
  readonly secrets: Set<string>;
  readonly log: Logger;
  /** Read on every request: a changed timeout applies to the next one. */
  readonly timeouts: () => Timeouts;
  readonly retryPolicy: RetryPolicy;
}

export class JsonRequests {
  constructor(private readonly d: JsonRequestsDeps) {}

  async readKey(override?: string): Promise<string> {
    let key: string | undefined;
    try {
      key = override ?? (await this.d.client.apiKey());
    } catch {
      // A secret store failure reads as "no key"; its text could hold the key.
      key = undefined;
    }
    key = key?.trim();
    if (!key) throw missingKeyError();
    this.d.secrets.add(key);
    return key;
  }

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
      this.d.log.warn(`openrouter: ${endpoint} response failed validation: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      throw invalidResponseError(`${endpoint} response`);
    }
    return parsed.data;
  }

  /** GET with timeout, breaker and retries (GETs are idempotent). */
  async getText(
    endpoint: string,
    path: string,
    signal: AbortSignal | undefined,
    apiKeyOverride?: string,
    keyRequired = true,
  ): Promise<string> {
    const { clock } = this.d.client;
    return withRetry(
      async () => {
        const apiKey = keyRequired ? await this.readKey(apiKeyOverride) : await this.readKey(apiKeyOverride).catch(() => undefined);
        const breaker = this.d.circuits.get(endpointKey(endpoint));
        const permit = breaker.tryAcquire();
        if (!permit.ok) throw circuitOpenError(breaker.key, permit.retryInMs);
        try {
          const text = await this.getOnce(path, apiKey, signal);
          breaker.recordSuccess();
          return text;
        } catch (caught) {
          const error = isOpenRouterError(caught) ? caught : networkError(caught, this.d.secrets);
          // On the JSON endpoints a 502/503 is the endpoint's health, not a model's.
          if (failureScope(error.kind) !== 'none') breaker.recordFailure();
          else breaker.release();
          throw error;
        }
      },
      {
        policy: this.d.retryPolicy,
        clock,
        random: this.d.client.random,
        signal,
        onRetry: (n) => this.d.log.info(`openrouter: GET ${endpoint} failed (${n.error.kind}); attempt ${n.attempt} in ${n.delayMs} ms`),
      },
    );
  }

  private async getOnce(path: string, apiKey: string | undefined, signal: AbortSignal | undefined): Promise<string> {
    const { clock } = this.d.client;
    if (signal?.aborted) throw cancelledError();
    const controller = new AbortController();
    let timedOut = false;
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = clock.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.d.timeouts().requestMs);
    try {
      const response = await this.d.client.fetch(joinUrl(this.d.client.baseUrl(), path), {
        method: 'GET',
        headers: requestHeaders(apiKey, this.d.client.app, 'application/json'),
        signal: controller.signal,
      });
      if (!response.ok) throw await errorFromResponse(response, { now: clock.now(), secrets: this.d.secrets });
      return await response.text();
    } catch (caught) {
      if (isOpenRouterError(caught)) throw caught;
      if (signal?.aborted) throw cancelledError();
      if (timedOut) throw connectTimeoutError(this.d.timeouts().requestMs);
      throw networkError(caught, this.d.secrets);
    } finally {
      clock.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
