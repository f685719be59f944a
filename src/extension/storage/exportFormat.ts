/**
 * The versioned JSON export format, declared once as a zod schema: the
 * exporter builds values of this type and the importer validates files
 * against it. Bump EXPORT_VERSION (and teach the importer the old one) when
 * the shape changes. Local bookkeeping (row keys, modified_at) is not part of
 * it; totals are included for readers but recomputed on import.
 * No `vscode` import.
 */
import * as z from 'zod'; // namespace import: lets the bundler drop zod's unused locales (~360 KB)

import { boundedCost, dateInRange, isWellFormed, MAX_DURATION_MS, MAX_TOKENS } from './importBounds';
import { mediaWithinBounds } from '../../shared/attachments';
import { jsonObjectSchema } from './rows';

export const EXPORT_FORMAT = 'neural-terminal.history';
export const EXPORT_VERSION = 1;

// Every bound is the importer's defence: see importBounds.ts for why each exists.
const text = z.string().refine(isWellFormed, 'holds an unpaired surrogate (not valid Unicode)');
const shortText = text.refine((t) => t.length <= 1_000, 'is too long');
const id = z.string().min(1).max(200).refine(isWellFormed, 'is not valid Unicode');
const count = z.number().int().nonnegative().max(MAX_TOKENS).nullable();
const duration = z.number().int().nonnegative().max(MAX_DURATION_MS).nullable();
/** Dates from 2020 to a day from now, checked when the file is read. */
const time = z.number().int().refine((t) => dateInRange(t, Date.now()), 'is not a date between 2020 and tomorrow');
const usdText = z.string().refine((t) => boundedCost(t, 'message') !== undefined, 'is not a USD amount from 0 to 100000 in at most 40 characters');
const totalText = z.string().refine((t) => boundedCost(t, 'total') !== undefined, 'is not a bounded USD total');

export const exportedMessageSchema = z.object({
  id,
  parentId: id.nullable(),
  role: z.enum(['system', 'user', 'assistant']),
  content: text,
  promptTokens: count,
  completionTokens: count,
  reasoningTokens: count,
  cachedTokens: count,
  cost: z.object({ usd: usdText, source: z.enum(['usage', 'generation', 'estimate']) }).nullable(),
  latencyMs: duration,
  ttftMs: duration,
  modelId: shortText.nullable(),
  generationId: shortText.nullable(),
  finishReason: shortText.nullable(),
  status: z.enum(['complete', 'partial', 'failed']),
  createdAt: time,
  metadata: jsonObjectSchema.refine(mediaWithinBounds, 'holds an image or PDF that is malformed, not an accepted type, or over the size bounds'),
  copiedFromMessageId: id.nullable(),
});

export const exportedConversationSchema = z.object({
  id,
  title: text,
  modelId: shortText.nullable(),
  status: z.enum(['active', 'archived']),
  createdAt: time,
  updatedAt: time,
  tags: z.array(text),
  systemPrompt: text.nullable(),
  parentConversationId: id.nullable(),
  forkedFromMessageId: id.nullable(),
  activeLeafId: id.nullable(),
  /** Informational; recomputed from the messages on import. */
  totalCostUsd: totalText,
  totalTokens: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  messages: z.array(exportedMessageSchema),
  /**
   * Informational, like the totals: each comparison's table (models, winner, one row per
   * reply with tokens, exact cost and timings). The messages hold the same facts; the
   * importer ignores this.
   */
  comparisons: z.array(z.unknown()).optional(),
});

export const exportFileSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: time,
  conversations: z.array(exportedConversationSchema),
});

/** The file without its conversations checked: the importer checks those one by one (progress, cancel). */
export const exportEnvelopeSchema = exportFileSchema.extend({ conversations: z.array(z.unknown()) });

export type ExportedMessage = z.infer<typeof exportedMessageSchema>;
export type ExportedConversation = z.infer<typeof exportedConversationSchema>;
export type ExportFile = z.infer<typeof exportFileSchema>;

/** Just enough to tell "not ours" from "ours, but a newer version". */
export const exportHeaderSchema = z.object({ format: z.literal(EXPORT_FORMAT), version: z.number() });
