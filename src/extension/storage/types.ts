/**
 * Storage-facing domain types: what the history store accepts and returns.
 * Everything here is plain JSON-safe data — exact money as canonical decimal
 * strings (see shared/money.ts), times as epoch milliseconds — so values can be
 * posted to the webview unchanged. Shared ones may later move to core/domain.ts.
 * No `vscode` import.
 */
import type { Clock as BaseClock } from '../base/clock';
import type { Logger } from '../base/logger';

export type Role = 'system' | 'user' | 'assistant';
export const ROLES: readonly Role[] = ['system', 'user', 'assistant'];

export type MessageStatus = 'complete' | 'partial' | 'failed';
export const MESSAGE_STATUSES: readonly MessageStatus[] = ['complete', 'partial', 'failed'];

/** Where a cost figure came from: the stream's usage block, /generation, or a local estimate. */
export type CostSource = 'usage' | 'generation' | 'estimate';
export const COST_SOURCES: readonly CostSource[] = ['usage', 'generation', 'estimate'];

export type ConversationStatus = 'active' | 'archived';
export const CONVERSATION_STATUSES: readonly ConversationStatus[] = ['active', 'archived'];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Injected time source, so tests control timestamps: the base Clock, of which storage reads only the time. */
export type Clock = Pick<BaseClock, 'now'>;

/** Storage logs through the base Logger; it writes info, warnings and errors only. */
export type StorageLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

/** Exact cost of one message: `usd` is canonical decimal text ("0.0000123"). */
export interface MessageCost {
  readonly usd: string;
  readonly source: CostSource;
}

export interface Conversation {
  readonly id: string;
  readonly title: string;
  /** Default model for new requests in this conversation. */
  readonly modelId: string | null;
  readonly status: ConversationStatus;
  readonly createdAt: number;
  /** Last activity (message appended, renamed, tagged); what the archive sorts by. */
  readonly updatedAt: number;
  /** Exact sum of every message's cost in this conversation (all branches). */
  readonly totalCostUsd: string;
  /** Sum of prompt + completion tokens over every message (all branches). */
  readonly totalTokens: number;
  readonly messageCount: number;
  readonly tags: readonly string[];
  readonly systemPrompt: string | null;
  /** Set on forks: the conversation this one was forked from (may since be deleted). */
  readonly parentConversationId: string | null;
  /** Set on forks: the source message the fork was taken at. */
  readonly forkedFromMessageId: string | null;
  /** Tip of the branch the user last chose; see messageTree.ts. */
  readonly activeLeafId: string | null;
}

export interface StoredMessage {
  readonly id: string;
  readonly conversationId: string;
  /** null for a root; siblings share a parent (regenerate / edit branches). */
  readonly parentId: string | null;
  readonly role: Role;
  readonly content: string;
  readonly promptTokens: number | null;
  readonly completionTokens: number | null;
  readonly reasoningTokens: number | null;
  readonly cachedTokens: number | null;
  readonly cost: MessageCost | null;
  readonly latencyMs: number | null;
  readonly ttftMs: number | null;
  readonly modelId: string | null;
  readonly generationId: string | null;
  readonly finishReason: string | null;
  readonly status: MessageStatus;
  readonly createdAt: number;
  /** Bumped on every change; multi-window merge keeps the newer row. */
  readonly modifiedAt: number;
  readonly metadata: JsonObject;
  /** Set on messages a fork copied: the source message. */
  readonly copiedFromMessageId: string | null;
}

export interface NewConversation {
  readonly title?: string;
  readonly modelId?: string | null;
  readonly systemPrompt?: string | null;
  readonly tags?: readonly string[];
}

/** Fields a message carries besides its place in the tree. */
export interface MessageFields {
  readonly content?: string;
  readonly promptTokens?: number | null;
  readonly completionTokens?: number | null;
  readonly reasoningTokens?: number | null;
  readonly cachedTokens?: number | null;
  readonly cost?: MessageCost | null;
  readonly latencyMs?: number | null;
  readonly ttftMs?: number | null;
  readonly modelId?: string | null;
  readonly generationId?: string | null;
  readonly finishReason?: string | null;
  readonly status?: MessageStatus;
  readonly metadata?: JsonObject;
}

