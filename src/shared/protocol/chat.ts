/** The transcript: entries, the open conversation, sends and their stream. */
import * as z from 'zod/mini';
import { Count, Id, Millis, Money, push, request, RequestId, Text } from './common';
import { ControlsView } from './controls';
import { AttachmentIds, AttachmentView } from './attachments';
import { ComparisonView } from './compare';

export const CostSource = z.enum(['usage', 'generation', 'estimate']);
export type CostSource = z.infer<typeof CostSource>;

export const EntryStatus = z.enum(['streaming', 'complete', 'partial', 'failed']);
export type EntryStatus = z.infer<typeof EntryStatus>;

/** One log entry of the transcript: a message on the active branch. */
export const EntryView = z.object({
  id: Id,
  parentId: z.nullable(Id),
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
  reasoning: z.optional(z.string()),
  createdAt: z.number(),
  model: z.optional(z.string()),
  promptTokens: z.optional(Count),
  completionTokens: z.optional(Count),
  reasoningTokens: z.optional(Count),
  cachedTokens: z.optional(Count),
  cost: z.optional(Money),
  costSource: z.optional(CostSource),
  latencyMs: z.optional(Millis),
  ttftMs: z.optional(Millis),
  tokensPerSecond: z.optional(z.number()),
  status: EntryStatus,
  finishReason: z.optional(z.string()),
  error: z.optional(z.object({ kind: z.string(), message: z.string() })),
  /** Position among siblings (regenerate/edit branches): 1-based index and count. */
  branch: z.object({ index: z.int(), count: z.int(), prevId: z.optional(Id), nextId: z.optional(Id) }),
  /** What the PII guard redacted (outgoing) or found (incoming), by kind. */
  pii: z.optional(z.record(z.string(), z.int())),
  /** The provider that served the reply (OpenRouter routes one model to several). */
  provider: z.optional(z.string().check(z.maxLength(200))),
  /** BYOK replies: OpenRouter's fee and the provider's own charge; `cost` is their sum. */
  billing: z.optional(z.object({ fee: Money, upstream: Money })),
  /** Prompt-cache reads and writes of this reply and what they saved (negative: cost more). */
  cache: z.optional(z.object({ readTokens: Count, writeTokens: Count, saving: Money })),
  /** Web search citations, shown as links under the reply. */
  citations: z.optional(
    z.array(z.object({ url: z.string().check(z.maxLength(2000)), title: z.optional(z.string().check(z.maxLength(500))) })).check(z.maxLength(50)),
  ),
  /** The request controls this reply was sent with, in words ("sort price · web · effort high"). */
  controls: z.optional(z.string().check(z.maxLength(300))),
  /** A user message's attachments as sent (chips; the text stays on the host). */
  attachments: z.optional(z.array(AttachmentView).check(z.maxLength(20))),
  /** The code of a user message's selection attachments, drawn as highlighted code under `path:lines`. */
  sentCode: z.optional(
    z.array(z.object({ label: z.string().check(z.maxLength(300)), language: z.string().check(z.maxLength(40)), code: Text })).check(z.maxLength(20)),
  ),
});
export type EntryView = z.infer<typeof EntryView>;

export const ConversationView = z.object({
  id: Id,
  title: z.string(),
  modelId: z.string(),
  systemPrompt: z.optional(z.string()),
  tags: z.array(z.string()),
  parentConversationId: z.optional(Id),
  forkedFromMessageId: z.optional(Id),
  totalCost: Money,
  totalTokens: Count,
  /**
   * A window of the active branch: its newest entries (or those around a message to reveal),
   * oldest first. The rest are paged in with `chat/loadEarlier`.
   */
  entries: z.array(EntryView),
  /** How many entries of the active branch come before `entries[0]` and were not sent. */
  earlier: z.optional(Count),
  /** Id of the assistant entry currently streaming, if any. */
  streamingId: z.optional(Id),
  /** What prompt caching saved over the active branch's replies (exact; negative when writes cost more). */
  cacheSaving: z.optional(Money),
  /** The table of the comparison the latest user message started, if it started one. */
  comparison: z.optional(ComparisonView),
});
export type ConversationView = z.infer<typeof ConversationView>;

/** The most entries one `chat/loadEarlier` page may carry. */
export const MAX_EARLIER_PAGE = 200;

export const chatRequests = [
  request('chat/send', {
    text: Text,
    conversationId: z.optional(Id),
    controls: z.optional(ControlsView),
    /** The composer's chips this send carries (the host holds their text). */
    attachmentIds: z.optional(AttachmentIds),
  }),
  request('chat/cancel', { conversationId: Id }),
  request('chat/retry', { messageId: Id }),
  request('chat/regenerate', { messageId: Id }),
  request('chat/editAndResend', { messageId: Id, text: Text }),
  request('chat/switchBranch', { messageId: Id }),
  request('chat/fork', { messageId: Id }),
  /** Delete a message and the replies under it; the host asks first. */
  request('chat/deleteMessage', { messageId: Id }),
  request('chat/summarize', { conversationId: Id }),
  /**
   * Older entries of the open conversation's active branch: up to `limit` just before `beforeId`
   * (the oldest the view holds). Answered with `chat/earlier` carrying this request's id.
   */
  request('chat/loadEarlier', { conversationId: Id, beforeId: Id, limit: z.optional(z.int().check(z.minimum(1), z.maximum(MAX_EARLIER_PAGE))) }),
  /** What the composer's text would cost; answered with `chat/estimated`. */
  request('chat/estimate', { text: Text, controls: z.optional(ControlsView) }),
] as const;

/** Tokens of one streaming reply, coalesced by the host (sent many times per second). */
export interface StreamDelta {
  type: 'chat/stream';
  conversationId: string;
  messageId: string;
  content: string;
  reasoning: string;
}

/**
 * The per-token hot path skips zod: a direct shape check (measured in
 * test/bench/protocol.bench.ts) — every field is still checked, only cheaper.
 */
export function isStreamDelta(raw: unknown): raw is StreamDelta {
  if (typeof raw !== 'object' || raw === null) return false;
  const m = raw as Record<string, unknown>;
  return (
    m.type === 'chat/stream' &&
    typeof m.conversationId === 'string' &&
    typeof m.messageId === 'string' &&
    typeof m.content === 'string' &&
    typeof m.reasoning === 'string'
  );
}

export const chatPushes = [
  /** The active conversation changed (new entries, finished stream, branch switch). */
  push('chat/conversation', { conversation: z.optional(ConversationView) }),
  push('chat/estimated', {
    promptTokens: Count,
    cost: z.optional(Money),
    /** True when the price varies (router models): no number can be promised. */
    varies: z.boolean(),
    /** The provider the routing picks, whose prices the estimate uses. */
    provider: z.optional(z.string().check(z.maxLength(200))),
    /** Set when no provider meets the routing (names the rule): OpenRouter would refuse the send. */
    noProvider: z.optional(z.string().check(z.maxLength(300))),
  }),
  /** A page of older entries answering `chat/loadEarlier` `requestId`: they go just before `beforeId`. */
  push('chat/earlier', {
    requestId: RequestId,
    conversationId: Id,
    beforeId: Id,
    entries: z.array(EntryView).check(z.maxLength(MAX_EARLIER_PAGE)),
    /** How many entries are still before `entries[0]`. */
    earlier: Count,
  }),
  /** Scroll to and highlight a message (search result, fork source). */
  push('chat/reveal', { messageId: Id }),
] as const;
