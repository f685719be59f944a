/**
 * The host side of the chat view: turns webview intents into engine and store calls,
 * and engine events into protocol messages (token deltas coalesced, conversations
 * re-read from the store, notices from the error matrix). Holds only view state
 * the host must own: which conversation is open and which notices are showing.
 */
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import type { HostMessage, Notice, NoticeAction, ProviderView, ViewIntent, ViewSnapshot } from '../../shared/protocol';
import { contextUse, sendPromptTokens, typicalReplyTokens } from '../core/sendEstimate';
import type { Logger } from '../base/logger';
import { ZERO, add, parseUsd, toDecimalString } from '../../shared/money';
import type { SendControls } from '../core/routing';
import { budgetNotice, failureNotice, refusalNotice, retryingNotice, thinkingNotice, truncationNotice } from '../core/notices';
import type { StartOutcome } from '../core/orchestrator';
import { StreamCoalescer } from '../core/streamCoalescer';
import { conversationSummary, conversationView, modelView } from '../core/viewModel';
import { estimateCost } from '../openrouter/pricing';
import { routedPricing } from '../core/routedPricing';
import { errorText } from '../core/failureText';
import { budgetLimits, type ChatServices } from './chatServices';
import type { SettingsReader } from './config';
import { runCodeAction, openLinkWithConfirmation } from './editorActions';
import type { HostDialogs } from './hostDialogs';
import { checkNoticeAction, escapeBidi } from '../core/intentGuards';
import { deleteMessageWithConfirmation } from './deleteMessage';
import { modelUnknown, refuseIntent } from './intentChecks';
import { forkTitle } from '../../shared/plainText';
import { checkedControls, ControlsPicker } from './controlsPicker';
import { rememberModel } from './recentModels';
import { writeSetting } from './settingsWriter';
import { AttachmentService, showAttachMessage } from './attachments/attachmentService';
import { TerminalRecorder } from './attachments/terminalSource';

const ACTIVE_KEY = 'neuralTerminal.activeConversationId';
const MAX_NOTICES = 6;

/** What the controller handles: every request but the handshake ones the view provider answers itself. */
export type Intent = Exclude<ViewIntent, { type: 'view/ready' | 'view/reload' | 'view/log' }>;

export interface ChatControllerDeps {
  services: () => Promise<ChatServices>;
  settings: SettingsReader;
  state: vscode.Memento;
  log: Logger;
  post(message: HostMessage): Promise<void>;
  baseSnapshot(placement: ViewSnapshot['placement']): Promise<Omit<ViewSnapshot, 'conversation' | 'telemetry' | 'notices' | 'selectedModel'>>;
  runCommand(command: string, ...args: unknown[]): Thenable<unknown>;
  /** The host's own confirmations (the view never decides for the user). */
  dialogs: HostDialogs;
  /** Records terminal output for `@terminal` (started at activation). */
  terminals?: TerminalRecorder;
}

export class ChatController implements vscode.Disposable {
  private notices: Notice[] = [];
  /** Texts of sends refused pending a budget confirmation, by notice id. */
  private readonly pendingSends = new Map<string, { text: string; conversationId: string | undefined; attachmentIds?: string[] }>();
  /** The composer's attachments (core/attachments, sources in ./attachments). */
  readonly attachments: AttachmentService;
  private readonly coalescer: StreamCoalescer;
  private readonly unsubscribe: Array<() => void> = [];
  private wired = false;

  private readonly picker: ControlsPicker;

  constructor(private readonly deps: ChatControllerDeps) {
    this.picker = new ControlsPicker(deps.log);
    this.attachments = new AttachmentService({
      maxTokens: () => deps.settings.read().attachmentsMaxTokens,
      model: async () => {
        const s = await this.ready();
        const id = await this.selectedModel(s);
        return { id, pricing: s.catalog.current()?.byId.get(id)?.pricing };
      },
      tokens: async () => (await this.ready()).tokens,
      recorder: deps.terminals ?? new TerminalRecorder(),
      changed: () => void this.postAttachments(),
    });
    this.coalescer = new StreamCoalescer((d) => void deps.post({ type: 'chat/stream', ...d }));
  }

