/**
 * The circuit permits one chat attempt holds: the chat endpoint's and each usable model's
 * (a model whose circuit is open is skipped, so the fallback list shrinks instead of failing).
 * Settled exactly once with the attempt's outcome. No `vscode` import.
 */
import type { Logger } from '../base/logger';
import { endpointKey, failureScope, modelKey, type CircuitBreaker, type CircuitBreakers } from './circuitBreaker';
import { circuitOpenError, type OpenRouterError } from './errors';
import type { ChatRequest } from './types';

export const CHAT_ENDPOINT = 'chat';

/** Circuit permits held by one chat attempt, settled exactly once. */
export class ChatLease {
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

/** Takes permits from the chat endpoint breaker and from each usable model's breaker. */
export function acquireChat(circuits: CircuitBreakers, request: ChatRequest, log: Logger): { lease: ChatLease; models: string[] } {
  const endpoint = circuits.get(endpointKey(CHAT_ENDPOINT));
  const endpointPermit = endpoint.tryAcquire();
  if (!endpointPermit.ok) throw circuitOpenError(endpoint.key, endpointPermit.retryInMs);

  const candidates = [...new Set([request.model, ...(request.fallbackModels ?? [])])];
  const models: string[] = [];
  const breakers: CircuitBreaker[] = [];
  let soonest: { key: string; retryInMs: number } | undefined;
  for (const model of candidates) {
    const breaker = circuits.get(modelKey(model));
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
  if (models[0] !== request.model) log.info(`openrouter: ${request.model} is paused by its circuit; using ${models[0]}`);
  return { lease: new ChatLease(endpoint, breakers), models };
}
