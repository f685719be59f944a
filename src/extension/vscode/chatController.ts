/**
 * The host side of the chat view: a facade over the per-feature intent handlers in
 * `./intents/` (one table, `intents/dispatch.ts`) and the engine's events turned into
 * protocol messages (`intents/engineEvents.ts`). Builds the narrow context the handlers
 * take, with the editor's own actions passed in as functions, and holds only the view
 * state the host must own: which conversation is open and which notices are showing.
 */
import * as vscode from 'vscode';
import type { HostMessage, ProviderView, ViewSnapshot } from '../../shared/protocol';
import type { Logger } from '../base/logger';
import { StreamCoalescer } from '../core/streamCoalescer';
import { errorText } from '../core/failureText';
import type { ChatServices } from './chatServices';
import type { SettingsReader } from './config';
import { runCodeAction, openLinkWithConfirmation } from './editorActions';
import type { HostDialogs } from './hostDialogs';
import { ControlsPicker } from './controlsPicker';
import { rememberModel } from './recentModels';
import { writeSetting } from './settingsWriter';
import { AttachmentService, showAttachMessage } from './attachments/attachmentService';
import { TerminalRecorder } from './attachments/terminalSource';
import type { HostActions, Intent, IntentContext } from './intents/context';
import { dispatchIntent } from './intents/dispatch';
import { forkAt } from './intents/chat';
import { startComparison, type CompareRequest } from './intents/compare';
import { pickCompareModels } from './compareCommands';
import { selectModel } from './intents/models';
import { NoticeBoard } from './intents/noticeBoard';
import { ViewSync } from './intents/viewSync';
import { wireEngineEvents } from './intents/engineEvents';
import { openWorkspaceLocation } from './openLocation';

export type { Intent } from './intents/context';

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
  /** The composer's attachments (core/attachments, sources in ./attachments). */
  readonly attachments: AttachmentService;
  private readonly notices: NoticeBoard;
  private readonly view: ViewSync;
  private readonly host: HostActions;
  private readonly coalescer: StreamCoalescer;
  private readonly picker: ControlsPicker;
  private unsubscribe: Array<() => void> = [];
  private wired = false;

  constructor(private readonly deps: ChatControllerDeps) {
    this.picker = new ControlsPicker(deps.log);
    this.notices = new NoticeBoard(deps.post, deps.log);
    this.attachments = new AttachmentService({
      maxTokens: () => deps.settings.read().attachmentsMaxTokens,
      model: async () => {
        const s = await this.ready();
        const id = await this.view.selectedModel();
        return { id, pricing: s.catalog.current()?.byId.get(id)?.pricing };
      },
      tokens: async () => (await this.ready()).tokens,
      recorder: deps.terminals ?? new TerminalRecorder(),
      changed: () => void this.view.postAttachments(),
      wantThumb: (id, mime, data) => void deps.post({ type: 'attach/thumbWanted', id, mime, data }),
    });
    this.view = new ViewSync({
      services: () => this.ready(),
      state: deps.state,
      settings: deps.settings,
      picker: this.picker,
      attachments: this.attachments,
      post: deps.post,
    });
    this.host = {
      runCommand: deps.runCommand,
      writeSetting,
      rememberModel: (modelId) => rememberModel(deps.state, modelId),
      codeAction: runCodeAction,
      copyText: async (text) => vscode.env.clipboard.writeText(text),
      openLink: (url) => openLinkWithConfirmation(url, deps.dialogs),
      openLocation: openWorkspaceLocation,
      showMessage: (message) => showAttachMessage(message, false),
      pickCompareModels: () => this.pickCompareModels(),
    };
    this.coalescer = new StreamCoalescer((d) => void deps.post({ type: 'chat/stream', ...d }));
  }

  get activeConversationId(): string | undefined {
    return this.view.activeId;
  }

  async setActiveConversation(id: string | undefined): Promise<void> {
    await this.view.setActive(id);
  }

  /**
   * Builds the selected model's tokenizer (in its worker) before it is needed: the first send
   * counts its turns exactly and would otherwise wait for the build (0.4–1.8 s of CPU).
   */
  async warmTokenizer(): Promise<void> {
    const s = await this.ready();
    s.tokens.warm(await this.view.selectedModel());
  }

  /** Everything the view needs after it (re)loads. */
  async snapshot(placement: ViewSnapshot['placement'] = 'sidebar'): Promise<ViewSnapshot> {
    const base = await this.deps.baseSnapshot(placement);
    const settings = this.deps.settings.read();
    let ready = false;
    try {
      await this.ready();
      ready = true;
    } catch (error) {
      this.notices.add({ id: 'history-unavailable', severity: 'error', kind: 'history_unavailable', message: errorText(error) });
    }
    const conversation = ready ? await this.view.conversation() : undefined;
    return {
      ...base,
      selectedModel: conversation?.modelId || settings.defaultModel,
      ...(conversation ? { conversation } : {}),
      ...(ready ? { telemetry: await this.view.telemetry() } : {}),
      ...(ready ? { attachments: await this.attachments.chips() } : {}),
      notices: this.notices.list,
    };
  }

  /** Runs one request; `requestId` (from the view) is echoed in data pushes it causes. */
  async handle(intent: Intent & { requestId?: string }): Promise<void> {
    await dispatchIntent(await this.context(), intent);
  }

  /** Re-sends the open conversation (after a store change from elsewhere). */
  async postConversation(): Promise<void> {
    await this.view.postConversation();
  }

  async postTelemetry(): Promise<void> {
    await this.view.postTelemetry();
  }

  /** The providers serving a model (endpoints API), for the Select Model flow. */
  async providersOf(modelId: string): Promise<ProviderView[]> {
    return this.picker.providersOf(await this.ready(), modelId);
  }

  /** Makes a provider the picker's preferred one (`provider.order`) for the next sends. */
  async preferProvider(tag: string): Promise<void> {
    const s = await this.ready();
    const message = await this.picker.message(s, await this.view.openId(), await this.view.selectedModel());
    const { order: _order, only: _only, ...routing } = message.current.routing ?? {};
    await this.deps.post({ ...message, current: { ...message.current, routing: { ...routing, order: [tag] } } });
  }

  /** Sets the model of the open conversation and the default for new ones; only models the catalog lists. */
  async selectModel(modelId: string): Promise<boolean> {
    return selectModel(await this.context(), modelId);
  }

  /** The Compare Models quick pick (the open conversation's model ticked). */
  async pickCompareModels(): Promise<string[] | undefined> {
    return pickCompareModels({ services: this.deps.services, state: this.deps.state }, await this.view.selectedModel());
  }

  /** Starts a comparison from a command (its refusals show as notices); true when it started. */
  async compare(request: CompareRequest): Promise<boolean> {
    return startComparison(await this.context(), request, false);
  }

  /** Forks at a message and opens the fork. */
  async fork(messageId: string): Promise<string> {
    return forkAt(await this.context(), messageId);
  }

  dispose(): void {
    this.coalescer.dispose();
    for (const off of this.unsubscribe.splice(0)) off();
  }

  private async context(): Promise<IntentContext> {
    const s = await this.ready();
    const { settings, log, post, dialogs } = this.deps;
    return { s, settings, log, post, dialogs, view: this.view, notices: this.notices, attachments: this.attachments, host: this.host };
  }

  private async ready(): Promise<ChatServices> {
    const s = await this.deps.services();
    if (!this.wired) {
      this.wired = true;
      this.unsubscribe = wireEngineEvents({ s, view: this.view, notices: this.notices }, this.coalescer);
    }
    return s;
  }
}