export interface NewMessage extends MessageFields {
  readonly conversationId: string;
  /**
   * undefined: continue the active branch (child of its tip).
   * null: a new root (editing the first message).
   * an id: a child of that message (regenerate = a sibling of the old reply).
   */
  readonly parentId?: string | null;
  readonly role: Role;
  readonly content: string;
}

export type MessagePatch = MessageFields;

/** One message on the active path, with its position among its siblings (`◀ 2/3 ▶`). */
export interface PathEntry {
  readonly message: StoredMessage;
  /** 0-based position among siblings, oldest first. */
  readonly siblingIndex: number;
  readonly siblingCount: number;
}

export interface Siblings {
  /** Ids of the message and its siblings, oldest first. */
  readonly ids: readonly string[];
  /** Position of the asked-about message in `ids`. */
  readonly index: number;
}

export type ConversationSort = 'updated' | 'created' | 'title' | 'cost';
export type SortDirection = 'asc' | 'desc';
export type StatusFilter = ConversationStatus | 'all';

export interface ConversationListQuery {
  readonly offset?: number;
  /** 1..500, default 50. */
  readonly limit?: number;
  /** Default 'updated'. */
  readonly sort?: ConversationSort;
  /** Default 'desc' (newest / most expensive first; 'asc' for titles reads better). */
  readonly direction?: SortDirection;
  /** Default 'active'. */
  readonly status?: StatusFilter;
  /** Conversations carrying every one of these tags (case-insensitive). */
  readonly tags?: readonly string[];
  readonly modelId?: string;
  /** Inclusive bounds on updatedAt (epoch ms). */
  readonly updatedFrom?: number;
  readonly updatedTo?: number;
}

export interface ConversationPage {
  readonly items: readonly Conversation[];
  /** Matching conversations in total, for "page 2 of 5". */
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
}

export interface TagCount {
  readonly tag: string;
  readonly count: number;
}

export interface SearchQuery {
  readonly text: string;
  /** 1..100, default 20. */
  readonly limit?: number;
  readonly tags?: readonly string[];
  /** Inclusive bounds on the message's createdAt (a title hit: the conversation's updatedAt). */
  readonly from?: number;
  readonly to?: number;
  /** Default 'all': search is how people find archived chats. */
  readonly status?: StatusFilter;
  /** Only this conversation. */
  readonly conversationId?: string;
}

/** A highlighted range of a snippet, as UTF-16 offsets [start, end) into `text`. */
export interface Highlight {
  readonly start: number;
  readonly end: number;
}

/** Plain text plus ranges to emphasise: the UI renders it without parsing any markup. */
export interface Snippet {
  readonly text: string;
  readonly highlights: readonly Highlight[];
}

export interface SearchHit {
  /** 'message': a message's content matched; 'title': the conversation title matched. */
  readonly kind: 'message' | 'title';
  readonly conversationId: string;
  readonly conversationTitle: string;
  /** The message to jump to; null for a title hit. */
  readonly messageId: string | null;
  readonly role: Role | null;
  readonly createdAt: number;
  /** Higher is better (BM25 over matchinfo). */
  readonly score: number;
  readonly snippet: Snippet;
}

export type SearchOutcome =
  | {
      readonly kind: 'results';
      readonly hits: readonly SearchHit[];
      /**
       * True when more matches existed than were ranked: very common words are
       * ranked among their most recent matches only (see search.ts).
       */
      readonly windowed: boolean;
    }
  | { readonly kind: 'invalid-query'; readonly message: string; readonly action: string };

/** Told to the user when the history file could not be read and was set aside. */
export interface RecoveryNotice {
  readonly kind: 'corrupt-file-moved';
  /** Where the unreadable file now is (kept, never deleted). */
  readonly movedTo: string;
  readonly reason: string;
  readonly at: number;
}

/** What a merge of another window's file brought in. */
export interface MergeReport {
  readonly conversationsChanged: number;
  readonly messagesChanged: number;
  readonly conversationsDeleted: number;
}

export interface ImportReport {
  readonly conversations: number;
  readonly messages: number;
  /** Old conversation id → new id, so the UI can open what was imported. */
  readonly conversationIds: Readonly<Record<string, string>>;
}

export interface RebuildReport {
  readonly conversations: number;
  readonly messages: number;
  readonly durationMs: number;
}

export interface IntegrityReport {
  readonly ok: boolean;
  /** Human-readable problems; empty when ok. */
  readonly problems: readonly string[];
}
