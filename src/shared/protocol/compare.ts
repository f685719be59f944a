/**
 * Compare: one prompt sent to 2–6 models at once, and the table of their replies. The view
 * asks for a comparison (`compare/start`; without `models` the host asks the user in a
 * multi-select quick pick) and picks a winner (`compare/pick`). The table itself rides on
 * the open conversation (`ConversationView.comparison`), so it is redrawn whenever a
 * reply starts, settles or is priced — it fills in as the replies stream.
 */
import * as z from 'zod/mini';
import { Count, Id, Millis, Money, request, Text } from './common';
import { ControlsView } from './controls';
import { AttachmentIds } from './attachments';

export const MIN_COMPARED = 2;
export const MAX_COMPARED = 6;

const ModelId = z.string().check(z.minLength(1), z.maxLength(200));

/** One model's reply in a comparison: what was asked, who served it, what it cost and how fast. */
export const ComparisonRow = z.object({
  messageId: Id,
  /** The model asked for (the column the user picked). */
  model: ModelId,
  /** The model that actually answered (a router or a fallback may differ). */
  servedModel: z.optional(ModelId),
  provider: z.optional(z.string().check(z.maxLength(200))),
  status: z.enum(['streaming', 'complete', 'partial', 'failed']),
  promptTokens: z.optional(Count),
  completionTokens: z.optional(Count),
  reasoningTokens: z.optional(Count),
  cachedTokens: z.optional(Count),
  cost: z.optional(Money),
  /** Where the cost came from (usage, the generation lookup, or our estimate). */
  costSource: z.optional(z.enum(['usage', 'generation', 'estimate'])),
  ttftMs: z.optional(Millis),
  tokensPerSecond: z.optional(z.number().check(z.nonnegative())),
  latencyMs: z.optional(Millis),
  finishReason: z.optional(z.string().check(z.maxLength(60))),
  /** Why it failed, in words. */
  error: z.optional(z.string().check(z.maxLength(500))),
});
export type ComparisonRow = z.infer<typeof ComparisonRow>;

/** The comparison started by the open conversation's latest user message. */
export const ComparisonView = z.object({
  userMessageId: Id,
  rows: z.array(ComparisonRow).check(z.maxLength(MAX_COMPARED)),
  /** The reply picked as the winner, once one is. */
  winnerId: z.optional(Id),
  /** The reply on the active branch (the one the transcript shows). */
  activeId: z.optional(Id),
  /** Exact sum of the rows' costs: what the whole fan-out cost. */
  totalCost: Money,
});
export type ComparisonView = z.infer<typeof ComparisonView>;

export const compareRequests = [
  request('compare/start', {
    text: Text,
    conversationId: z.optional(Id),
    /** The models to ask; absent: the host asks the user to pick 2–6 in a quick pick. */
    models: z.optional(z.array(ModelId).check(z.minLength(MIN_COMPARED), z.maxLength(MAX_COMPARED))),
    controls: z.optional(ControlsView),
    attachmentIds: z.optional(AttachmentIds),
  }),
  /** Make a comparison's reply the winner: its branch goes on, with its model. */
  request('compare/pick', { messageId: Id }),
] as const;
