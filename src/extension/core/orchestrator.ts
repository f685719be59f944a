/**
 * The chat orchestrator: turns a user's intent (send, cancel, retry, regenerate,
 * edit, summarize) into stored messages and one streamed request, and publishes
 * what happens as typed events. It owns the order of things — persist the user
 * message before the request, stream into a message whose partial text is saved
 * periodically, settle it with usage, exact cost, latency and TTFT — and the error
 * policy. The client, the store, the catalog, the token counter and the cost
 * tracker are passed in. No `vscode` import.
 */
import type { ChatMessage, ChatRequest, ChatStreamEvent, StreamTiming } from '../openrouter/types';
import type { CatalogModel } from '../openrouter/catalog';
import { estimateCost, isFreeModel } from '../openrouter/pricing';
import { isOpenRouterError, type OpenRouterError } from '../openrouter/errors';
import { errorText, failureText } from './failureText';
import type { Conversation, JsonObject, StoredMessage } from '../storage/types';
import type { ChatEvents, FailureInfo } from './chatEvents';
import type { CostTracker } from './costTracker';
import type { EventBus } from '../base/events';
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import { ZERO, add, formatUsd, parseUsd, sub, toDecimalString, type Usd } from '../../shared/money';
import { findPii, redactPii } from './piiGuard';
import { DEFAULT_REPLY_RESERVE, fitToContext, replyReserve, type ChatTurn } from './contextWindow';
import { estimateTokens, MESSAGE_OVERHEAD_TOKENS } from './tokenCounter';
import type { ChatClientPort, HistoryPort, TokenCounterPort } from './ports';
import { titleFromFirstMessage } from './titles';
import { billOf, billingMetadata, cacheFigures, cacheMetadata } from './billing';
import {
  controlsFromMetadata,
  controlsMetadata,
  DEFAULT_CONTROL_SETTINGS,
  describeFields,
  expectedCacheReads,
  preflightAdjustment,
  requestFields,
  resolveControls,
  type ControlSettings,
  type SendControls,
} from './routing';

export interface ChatSettings {
  defaultModel: string;
  fallbackModels: readonly string[];
  temperature?: number;
  /** Reply limit sent as max_tokens; also the reserve kept free in the context window. */
  maxTokens?: number;
  systemPrompt?: string;
  redactPII: boolean;
  /** Silence after which the UI says "model is thinking…". */
  thinkingNoticeMs: number;
  /** How often a streaming reply's partial text is saved (bounded loss if the editor dies). */
  persistIntervalMs: number;
  /** The same text sent twice within this window is taken as a double-send. */
  doubleSendGuardMs: number;
  /** Defaults of the OpenRouter request controls (routing, reasoning, web search, preset, caching). */
  controls?: ControlSettings;
}

export const DEFAULT_CHAT_SETTINGS: Omit<ChatSettings, 'defaultModel'> = {
  fallbackModels: [],
  redactPII: false,
  thinkingNoticeMs: 30_000,
  persistIntervalMs: 1_000,
  doubleSendGuardMs: 2_000,
};

/** Used when the catalog does not know a model (custom endpoints); conservative. */
const UNKNOWN_CONTEXT_LENGTH = 8_192;

export interface OrchestratorDeps {
  client: ChatClientPort;
  history: HistoryPort;
  model: (id: string) => CatalogModel | undefined;
  tokens: TokenCounterPort;
  costs: CostTracker;
  bus: EventBus<ChatEvents>;
  clock: Pick<Clock, 'now'>;
  settings: () => ChatSettings;
  log: Logger;
  timers?: { setInterval: typeof setInterval; clearInterval: typeof clearInterval };
}

export type Refusal =
  | 'empty'
  | 'busy'
  | 'duplicate'
  | 'budget'
  | 'budget_confirm'
  | 'not_found'
  | 'invalid_target';

export type StartOutcome =
  | {
      status: 'started';
      conversationId: string;
      /** The user message the reply answers (undefined for a summary). */
      userMessageId: string | undefined;
      assistantMessageId: string;
      /** Settles with the final stored reply (complete, partial or failed); never rejects. */
      done: Promise<StoredMessage>;
    }
  | { status: 'refused'; reason: Refusal; message: string; conversationId?: string };

