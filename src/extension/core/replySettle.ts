/**
 * Settle: writes a reply's final state — content, status, usage, exact cost (or an
 * estimate, replaced in the background by what /generation billed), latency, TTFT,
 * speed and PII findings — records its cost and announces it on the bus. Every cost
 * write after settling goes through `oneAtATime`, and each generation is billed once.
 * No `vscode` import.
 */
import type { ChatStreamEvent, StreamTiming } from '../openrouter/types';
import type { OpenRouterError } from '../openrouter/errors';
import { estimateCost, type ModelPricing } from '../openrouter/pricing';
import type { JsonObject, StoredMessage } from '../storage/types';
import { ZERO, add, parseUsd, sub, toDecimalString, type Usd } from '../../shared/money';
import { billOf, billingMetadata, cacheFigures, cacheMetadata } from './billing';
import type { FailureInfo } from './chatEvents';
import type { OrchestratorDeps, ReplyPlan } from './chatTypes';
import { errorText } from './failureText';
import { findPii } from './piiGuard';
import { servedPricing, type ProviderPrice } from './routedPricing';
import { estimateTokens } from './tokenCounter';

/** What a stream that finished delivered. */
export interface StreamedReply {
  content: string;
  reasoning: string;
  servedModel: string;
  provider: string | undefined;
  generationId: string | undefined;
  usage: Extract<ChatStreamEvent, { type: 'usage' }> | undefined;
  finish: Extract<ChatStreamEvent, { type: 'finish' }>;
  promptTokens: number;
  citations: { url: string; title?: string }[];
}

/** What a failed stream may have been billed for. */
export interface BilledAttempt {
  generationId: string | undefined;
  servedModel: string;
  promptTokens: number;
}

