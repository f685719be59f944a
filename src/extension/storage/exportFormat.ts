/**
 * The versioned JSON export format, declared once as a zod schema: the
 * exporter builds values of this type and the importer validates files
 * against it. Bump EXPORT_VERSION (and teach the importer the old one) when
 * the shape changes. Local bookkeeping (row keys, modified_at) is not part of
 * it; totals are included for readers but recomputed on import.
 * No `vscode` import.
 */
import * as z from 'zod'; // namespace import: lets the bundler drop zod's unused locales (~360 KB)

import { parseUsd } from '../../shared/money';
import { jsonObjectSchema } from './rows';

export const EXPORT_FORMAT = 'neural-terminal.history';
export const EXPORT_VERSION = 1;

const id = z.string().min(1).max(200);
const count = z.number().int().nonnegative().nullable();
const time = z.number().int();
const usdText = z.string().refine((text) => {
  const value = parseUsd(text);
  return value !== undefined && value.atto >= 0n;
}, 'not a non-negative decimal USD amount');

export const exportedMessageSchema = z.object({
  id,
  parentId: id.nullable(),
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
  promptTokens: count,
  completionTokens: count,
  reasoningTokens: count,
  cachedTokens: count,
  cost: z.object({ usd: usdText, source: z.enum(['usage', 'generation', 'estimate']) }).nullable(),
  latencyMs: count,
  ttftMs: count,
  modelId: z.string().nullable(),
  generationId: z.string().nullable(),
  finishReason: z.string().nullable(),
  status: z.enum(['complete', 'partial', 'failed']),
  createdAt: time,
  metadata: jsonObjectSchema,
  copiedFromMessageId: id.nullable(),
});

export const exportedConversationSchema = z.object({
  id,
  title: z.string(),
  modelId: z.string().nullable(),
  status: z.enum(['active', 'archived']),
  createdAt: time,
  updatedAt: time,
  tags: z.array(z.string()),
  systemPrompt: z.string().nullable(),
  parentConversationId: id.nullable(),
  forkedFromMessageId: id.nullable(),
  activeLeafId: id.nullable(),
  /** Informational; recomputed from the messages on import. */
  totalCostUsd: usdText,
  totalTokens: z.number().int().nonnegative(),
  messages: z.array(exportedMessageSchema),
});

export const exportFileSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: time,
  conversations: z.array(exportedConversationSchema),
});

export type ExportedMessage = z.infer<typeof exportedMessageSchema>;
export type ExportedConversation = z.infer<typeof exportedConversationSchema>;
export type ExportFile = z.infer<typeof exportFileSchema>;

/** Just enough to tell "not ours" from "ours, but a newer version". */
export const exportHeaderSchema = z.object({ format: z.literal(EXPORT_FORMAT), version: z.number() });