interface ActiveStream {
  controller: AbortController;
  messageId: string;
}

interface ReplyPlan {
  conversation: Conversation;
  /** Parent of the new assistant message (the user message, or null for a summary root). */
  parentId: string | null;
  modelId: string;
  /** The conversation turns to send, oldest first (system prompt excluded). */
  turns: ChatTurn[];
  metadata?: JsonObject;
  /** Routing, reasoning and web search for this request. */
  controls: SendControls;
}

export class ChatOrchestrator {
  private readonly active = new Map<string, ActiveStream>();
  private readonly lastSend = new Map<string, { text: string; at: number }>();
  private readonly background = new Set<Promise<unknown>>();
  private readonly costWrites = new Map<string, Promise<unknown>>();
  private readonly countCache = new Map<string, number>();
  private readonly timers: { setInterval: typeof setInterval; clearInterval: typeof clearInterval };

  constructor(private readonly deps: OrchestratorDeps) {
    this.timers = deps.timers ?? { setInterval, clearInterval };
  }

  isStreaming(conversationId: string): boolean {
    return this.active.has(conversationId);
  }

  /** Id of the reply streaming in a conversation, if any. */
  streamingMessageId(conversationId: string): string | undefined {
    return this.active.get(conversationId)?.messageId;
  }

  /** Sends a user message (creating the conversation when none is given) and streams the reply. */
  async send(input: {
    text: string;
    conversationId?: string;
    model?: string;
    overrideBudget?: boolean;
    /** The composer's picker: routing and reasoning stick to the conversation, web search is this send only. */
    controls?: SendControls;
  }): Promise<StartOutcome> {
    const text = input.text.trim();
    if (!text) return refuse('empty', 'Type a message first.');
    const settings = this.deps.settings();
    const existing = input.conversationId ? await this.deps.history.findConversation(input.conversationId) : undefined;
    if (input.conversationId && !existing) return refuse('not_found', 'That conversation no longer exists.');
    if (existing && this.active.has(existing.id)) {
      return refuse('busy', 'A reply is still streaming in this conversation. Wait for it or cancel it first.', existing.id);
    }
    const guardKey = existing?.id ?? '(new)';
    const last = this.lastSend.get(guardKey);
    const now = this.deps.clock.now();
    if (last && last.text === text && now - last.at < settings.doubleSendGuardMs) {
      return refuse('duplicate', 'That message was just sent.', existing?.id);
    }

    const modelId = input.model ?? existing?.modelId ?? settings.defaultModel;
    let outgoing = text;
    const metadata: JsonObject = {};
    if (settings.redactPII) {
      const redaction = redactPii(text);
      outgoing = redaction.text;
      if (Object.keys(redaction.counts).length) metadata.piiRedacted = redaction.counts as JsonObject;
    }

    const history = existing ? await this.turnsOf(existing.id) : [];
    const controls = resolveControls(input.controls, existing ? await this.lastControls(existing.id) : undefined, this.controlSettings());
    metadata['controls'] = controlsMetadata(controls);
    const budget = await this.checkBudget(modelId, [...history, { role: 'user', content: outgoing }], existing?.systemPrompt ?? settings.systemPrompt, input.overrideBudget === true, {
      controls,
      conversationId: existing?.id,
    });
    if (budget) return { ...budget, conversationId: existing?.id };

    this.lastSend.set(guardKey, { text, at: now });
    const conversation =
      existing ??
      (await this.deps.history.createConversation({
        title: titleFromFirstMessage(text),
        modelId,
        systemPrompt: settings.systemPrompt ?? null,
      }));
    if (!existing) this.lastSend.set(conversation.id, { text, at: now });
    const user = await this.deps.history.appendMessage({
      conversationId: conversation.id,
      role: 'user',
      content: outgoing,
      status: 'complete',
      metadata,
    });
    const turns = await this.turnsOf(conversation.id);
    return this.startReply({ conversation, parentId: user.id, modelId, turns, controls }, user.id);
  }

  /** Cancels the conversation's streaming reply; its partial text is kept. */
  cancel(conversationId: string): boolean {
    const stream = this.active.get(conversationId);
    if (!stream) return false;
    stream.controller.abort();
    return true;
  }