  get activeConversationId(): string | undefined {
    return this.deps.state.get<string>(ACTIVE_KEY);
  }

  async setActiveConversation(id: string | undefined): Promise<void> {
    await this.deps.state.update(ACTIVE_KEY, id);
    await this.postConversation();
  }

  /** Everything the view needs after it (re)loads. */
  async snapshot(placement: ViewSnapshot['placement'] = 'sidebar'): Promise<ViewSnapshot> {
    const base = await this.deps.baseSnapshot(placement);
    const settings = this.deps.settings.read();
    let services: ChatServices | undefined;
    try {
      services = await this.ready();
    } catch (error) {
      this.addNotice({ id: 'history-unavailable', severity: 'error', kind: 'history_unavailable', message: describe(error) });
    }
    const conversation = services ? await this.conversationViewOf(services) : undefined;
    return {
      ...base,
      selectedModel: conversation?.modelId || settings.defaultModel,
      ...(conversation ? { conversation } : {}),
      ...(services ? { telemetry: await this.telemetryOf(services) } : {}),
      ...(services ? { attachments: await this.attachments.chips() } : {}),
      notices: this.notices,
    };
  }

  /** Runs one request; `requestId` (from the view) is echoed in data pushes it causes. */
  async handle(intent: Intent & { requestId?: string }): Promise<void> {
    const s = await this.ready();
    const refusal = await refuseIntent(s, intent, this.activeConversationId);
    if (refusal) {
      // A view request hears of it in its reply (shown there); a command's shows as a notice.
      if (intent.requestId !== undefined) throw this.refusedRequest(intent.type, refusal);
      this.refuse(intent.type, refusal);
      return;
    }
    if (SPENDS.has(intent.type)) await catalogSettled(s);
    switch (intent.type) {
      case 'view/runCommand':
        await this.deps.runCommand(`neuralTerminal.${intent.command}`);
        return;
      case 'chat/send':
        await this.send(s, intent, intent.requestId !== undefined);
        return;
      case 'attach/pick':
        await this.attach(intent.source);
        return;
      case 'attach/remove':
        this.attachments.remove(intent.id);
        return;
      case 'chat/cancel':
        s.engine.cancel(intent.conversationId);
        return;
      case 'chat/retry':
        await this.start(s.engine.retry(intent.messageId));
        return;
      case 'chat/regenerate':
        await this.start(s.engine.regenerate(intent.messageId));
        return;
      case 'chat/editAndResend':
        await this.start(s.engine.editAndResend(intent.messageId, intent.text));
        return;
      case 'chat/summarize':
        await this.start(s.engine.summarize(intent.conversationId));
        return;
      case 'chat/switchBranch': {
        const message = await s.history.getMessage(intent.messageId);
        await s.history.switchBranch(intent.messageId);
        if (message.conversationId === this.activeConversationId) await this.postConversation();
        return;
      }
      case 'chat/fork':
        await this.fork(intent.messageId);
        return;
      case 'chat/deleteMessage': {
        const outcome = await deleteMessageWithConfirmation(s, this.deps.dialogs, intent.messageId, this.activeConversationId);
        if (outcome.kind === 'refused') this.addNotice({ id: randomUUID(), severity: 'warning', kind: 'delete_refused', message: outcome.reason });
        if (outcome.kind === 'deleted') await this.postConversation();
        return;
      }
      case 'notice/act':
        await this.noticeAction(intent.noticeId, intent.action);
        return;
      case 'notice/dismiss':
        this.removeNotice(intent.noticeId);
        return;
      case 'archive/open':
        if (!(await s.history.findConversation(intent.conversationId))) {
          this.addNotice({ id: randomUUID(), severity: 'warning', kind: 'not_found', message: 'That conversation no longer exists.' });
          return;
        }
        await this.setActiveConversation(intent.conversationId);
        if (intent.messageId) await this.deps.post({ type: 'chat/reveal', messageId: intent.messageId });
        return;
      case 'archive/list': {
        const page = await s.history.listConversations({
          status: intent.archived ? 'archived' : 'active',
          ...(intent.tag ? { tags: [intent.tag] } : {}),
          offset: intent.offset ?? 0,
          limit: 100,
        });
        await this.deps.post({
          type: 'archive/page',
          items: page.items.map(conversationSummary),
          total: page.total,
          offset: page.offset,
        });
        return;
      }
      case 'archive/search':
        await this.search(s, intent.query, intent.tag, intent.requestId);
        return;
      case 'archive/rename':
        await s.history.renameConversation(intent.conversationId, intent.title);
        await this.afterArchiveChange(intent.conversationId);
        return;
      case 'archive/tag':
        await s.history.setConversationTags(intent.conversationId, intent.tags);
        await this.afterArchiveChange(intent.conversationId);
        return;
      case 'archive/setArchived':
        await s.history.archiveConversation(intent.conversationId, intent.archived);
        await this.afterArchiveChange(intent.conversationId);
        return;
      case 'archive/delete':
        await this.deleteConversation(s, intent.conversationId);
        return;
      case 'models/list':
        await this.postModels(s, false);
        return;
      case 'models/select':
        await this.selectModel(intent.modelId);
        // The chips are priced for the model: another model, other prices.
        if (this.attachments.totalTokens > 0) await this.postAttachments();
        return;
      case 'chat/estimate':
        await this.estimate(s, intent.text, checkedControls(intent.controls));
        return;
      case 'editor/codeAction':
        await runCodeAction(intent.action, intent.code, intent.language);
        return;
      case 'editor/copyText':
        await vscode.env.clipboard.writeText(intent.text);
        return;
      case 'editor/openLink':
        await openLinkWithConfirmation(intent.url, this.deps.dialogs);
        return;
      case 'view/setMode':
        await writeSetting('ui.mode', intent.mode);
        return;
    }
  }

