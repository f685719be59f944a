/**
 * The archive list: conversations with paging, sorting and filters (status,
 * tags, model, updated date), plus the tag cloud. Read-only. No `vscode` import.
 */
import type { SqlValue } from 'sql.js';
import * as z from 'zod'; // namespace import: lets the bundler drop zod's unused locales (~360 KB)

import type { SqlDatabase } from './database';
import { StorageError } from './errors';
import { CONVERSATION_COLUMNS, conversationRowSchema, countRowSchema } from './rows';
import type { ConversationListQuery, ConversationPage, StatusFilter, TagCount } from './types';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

const SORT_COLUMNS = {
  updated: 'c.updated_at',
  created: 'c.created_at',
  title: 'c.title COLLATE NOCASE',
  cost: 'c.total_cost',
} as const;

export interface ConversationFilter {
  readonly clauses: string[];
  readonly params: SqlValue[];
}

/** WHERE clauses (on alias `c`) shared by the list and by search. */
export function conversationFilter(options: {
  status?: StatusFilter;
  tags?: readonly string[];
  modelId?: string;
}): ConversationFilter {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  const status = options.status ?? 'active';
  if (status !== 'all') {
    clauses.push('c.status = ?');
    params.push(status);
  }
  for (const tag of options.tags ?? []) {
    clauses.push('EXISTS (SELECT 1 FROM json_each(c.tags) t WHERE lower(t.value) = lower(?))');
    params.push(tag.trim());
  }
  if (options.modelId !== undefined) {
    clauses.push('c.model_id = ?');
    params.push(options.modelId);
  }
  return { clauses, params };
}

export function listConversations(db: SqlDatabase, query: ConversationListQuery = {}): ConversationPage {
  const limit = clampInt(query.limit ?? DEFAULT_LIMIT, 1, MAX_LIMIT, 'limit');
  const offset = clampInt(query.offset ?? 0, 0, Number.MAX_SAFE_INTEGER, 'offset');
  const sort = query.sort ?? 'updated';
  const sortColumn = SORT_COLUMNS[sort];
  if (sortColumn === undefined) throw new StorageError('invalid-input', `Unknown sort "${String(sort)}".`);
  const direction = (query.direction ?? 'desc') === 'asc' ? 'ASC' : 'DESC';

  const { clauses, params } = conversationFilter(query);
  if (query.updatedFrom !== undefined) {
    clauses.push('c.updated_at >= ?');
    params.push(query.updatedFrom);
  }
  if (query.updatedTo !== undefined) {
    clauses.push('c.updated_at <= ?');
    params.push(query.updatedTo);
  }
  const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';

  const total = db.get(`SELECT count(*) AS n FROM conversations c ${where}`, params, countRowSchema)?.n ?? 0;
  // id breaks ties so pages never overlap or skip when sort keys are equal.
  const items = db.all(
    `SELECT ${CONVERSATION_COLUMNS} FROM conversations c ${where}
      ORDER BY ${sortColumn} ${direction}, c.id ${direction}
      LIMIT ? OFFSET ?`,
    [...params, limit, offset],
    conversationRowSchema,
  );
  return { items, total, offset, limit };
}

const tagRowSchema = z.object({ tag: z.string(), count: z.number().int() });

/** Every tag in use with how many conversations carry it, most used first. */
export function listTags(db: SqlDatabase, status: StatusFilter = 'all'): TagCount[] {
  const where = status === 'all' ? '' : 'WHERE c.status = ?';
  return db.all(
    `SELECT min(t.value) AS tag, count(*) AS count
       FROM conversations c, json_each(c.tags) t ${where}
      GROUP BY lower(t.value) ORDER BY count DESC, lower(t.value)`,
    status === 'all' ? [] : [status],
    tagRowSchema,
  );
}

function clampInt(value: number, min: number, max: number, name: string): number {
  if (!Number.isFinite(value)) throw new StorageError('invalid-input', `${name} must be a number.`);
  return Math.min(max, Math.max(min, Math.trunc(value)));
}