export class ReplySettler {
  private readonly background = new Set<Promise<unknown>>();
  private readonly costWrites = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: OrchestratorDeps) {}

  /** Resolves when every background cost lookup has settled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.background.size) await Promise.allSettled([...this.background]);
  }

  /** Stores a finished reply with its usage, exact cost (or an estimate, fixed later), speed and findings. */
  async success(plan: ReplyPlan, placeholder: StoredMessage, r: StreamedReply): Promise<StoredMessage> {
    const timing = r.finish.timing;
    const promptTokens = r.usage?.promptTokens ?? r.promptTokens;
    const completionTokens = r.usage?.completionTokens ?? estimateTokens(r.content) + estimateTokens(r.reasoning);
    const u = r.usage;
    const bill = u?.cost ? billOf({ cost: u.cost, upstreamCost: u.upstreamCost, byok: u.byok, source: 'usage' }) : undefined;
    const cacheTouched = (u?.cachedTokens ?? 0) > 0 || (u?.cacheWriteTokens ?? 0) > 0;
    // The saving is priced at the provider that served (providers differ in cache prices), as is an estimated cost.
    const served = cacheTouched || !bill ? await this.servedPricing(r.servedModel, r.provider) : undefined;
    const cache = cacheFigures(served?.pricing, u?.cachedTokens ?? 0, u?.cacheWriteTokens ?? 0, served?.provider?.name ?? served?.provider?.tag);
    let cost: Usd | undefined = bill?.total;
    let source: 'usage' | 'estimate' = 'usage';
    if (!cost) {
      cost = this.estimate(r.servedModel, promptTokens, completionTokens, r.usage?.cachedTokens, served?.pricing);
      source = 'estimate';
    }
    const tokensPerSecond = rate(completionTokens, timing);
    const found = findPii(r.content);
    const piiFound: JsonObject = {};
    for (const f of found) piiFound[f.kind] = ((piiFound[f.kind] as number | undefined) ?? 0) + 1;
    const message = await this.deps.history.updateMessage(placeholder.id, {
      content: r.content,
      status: 'complete',
      finishReason: r.finish.reason,
      modelId: r.servedModel,
      generationId: r.generationId ?? null,
      promptTokens,
      completionTokens,
      reasoningTokens: r.usage?.reasoningTokens ?? null,
      cachedTokens: r.usage?.cachedTokens ?? null,
      cost: cost ? { usd: toDecimalString(cost), source } : null,
      latencyMs: Math.max(0, Math.round(timing.endedAt - timing.startedAt)),
      ttftMs: timing.firstTokenAt !== undefined ? Math.max(0, Math.round(timing.firstTokenAt - timing.startedAt)) : null,
      metadata: meta(placeholder, {
        reasoning: r.reasoning || undefined,
        provider: r.provider,
        attempts: timing.attempts,
        tokensPerSecond,
        piiFound: found.length ? piiFound : undefined,
        billing: bill ? billingMetadata(bill) : undefined,
        cache: cache ? cacheMetadata(cache) : undefined,
        citations: r.citations.length ? r.citations : undefined,
      }),
    });
    if (cost) this.deps.costs.record(cost);
    if (source === 'estimate' && r.generationId) this.lookUpCost(plan, message.id, r.generationId, cost ?? ZERO);
    this.deps.bus.emit('message.completed', { conversationId: plan.conversation.id, message, tokensPerSecond });
    return message;
  }

  /** Stores a failed or cancelled reply with what arrived; anything that may be billed is costed. */
  async failure(
    plan: ReplyPlan,
    placeholder: StoredMessage,
    content: string,
    reasoning: string,
    billing: BilledAttempt | undefined,
    failure: FailureInfo,
    error?: OpenRouterError,
  ): Promise<StoredMessage> {
    const cancelled = failure.kind === 'cancelled';
    // Anything that reached the provider may be billed: estimate now, ask /generation later.
    let cost: Usd | undefined;
    if (billing?.generationId) {
      cost = this.estimate(billing.servedModel, billing.promptTokens, estimateTokens(content) + estimateTokens(reasoning), undefined);
    }
    const message = await this.deps.history.updateMessage(placeholder.id, {
      content,
      status: cancelled ? 'partial' : 'failed',
      finishReason: cancelled ? 'cancelled' : (error?.kind ?? failure.kind),
      modelId: billing?.servedModel ?? placeholder.modelId,
      generationId: billing?.generationId ?? null,
      cost: cost ? { usd: toDecimalString(cost), source: 'estimate' } : null,
      metadata: meta(placeholder, {
        reasoning: reasoning || undefined,
        error: cancelled ? undefined : { kind: failure.kind, message: failure.message, action: failure.action },
      }),
    });
    if (cost) this.deps.costs.record(cost);
    if (billing?.generationId) this.lookUpCost(plan, message.id, billing.generationId, cost ?? ZERO);
    this.deps.bus.emit('message.failed', { conversationId: plan.conversation.id, message, error: failure });
    return message;
  }

  /** Replaces an estimated cost with what OpenRouter billed, in the background. */
  private lookUpCost(plan: ReplyPlan, messageId: string, generationId: string, recorded: Usd): void {
    const task = this.deps.client
      .lookupGenerationCost(generationId)
      .then((billed) => this.oneAtATime(messageId, async () => {
        const current = await this.deps.history.getMessage(messageId);
        const extra = parseUsd(String(current.metadata.retriedAttemptsCost ?? '0')) ?? ZERO;
        const bill = billOf({ cost: billed.cost, upstreamCost: billed.upstreamCost, byok: billed.byok, source: 'generation' });
        const billing = billingMetadata(bill);
        const message = await this.deps.history.updateMessage(messageId, {
          cost: { usd: toDecimalString(add(bill.total, extra)), source: 'generation' },
          ...(current.promptTokens === null && billed.promptTokens !== undefined ? { promptTokens: billed.promptTokens } : {}),
          ...(billing ? { metadata: { ...current.metadata, billing } } : {}),
        });
        this.deps.costs.record(sub(bill.total, recorded));
        this.deps.bus.emit('message.costUpdated', { conversationId: plan.conversation.id, message });
      }))
      .catch((error: unknown) => {
        this.deps.log.info(`Cost of generation stays estimated: ${errorText(error)}`);
      });
    this.track(task);
  }

  /**
   * Attempts the client retried after the provider had started may still be billed
   * (docs/openrouter.md): add what /generation reports to the message so totals match the bill.
   */
  lookUpRetriedAttempts(plan: ReplyPlan, messageId: string, generationIds: readonly string[], billedId: string | undefined): void {
    // Each attempt is billed once: the settled generation is looked up by lookUpCost, and an
    // attempt the client reported twice must not be added twice.
    for (const id of new Set(generationIds)) {
      if (id === billedId) continue;
      const task = this.deps.client
        .lookupGenerationCost(id)
        .then((billed) => this.oneAtATime(messageId, async () => {
          const attempt = billOf({ cost: billed.cost, upstreamCost: billed.upstreamCost, byok: billed.byok, source: 'generation' }).total;
          if (attempt.atto === 0n) return;
          const current = await this.deps.history.getMessage(messageId);
          const base = current.cost ? (parseUsd(current.cost.usd) ?? ZERO) : ZERO;
          const extra = add(parseUsd(String(current.metadata.retriedAttemptsCost ?? '0')) ?? ZERO, attempt);
          const message = await this.deps.history.updateMessage(messageId, {
            cost: { usd: toDecimalString(add(base, attempt)), source: current.cost?.source ?? 'generation' },
            metadata: { ...current.metadata, retriedAttemptsCost: toDecimalString(extra) },
          });
          this.deps.costs.record(attempt);
          this.deps.bus.emit('message.costUpdated', { conversationId: plan.conversation.id, message });
        }))
        .catch(() => undefined); // an attempt that never generated has nothing to bill
      this.track(task);
    }
  }

  /**
   * Runs read-modify-writes of one message's cost one after another: the history is
   * asynchronous, so two lookups finishing together would otherwise both read the same
   * cost and one would overwrite the other's addition.
   */
  private oneAtATime<T>(messageId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.costWrites.get(messageId) ?? Promise.resolve();
    const result = previous.then(fn, fn);
    const tail = result.catch(() => undefined);
    this.costWrites.set(messageId, tail);
    void tail.then(() => {
      if (this.costWrites.get(messageId) === tail) this.costWrites.delete(messageId);
    });
    return result;
  }

  private track(task: Promise<unknown>): void {
    this.background.add(task);
    void task.finally(() => this.background.delete(task));
  }

  private estimate(modelId: string, promptTokens: number, completionTokens: number, cachedTokens: number | undefined, pricing?: ModelPricing): Usd | undefined {
    const model = this.deps.model(modelId);
    if (!model) return undefined;
    const e = estimateCost(pricing ?? model.pricing, { promptTokens, completionTokens, cachedTokens });
    return e.kind === 'estimate' ? e.usd : undefined;
  }

  /**
   * The served model's pricing at the provider the stream named, when that provider's prices
   * are known (or can be read now); else the catalog's. A failed read is not an error here.
   */
  private async servedPricing(modelId: string, provider: string | undefined): Promise<{ pricing: ModelPricing; provider: ProviderPrice | undefined } | undefined> {
    const model = this.deps.model(modelId);
    if (!model) return undefined;
    if (!provider) return { pricing: model.pricing, provider: undefined };
    let providers = this.deps.providers?.(modelId);
    if (!providers && this.deps.loadProviders) providers = await this.deps.loadProviders(modelId).catch(() => undefined);
    return servedPricing(model.pricing, providers, provider);
  }
}

/** The placeholder's metadata with `extra` laid over it (undefined values left out). */
export function meta(placeholder: StoredMessage, extra: Record<string, unknown>): JsonObject {
  const out: JsonObject = { ...placeholder.metadata };
  for (const [k, v] of Object.entries(extra)) {
    if (v !== undefined) out[k] = v as JsonObject[string];
  }
  return out;
}

/** Tokens per second from the first token to the end, to one decimal. */
function rate(completionTokens: number, timing: StreamTiming): number | undefined {
  if (timing.firstTokenAt === undefined) return undefined;
  const seconds = (timing.endedAt - timing.firstTokenAt) / 1000;
  return seconds > 0 ? Math.round((completionTokens / seconds) * 10) / 10 : undefined;
}
