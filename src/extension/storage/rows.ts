/**
 * Row shapes: the SELECT column lists and the zod schemas that turn sql.js rows
 * into domain objects. The one place that knows both column names and field
 * names. No `vscode` import.
 */
import * as z from 'zod'; // namespace import: lets the bundler drop zod's unused locales (~360 KB)

import type { Conversation, JsonObject, StoredMessage } from './types';

const int = z.number().int();
const nullableInt = int.nullable();
const nullableText = z.string().nullable();

/** A TEXT column holding JSON, decoded and then checked by `schema`. */
function jsonText<T>(schema: z.ZodType<T>): z.ZodType<T> {
  return z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

export const jsonObjectSchema: z.ZodType<JsonObject> = z.record(z.string(), z.json());

/** Columns selected for a conversation; `c` is the conversations alias. */
export const CONVERSATION_COLUMNS = `
  c.id, c.title, c.model_id, c.status, c.created_at, c.updated_at, c.total_cost_exact,
  c.total_tokens, c.tags, c.system_prompt, c.parent_conversation_id, c.forked_from_message_id,
  c.active_leaf_id,
  (SELECT count(*) FROM messages mc WHERE mc.conversation_id = c.id) AS message_count`;

export const conversationRowSchema: z.ZodType<Conversation> = z
  .object({
    id: z.string(),
    title: z.string(),
    model_id: nullableText,
    status: z.enum(['active', 'archived']),
    created_at: int,
    updated_at: int,
    total_cost_exact: z.string(),
    total_tokens: int,
    message_count: int,
    tags: jsonText(z.array(z.string())),
    system_prompt: nullableText,
    parent_conversation_id: nullableText,
    forked_from_message_id: nullableText,
    active_leaf_id: nullableText,
  })
  .transform(
    (row): Conversation => ({
      id: row.id,
      title: row.title,
      modelId: row.model_id,
      status: row.status,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      totalCostUsd: row.total_cost_exact,
      totalTokens: row.total_tokens,
      messageCount: row.message_count,
      tags: row.tags,
      systemPrompt: row.system_prompt,
      parentConversationId: row.parent_conversation_id,
      forkedFromMessageId: row.forked_from_message_id,
      activeLeafId: row.active_leaf_id,
    }),
  );

/** Columns selected for a message; `m` is the messages alias. */
export const MESSAGE_COLUMNS = `
  m.id, m.conversation_id, m.parent_id, m.role, m.content, m.prompt_tokens, m.completion_tokens,
  m.reasoning_tokens, m.cached_tokens, m.cost_exact, m.cost_source, m.latency_ms, m.ttft_ms,
  m.model_id, m.generation_id, m.finish_reason, m.status, m.created_at, m.modified_at, m.metadata,
  m.copied_from_message_id`;

const messageRowObject = z.object({
  id: z.string(),
  conversation_id: z.string(),
  parent_id: nullableText,
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
  prompt_tokens: nullableInt,
  completion_tokens: nullableInt,
  reasoning_tokens: nullableInt,
  cached_tokens: nullableInt,
  cost_exact: nullableText,
  cost_source: z.enum(['usage', 'generation', 'estimate']).nullable(),
  latency_ms: nullableInt,
  ttft_ms: nullableInt,
  model_id: nullableText,
  generation_id: nullableText,
  finish_reason: nullableText,
  status: z.enum(['complete', 'partial', 'failed']),
  created_at: int,
  modified_at: int,
  metadata: jsonText(jsonObjectSchema),
  copied_from_message_id: nullableText,
});

function toMessage(row: z.infer<typeof messageRowObject>): StoredMessage {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    parentId: row.parent_id,
    role: row.role,
    content: row.content,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    reasoningTokens: row.reasoning_tokens,
    cachedTokens: row.cached_tokens,
    // A cost without a source (or the reverse) is not a cost we can vouch for.
    cost:
      row.cost_exact !== null && row.cost_source !== null
        ? { usd: row.cost_exact, source: row.cost_source }
        : null,
    latencyMs: row.latency_ms,
    ttftMs: row.ttft_ms,
    modelId: row.model_id,
    generationId: row.generation_id,
    finishReason: row.finish_reason,
    status: row.status,
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
    metadata: row.metadata,
    copiedFromMessageId: row.copied_from_message_id,
  };
}

export const messageRowSchema: z.ZodType<StoredMessage> = messageRowObject.transform(toMessage);

/** A message row plus its place among its siblings (see messageTree.ts). */
export const pathRowSchema = messageRowObject
  .extend({ sibling_index: int, sibling_count: int })
  .transform((row) => ({
    message: toMessage(row),
    siblingIndex: row.sibling_index,
    siblingCount: row.sibling_count,
  }));

export const idRowSchema = z.object({ id: z.string() });
export const countRowSchema = z.object({ n: int });