  /** Re-sends the open conversation (after a store change from elsewhere). */
  async postConversation(): Promise<void> {
    const s = await this.ready();
    await this.deps.post({ type: 'chat/conversation', conversation: await this.conversationViewOf(s) });
    await this.postControls(s);
  }

  /** The providers serving a model (endpoints API), for the Select Model flow. */
  async providersOf(modelId: string): Promise<ProviderView[]> {
    return this.picker.providersOf(await this.ready(), modelId);
  }

  /** Makes a provider the picker's preferred one (`provider.order`) for the next sends. */
  async preferProvider(tag: string): Promise<void> {
    const s = await this.ready();
    const id = this.activeConversationId;
    const open = id && (await s.history.findConversation(id)) ? id : undefined;
    const message = await this.picker.message(s, open, await this.selectedModel(s));
    const { order: _order, only: _only, ...routing } = message.current.routing ?? {};
    await this.deps.post({ ...message, current: { ...message.current, routing: { ...routing, order: [tag] } } });
  }

  /** The picker's state for the open conversation and its model. */
  private async postControls(s: ChatServices): Promise<void> {
    const id = this.activeConversationId;
    const open = id && (await s.history.findConversation(id)) ? id : undefined;
    await this.deps.post(await this.picker.message(s, open, await this.selectedModel(s)));
  }

  async postTelemetry(): Promise<void> {
    const s = await this.ready();
    await this.deps.post({ type: 'telemetry/update', telemetry: await this.telemetryOf(s) });
  }

  /** Sets the model of the open conversation and the default for new ones; only models the catalog lists. */
  async selectModel(modelId: string): Promise<boolean> {
    const s = await this.ready();
    const unknown = await modelUnknown(s, modelId);
    if (unknown) {
      this.refuse('selectModel', unknown);
      return false;
    }
    const id = this.activeConversationId;
    if (id && (await s.history.findConversation(id))) await s.history.setConversationModel(id, modelId);
    await writeSetting('defaultModel', modelId);
    await rememberModel(this.deps.state, modelId);
    await this.postConversation();
    return true;
  }

