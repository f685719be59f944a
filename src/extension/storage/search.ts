/**
 * Full-text search over message content and conversation titles (FTS4 — the
 * sql.js build has no FTS5), ranked by BM25 computed from `matchinfo`, with
 * tag / date / status / conversation filters and highlighted snippets.
 *
 * Ranking window: a word found in half of 100k messages would need BM25 for
 * 50k rows (≈100+ ms in sql.js), so each search ranks the newest RANK_WINDOW
 * matches that pass the filters (FTS4 walks its doclist newest-first and stops)
 * and says so with `windowed: true`. Queries with fewer matches — nearly all
 * multi-word searches — are ranked in full. Never throws for what the user
 * typed: bad input comes back as an 'invalid-query' outcome. No `vscode` import.
 */
import type { SqlValue } from 'sql.js';
import * as z from 'zod'; // namespace import: lets the bundler drop zod's unused locales (~360 KB)

import { conversationFilter } from './conversationList';
import type { SqlDatabase } from './database';
import { StorageError, describeError } from './errors';
import { parseSearchText, type SearchTerm } from './searchQuery';
import { buildSnippet } from './snippet';
import type { SearchHit, SearchOutcome, SearchQuery, StorageLogger } from './types';

export const RANK_WINDOW = 2_000;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
const RANK_FUNCTION = 'nt_bm25';

/** Registers the BM25 ranking function; call once per opened database. */
export function registerSearchFunctions(db: SqlDatabase): void {
  db.defineFunction(RANK_FUNCTION, (matchinfo: never) => bm25(matchinfo as unknown));
}

/**
 * BM25 (k1 = 1.2, b = 0.75) from matchinfo(..., 'pcnalx'): phrase count p,
 * column count c, row count n, average tokens a[c], this row's tokens l[c],
 * then per phrase and column [hits here, hits everywhere, rows with hits].
 */
export function bm25(matchinfo: unknown): number {
  if (!(matchinfo instanceof Uint8Array) || matchinfo.byteLength < 12) return 0;
  const view = new DataView(matchinfo.buffer, matchinfo.byteOffset, matchinfo.byteLength);
  const at = (i: number): number => (i * 4 + 4 <= view.byteLength ? view.getUint32(i * 4, true) : 0);
  const phrases = at(0);
  const columns = at(1);
  const rows = at(2);
  const k1 = 1.2;
  const b = 0.75;
  let score = 0;
  for (let column = 0; column < columns; column++) {
    const average = Math.max(1, at(3 + column));
    const length = at(3 + columns + column);
    for (let phrase = 0; phrase < phrases; phrase++) {
      const base = 3 + 2 * columns + 3 * (phrase * columns + column);
      const hitsHere = at(base);
      if (hitsHere === 0) continue;
      const rowsWithHits = at(base + 2);
      const idf = Math.log(1 + (rows - rowsWithHits + 0.5) / (rowsWithHits + 0.5));
      score += (idf * hitsHere * (k1 + 1)) / (hitsHere + k1 * (1 - b + (b * length) / average));
    }
  }
  return score;
}

const messageHitRowSchema = z.object({
  seq: z.number().int(),
  id: z.string(),
  conversation_id: z.string(),
  role: z.enum(['system', 'user', 'assistant']),
  created_at: z.number().int(),
  content: z.string(),
  title: z.string(),
});

const titleHitRowSchema = z.object({
  seq: z.number().int(),
  id: z.string(),
  title: z.string(),
  updated_at: z.number().int(),
});

export function searchHistory(db: SqlDatabase, query: SearchQuery, logger?: StorageLogger): SearchOutcome {
  const parsed = parseSearchText(query.text);
  if (!parsed.ok) return { kind: 'invalid-query', message: parsed.message, action: parsed.action };
  const requested = query.limit ?? DEFAULT_LIMIT;
  const limit = Number.isFinite(requested) ? Math.min(MAX_LIMIT, Math.max(1, Math.trunc(requested))) : DEFAULT_LIMIT;
  try {
    const messages = rankMessages(db, parsed.match, query);
    const titles = rankTitles(db, parsed.match, query);
    const ranked = [...messages.rows.map((r) => ({ ...r, kind: 'message' as const })), ...titles.rows.map((r) => ({ ...r, kind: 'title' as const }))]
      .sort((x, y) => y.score - x.score || y.doc - x.doc)
      .slice(0, limit);
    const hits = [
      ...hydrateMessages(db, ranked.filter((r) => r.kind === 'message'), parsed.terms),
      ...hydrateTitles(db, ranked.filter((r) => r.kind === 'title'), parsed.terms),
    ].sort((x, y) => y.score - x.score || y.createdAt - x.createdAt);
    return { kind: 'results', hits, windowed: messages.windowed || titles.windowed };
  } catch (error) {
    if (error instanceof StorageError && error.kind === 'closed') throw error;
    // Escaping should make this unreachable; if SQLite still objects, the user gets a sentence, not a crash.
    logger?.warn('search failed', { error: describeError(error), match: parsed.match });
    return {
      kind: 'invalid-query',
      message: 'That search could not be run.',
      action: 'Try different words.',
    };
  }
}

interface Ranked {
  readonly rows: { doc: number; score: number }[];
  readonly windowed: boolean;
}

