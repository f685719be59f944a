/**
 * What a journal record holds and how it is applied. A record is the set of
 * rows one change touched — conversations, messages, tombstones and spend
 * ledger rows whose `sync_gen` is NULL (changed since they last reached the
 * disk) — as column → value objects. A streaming reply's growing text is
 * written as a delta (`cd: [from, added]`) against the text the previous
 * record of that message carried, so a long reply saved every second costs
 * about its own size in total, not its size times the number of saves.
 *
 * Applying is an idempotent upsert by id: a row only replaces one whose
 * `modified_at` is not newer (last writer wins, as between windows), a
 * tombstone deletes and keeps deleted, ledger rows are inserted once. Totals
 * are derived, so they are recomputed for every conversation touched. The same
 * code replays the journal at open and follows other windows' appends.
 * No `vscode` import.
 */
import * as z from 'zod'; // namespace import: lets the bundler drop zod's unused locales (~360 KB)

import type { SqlDatabase } from './database';
import { recomputeTotals } from './totals';
import type { MergeReport } from './types';

type Cell = string | number | null;
type Row = Record<string, Cell>;
/** A message row; `cd` replaces `content` in a streaming delta. */
type MessageRow = Row | (Omit<Row, 'cd'> & { cd: [number, string] });

const rowSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));
const messageRowSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null(), z.tuple([z.number().int().nonnegative(), z.string()])]));
const journalRecordSchema = z.object({
  w: z.string(),
  c: z.array(rowSchema).default([]),
  m: z.array(messageRowSchema).default([]),
  t: z.array(rowSchema).default([]),
  l: z.array(rowSchema).default([]),
});

export interface JournalRecord {
  /** Which window wrote it (diagnostics only). */
  readonly w: string;
  readonly c: readonly Row[];
  readonly m: readonly MessageRow[];
  readonly t: readonly Row[];
  readonly l: readonly Row[];
}

const SYNCED_TABLES = ['conversations', 'messages', 'tombstones', 'spend_ledger'] as const;
/** Derived or local columns that never travel: totals are recomputed, seq is this file's own key. */
const LOCAL_COLUMNS = new Set(['seq', 'sync_gen', 'total_cost', 'total_cost_exact', 'total_tokens']);

export interface Captured {
  readonly record: JournalRecord;
  readonly rows: number;
  /** Streaming messages' text as this record carries it, to apply once the record is durable. */
  readonly streamed: ReadonlyMap<string, string | undefined>;
}

/**
 * The rows changed since the last record, or undefined when nothing changed.
 * `streaming` maps a still-streaming message's id to the text the journal has.
 */
export function captureChanges(db: SqlDatabase, writer: string, streaming: ReadonlyMap<string, string>): Captured | undefined {
  const take = (table: string): Row[] =>
    db.rawRows(`SELECT * FROM ${table} WHERE sync_gen IS NULL`).map((row) => {
      const out: Row = {};
      for (const [key, value] of Object.entries(row)) {
        if (!LOCAL_COLUMNS.has(key)) out[key] = value instanceof Uint8Array ? null : value;
      }
      return out;
    });
  const c = take('conversations');
  const messages = take('messages');
  const t = take('tombstones');
  const l = take('spend_ledger');
  const rows = c.length + messages.length + t.length + l.length;
  if (rows === 0) return undefined;
  const streamed = new Map<string, string | undefined>();
  const m = messages.map((row): MessageRow => {
    const id = String(row['id']);
    const content = typeof row['content'] === 'string' ? row['content'] : '';
    const isStreaming = row['status'] === 'partial' && row['finish_reason'] === null;
    streamed.set(id, isStreaming ? content : undefined);
    const before = streaming.get(id);
    if (before === undefined || !content.startsWith(before)) return row;
    const { content: _whole, ...rest } = row;
    return { ...rest, cd: [before.length, content.slice(before.length)] } as MessageRow;
  });
  return { record: { w: writer, c, m, t, l }, rows, streamed };
}

/** The captured rows reached the disk: they are no longer "changed". */
export function markSynced(db: SqlDatabase, from: null | -1 = null): void {
  for (const table of SYNCED_TABLES) {
    db.run(`UPDATE ${table} SET sync_gen = 0 WHERE sync_gen ${from === null ? 'IS NULL' : '= -1'}`);
  }
}

/** Marks changed rows as "going into a snapshot" (-1), to be confirmed or undone. */
export function markSnapshotting(db: SqlDatabase, undo = false): void {
  for (const table of SYNCED_TABLES) {
    db.run(undo ? `UPDATE ${table} SET sync_gen = NULL WHERE sync_gen = -1` : `UPDATE ${table} SET sync_gen = -1 WHERE sync_gen IS NULL`);
  }
}

