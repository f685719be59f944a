/**
 * The chat engine's settings, dependencies and outcomes, shared by its parts
 * (orchestrator.ts and the plan, budget gate, fit, stream and settle steps beside it).
 * No `vscode` import.
 */
import type { ProviderPrice } from './routedPricing';
import type { SentAttachment } from '../../shared/attachments';
import type { CatalogModel } from '../openrouter/catalog';
import type { Conversation, JsonObject, StoredMessage } from '../storage/types';
import type { Clock } from '../base/clock';
import type { EventBus } from '../base/events';
import type { Logger } from '../base/logger';
import type { ChatEvents } from './chatEvents';
import type { ChatTurn } from './contextWindow';
import type { CostTracker } from './costTracker';
import type { ChatClientPort, HistoryPort, TokenCounterPort } from './ports';
import type { ControlSettings, SendControls } from './routing';

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
export const UNKNOWN_CONTEXT_LENGTH = 8_192;

export interface OrchestratorDeps {
  client: ChatClientPort;
  history: HistoryPort;
  model: (id: string) => CatalogModel | undefined;
  /** Every model of the catalog (to name the ones that can read an image). */
  models?: () => readonly CatalogModel[];
  /** A model's providers with their prices, when already known (routing prices the send at the one it picks). */
  providers?: (modelId: string) => readonly ProviderPrice[] | undefined;
  /** Reads a model's providers when not known yet (the cache saving is priced at the one that served). */
  loadProviders?: (modelId: string) => Promise<readonly ProviderPrice[]>;
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
  | 'invalid_target'
  /** The model cannot take what the message carries (an image, for a text-only model). */
  | 'unsupported_input';

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

export interface ActiveStream {
  controller: AbortController;
  messageId: string;
  /** Replies still streaming under this controller (a comparison runs several). */
  open: number;
}

/** What a send asks for. */
export interface SendInput {
  text: string;
  conversationId?: string;
  model?: string;
  overrideBudget?: boolean;
  /** The composer's picker: routing and reasoning stick to the conversation, web search is this send only. */
  controls?: SendControls;
  /** Workspace context built by the host (never text the view supplied); see core/attachments. */
  attachments?: readonly SentAttachment[];
}

/** A user message stored and cleared to be answered. */
export interface PersistedUser {
  conversation: Conversation;
  user: StoredMessage;
  modelIds: string[];
  controls: SendControls;
}

export type CompareOutcome =
  | {
      status: 'started';
      conversationId: string;
      userMessageId: string;
      /** One per model, in the order asked; each `done` settles with its stored reply and never rejects. */
      replies: { model: string; assistantMessageId: string; done: Promise<StoredMessage> }[];
    }
  | Extract<StartOutcome, { status: 'refused' }>;

export interface ReplyPlan {
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

export function refuse(reason: Refusal, message: string, conversationId?: string): StartOutcome {
  return { status: 'refused', reason, message, ...(conversationId ? { conversationId } : {}) };
}
