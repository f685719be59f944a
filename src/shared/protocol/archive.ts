/** The history drawer: listing, searching and editing stored conversations. */
import * as z from 'zod/mini';
import { Count, Id, Money, push, request, RequestId } from './common';

export const ConversationSummary = z.object({
  id: Id,
  title: z.string(),
  modelId: z.string(),
  updatedAt: z.number(),
  totalCost: Money,
  messageCount: Count,
  archived: z.boolean(),
  tags: z.array(z.string()),
  parentConversationId: z.optional(Id),
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

export const SearchHit = z.object({
  conversationId: Id,
  messageId: z.optional(Id),
  title: z.string(),
  /** Plain text; `highlights` are [start, end) ranges into it (never HTML). */
  snippet: z.string(),
  highlights: z.array(z.tuple([z.int(), z.int()])),
  updatedAt: z.number(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const archiveRequests = [
  request('archive/open', { conversationId: Id, messageId: z.optional(Id) }),
  request('archive/list', {
    archived: z.optional(z.boolean()),
    tag: z.optional(z.string()),
    offset: z.optional(Count),
  }),
  /** Answered with `archive/results` carrying this request's id. */
  request('archive/search', { query: z.string().check(z.maxLength(500)), tag: z.optional(z.string()) }),
  request('archive/rename', { conversationId: Id, title: z.string().check(z.maxLength(200)) }),
  request('archive/tag', { conversationId: Id, tags: z.array(z.string().check(z.maxLength(40))) }),
  request('archive/setArchived', { conversationId: Id, archived: z.boolean() }),
  /** The host always asks in its own dialog before deleting: the view cannot confirm for the user. */
  request('archive/delete', { conversationId: Id }),
] as const;

export const archivePushes = [
  push('archive/page', { items: z.array(ConversationSummary), total: Count, offset: Count }),
  /** Results of the `archive/search` request `requestId`; a view ignores answers to older queries. */
  push('archive/results', { requestId: z.optional(RequestId), query: z.string(), hits: z.array(SearchHit), error: z.optional(z.string()) }),
] as const;