  /** A new reply to the same user message, as a sibling of the given reply (never overwriting it). */
  async regenerate(assistantMessageId: string, options: { overrideBudget?: boolean } = {}): Promise<StartOutcome> {
    const message = await this.deps.history.getMessage(assistantMessageId);
    if (message.role !== 'assistant' || message.parentId === null) {
      return refuse('invalid_target', 'Only a reply to a message can be regenerated.');
    }
    const parent = await this.deps.history.getMessage(message.parentId);
    return this.replyTo(parent, options.overrideBudget === true);
  }

  /** Retrying a failed or partial reply is regenerating it: the failed one stays as a branch. */
  retry(assistantMessageId: string, options: { overrideBudget?: boolean } = {}): Promise<StartOutcome> {
    return this.regenerate(assistantMessageId, options);
  }

  /** Edits a user message into a new sibling and streams the reply to it. */
  async editAndResend(userMessageId: string, text: string, options: { overrideBudget?: boolean } = {}): Promise<StartOutcome> {
    const original = await this.deps.history.getMessage(userMessageId);
    if (original.role !== 'user') return refuse('invalid_target', 'Only your own messages can be edited.');
    const trimmed = text.trim();
    if (!trimmed) return refuse('empty', 'The edited message is empty.');
    if (this.active.has(original.conversationId)) {
      return refuse('busy', 'A reply is still streaming in this conversation.', original.conversationId);
    }
    const settings = this.deps.settings();
    let content = trimmed;
    const metadata: JsonObject = { editedFrom: original.id };
    if (original.metadata['controls'] !== undefined) metadata['controls'] = original.metadata['controls'];
    if (settings.redactPII) {
      const redaction = redactPii(trimmed);
      content = redaction.text;
      if (Object.keys(redaction.counts).length) metadata.piiRedacted = redaction.counts as JsonObject;
    }
    const edited = await this.deps.history.appendMessage({
      conversationId: original.conversationId,
      parentId: original.parentId,
      role: 'user',
      content,
      status: 'complete',
      metadata,
    });
    return this.replyTo(edited, options.overrideBudget === true);
  }

  /**
   * Asks the model to summarise the active branch and continues in a new branch that
   * starts from the summary (a new root), so later requests carry the summary instead
   * of the whole history. The old branch stays reachable.
   */
  async summarize(conversationId: string): Promise<StartOutcome> {
    const conversation = await this.deps.history.findConversation(conversationId);
    if (!conversation) return refuse('not_found', 'That conversation no longer exists.');
    if (this.active.has(conversationId)) return refuse('busy', 'A reply is still streaming in this conversation.', conversationId);
    const path = await this.deps.history.activePath(conversationId);
    const leaf = path.at(-1)?.message;
    if (!leaf) return refuse('empty', 'There is nothing to summarise yet.');
    const turns: ChatTurn[] = [
      ...(await this.turnsOf(conversationId)),
      {
        role: 'user',
        content:
          'Summarise our conversation so far for a fresh start: keep facts, decisions, names, code identifiers and open questions. Reply with the summary only.',
      },
    ];
    const modelId = conversation.modelId ?? this.deps.settings().defaultModel;
    const controls = resolveControls(undefined, await this.lastControls(conversationId), this.controlSettings());
    return this.startReply(
      { conversation, parentId: null, modelId, turns, metadata: { summaryOf: leaf.id }, controls },
      undefined,
    );
  }

  /** The routing and reasoning the next send in a conversation would use (web search is per send). */
  async currentControls(conversationId: string | undefined): Promise<SendControls> {
    const c = resolveControls(undefined, conversationId ? await this.lastControls(conversationId) : undefined, this.controlSettings());
    return { ...(c.routing ? { routing: c.routing } : {}), ...(c.reasoning ? { reasoning: c.reasoning } : {}) };
  }