  /** Forks at a message and opens the fork. */
  async fork(messageId: string): Promise<string> {
    const s = await this.ready();
    const point = await s.history.getMessage(messageId);
    const fork = await s.history.fork(messageId, { title: forkTitle(point.createdAt, point.content) });
    await this.setActiveConversation(fork.id);
    // One id: a second fork replaces the first card instead of stacking (the view lets it fade).
    this.addNotice({
      id: 'forked',
      severity: 'info',
      kind: 'forked',
      conversationId: fork.id,
      message: `Forked into “${fork.title}”. The original conversation is unchanged.`,
    });
    return fork.id;
  }

  async postModels(s: ChatServices, refresh: boolean): Promise<void> {
    try {
      const snapshot = refresh ? await s.catalog.refresh() : await s.catalog.get();
      const stale = Date.now() - snapshot.fetchedAt > 60 * 60 * 1000;
      await this.deps.post({
        type: 'models/catalog',
        models: snapshot.models.map(modelView),
        selected: await this.selectedModel(s),
        stale,
      });
    } catch (error) {
      this.addNotice({ id: 'models-unavailable', severity: 'error', kind: 'catalog_unavailable', message: describe(error) });
    }
  }

  dispose(): void {
    this.coalescer.dispose();
    for (const off of this.unsubscribe.splice(0)) off();
  }

  // ── internals ───────────────────────────────────────────────────────────────

  private async ready(): Promise<ChatServices> {
    const s = await this.deps.services();
    if (!this.wired) {
      this.wired = true;
      this.wire(s);
    }
    return s;
  }

  private wire(s: ChatServices): void {
    const { bus } = s;
    const ids = (e: { conversationId: string; messageId: string }) => ({ conversationId: e.conversationId, messageId: e.messageId });
    this.unsubscribe.push(
      bus.on('token.generated', (e) => {
        if (e.conversationId === this.activeConversationId) this.coalescer.push(e);
      }),
      bus.on('message.started', (e) => this.clearNoticesFor(e.conversationId)),
      // The engine emits this after a stream starts and after it has fully ended (no longer
      // "streaming"), so the view redraws from it; completion events only flush tokens first.
      bus.on('conversation.changed', (e) => {
        if (e.conversationId === this.activeConversationId) void this.postConversation();
      }),
      bus.on('message.completed', (e) => {
        this.coalescer.flush();
        this.clearNoticesFor(e.conversationId, ['retrying', 'stalled']);
        void this.postTelemetry();
      }),
      bus.on('message.failed', (e) => {
        this.coalescer.flush();
        this.clearNoticesFor(e.conversationId, ['retrying', 'stalled']);
        this.addNotice(failureNotice(`fail-${e.message.id}`, { conversationId: e.conversationId, messageId: e.message.id }, e.error));
        void this.postTelemetry();
      }),
      bus.on('message.costUpdated', (e) => void this.afterMessage(e.conversationId)),
      bus.on('message.retrying', (e) => this.addNotice(retryingNotice(`retry-${e.messageId}`, ids(e), e.reason, e.retryAt))),
      bus.on('message.stalled', (e) => this.addNotice(thinkingNotice(`stall-${e.messageId}`, ids(e), e.silentForMs))),
      bus.on('context.truncated', (e) => this.addNotice(truncationNotice(`trunc-${e.messageId}`, ids(e), e.dropped))),
      bus.on('budget.threshold', (e) => this.addNotice(budgetNotice(`budget-threshold-${e.scope}`, 'threshold', e))),
      bus.on('budget.exceeded', (e) => this.addNotice(budgetNotice(`budget-exceeded-${e.scope}`, 'exceeded', e))),
      bus.on('circuit.changed', () => void this.postTelemetry()),
    );
    if (s.recovery) {
      this.addNotice({
        id: 'history-recovered',
        severity: 'warning',
        kind: 'history_recovered',
        message: `The chat history file could not be read (${s.recovery.reason}). It was kept at ${s.recovery.movedTo} and a fresh history was started.`,
      });
    }
  }

