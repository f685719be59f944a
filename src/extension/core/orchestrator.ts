/**
 * The chat orchestrator: turns a user's intent (send, cancel, retry, regenerate,
 * edit, summarize) into stored messages and one streamed request, and publishes
 * what happens as typed events. It owns the order of things — persist the user
 * message before the request, stream into a message whose partial text is saved
 * periodically, settle it with usage, exact cost, latency and TTFT — and the error
 * policy. Each step lives beside it: replyPlan.ts (which turns, which controls, the
 * PII guard), budgetGate.ts (may it be sent), replyFit.ts (fit the context window),
 * replyStream.ts (stream) and replySettle.ts (store the outcome and its cost). The
 * client, the store, the catalog, the token counter and the cost tracker are passed
 * in. No `vscode` import.
 */
import type { StoredMessage, JsonObject } from '../storage/types';
import { checkBudget, checkFanOutBudget, priceSend, type SendPrice } from './budgetGate';
import { refuse, type ActiveStream, type CompareOutcome, type OrchestratorDeps, type PersistedUser, type Refusal, type ReplyPlan, type SendInput, type StartOutcome } from './chatTypes';
import { compareModels, comparisonMetadata, withWinner } from './compare';
import type { ChatTurn } from './contextWindow';
import { ContextFitter } from './replyFit';
import { controlSettings, lastControls, outgoingText, turnsOf, turnsUpTo } from './replyPlan';
import { ReplySettler } from './replySettle';
import { streamReply, type ReplySteps } from './replyStream';
import { controlsFromMetadata, controlsMetadata, resolveControls, type SendControls } from './routing';
import { titleFromFirstMessage } from './titles';
import { composeUserContent, readSentAttachments } from '../../shared/attachments';
import { turnMedia, withAttachments } from './attachments/outgoing';
import { imageRefusal } from './attachments/mediaPolicy';

export { DEFAULT_CHAT_SETTINGS, type ChatSettings, type CompareOutcome, type OrchestratorDeps, type Refusal, type StartOutcome } from './chatTypes';
export { parseContextLimit } from './replyStream';

export class ChatOrchestrator {
  private readonly active = new Map<string, ActiveStream>();
  private readonly lastSend = new Map<string, { text: string; at: number }>();
  private readonly settler: ReplySettler;
  private readonly steps: ReplySteps;

  constructor(private readonly deps: OrchestratorDeps) {
    this.settler = new ReplySettler(deps);
    this.steps = {
      deps,
      fitter: new ContextFitter(deps),
      settler: this.settler,
      timers: deps.timers ?? { setInterval, clearInterval },
    };
  }

  isStreaming(conversationId: string): boolean {
    return this.active.has(conversationId);
  }

  /** Id of the reply streaming in a conversation, if any. */
  streamingMessageId(conversationId: string): string | undefined {
    return this.active.get(conversationId)?.messageId;
  }

  /** Sends a user message (creating the conversation when none is given) and streams the reply. */
  async send(input: SendInput): Promise<StartOutcome> {
    const prepared = await this.persistUser(input, undefined);
    if ('status' in prepared) return prepared;
    const { conversation, user, modelIds, controls } = prepared;
    const turns = await turnsOf(this.deps.history, conversation.id);
    return this.startReply({ conversation, parentId: user.id, modelId: modelIds[0] as string, turns, controls }, user.id);
  }

  /**
   * Sends one prompt (with its attachments) to 2–6 models at once: each reply is a sibling
   * of the same user message, the budget check covers the whole fan-out (asked once), and
   * one cancel stops them all. The comparison is recorded on the user message.
   */
  async compare(input: Omit<SendInput, 'model'> & { models: readonly string[] }): Promise<CompareOutcome> {
    const chosen = compareModels(input.models);
    if (!chosen.ok) return refuse('invalid_target', chosen.message, input.conversationId) as Extract<StartOutcome, { status: 'refused' }>;
    const prepared = await this.persistUser(input, chosen.models);
    if ('status' in prepared) return prepared;
    const { conversation, user, modelIds, controls } = prepared;
    const turns = await turnsOf(this.deps.history, conversation.id);
    const controller = new AbortController();
    const replies: { model: string; assistantMessageId: string; done: Promise<StoredMessage> }[] = [];
    for (const modelId of modelIds) {
      const out = await this.startReply({ conversation, parentId: user.id, modelId, turns, controls, metadata: { comparisonOf: user.id } }, user.id, controller);
      if (out.status === 'started') replies.push({ model: modelId, assistantMessageId: out.assistantMessageId, done: out.done });
    }
    const record = { models: modelIds, replies: replies.map((r) => r.assistantMessageId), winner: null, at: this.deps.clock.now() };
    await this.deps.history.updateMessage(user.id, { metadata: { ...user.metadata, ...comparisonMetadata(record) } });
    this.deps.bus.emit('conversation.changed', { conversationId: conversation.id });
    return { status: 'started', conversationId: conversation.id, userMessageId: user.id, replies };
  }

