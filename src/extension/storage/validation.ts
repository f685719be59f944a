/**
 * Checks and normalises what callers hand the store (titles, tags, message
 * fields) and maps message fields to column values. Refusals are StorageError
 * 'invalid-input' with a sentence saying what was wrong. No `vscode` import.
 */
import type { SqlValue } from 'sql.js';

import { parseUsd, toDecimalString } from '../../shared/money';
import { StorageError } from './errors';
import { jsonObjectSchema } from './rows';
import { COST_SOURCES, MESSAGE_STATUSES, type MessageFields, type NewMessage } from './types';

export const MAX_TITLE_LENGTH = 500;
export const MAX_TAG_LENGTH = 64;
export const MAX_TAGS = 32;
const MAX_SHORT_TEXT = 1_000;
export const DEFAULT_TITLE = 'New conversation';

export function normalizeTitle(title: string | undefined): string {
  const clean = (title ?? '').replace(/\s+/g, ' ').trim();
  if (clean === '') return DEFAULT_TITLE;
  return clean.length > MAX_TITLE_LENGTH ? clean.slice(0, MAX_TITLE_LENGTH) : clean;
}

/** Trimmed, whitespace collapsed, empty dropped, de-duplicated ignoring case, sorted. */
export function normalizeTags(tags: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const raw of tags) {
    if (typeof raw !== 'string') throw invalid('Tags must be text.');
    const tag = raw.replace(/\s+/g, ' ').trim();
    if (tag === '') continue;
    if (tag.length > MAX_TAG_LENGTH) throw invalid(`A tag can be at most ${MAX_TAG_LENGTH} characters long.`);
    const key = tag.toLowerCase();
    if (!byKey.has(key)) byKey.set(key, tag);
  }
  if (byKey.size > MAX_TAGS) throw invalid(`A conversation can have at most ${MAX_TAGS} tags.`);
  return [...byKey.values()].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
}

export function optionalShortText(value: string | null | undefined, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalid(`${field} must be text.`);
  if (value.length > MAX_SHORT_TEXT) throw invalid(`${field} is too long.`);
  return value;
}

/** Canonical exact cost text, or a refusal naming the bad value. */
export function canonicalCost(usd: string): string {
  const parsed = typeof usd === 'string' ? parseUsd(usd) : undefined;
  if (parsed === undefined) throw invalid(`"${String(usd).slice(0, 40)}" is not a decimal USD amount.`);
  if (parsed.atto < 0n) throw invalid('A message cost cannot be negative.');
  return toDecimalString(parsed);
}

export function validateNewMessage(input: NewMessage): void {
  if (typeof input.conversationId !== 'string' || input.conversationId === '') throw invalid('A message needs a conversation id.');
  if (input.role !== 'system' && input.role !== 'user' && input.role !== 'assistant') {
    throw invalid(`Unknown role "${String(input.role)}".`);
  }
  if (typeof input.content !== 'string') throw invalid('Message content must be text.');
}

/**
 * Column values for the fields present in `fields` (absent fields are left
 * alone by an update). Tokens and timings must be non-negative integers.
 */
export function messageColumns(fields: MessageFields): Map<string, SqlValue> {
  const columns = new Map<string, SqlValue>();
  if (fields.content !== undefined) {
    if (typeof fields.content !== 'string') throw invalid('Message content must be text.');
    columns.set('content', fields.content);
  }
  const counts: ReadonlyArray<[keyof MessageFields, string]> = [
    ['promptTokens', 'prompt_tokens'],
    ['completionTokens', 'completion_tokens'],
    ['reasoningTokens', 'reasoning_tokens'],
    ['cachedTokens', 'cached_tokens'],
    ['latencyMs', 'latency_ms'],
    ['ttftMs', 'ttft_ms'],
  ];
  for (const [field, column] of counts) {
    const value = fields[field];
    if (value === undefined) continue;
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      throw invalid(`${field} must be a non-negative number.`);
    }
    // Timings may arrive as fractional milliseconds; counts are whole anyway.
    columns.set(column, value === null ? null : Math.round(value));
  }
  if (fields.cost !== undefined) {
    if (fields.cost === null) {
      columns.set('cost', null).set('cost_exact', null).set('cost_source', null);
    } else {
      if (!COST_SOURCES.includes(fields.cost.source)) throw invalid(`Unknown cost source "${String(fields.cost.source)}".`);
      const exact = canonicalCost(fields.cost.usd);
      columns.set('cost', Number(exact)).set('cost_exact', exact).set('cost_source', fields.cost.source);
    }
  }
  const texts: ReadonlyArray<[keyof MessageFields, string]> = [
    ['modelId', 'model_id'],
    ['generationId', 'generation_id'],
    ['finishReason', 'finish_reason'],
  ];
  for (const [field, column] of texts) {
    const value = fields[field];
    if (value !== undefined) columns.set(column, optionalShortText(value as string | null, field));
  }
  if (fields.status !== undefined) {
    if (!MESSAGE_STATUSES.includes(fields.status)) throw invalid(`Unknown message status "${String(fields.status)}".`);
    columns.set('status', fields.status);
  }
  if (fields.metadata !== undefined) {
    const parsed = jsonObjectSchema.safeParse(fields.metadata);
    if (!parsed.success) throw invalid('Message metadata must be a plain JSON object.');
    columns.set('metadata', JSON.stringify(parsed.data));
  }
  return columns;
}

export function invalid(message: string): StorageError {
  return new StorageError('invalid-input', message);
}