  private async afterMessage(conversationId: string): Promise<void> {
    if (conversationId === this.activeConversationId) await this.postConversation();
    await this.postTelemetry();
  }

  /** Shows a started reply, or the refusal as a notice; true when it started. */
  private async start(
    pending: Promise<StartOutcome>,
    resend?: { text: string; conversationId: string | undefined; attachmentIds?: string[] },
  ): Promise<boolean> {
    const outcome = await pending;
    if (outcome.status === 'refused') {
      const id = randomUUID();
      if (resend && (outcome.reason === 'budget' || outcome.reason === 'budget_confirm')) this.pendingSends.set(id, resend);
      this.addNotice(refusalNotice(id, outcome.reason, outcome.message, outcome.conversationId));
      return false;
    }
    if (outcome.conversationId !== this.activeConversationId) await this.setActiveConversation(outcome.conversationId);
    else await this.postConversation();
    return true;
  }

  /** Runs an action the host offered on a notice it is showing, with the host's own argument. */
  private async noticeAction(noticeId: string, action: NoticeAction): Promise<void> {
    const check = checkNoticeAction(this.notices, noticeId, action);
    if (!check.ok) {
      this.deps.log.warn(`Refused a notice action from the webview: ${check.reason}.`);
      return;
    }
    const { notice, arg } = check;
    const s = await this.ready();
    // Taken before the notice goes: removing it also forgets its pending send.
    const resend = this.pendingSends.get(noticeId);
    this.removeNotice(noticeId);
    switch (action) {
      case 'retry':
        if (notice?.messageId) await this.start(s.engine.retry(notice.messageId));
        return;
      case 'cancel':
        if (notice?.conversationId) s.engine.cancel(notice.conversationId);
        return;
      case 'summarize':
        if (notice?.conversationId) await this.start(s.engine.summarize(notice.conversationId));
        return;
      case 'setApiKey':
        await this.deps.runCommand('neuralTerminal.setApiKey');
        return;
      case 'switchModel':
        await this.deps.runCommand('neuralTerminal.selectModel');
        return;
      case 'showLogs':
        await this.deps.runCommand('neuralTerminal.showLogs');
        return;
      case 'lowerMaxTokens': {
        const n = Number(arg);
        if (Number.isInteger(n) && n > 0) {
          await writeSetting('maxTokens', n);
        }
        if (notice?.messageId) await this.start(s.engine.retry(notice.messageId));
        return;
      }
      case 'overrideBudget':
        // Only a send the host itself refused and remembered under this notice's id.
        if (resend) await this.send(s, { ...resend, overrideBudget: true }, false);
        return;
    }
  }

  /** Always asks in a host dialog: no flag from the view can stand in for the user's answer. */
  private async deleteConversation(s: ChatServices, conversationId: string): Promise<void> {
    if (!(await s.history.conversationExists(conversationId))) return;
    // One that fails to load is still deletable: it is named by id instead.
    const conversation = await s.history.findConversation(conversationId).catch(() => undefined);
    const agreed = await this.deps.dialogs.confirm({
      kind: 'delete',
      message: conversation ? `Delete “${escapeBidi(conversation.title)}”?` : `Delete the unreadable conversation ${conversationId}?`,
      detail: `${conversation ? `Its ${conversation.messageCount} messages are` : 'Its messages are'} removed from history. Forks of it are kept.`,
      confirm: 'Delete',
    });
    if (!agreed || !(await s.history.conversationExists(conversationId))) return;
    s.engine.cancel(conversationId);
    await s.history.deleteConversation(conversationId);
    if (this.activeConversationId === conversationId) await this.setActiveConversation(undefined);
    await this.handle({ type: 'archive/list' });
  }

  private async afterArchiveChange(conversationId: string): Promise<void> {
    if (conversationId === this.activeConversationId) await this.postConversation();
    await this.handle({ type: 'archive/list' });
  }