  /** Picks a comparison's winner: its branch becomes the active one, and its model the conversation's. */
  async pickWinner(replyId: string): Promise<{ ok: true } | { ok: false; message: string }> {
    const reply = await this.deps.history.getMessage(replyId);
    if (reply.role !== 'assistant' || reply.parentId === null) return { ok: false, message: 'Only a reply can win a comparison.' };
    if (this.active.has(reply.conversationId)) return { ok: false, message: 'Wait for the comparison to finish, or cancel it first.' };
    const user = await this.deps.history.getMessage(reply.parentId);
    const won = withWinner(user, reply);
    if (!won.ok) return won;
    await this.deps.history.updateMessage(user.id, { metadata: { ...user.metadata, ...comparisonMetadata(won.record) } });
    await this.deps.history.switchBranch(reply.id);
    const requested = reply.metadata['requestedModel'];
    await this.deps.history.setConversationModel(reply.conversationId, typeof requested === 'string' ? requested : reply.modelId);
    this.deps.bus.emit('conversation.changed', { conversationId: reply.conversationId });
    return { ok: true };
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

  /**
   * A reply from `modelId` to a stored user message, under the caller's controller (a branch
   * replay asks turn after turn; aborting its controller stops the one streaming).
   */
  async answer(userMessageId: string, modelId: string, controller: AbortController): Promise<StartOutcome> {
    return this.replyTo(await this.deps.history.getMessage(userMessageId), false, { modelId, controller });
  }

  /** Edits a user message into a new sibling and streams the reply to it. */
  async editAndResend(userMessageId: string, text: string, options: { overrideBudget?: boolean } = {}): Promise<StartOutcome> {
    const original = await this.deps.history.getMessage(userMessageId);
    if (original.role !== 'user') return refuse('invalid_target', 'Only your own messages can be edited.');
    const trimmed = text.trim();
    if (!trimmed && !readSentAttachments(original.metadata).length) return refuse('empty', 'The edited message is empty.');
    if (this.active.has(original.conversationId)) {
      return refuse('busy', 'A reply is still streaming in this conversation.', original.conversationId);
    }
    const metadata: JsonObject = { editedFrom: original.id };
    if (original.metadata['controls'] !== undefined) metadata['controls'] = original.metadata['controls'];
    // An edit changes the words; what was attached goes with it as it was sent.
    if (original.metadata['attachments'] !== undefined) metadata['attachments'] = original.metadata['attachments'];
    const content = outgoingText(trimmed, this.deps.settings().redactPII, metadata);
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
      ...(await turnsOf(this.deps.history, conversationId)),
      {
        role: 'user',
        content:
          'Summarise our conversation so far for a fresh start: keep facts, decisions, names, code identifiers and open questions. Reply with the summary only.',
      },
    ];
    const modelId = conversation.modelId ?? this.deps.settings().defaultModel;
    const controls = await this.resolve(undefined, conversationId);
    return this.startReply(
      { conversation, parentId: null, modelId, turns, metadata: { summaryOf: leaf.id }, controls },
      undefined,
    );
  }

  /** The routing and reasoning the next send in a conversation would use (web search is per send). */
  async currentControls(conversationId: string | undefined): Promise<SendControls> {
    const c = await this.resolve(undefined, conversationId);
    return { ...(c.routing ? { routing: c.routing } : {}), ...(c.reasoning ? { reasoning: c.reasoning } : {}) };
  }

  /**
   * The composer's live estimate of a send: priced at the provider the resolved routing
   * picks (with its cache prices), plus what the controls add; says when no provider meets
   * the routing. The budget check prices the same way, at the largest reply allowed.
   */
  async estimateSend(args: { conversationId: string | undefined; modelId: string; promptTokens: number; replyTokens: number; controls: SendControls | undefined }): Promise<SendPrice> {
    const controls = await this.resolve(args.controls, args.conversationId);
    return priceSend(this.deps, { ...args, controls });
  }

  /** Resolves when every background cost lookup has settled (tests, shutdown). */
  idle(): Promise<void> {
    return this.settler.idle();
  }

  /** Aborts every stream (extension shutdown). */
  dispose(): void {
    for (const stream of this.active.values()) stream.controller.abort();
  }

  // ── internals ───────────────────────────────────────────────────────────────