/** The one-conversation and time-range filters of a search, on the given columns. */
function scopeClauses(query: SearchQuery, columns: { conversation: string; time: string }): { clauses: string[]; params: SqlValue[] } {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  const add = (clause: string, value: SqlValue | undefined): void => {
    if (value === undefined) return;
    clauses.push(clause);
    params.push(value);
  };
  add(`${columns.conversation} = ?`, query.conversationId);
  add(`${columns.time} >= ?`, query.from);
  add(`${columns.time} <= ?`, query.to);
  return { clauses, params };
}

function rankMessages(db: SqlDatabase, match: string, query: SearchQuery): Ranked {
  const { clauses, params } = conversationFilter({ status: query.status ?? 'all', tags: query.tags });
  const { clauses: messageClauses, params: messageParams } = scopeClauses(query, { conversation: 'm.conversation_id', time: 'm.created_at' });
  // Joins only when a filter needs them: they cost as much as the ranking itself.
  // CROSS JOIN pins the FTS table as the outer loop, so its newest-first docid
  // order is used and the scan stops at the window.
  const needsMessage = messageClauses.length > 0 || clauses.length > 0;
  const joins = [
    needsMessage ? 'CROSS JOIN messages m ON m.seq = messages_fts.docid' : '',
    clauses.length > 0 ? 'CROSS JOIN conversations c ON c.id = m.conversation_id' : '',
  ].join(' ');
  const filters = [...messageClauses, ...clauses].map((c) => `AND ${c}`).join(' ');
  return window(
    db,
    `SELECT messages_fts.docid AS doc, ${RANK_FUNCTION}(matchinfo(messages_fts, 'pcnalx')) AS score
       FROM messages_fts ${joins}
      WHERE messages_fts MATCH ? ${filters}
      ORDER BY messages_fts.docid DESC
      LIMIT ?`,
    [match, ...messageParams, ...params],
  );
}

function rankTitles(db: SqlDatabase, match: string, query: SearchQuery): Ranked {
  const { clauses, params } = conversationFilter({ status: query.status ?? 'all', tags: query.tags });
  const scope = scopeClauses(query, { conversation: 'c.id', time: 'c.updated_at' });
  clauses.push(...scope.clauses);
  params.push(...scope.params);
  const join = clauses.length > 0 ? 'CROSS JOIN conversations c ON c.seq = conversations_fts.docid' : '';
  return window(
    db,
    `SELECT conversations_fts.docid AS doc, ${RANK_FUNCTION}(matchinfo(conversations_fts, 'pcnalx')) AS score
       FROM conversations_fts ${join}
      WHERE conversations_fts MATCH ? ${clauses.map((c) => `AND ${c}`).join(' ')}
      ORDER BY conversations_fts.docid DESC
      LIMIT ?`,
    [match, ...params],
  );
}

/**
 * Runs a ranking query for RANK_WINDOW + 1 rows (the extra one only tells us
 * the window overflowed). Rows are checked by hand: zod per row would cost
 * more than the ranking of that row.
 */
function window(db: SqlDatabase, sql: string, params: SqlValue[]): Ranked {
  const rows: { doc: number; score: number }[] = [];
  for (const row of db.rawRows(sql, [...params, RANK_WINDOW + 1])) {
    const doc = row['doc'];
    const score = row['score'];
    if (typeof doc !== 'number' || typeof score !== 'number') {
      throw new StorageError('corrupt', 'The search index returned an unreadable row.', 'Run "Neural Terminal: Rebuild history indexes".');
    }
    rows.push({ doc, score });
  }
  const windowed = rows.length > RANK_WINDOW;
  if (windowed) rows.pop();
  return { rows, windowed };
}

type RankedDocs = readonly { doc: number; score: number }[];

function hydrateMessages(db: SqlDatabase, ranked: RankedDocs, terms: readonly SearchTerm[]): SearchHit[] {
  const select = `SELECT m.seq, m.id, m.conversation_id, m.role, m.created_at, m.content, c.title
       FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE m.seq IN`;
  return hydrate(db, ranked, select, messageHitRowSchema, (row) => ({
    kind: 'message',
    conversationId: row.conversation_id,
    conversationTitle: row.title,
    messageId: row.id,
    role: row.role,
    createdAt: row.created_at,
    snippet: buildSnippet(row.content, terms),
  }));
}

function hydrateTitles(db: SqlDatabase, ranked: RankedDocs, terms: readonly SearchTerm[]): SearchHit[] {
  const select = 'SELECT seq, id, title, updated_at FROM conversations WHERE seq IN';
  return hydrate(db, ranked, select, titleHitRowSchema, (row) => ({
    kind: 'title',
    conversationId: row.id,
    conversationTitle: row.title,
    messageId: null,
    role: null,
    createdAt: row.updated_at,
    snippet: buildSnippet(row.title, terms),
  }));
}

/** Reads the ranked rows (`select` ends in `seq IN`) and gives each hit its rank's score. */
function hydrate<R extends { seq: number }>(
  db: SqlDatabase,
  ranked: RankedDocs,
  select: string,
  schema: z.ZodType<R>,
  toHit: (row: R) => Omit<SearchHit, 'score'>,
): SearchHit[] {
  if (ranked.length === 0) return [];
  const scores = new Map(ranked.map((r) => [r.doc, r.score]));
  const rows = db.all(`${select} (${ranked.map(() => '?').join(', ')})`, ranked.map((r) => r.doc), schema);
  return rows.map((row) => ({ ...toHit(row), score: scores.get(row.seq) ?? 0 }));
}
