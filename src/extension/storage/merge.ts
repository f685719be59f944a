/**
 * Merges another window's copy of the history into ours, so neither window's
 * rows are lost when both write the shared file. Rows are matched by their
 * UUID: rows only they have are added; rows both have keep the version with
 * the larger `modified_at` (on a tie the file's version wins, which makes
 * every window converge on what was written first) — except a conversation's
 * active branch, which stays each window's own; tombstoned conversations are
 * removed with their messages (a delete beats a concurrent edit). Derived
 * data (totals) is recomputed, FTS follows through its triggers.
 *
 * Both databases live in the same sql.js instance, so theirs is ATTACHed and
 * the merge is a handful of set-based statements instead of row-by-row JS.
 *
 * Incremental: every write stamps the rows it carries for the first time with
 * its generation (`sync_gen`, see meta.ts), and a file only ever grows by
 * merging before writing. So when their file is of the lineage we last synced
 * with and not older, only rows stamped after that generation can be new to
 * us — `since` — and the merge reads those through an index instead of every
 * row of a 100k-message file. Otherwise (`since` undefined) every row is
 * compared. No `vscode` import.
 */
import type { SqlDatabase } from './database';
import { idRowSchema, countRowSchema } from './rows';
import { recomputeTotals } from './totals';
import type { MergeReport } from './types';

const CONVERSATION_COLUMNS = [
  'id', 'title', 'model_id', 'status', 'created_at', 'updated_at', 'total_cost', 'total_tokens',
  'parent_conversation_id', 'forked_from_message_id', 'tags', 'system_prompt', 'total_cost_exact',
  'active_leaf_id', 'modified_at', 'sync_gen',
] as const;

const MESSAGE_COLUMNS = [
  'id', 'conversation_id', 'parent_id', 'role', 'content', 'prompt_tokens', 'completion_tokens',
  'reasoning_tokens', 'cached_tokens', 'cost', 'cost_exact', 'cost_source', 'latency_ms', 'ttft_ms',
  'model_id', 'generation_id', 'finish_reason', 'status', 'created_at', 'metadata', 'modified_at',
  'copied_from_message_id', 'sync_gen',
] as const;

// Compared when modified_at ties. Message content is left out on purpose: a
// message is only edited by the window streaming it, and comparing every
// message body on every merge would read the whole file twice.
const CONVERSATION_TIE_COLUMNS = [
  'title', 'model_id', 'status', 'updated_at', 'tags', 'system_prompt', 'active_leaf_id',
  'parent_conversation_id', 'forked_from_message_id',
] as const;
const MESSAGE_TIE_COLUMNS = ['status', 'finish_reason', 'cost_exact', 'completion_tokens', 'generation_id'] as const;

export function mergeSnapshot(db: SqlDatabase, theirs: SqlDatabase, since?: number): MergeReport {
  // ATTACH/DETACH are not allowed inside a transaction, so they bracket it.
  db.run('ATTACH DATABASE ? AS theirs', [theirs.attachPath()]);
  try {
    return db.transaction(() => mergeAttached(db, since));
  } finally {
    db.run('DETACH DATABASE theirs');
  }
}