  /**
   * What the controls change in a send's estimate (web results, expected cache reads, cache
   * writes), for the composer's live estimate; the budget check applies the same rule.
   */
  async controlsAdjustment(args: { conversationId: string | undefined; modelId: string; promptTokens: number; controls: SendControls | undefined }): Promise<Usd> {
    const model = this.deps.model(args.modelId);
    const controls = resolveControls(args.controls, args.conversationId ? await this.lastControls(args.conversationId) : undefined, this.controlSettings());
    const fields = requestFields({ modelId: args.modelId, model, controls, settings: this.controlSettings(), conversationId: args.conversationId ?? 'new' });
    const previous = await this.lastReply(args.conversationId);
    const expected = expectedCacheReads({ modelId: args.modelId, promptCachingOn: this.controlSettings().promptCaching, previous, now: this.deps.clock.now() });
    return preflightAdjustment({ model, fields, promptTokens: args.promptTokens, expectedCachedTokens: expected }).adjustment;
  }

  /** Resolves when every background cost lookup has settled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.background.size) await Promise.allSettled([...this.background]);
  }

  /** Aborts every stream (extension shutdown). */
  dispose(): void {
    for (const stream of this.active.values()) stream.controller.abort();
  }

  // ── internals ───────────────────────────────────────────────────────────────

  private async replyTo(parent: StoredMessage, overrideBudget: boolean): Promise<StartOutcome> {
    if (parent.role !== 'user') return refuse('invalid_target', 'A reply needs a user message to answer.');
    const conversation = await this.deps.history.getConversation(parent.conversationId);
    if (this.active.has(conversation.id)) {
      return refuse('busy', 'A reply is still streaming in this conversation.', conversation.id);
    }
    const modelId = conversation.modelId ?? this.deps.settings().defaultModel;
    const turns = await this.turnsUpTo(conversation.id, parent.id);
    // A regenerated reply is asked for the way its question was first sent.
    const controls = controlsFromMetadata(parent.metadata) ?? resolveControls(undefined, await this.lastControls(conversation.id), this.controlSettings());
    const budget = await this.checkBudget(modelId, turns, conversation.systemPrompt ?? undefined, overrideBudget, { controls, conversationId: conversation.id });
    if (budget) return { ...budget, conversationId: conversation.id };
    return this.startReply({ conversation, parentId: parent.id, modelId, turns, controls }, parent.id);
  }

  private async startReply(plan: ReplyPlan, userMessageId: string | undefined): Promise<StartOutcome> {
    const { conversation, modelId } = plan;
    const assistant = await this.deps.history.appendMessage({
      conversationId: conversation.id,
      parentId: plan.parentId,
      role: 'assistant',
      content: '',
      status: 'partial',
      modelId,
      metadata: { ...plan.metadata, requestedModel: modelId },
    });
    const controller = new AbortController();
    this.active.set(conversation.id, { controller, messageId: assistant.id });
    this.deps.bus.emit('message.started', {
      conversationId: conversation.id,
      messageId: assistant.id,
      parentId: plan.parentId,
      model: modelId,
    });
    this.deps.bus.emit('conversation.changed', { conversationId: conversation.id });
    const done = this.stream(plan, assistant, controller.signal)
      .catch((error: unknown) => {
        // A bug of ours must still settle the message visibly, never leave it "streaming".
        this.deps.log.error(`Chat engine failed unexpectedly: ${String(error)}`);
        return this.settleFailure(plan, assistant, '', '', undefined, {
          kind: 'internal',
          message: 'Something went wrong inside Neural Terminal. The reply was kept; see the logs.',
          action: 'retry',
          retryable: true,
          partial: false,
        });
      })
      .finally(() => {
        this.active.delete(conversation.id);
        this.deps.bus.emit('conversation.changed', { conversationId: conversation.id });
      });
    return {
      status: 'started',
      conversationId: conversation.id,
      userMessageId,
      assistantMessageId: assistant.id,
      done,
    };
  }

