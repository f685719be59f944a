/**
 * Which conversation is open, and the state the view is re-sent from the host's own
 * records after a change: the open conversation, the control picker, the telemetry,
 * the attachment chips. Every push is read afresh from the store (never patched).
 */
import type { ConversationView, HostMessage, Telemetry } from '../../../shared/protocol';
import { ZERO, parseUsd } from '../../../shared/money';
import { contextUse } from '../../core/sendEstimate';
import { loadComparison } from '../../core/comparisonView';
import { windowedConversationAndPath } from '../../core/transcriptViews';
import { budgetLimits } from '../budgetLimits';
import type { ChatServices } from '../chatServices';
import type { Settings } from '../config';
import type { ControlsPicker } from '../controlsPicker';
import type { Attachments } from './context';

const ACTIVE_KEY = 'neuralTerminal.activeConversationId';

/** The services the view's state is read from. */
export type SyncServices = Pick<ChatServices, 'history' | 'catalog' | 'engine' | 'telemetry' | 'costs' | 'endpoints'>;

export interface ViewSyncDeps {
  services(): Promise<SyncServices>;
  /** Where the open conversation's id is kept across reloads (the extension's global state). */
  state: { get<T>(key: string): T | undefined; update(key: string, value: unknown): Thenable<void> };
  settings: { read(): Settings };
  picker: Pick<ControlsPicker, 'message'>;
  attachments: Pick<Attachments, 'chips'>;
  post(message: HostMessage): Promise<void>;
}

export class ViewSync {
  constructor(private readonly deps: ViewSyncDeps) {}

  get activeId(): string | undefined {
    return this.deps.state.get<string>(ACTIVE_KEY);
  }

  /** Opens a conversation; with `focusId`, the window sent starts just before that message. */
  async setActive(id: string | undefined, focusId?: string): Promise<void> {
    await this.deps.state.update(ACTIVE_KEY, id);
    await this.postConversation(focusId);
  }

  /** The open conversation's id when it still exists. */
  async openId(): Promise<string | undefined> {
    const id = this.activeId;
    return id && (await (await this.deps.services()).history.findConversation(id)) ? id : undefined;
  }

  /** Re-sends the open conversation and its control picker. */
  async postConversation(focusId?: string): Promise<void> {
    await this.deps.post({ type: 'chat/conversation', conversation: await this.conversation(focusId) });
    await this.postControls();
  }

  /** The picker's state for the open conversation and its model. */
  async postControls(): Promise<void> {
    const s = await this.deps.services();
    await this.deps.post(await this.deps.picker.message(s, await this.openId(), await this.selectedModel()));
  }

  async postTelemetry(): Promise<void> {
    await this.deps.post({ type: 'telemetry/update', telemetry: await this.telemetry() });
  }

  async postAttachments(): Promise<void> {
    await this.deps.post({ type: 'attach/list', items: await this.deps.attachments.chips(), limit: this.deps.settings.read().attachmentsMaxTokens });
  }

  /** The open conversation's model, or the default for a new one. */
  async selectedModel(): Promise<string> {
    const s = await this.deps.services();
    const id = this.activeId;
    const conversation = id ? await s.history.findConversation(id) : undefined;
    return conversation?.modelId ?? this.deps.settings.read().defaultModel;
  }

  /**
   * The open conversation as the view gets it: a window of its active branch (the newest
   * entries, or from just before `focusId`); older ones are paged in by `chat/loadEarlier`.
   */
  async conversation(focusId?: string): Promise<ConversationView | undefined> {
    const s = await this.deps.services();
    const id = this.activeId;
    const opened = id ? await windowedConversationAndPath(s.history, id, s.engine.streamingMessageId(id), focusId) : undefined;
    if (!opened) return undefined;
    // The latest prompt's comparison table, when it started one.
    const comparison = await loadComparison(s.history, opened.path, s.engine.isStreaming(opened.view.id));
    return comparison ? { ...opened.view, comparison } : opened.view;
  }

  async telemetry(): Promise<Telemetry> {
    const s = await this.deps.services();
    const settings = this.deps.settings.read();
    const model = s.catalog.current()?.byId.get(await this.selectedModel());
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
}