function mergeAttached(db: SqlDatabase, since: number | undefined): MergeReport {
  // Rows they carry that we may not have seen (see the header). NULL never
  // occurs in a written file, but a file migrated in memory has only NULLs.
  const changedSince =
    since === undefined ? 'true' : `(t.sync_gen IS NULL OR t.sync_gen > ${Math.trunc(since)})`;
  // Moving to their lineage: our rows' stamps count in another numbering, so
  // they are all "changed" until our next write stamps them in the new one.
  const lineageChanges =
    (db.get(
      `SELECT count(*) AS n FROM main.meta m JOIN theirs.meta t ON t.key = m.key
        WHERE m.key = 'lineage' AND m.value IS NOT t.value`,
      null,
      countRowSchema,
    )?.n ?? 0) > 0;
  if (lineageChanges) {
    db.run('UPDATE main.conversations SET sync_gen = NULL WHERE sync_gen IS NOT NULL');
    db.run('UPDATE main.messages SET sync_gen = NULL WHERE sync_gen IS NOT NULL');
  }
  db.run(
    `INSERT INTO main.tombstones (id, kind, deleted_at)
     SELECT id, kind, deleted_at FROM theirs.tombstones WHERE true
     ON CONFLICT (id) DO NOTHING`,
  );
  const conversationsDeleted =
    db.get(
      'SELECT count(*) AS n FROM main.conversations WHERE id IN (SELECT id FROM main.tombstones)',
      null,
      countRowSchema,
    )?.n ?? 0;
  if (conversationsDeleted > 0) {
    db.run('DELETE FROM main.messages WHERE conversation_id IN (SELECT id FROM main.tombstones)');
    db.run('DELETE FROM main.conversations WHERE id IN (SELECT id FROM main.tombstones)');
  }

  db.run(
    `CREATE TEMP TABLE merge_conversations AS
     SELECT ${CONVERSATION_COLUMNS.map((c) => `t.${c}`).join(', ')}
       FROM theirs.conversations t LEFT JOIN main.conversations m ON m.id = t.id
      WHERE ${changedSince} AND t.id NOT IN (SELECT id FROM main.tombstones)
        AND (m.id IS NULL OR t.modified_at > m.modified_at
             OR (t.modified_at = m.modified_at AND (${differs(CONVERSATION_TIE_COLUMNS)})))`,
  );
  db.run(upsert('conversations', 'merge_conversations', CONVERSATION_COLUMNS));

  db.run(
    `CREATE TEMP TABLE merge_messages AS
     SELECT ${MESSAGE_COLUMNS.map((c) => `t.${c}`).join(', ')}
       FROM theirs.messages t LEFT JOIN main.messages m ON m.id = t.id
      WHERE ${changedSince} AND t.conversation_id IN (SELECT id FROM main.conversations)
        AND (m.id IS NULL OR t.modified_at > m.modified_at
             OR (t.modified_at = m.modified_at AND (${differs(MESSAGE_TIE_COLUMNS)})))`,
  );
  db.run(upsert('messages', 'merge_messages', MESSAGE_COLUMNS));

  const touched = db
    .all(
      'SELECT id FROM temp.merge_conversations UNION SELECT conversation_id AS id FROM temp.merge_messages',
      null,
      idRowSchema,
    )
    .map((row) => row.id);
  const conversationsChanged = db.get('SELECT count(*) AS n FROM temp.merge_conversations', null, countRowSchema)?.n ?? 0;
  const messagesChanged = db.get('SELECT count(*) AS n FROM temp.merge_messages', null, countRowSchema)?.n ?? 0;
  recomputeTotals(db, touched);

  // Our next write must be numbered after theirs, and in their lineage, so the
  // windows agree on what a generation means from now on.
  db.run(
    `UPDATE main.meta SET value = CAST(max(CAST(value AS INTEGER),
       coalesce((SELECT CAST(value AS INTEGER) FROM theirs.meta WHERE key = 'generation'), 0)) AS TEXT)
     WHERE key = 'generation'`,
  );
  db.run(
    `UPDATE main.meta SET value = (SELECT value FROM theirs.meta WHERE key = 'lineage')
     WHERE key = 'lineage' AND EXISTS (SELECT 1 FROM theirs.meta WHERE key = 'lineage')`,
  );
  db.run('DROP TABLE temp.merge_conversations; DROP TABLE temp.merge_messages;');
  return { conversationsChanged, messagesChanged, conversationsDeleted };
}

function differs(columns: readonly string[]): string {
  return columns.map((c) => `t.${c} IS NOT m.${c}`).join(' OR ');
}

/**
 * Columns whose value stays ours when their row wins: which branch a window
 * shows is that window's view. If both windows answered the same message,
 * each keeps showing its own reply, the other's appears as a sibling
 * (`◀ 2/2 ▶`), and a continuation under our branch still shows because the
 * active path follows newest children down from the stored leaf.
 */
const KEEP_OURS: Readonly<Record<string, string>> = {
  active_leaf_id: 'coalesce(conversations.active_leaf_id, excluded.active_leaf_id)',
};

/** INSERT … SELECT … ON CONFLICT DO UPDATE, so UPDATE triggers (FTS) fire for changed rows. */
function upsert(table: string, source: string, columns: readonly string[]): string {
  const assignments = columns
    .filter((c) => c !== 'id')
    .map((c) => `${c} = ${(table === 'conversations' ? KEEP_OURS[c] : undefined) ?? `excluded.${c}`}`);
  // "WHERE true" resolves the parsing ambiguity between SELECT's join syntax and ON CONFLICT.
  return `INSERT INTO main.${table} (${columns.join(', ')})
          SELECT ${columns.join(', ')} FROM temp.${source} WHERE true
          ON CONFLICT (id) DO UPDATE SET ${assignments.join(', ')}`;
}