  private async stream(plan: ReplyPlan, first: StoredMessage, signal: AbortSignal): Promise<StoredMessage> {
    let placeholder = first;
    const settings = this.deps.settings();
    const model = this.deps.model(plan.modelId);
    const contextLength = model?.contextLength ?? UNKNOWN_CONTEXT_LENGTH;
    let fitted = await this.fit(plan, placeholder.id, contextLength, false);
    if (!fitted.ok) return this.settleFailure(plan, placeholder, '', '', undefined, fitted.failure);

    const ids = { conversationId: plan.conversation.id, messageId: placeholder.id };
    for (let serverRejections = 0; ; serverRejections++) {
      let content = '';
      let reasoning = '';
      let servedModel = plan.modelId;
      let provider: string | undefined;
      let generationId: string | undefined;
      let usage: Extract<ChatStreamEvent, { type: 'usage' }> | undefined;
      const citations: { url: string; title?: string }[] = [];
      let finish: Extract<ChatStreamEvent, { type: 'finish' }> | undefined;
      const retriedGenerations: string[] = [];
      let lastPersist = this.deps.clock.now();
      let lastActivity = lastPersist;
      let stallNoticed = false;
      const watchdog = this.timers.setInterval(() => {
        const silent = this.deps.clock.now() - lastActivity;
        if (!stallNoticed && silent >= settings.thinkingNoticeMs) {
          stallNoticed = true;
          this.deps.bus.emit('message.stalled', { ...ids, silentForMs: silent });
        }
      }, Math.min(1_000, settings.thinkingNoticeMs));

      const fields = requestFields({
        modelId: plan.modelId,
        model,
        controls: plan.controls,
        settings: this.controlSettings(),
        conversationId: plan.conversation.id,
      });
      const request: ChatRequest = {
        model: plan.modelId,
        fallbackModels: settings.fallbackModels.filter((m) => m !== plan.modelId),
        messages: fitted.messages,
        ...(settings.maxTokens ? { maxTokens: settings.maxTokens } : {}),
        ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
        ...fields,
      };
      const described = describeFields(fields);
      if (described) placeholder = await this.deps.history.updateMessage(placeholder.id, { metadata: this.meta(placeholder, { controls: described }) });
      try {
        for await (const event of this.deps.client.streamChat(request, { signal })) {
          lastActivity = this.deps.clock.now();
          stallNoticed = false;
          switch (event.type) {
            case 'generation':
              generationId = event.id;
              await this.deps.history.updateMessage(placeholder.id, { generationId });
              break;
            case 'model':
              servedModel = event.model;
              provider = event.provider;
              break;
            case 'content':
              content += event.text;
              this.deps.bus.emit('token.generated', { ...ids, content: event.text, reasoning: '' });
              break;
            case 'reasoning':
              reasoning += event.text;
              this.deps.bus.emit('token.generated', { ...ids, content: '', reasoning: event.text });
              break;
            case 'usage':
              usage = event;
              break;
            case 'citations':
              for (const c of event.citations) {
                if (!citations.some((k) => k.url === c.url)) citations.push({ url: c.url, ...(c.title ? { title: c.title } : {}) });
              }
              break;
            case 'finish':
              finish = event;
              break;
            case 'retry':
              if (event.error.generationId) retriedGenerations.push(event.error.generationId);
              this.deps.bus.emit('message.retrying', {
                ...ids,
                attempt: event.attempt,
                delayMs: event.delayMs,
                retryAt: this.deps.clock.now() + event.delayMs,
                reason: failureText(event.error),
              });
              break;
          }
          if ((event.type === 'content' || event.type === 'reasoning') && lastActivity - lastPersist >= settings.persistIntervalMs) {
            lastPersist = lastActivity;
            await this.deps.history.updateMessage(placeholder.id, { content, metadata: this.meta(placeholder, { reasoning }) });
          }
        }
      } catch (error) {
        this.timers.clearInterval(watchdog);
        if (!isOpenRouterError(error)) throw error;
        if (error.kind === 'context_length' && serverRejections === 0 && !error.partial.delivered) {
          // The provider counts differently from us: refit below what it said it accepts.
          const limit = error.details.serverMessage ? parseContextLimit(error.details.serverMessage) : undefined;
          const tighter = Math.floor(Math.min(limit ?? contextLength, fitted.budgetUsed) * 0.75);
          const refit = await this.fit(plan, placeholder.id, tighter, true);
          // Resending the very same messages would only be rejected again.
          if (refit.ok && refit.messages.length < fitted.messages.length) {
            fitted = refit;
            continue;
          }
        }
        const outcome = this.describeFailure(error, content.length + reasoning.length > 0);
        const billed = generationId ?? error.generationId;
        // Settled first: the lookups below read and rewrite the settled cost.
        const failed = await this.settleFailure(plan, placeholder, content, reasoning, { generationId: billed, servedModel, promptTokens: fitted.promptTokens }, outcome, error);
        this.lookUpRetriedAttempts(plan, placeholder.id, retriedGenerations, billed);
        return failed;
      }
      this.timers.clearInterval(watchdog);
      if (!finish) {
        // The iterator ended without a finish: treat as cut off (the client normally throws).
        return this.settleFailure(plan, placeholder, content, reasoning, { generationId, servedModel, promptTokens: fitted.promptTokens }, {
          kind: 'cut_off',
          message: 'The reply was cut off before it finished.',
          action: 'retry',
          retryable: true,
          partial: content.length > 0,
        });
      }
      const settled = await this.settleSuccess(plan, placeholder, { content, reasoning, servedModel, provider, generationId, usage, finish, promptTokens: fitted.promptTokens, citations });
      this.lookUpRetriedAttempts(plan, placeholder.id, retriedGenerations, generationId);
      return settled;
    }
  }