  private async search(s: ChatServices, query: string, tag: string | undefined, requestId: string | undefined): Promise<void> {
    const answer = { type: 'archive/results', query, ...(requestId ? { requestId } : {}) } as const;
    try {
      const outcome = await s.history.search({ text: query, limit: 50, ...(tag ? { tags: [tag] } : {}) });
      if (outcome.kind === 'invalid-query') {
        await this.deps.post({ ...answer, hits: [], error: `${outcome.message} ${outcome.action}`.trim() });
        return;
      }
      await this.deps.post({
        ...answer,
        hits: outcome.hits.map((h) => ({
          conversationId: h.conversationId,
          ...(h.messageId ? { messageId: h.messageId } : {}),
          title: h.conversationTitle,
          snippet: h.snippet.text,
          highlights: h.snippet.highlights.map((r) => [r.start, r.end] as [number, number]),
          updatedAt: h.createdAt,
        })),
      });
    } catch (error) {
      await this.deps.post({ ...answer, hits: [], error: describe(error) });
    }
  }

  /**
   * A send with the chips it names: their text comes from the host's own list, and they
   * leave the composer only once the send has started (a refused send keeps them).
   */
  private async send(
    s: ChatServices,
    intent: { text: string; conversationId?: string; controls?: Parameters<typeof checkedControls>[0]; attachmentIds?: string[]; overrideBudget?: boolean },
    fromView: boolean,
  ): Promise<void> {
    const ids = intent.attachmentIds ?? [];
    const resolved = this.attachments.resolve(ids);
    if (!resolved.ok) {
      if (fromView) throw new Error(resolved.message);
      this.addNotice({ id: 'attachments-gone', severity: 'warning', kind: 'refused_intent', message: resolved.message });
      return;
    }
    const conversationId = intent.conversationId ?? this.activeConversationId;
    const started = await this.start(
      s.engine.send({
        text: intent.text,
        conversationId,
        controls: checkedControls(intent.controls),
        ...(resolved.attachments.length ? { attachments: resolved.attachments } : {}),
        ...(intent.overrideBudget ? { overrideBudget: true } : {}),
      }),
      { text: intent.text, conversationId, ...(ids.length ? { attachmentIds: ids } : {}) },
    );
    if (started) this.attachments.sent(ids);
  }

  /** Runs a source's picker; why nothing was attached goes back in the reply (and a toast). */
  private async attach(source: Parameters<AttachmentService['pick']>[0]): Promise<void> {
    const out = await this.attachments.pick(source);
    // The view shows a failed request's reason beside the composer.
    if (!out.ok) throw new Error(out.message);
    if (out.shown) showAttachMessage(out.shown, false);
  }

  private async postAttachments(): Promise<void> {
    await this.deps.post({ type: 'attach/list', items: await this.attachments.chips(), limit: this.deps.settings.read().attachmentsMaxTokens });
  }

  private async estimate(s: ChatServices, text: string, controls?: SendControls): Promise<void> {
    const model = s.catalog.current()?.byId.get(await this.selectedModel(s));
    const conversation = await this.conversationViewOf(s);
    // The composer's chips go with the send: the estimate includes them.
    const promptTokens = sendPromptTokens(conversation?.entries ?? [], text) + this.attachments.totalTokens;
    if (!model) {
      await this.deps.post({ type: 'chat/estimated', promptTokens, varies: false });
      return;
    }
    const reply = typicalReplyTokens(model, this.deps.settings.read().maxTokens);
    // At the provider the picked routing sends it to first (providers differ in price).
    const pricing = routedPricing(model.pricing, s.endpoints.known(model.id), controls?.routing);
    const base = estimateCost(pricing, { promptTokens, completionTokens: reply });
    // Web results, expected cache reads and cache writes change what the send costs.
    const id = this.activeConversationId && (await s.history.findConversation(this.activeConversationId)) ? this.activeConversationId : undefined;
    const e =
      base.kind === 'estimate'
        ? { kind: 'estimate' as const, usd: add(base.usd, await s.engine.controlsAdjustment({ conversationId: id, modelId: model.id, promptTokens, controls })) }
        : base;
    await this.deps.post({
      type: 'chat/estimated',
      promptTokens,
      ...(e.kind === 'estimate' ? { cost: toDecimalString(e.usd) } : {}),
      varies: e.kind === 'variable',
    });
  }