  /**
   * Checks a send (one model, or a comparison's several), runs the budget gate over all of
   * them, then stores the user message (creating the conversation when none is given).
   */
  private async persistUser(input: SendInput, models: readonly string[] | undefined): Promise<PersistedUser | Extract<StartOutcome, { status: 'refused' }>> {
    const text = input.text.trim();
    const no = (reason: Refusal, message: string, conversationId?: string) => refuse(reason, message, conversationId) as Extract<StartOutcome, { status: 'refused' }>;
    if (!text && !input.attachments?.length) return no('empty', 'Type a message first.');
    const settings = this.deps.settings();
    const existing = input.conversationId ? await this.deps.history.findConversation(input.conversationId) : undefined;
    if (input.conversationId && !existing) return no('not_found', 'That conversation no longer exists.');
    if (existing && this.active.has(existing.id)) {
      return no('busy', 'A reply is still streaming in this conversation. Wait for it or cancel it first.', existing.id);
    }
    const guardKey = existing?.id ?? '(new)';
    const last = this.lastSend.get(guardKey);
    const now = this.deps.clock.now();
    if (last && last.text === text && now - last.at < settings.doubleSendGuardMs) {
      return no('duplicate', 'That message was just sent.', existing?.id);
    }

    const modelIds = models ?? [input.model ?? existing?.modelId ?? settings.defaultModel];
    const metadata: JsonObject = {};
    const outgoing = outgoingText(text, settings.redactPII, metadata);
    const attached = withAttachments(input.attachments ?? [], settings.redactPII, metadata);

    const history = existing ? await turnsOf(this.deps.history, existing.id) : [];
    const controls = await this.resolve(input.controls, existing?.id);
    metadata['controls'] = controlsMetadata(controls);
    const media = turnMedia({ role: 'user', metadata });
    const turns: ChatTurn[] = [...history, { role: 'user', content: composeUserContent(outgoing, attached), ...(media.length ? { media } : {}) }];
    const blind = this.imageRefusal(modelIds, turns);
    if (blind) return no('unsupported_input', blind, existing?.id);
    const budget = await checkFanOutBudget(this.deps, modelIds, turns, existing?.systemPrompt ?? settings.systemPrompt, input.overrideBudget === true, {
      controls,
      conversationId: existing?.id,
    });
    if (budget) return { ...budget, conversationId: existing?.id };

    this.lastSend.set(guardKey, { text, at: now });
    const conversation =
      existing ??
      (await this.deps.history.createConversation({
        title: titleFromFirstMessage(text || attached.map((a) => a.label).join(', ')),
        modelId: modelIds[0] as string,
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
    return { conversation, user, modelIds: [...modelIds], controls };
  }

  private async replyTo(parent: StoredMessage, overrideBudget: boolean, by?: { modelId: string; controller: AbortController }): Promise<StartOutcome> {
    if (parent.role !== 'user') return refuse('invalid_target', 'A reply needs a user message to answer.');
    const conversation = await this.deps.history.getConversation(parent.conversationId);
    if (this.active.has(conversation.id)) {
      return refuse('busy', 'A reply is still streaming in this conversation.', conversation.id);
    }
    const modelId = by?.modelId ?? conversation.modelId ?? this.deps.settings().defaultModel;
    const turns = await turnsUpTo(this.deps.history, conversation.id, parent.id);
    // A regenerated reply is asked for the way its question was first sent.
    const controls = controlsFromMetadata(parent.metadata) ?? (await this.resolve(undefined, conversation.id));
    const blind = this.imageRefusal([modelId], turns);
    if (blind) return refuse('unsupported_input', blind, conversation.id);
    const budget = await checkBudget(this.deps, modelId, turns, conversation.systemPrompt ?? undefined, overrideBudget, { controls, conversationId: conversation.id });
    if (budget) return { ...budget, conversationId: conversation.id };
    return this.startReply({ conversation, parentId: parent.id, modelId, turns, controls }, parent.id, by?.controller);
  }

  /** Starts one streamed reply; a comparison's replies share one controller, so one cancel stops all. */
  private async startReply(plan: ReplyPlan, userMessageId: string | undefined, controller = new AbortController()): Promise<StartOutcome> {
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
    const running = this.active.get(conversation.id);
    if (running) running.open++;
    else this.active.set(conversation.id, { controller, messageId: assistant.id, open: 1 });
    this.deps.bus.emit('message.started', {
      conversationId: conversation.id,
      messageId: assistant.id,
      parentId: plan.parentId,
      model: modelId,
    });
    this.deps.bus.emit('conversation.changed', { conversationId: conversation.id });
    const done = streamReply(this.steps, plan, assistant, controller.signal)
      .catch((error: unknown) => {
        // A bug of ours must still settle the message visibly, never leave it "streaming".
        this.deps.log.error(`Chat engine failed unexpectedly: ${String(error)}`);
        return this.settler.failure(plan, assistant, '', '', undefined, {
          kind: 'internal',
          message: 'Something went wrong inside Neural Terminal. The reply was kept; see the logs.',
          action: 'retry',
          retryable: true,
          partial: false,
        });
      })
      .finally(() => {
        const stream = this.active.get(conversation.id);
        if (stream && --stream.open <= 0) this.active.delete(conversation.id);
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

  private imageRefusal(modelIds: readonly string[], turns: readonly ChatTurn[]): string | undefined {
    return imageRefusal(modelIds, turns, this.deps.model, this.deps.models?.() ?? []);
  }

  /** The controls a request uses: the picker's choice over the conversation's last ones over the settings. */
  private async resolve(chosen: SendControls | undefined, conversationId: string | undefined): Promise<SendControls> {
    const previous = conversationId ? await lastControls(this.deps.history, conversationId) : undefined;
    return resolveControls(chosen, previous, controlSettings(this.deps.settings()));
  }
}
