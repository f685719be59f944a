/**
 * What an intent handler may use. The controller builds one `IntentContext` when the
 * services are ready; each handler names the few parts it needs (`Needs<…>`), so a unit
 * test can hand it real core parts without the editor. Nothing here imports `vscode`
 * at run time: editor actions arrive as functions.
 */
import type { HostMessage, ViewIntent } from '../../../shared/protocol';
import type { Logger } from '../../base/logger';
import type { WritableSettings } from '../settingsWriter';
import type { ChatServices } from '../chatServices';
import type { Settings } from '../config';
import type { HostDialogs } from '../hostDialogs';
import type { AttachmentService } from '../attachments/attachmentService';
import type { NoticeBoard } from './noticeBoard';
import type { ViewSync } from './viewSync';
import type { SentLocation } from '../../../shared/sentSelection';

/** What the controller handles: every request but the handshake ones the view provider answers itself. */
export type Intent = Exclude<ViewIntent, { type: 'view/ready' | 'view/reload' | 'view/log' }>;
export type IntentType = Intent['type'];
export type IntentOf<T extends IntentType> = Extract<Intent, { type: T }> & { requestId?: string };

/** The editor-side effects a handler may ask for (each one imports `vscode` where it is made). */
export interface HostActions {
  runCommand(command: string, ...args: unknown[]): Thenable<unknown>;
  writeSetting<K extends keyof WritableSettings>(key: K, value: WritableSettings[K]): Promise<void>;
  /** Feeds the Select Model quick pick's "recently used". */
  rememberModel(modelId: string): Promise<void>;
  codeAction(action: 'copy' | 'insert' | 'newFile', code: string, language: string | undefined): Promise<void>;
  copyText(text: string): Promise<void>;
  openLink(url: string): Promise<void>;
  /** The Compare Models quick pick: 2–6 catalog models, or undefined when dismissed. */
  pickCompareModels(): Promise<string[] | undefined>;
  /** Opens a workspace file at those lines; refuses (throws) a path outside the workspace. */
  openLocation(location: SentLocation): Promise<void>;
  /** A toast for what an attachment source said (a note, not a failure). */
  showMessage(message: string): void;
}

/** The composer's attachments, as handlers see them. */
export type Attachments = Pick<AttachmentService, 'pick' | 'pasted' | 'setThumb' | 'remove' | 'resolve' | 'sent' | 'chips' | 'totalTokens'>;

/** The services any handler uses (the editor passes all of `ChatServices`). */
export type IntentServices = Pick<ChatServices, 'history' | 'engine' | 'catalog' | 'endpoints' | 'telemetry' | 'costs' | 'bus' | 'recovery'>;

export interface IntentContext {
  readonly s: IntentServices;
  readonly settings: { read(): Settings };
  readonly log: Logger;
  post(message: HostMessage): Promise<void>;
  readonly view: ViewSync;
  readonly notices: NoticeBoard;
  readonly attachments: Attachments;
  readonly dialogs: Pick<HostDialogs, 'confirm'>;
  readonly host: HostActions;
}

/** A handler's narrow context: the named context parts, and the named services. */
export type Needs<K extends Exclude<keyof IntentContext, 's'>, S extends keyof IntentServices = never> = Pick<IntentContext, K> & {
  readonly s: Pick<IntentServices, S>;
};

export type IntentHandler<T extends IntentType> = (ctx: IntentContext, intent: IntentOf<T>) => Promise<void> | void;

/** One feature's handlers, keyed by message type. */
export type IntentTable<T extends IntentType> = { readonly [K in T]: IntentHandler<K> };