  private async selectedModel(s: ChatServices): Promise<string> {
    const id = this.activeConversationId;
    const conversation = id ? await s.history.findConversation(id) : undefined;
    return conversation?.modelId ?? this.deps.settings.read().defaultModel;
  }

  private async conversationViewOf(s: ChatServices) {
    const id = this.activeConversationId;
    const conversation = id ? await s.history.findConversation(id) : undefined;
    if (!conversation) return undefined;
    const path = await s.history.activePath(conversation.id);
    // Sibling ids only where there are siblings (the ◀ 2/3 ▶ control), fetched together.
    const branched = path.filter((e) => e.siblingCount > 1).map((e) => e.message.id);
    const siblings = new Map(await Promise.all(branched.map(async (id) => [id, (await s.history.siblings(id)).ids] as const)));
    return conversationView(conversation, path, (m) => siblings.get(m.id) ?? [m.id], s.engine.streamingMessageId(conversation.id));
  }

  private async telemetryOf(s: ChatServices) {
    const settings = this.deps.settings.read();
    const model = s.catalog.current()?.byId.get(await this.selectedModel(s));
    const lifetime = parseUsd(await s.history.spendSince(0)) ?? ZERO;
    const last = s.telemetry.lastUsage;
    const context = model ? contextUse(model, last, settings.maxTokens) : undefined;
    return s.telemetry.snapshot({
      costs: s.costs,
      limits: budgetLimits(settings),
      lifetime,
      ...(context ? { context } : {}),
    });
  }

  /** A webview intent the host would not carry out: said once to the user and logged. */
  private refusedRequest(type: string, reason: string): Error {
    this.deps.log.warn(`Refused '${type}' from the webview: ${reason}.`);
    return new Error(`Not done: ${reason}.`);
  }

  private refuse(type: string, reason: string): void {
    this.deps.log.warn(`Refused '${type}' from the webview: ${reason}.`);
    this.addNotice({ id: `refused-${type}`, severity: 'warning', kind: 'refused_intent', message: `Not done: ${reason}.` });
  }

  private addNotice(notice: Notice): void {
    this.notices = [...this.notices.filter((n) => n.id !== notice.id), notice].slice(-MAX_NOTICES);
    void this.deps.post({ type: 'notice/list', notices: this.notices });
  }

  private removeNotice(id: string): void {
    this.pendingSends.delete(id);
    const before = this.notices.length;
    this.notices = this.notices.filter((n) => n.id !== id);
    if (this.notices.length !== before) void this.deps.post({ type: 'notice/list', notices: this.notices });
  }

  private clearNoticesFor(conversationId: string, kinds?: string[]): void {
    const before = this.notices.length;
    this.notices = this.notices.filter(
      (n) => n.conversationId !== conversationId || (kinds !== undefined && !kinds.includes(n.kind)),
    );
    if (this.notices.length !== before) void this.deps.post({ type: 'notice/list', notices: this.notices });
  }
}

/** Intents that may cost money: the budget's pre-flight check needs the model list. */
const SPENDS = new Set<Intent['type']>(['chat/send', 'chat/retry', 'chat/regenerate', 'chat/editAndResend', 'chat/summarize']);
const CATALOG_WAIT_MS = 3_000;

/**
 * Gives a model list that is still loading a bounded moment before a paid action, so
 * the budget check sees prices (an unknown price asks instead of passing).
 */
async function catalogSettled(s: ChatServices): Promise<void> {
  if (s.catalog.current()) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    s.catalog.get().catch(() => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, CATALOG_WAIT_MS))),
  ]);
  clearTimeout(timer);
}

function describe(error: unknown): string {
  return errorText(error);
}