  private async settleSuccess(
    plan: ReplyPlan,
    placeholder: StoredMessage,
    r: {
      content: string;
      reasoning: string;
      servedModel: string;
      provider: string | undefined;
      generationId: string | undefined;
      usage: Extract<ChatStreamEvent, { type: 'usage' }> | undefined;
      finish: Extract<ChatStreamEvent, { type: 'finish' }>;
      promptTokens: number;
      citations: { url: string; title?: string }[];
    },
  ): Promise<StoredMessage> {
    const timing = r.finish.timing;
    const promptTokens = r.usage?.promptTokens ?? r.promptTokens;
    const completionTokens = r.usage?.completionTokens ?? estimateTokens(r.content) + estimateTokens(r.reasoning);
    const u = r.usage;
    const bill = u?.cost ? billOf({ cost: u.cost, upstreamCost: u.upstreamCost, byok: u.byok, source: 'usage' }) : undefined;
    const cache = cacheFigures(this.deps.model(r.servedModel)?.pricing, u?.cachedTokens ?? 0, u?.cacheWriteTokens ?? 0);
    let cost: Usd | undefined = bill?.total;
    let source: 'usage' | 'estimate' = 'usage';
    if (!cost) {
      cost = this.estimate(r.servedModel, promptTokens, completionTokens, r.usage?.cachedTokens);
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
      metadata: this.meta(placeholder, {
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

  private async settleFailure(
    plan: ReplyPlan,
    placeholder: StoredMessage,
    content: string,
    reasoning: string,
    billing: { generationId: string | undefined; servedModel: string; promptTokens: number } | undefined,
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
      metadata: this.meta(placeholder, {
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
  private lookUpRetriedAttempts(plan: ReplyPlan, messageId: string, generationIds: readonly string[], billedId?: string): void {
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

  private describeFailure(error: OpenRouterError, delivered: boolean): FailureInfo {
    return {
      kind: error.kind,
      message: failureText(error),
      action: error.action,
      retryable: error.retryable,
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
      partial: delivered,
      ...(error.details.moderationReasons ? { moderationReasons: error.details.moderationReasons } : {}),
      ...(error.details.affordableTokens !== undefined ? { affordableTokens: error.details.affordableTokens } : {}),
      ...(error.details.dailyLimit ? { dailyLimit: true } : {}),
    };
  }

  private async fit(
    plan: ReplyPlan,
    messageId: string,
    contextLength: number,
    afterServerRejection: boolean,
  ): Promise<
    | { ok: true; messages: ChatMessage[]; promptTokens: number; budgetUsed: number }
    | { ok: false; failure: FailureInfo }
  > {
    const settings = this.deps.settings();
    const model = this.deps.model(plan.modelId);
    const reserve = replyReserve(contextLength, model?.maxCompletionTokens, settings.maxTokens);
    const system = plan.conversation.systemPrompt ?? undefined;
    const all = system ? [{ role: 'system' as const, content: system }, ...plan.turns] : plan.turns;
    const counts = new Map<ChatTurn, number>();
    for (const turn of all) counts.set(turn, await this.countTurn(plan.modelId, turn));
    const result = fitToContext({
      system,
      history: plan.turns,
      contextLength,
      replyReserve: reserve,
      tokens: (turn) => counts.get(turn) ?? estimateTokens(turn.content) + MESSAGE_OVERHEAD_TOKENS,
    });
    if (!result.ok) {
      return {
        ok: false,
        failure: {
          kind: 'context_length',
          message: `This message is too long for ${plan.modelId}: about ${result.promptTokens} tokens, but only ${result.budget} fit with the reply reserve. Shorten it or pick a model with a larger context.`,
          action: 'shorten_context',
          retryable: false,
          partial: false,
        },
      };
    }
    if (result.truncated) {
      this.deps.bus.emit('context.truncated', {
        conversationId: plan.conversation.id,
        messageId,
        dropped: result.dropped,
        promptTokens: result.promptTokens,
        budget: contextLength - reserve,
        afterServerRejection,
      });
    }
    return {
      ok: true,
      messages: result.messages.map((t) => ({ role: t.role, content: t.content })),
      promptTokens: result.promptTokens,
      budgetUsed: result.promptTokens + reserve,
    };
  }

  private async countTurn(modelId: string, turn: ChatTurn): Promise<number> {
    const key = `${modelId}\u0000${turn.role}\u0000${turn.content}`;
    const cached = this.countCache.get(key);
    if (cached !== undefined) return cached;
    let n: number;
    try {
      n = await this.deps.tokens.countMessage(modelId, turn.content);
    } catch (error) {
      this.deps.log.warn(`Token counting fell back to an estimate: ${String(error)}`);
      n = estimateTokens(turn.content) + MESSAGE_OVERHEAD_TOKENS;
    }
    if (this.countCache.size > 5_000) this.countCache.clear();
    this.countCache.set(key, n);
    return n;
  }

  /** The active branch as chat turns, skipping failed or empty replies. */
  private async turnsOf(conversationId: string): Promise<ChatTurn[]> {
    return toTurns((await this.deps.history.activePath(conversationId)).map((e) => e.message));
  }

  /** The branch from the root to (and including) a message. */
  private async turnsUpTo(conversationId: string, messageId: string): Promise<ChatTurn[]> {
    const path = (await this.deps.history.activePath(conversationId)).map((e) => e.message);
    const index = path.findIndex((m) => m.id === messageId);
    if (index >= 0) return toTurns(path.slice(0, index + 1));
    // Not on the active branch: walk up from the message itself.
    const chain: StoredMessage[] = [];
    for (let m: StoredMessage | undefined = await this.deps.history.getMessage(messageId); m; ) {
      chain.unshift(m);
      m = m.parentId ? await this.deps.history.getMessage(m.parentId) : undefined;
    }
    return toTurns(chain);
  }

  private controlSettings(): ControlSettings {
    return this.deps.settings().controls ?? DEFAULT_CONTROL_SETTINGS;
  }

  /** The controls of the last user message on the conversation's active branch. */
  private async lastControls(conversationId: string): Promise<SendControls | undefined> {
    const path = await this.deps.history.activePath(conversationId);
    for (let i = path.length - 1; i >= 0; i--) {
      const m = path[i]?.message;
      if (m?.role === 'user') return controlsFromMetadata(m.metadata);
    }
    return undefined;
  }

  /** The last reply on the active branch: its prompt is the prefix a provider may still have cached. */
  private async lastReply(conversationId: string | undefined): Promise<StoredMessage | undefined> {
    if (!conversationId) return undefined;
    const path = await this.deps.history.activePath(conversationId);
    for (let i = path.length - 1; i >= 0; i--) {
      const m = path[i]?.message;
      if (m?.role === 'assistant' && m.status === 'complete') return m;
    }
    return undefined;
  }

  private async checkBudget(
    modelId: string,
    turns: ChatTurn[],
    systemPrompt: string | undefined,
    override: boolean,
    send?: { controls: SendControls; conversationId: string | undefined },
  ): Promise<{ status: 'refused'; reason: Refusal; message: string } | undefined> {
    const model = this.deps.model(modelId);
    const free = model ? isFreeModel(model.pricing) : false;
    const promptTokens =
      turns.reduce((n, t) => n + estimateTokens(t.content) + MESSAGE_OVERHEAD_TOKENS, 0) +
      (systemPrompt ? estimateTokens(systemPrompt) : 0);
    const maxReply = this.deps.settings().maxTokens ?? model?.maxCompletionTokens ?? DEFAULT_REPLY_RESERVE;
    let estimate = model ? estimateCost(model.pricing, { promptTokens, completionTokens: maxReply }) : undefined;
    let webSearchCost: Usd | undefined;
    if (send && estimate?.kind === 'estimate') {
      // Web results are priced, and a warm prompt cache makes the send cheaper: the estimate says so.
      const fields = requestFields({ modelId, model, controls: send.controls, settings: this.controlSettings(), conversationId: send.conversationId ?? 'new' });
      const previous = await this.lastReply(send.conversationId);
      const expected = expectedCacheReads({ modelId, promptCachingOn: this.controlSettings().promptCaching, previous, now: this.deps.clock.now() });
      const pre = preflightAdjustment({ model, fields, promptTokens, expectedCachedTokens: expected });
      estimate = { kind: 'estimate', usd: add(estimate.usd, pre.adjustment) };
      if (fields.webSearch) webSearchCost = pre.webSearch;
    }
    // Web search costs money even on a free model.
    const paidExtras = webSearchCost !== undefined && webSearchCost.atto > 0n;
    const check = this.deps.costs.checkSend({
      estimate: estimate?.kind === 'estimate' ? estimate.usd : undefined,
      free: free && !paidExtras,
      override,
    });
    if (!check.ok) return { status: 'refused', reason: 'budget', message: check.message };
    if (check.warning && !override) {
      return {
        status: 'refused',
        reason: 'budget_confirm',
        message: `This send could cost up to ${formatUsd(sub(check.warning.projected, this.spentIn(check.warning.scope)), 4)} and take the ${check.warning.scope} spend to ${formatUsd(check.warning.projected, 4)} of its ${formatUsd(check.warning.limit, 4)} budget. Send anyway?`,
      };
    }
    // A paid model whose price is unknown cannot be checked against a budget: ask, never pass.
    if (!free && estimate?.kind !== 'estimate' && !override && this.deps.costs.statuses().length > 0) {
      const why = model ? 'its price varies with the model the router picks' : 'it is not in the model list (not loaded yet, or not offered)';
      return {
        status: 'refused',
        reason: 'budget_confirm',
        message: `The price of ${modelId} is unknown (${why}), so this send cannot be checked against your budget. Send anyway?`,
      };
    }
    return undefined;
  }

  private spentIn(scope: 'session' | 'monthly'): Usd {
    return scope === 'session' ? this.deps.costs.sessionSpent : this.deps.costs.monthSpent;
  }

  private estimate(modelId: string, promptTokens: number, completionTokens: number, cachedTokens: number | undefined): Usd | undefined {
    const model = this.deps.model(modelId);
    if (!model) return undefined;
    const e = estimateCost(model.pricing, { promptTokens, completionTokens, cachedTokens });
    return e.kind === 'estimate' ? e.usd : undefined;
  }

  private meta(placeholder: StoredMessage, extra: Record<string, unknown>): JsonObject {
    const out: JsonObject = { ...placeholder.metadata };
    for (const [k, v] of Object.entries(extra)) {
      if (v !== undefined) out[k] = v as JsonObject[string];
    }
    return out;
  }
}

function refuse(reason: Refusal, message: string, conversationId?: string): StartOutcome {
  return { status: 'refused', reason, message, ...(conversationId ? { conversationId } : {}) };
}

function toTurns(messages: readonly StoredMessage[]): ChatTurn[] {
  return messages
    .filter((m) => m.content.length > 0 && !(m.role === 'assistant' && m.status === 'failed'))
    .map((m) => ({ role: m.role, content: m.content }));
}

function rate(completionTokens: number, timing: StreamTiming): number | undefined {
  if (timing.firstTokenAt === undefined) return undefined;
  const seconds = (timing.endedAt - timing.firstTokenAt) / 1000;
  return seconds > 0 ? Math.round((completionTokens / seconds) * 10) / 10 : undefined;
}

/** "maximum context length is 8192 tokens" → 8192. */
export function parseContextLimit(message: string): number | undefined {
  const m = /context length is (\d[\d,]*)/i.exec(message) ?? /maximum (?:context|tokens?)[^\d]{0,20}(\d[\d,]*)/i.exec(message);
  if (!m?.[1]) return undefined;
  const n = Number(m[1].replace(/,/g, ''));
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