export function parseRecord(payload: unknown): JournalRecord | undefined {
  const parsed = journalRecordSchema.safeParse(payload);
  return parsed.success ? (parsed.data as JournalRecord) : undefined;
}

/**
 * Applies records in order inside one transaction. `pending` true re-applies
 * this window's own unsaved rows (after a reload), keeping them "changed".
 */
export function applyRecords(db: SqlDatabase, records: readonly JournalRecord[], pending = false): MergeReport {
  const columns = new Map<string, Set<string>>();
  const known = (table: string): Set<string> => {
    let set = columns.get(table);
    if (!set) {
      set = new Set(db.rawRows(`PRAGMA table_info(${table})`).map((row) => String(row['name'])));
      for (const local of LOCAL_COLUMNS) set.delete(local);
      columns.set(table, set);
    }
    return set;
  };
  const syncGen = pending ? null : 0;
  const touched = new Set<string>();
  const report = { conversationsChanged: 0, messagesChanged: 0, conversationsDeleted: 0 };
  const tombstoned = (id: string): boolean => db.rawRows('SELECT 1 FROM tombstones WHERE id = ?', [id], 1).length > 0;

  db.transaction(() => {
    for (const record of records) {
      for (const row of record.c) {
        const id = String(row['id']);
        if (tombstoned(id)) continue;
        if (upsert(db, 'conversations', filter(row, known('conversations')), syncGen)) {
          report.conversationsChanged++;
          touched.add(id);
        }
      }
      for (const message of record.m) {
        const { cd, ...rest } = message as Record<string, Cell | [number, string]>;
        const row = rest as Row;
        const id = String(row['id']);
        const conversationId = String(row['conversation_id']);
        if (tombstoned(id) || tombstoned(conversationId)) continue;
        if (Array.isArray(cd)) {
          const [existing] = db.rawRows('SELECT content FROM messages WHERE id = ?', [id], 1);
          const base = typeof existing?.['content'] === 'string' ? existing['content'] : '';
          // A base shorter than the delta's start means a record before this one is gone; keep what is known.
          row['content'] = base.length >= cd[0] ? base.slice(0, cd[0]) + cd[1] : base + cd[1];
        }
        if (upsert(db, 'messages', filter(row, known('messages')), syncGen)) {
          report.messagesChanged++;
          touched.add(conversationId);
        }
      }
      for (const row of record.l) {
        const values = filter(row, known('spend_ledger'));
        const names = Object.keys(values);
        db.run(
          `INSERT INTO spend_ledger (${names.join(', ')}, sync_gen) VALUES (${names.map(() => '?').join(', ')}, ?) ON CONFLICT (id) DO NOTHING`,
          [...Object.values(values), syncGen],
        );
      }
      for (const row of record.t) {
        const id = String(row['id']);
        db.run(
          'INSERT INTO tombstones (id, kind, deleted_at, sync_gen) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
          [id, row['kind'] === 'message' ? 'message' : 'conversation', Number(row['deleted_at'] ?? 0), syncGen],
        );
        if (row['kind'] === 'message') {
          const [message] = db.rawRows('SELECT conversation_id FROM messages WHERE id = ?', [id], 1);
          if (!message) continue;
          db.run('DELETE FROM messages WHERE id = ?', [id]);
          touched.add(String(message['conversation_id']));
          report.messagesChanged++;
        } else {
          db.run('DELETE FROM messages WHERE conversation_id = ?', [id]);
          db.run('DELETE FROM conversations WHERE id = ?', [id]);
          if (db.changes() > 0) report.conversationsDeleted++;
          touched.delete(id);
        }
      }
    }
    recomputeTotals(db, touched);
  });
  return report;
}

function filter(row: Row, allowed: Set<string>): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) if (allowed.has(key)) out[key] = value;
  return out;
}

/** Inserts the row or replaces an existing one that is not newer; true when something changed. */
function upsert(db: SqlDatabase, table: 'conversations' | 'messages', row: Row, syncGen: 0 | null): boolean {
  const names = Object.keys(row);
  const updates = names.filter((n) => n !== 'id').map((n) => `${n} = excluded.${n}`);
  db.run(
    `INSERT INTO ${table} (${names.join(', ')}, sync_gen) VALUES (${names.map(() => '?').join(', ')}, ?)
     ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')}, sync_gen = excluded.sync_gen
      WHERE excluded.modified_at >= ${table}.modified_at`,
    [...Object.values(row), syncGen],
  );
  return db.changes() > 0;
}
