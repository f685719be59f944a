/**
 * The schema, as an ordered list of migrations keyed by `PRAGMA user_version`.
 * Each migration runs in its own transaction together with the version bump,
 * so a failure leaves the file at the previous version. Migrations are frozen
 * history: they use raw SQL only (never today's store code), because a later
 * refactor must not change what upgrading an old file does. No `vscode` import.
 *
 *  v1  the design's data model: conversations, messages as a tree, FTS4 over
 *      message content and titles kept in step by triggers.
 *  v2  multi-window sync and exact money: `modified_at` on rows (last writer
 *      wins per row), `sync_gen` (which write last carried a row, so a merge
 *      reads only what changed), tombstones (so a delete survives a merge), a
 *      `meta` generation counter, exact conversation totals as text, the active
 *      branch per conversation, fork provenance on copied messages, and the
 *      message index rebuilt newest-first for search.
 *  v3  the journal (journal*.ts): tombstones for single messages and a
 *      `sync_gen` on tombstones (NULL = not in the journal yet, like the
 *      other rows), the snapshot's journal generation in `meta`, and the
 *      append-only spend ledger (ledger.ts), backfilled with one entry per
 *      message that carries a cost or tokens (fork copies excluded: they
 *      were paid for once, in their source).
 */
import { add, parseUsd, toDecimalString, usdFromNumber, ZERO, type Usd } from '../../shared/money';
import type { SqlDatabase } from './database';
import { StorageError } from './errors';

export interface Migration {
  readonly version: number;
  readonly description: string;
  up(db: SqlDatabase): void;
}


/** The four triggers that keep an external-content FTS4 table in step with `table`'s `column` (same text as schema v1 always had). */
function ftsTriggers(table: string, column: string): string {
  const fts = `${table}_fts`;
  const remove = `  DELETE FROM ${fts} WHERE docid = old.seq;`;
  const insert = `  INSERT INTO ${fts} (docid, ${column}) VALUES (new.seq, new.${column});`;
  return [
    `CREATE TRIGGER ${fts}_before_update BEFORE UPDATE OF ${column} ON ${table} BEGIN\n${remove}\nEND;`,
    `CREATE TRIGGER ${fts}_before_delete BEFORE DELETE ON ${table} BEGIN\n${remove}\nEND;`,
    `CREATE TRIGGER ${fts}_after_update AFTER UPDATE OF ${column} ON ${table} BEGIN\n${insert}\nEND;`,
    `CREATE TRIGGER ${fts}_after_insert AFTER INSERT ON ${table} BEGIN\n${insert}\nEND;`,
  ].join('\n');
}

const V1_SCHEMA = `
CREATE TABLE conversations (
  -- Local integer key: the FTS docid. Never leaves this file (ids do).
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  model_id TEXT,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  total_cost REAL NOT NULL DEFAULT 0,
  total_tokens INTEGER NOT NULL DEFAULT 0,
  parent_conversation_id TEXT,
  forked_from_message_id TEXT,
  tags TEXT NOT NULL DEFAULT '[]',
  system_prompt TEXT
);
CREATE INDEX conversations_by_status_updated ON conversations (status, updated_at);

CREATE TABLE messages (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL,
  parent_id TEXT,
  role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
  content TEXT NOT NULL,
  prompt_tokens INTEGER,
  completion_tokens INTEGER,
  reasoning_tokens INTEGER,
  cached_tokens INTEGER,
  cost REAL,
  cost_exact TEXT,
  cost_source TEXT CHECK (cost_source IS NULL OR cost_source IN ('usage', 'generation', 'estimate')),
  latency_ms INTEGER,
  ttft_ms INTEGER,
  model_id TEXT,
  generation_id TEXT,
  finish_reason TEXT,
  status TEXT NOT NULL DEFAULT 'complete' CHECK (status IN ('complete', 'partial', 'failed')),
  created_at INTEGER NOT NULL,
  metadata TEXT NOT NULL DEFAULT '{}'
);
-- Serves a conversation's messages, children of a parent and siblings (parent_id IS ?).
CREATE INDEX messages_by_tree ON messages (conversation_id, parent_id, created_at);

-- External-content FTS4: the text lives once, in messages/conversations.
CREATE VIRTUAL TABLE messages_fts USING fts4(content="messages", content, tokenize=unicode61);
CREATE VIRTUAL TABLE conversations_fts USING fts4(content="conversations", title, tokenize=unicode61);

-- FTS4 removes a row's old tokens by reading the content table, so deletes run BEFORE the change.
${ftsTriggers('messages', 'content')}

${ftsTriggers('conversations', 'title')}
`;

const V2_SCHEMA = `
ALTER TABLE conversations ADD COLUMN total_cost_exact TEXT NOT NULL DEFAULT '0';
ALTER TABLE conversations ADD COLUMN active_leaf_id TEXT;
ALTER TABLE conversations ADD COLUMN modified_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN modified_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN copied_from_message_id TEXT;
-- Generation of the file write that last carried this row; NULL = changed
-- since. Lets a merge read only what another window changed (merge.ts).
ALTER TABLE conversations ADD COLUMN sync_gen INTEGER;
ALTER TABLE messages ADD COLUMN sync_gen INTEGER;
CREATE INDEX conversations_by_sync_gen ON conversations (sync_gen);
CREATE INDEX messages_by_sync_gen ON messages (sync_gen);

UPDATE conversations SET modified_at = updated_at;
UPDATE messages SET modified_at = created_at;
-- v1 had no notion of an active branch: the newest message is where the user was.
UPDATE conversations SET active_leaf_id = (
  SELECT m.id FROM messages m WHERE m.conversation_id = conversations.id
  ORDER BY m.created_at DESC, m.id DESC LIMIT 1
);

CREATE TABLE tombstones (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('conversation')),
  deleted_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
-- lineage: random per database; generations are only comparable within one.
INSERT INTO meta (key, value) VALUES ('generation', '0'), ('write_id', ''), ('lineage', lower(hex(randomblob(16))));

CREATE INDEX conversations_by_model ON conversations (model_id);

-- The message index is rebuilt to keep doclists newest-first (order=DESC): a
-- search reads matches newest-first and stops at its ranking window instead of
-- loading every match of a common word. Same columns, same triggers.
DROP TRIGGER messages_fts_before_update;
DROP TRIGGER messages_fts_before_delete;
DROP TRIGGER messages_fts_after_update;
DROP TRIGGER messages_fts_after_insert;
DROP TABLE messages_fts;
CREATE VIRTUAL TABLE messages_fts USING fts4(content="messages", content, tokenize=unicode61, order=DESC);
CREATE TRIGGER messages_fts_before_update BEFORE UPDATE OF content ON messages BEGIN
  DELETE FROM messages_fts WHERE docid = old.seq;
END;
CREATE TRIGGER messages_fts_before_delete BEFORE DELETE ON messages BEGIN
  DELETE FROM messages_fts WHERE docid = old.seq;
END;
CREATE TRIGGER messages_fts_after_update AFTER UPDATE OF content ON messages BEGIN
  INSERT INTO messages_fts (docid, content) VALUES (new.seq, new.content);
END;
CREATE TRIGGER messages_fts_after_insert AFTER INSERT ON messages BEGIN
  INSERT INTO messages_fts (docid, content) VALUES (new.seq, new.content);
END;
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
`;

const V3_SCHEMA = `
CREATE TABLE tombstones_v3 (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('conversation', 'message')),
  deleted_at INTEGER NOT NULL,
  sync_gen INTEGER
) WITHOUT ROWID;
INSERT INTO tombstones_v3 (id, kind, deleted_at, sync_gen) SELECT id, kind, deleted_at, 0 FROM tombstones;
DROP TABLE tombstones;
ALTER TABLE tombstones_v3 RENAME TO tombstones;
CREATE INDEX tombstones_by_sync_gen ON tombstones (sync_gen);

-- Append-only: rows are inserted, never updated or deleted. A cost change is a
-- new row holding the difference, so the sum per message is its current cost
-- and deleting the message leaves what was spent on it.
CREATE TABLE spend_ledger (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  at INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  model_id TEXT,
  delta_usd TEXT NOT NULL,
  -- Of delta_usd, what a provider charged the user's own key (BYOK); and what prompt caching saved.
  upstream_usd TEXT NOT NULL DEFAULT '0',
  cache_saving_usd TEXT NOT NULL DEFAULT '0',
  prompt_tokens INTEGER NOT NULL DEFAULT 0,
  completion_tokens INTEGER NOT NULL DEFAULT 0,
  sync_gen INTEGER
);
CREATE INDEX spend_ledger_by_at ON spend_ledger (at);
CREATE INDEX spend_ledger_by_message ON spend_ledger (message_id);
CREATE INDEX spend_ledger_by_sync_gen ON spend_ledger (sync_gen);
INSERT INTO spend_ledger (id, at, message_id, conversation_id, model_id, delta_usd, prompt_tokens, completion_tokens)
  SELECT lower(hex(randomblob(16))), created_at, id, conversation_id, model_id, coalesce(cost_exact, '0'),
         coalesce(prompt_tokens, 0), coalesce(completion_tokens, 0)
    FROM messages
   WHERE copied_from_message_id IS NULL
     AND (cost_exact IS NOT NULL OR prompt_tokens IS NOT NULL OR completion_tokens IS NOT NULL);

INSERT INTO meta (key, value) VALUES ('journal_generation', '0') ON CONFLICT (key) DO NOTHING;
`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'conversations, message tree, FTS4 with triggers',
    up: (db) => db.run(V1_SCHEMA),
  },
  {
    version: 2,
    description: 'sync columns, tombstones, generation, exact totals, active branch',
    up: (db) => {
      db.run(V2_SCHEMA);
      backfillExactTotalsV2(db);
    },
  },
  {
    version: 3,
    description: 'journal sync on tombstones, message tombstones, spend ledger',
    up: (db) => {
      db.run(V3_SCHEMA);
      backfillLedgerBillingV3(db);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export interface MigrationResult {
  readonly from: number;
  readonly to: number;
}

/**
 * Brings `db` to `target` (default: the newest version). A file from a newer
 * Neural Terminal is refused, never downgraded or guessed at.
 */
export function migrate(db: SqlDatabase, target: number = SCHEMA_VERSION): MigrationResult {
  const from = db.userVersion;
  if (from > SCHEMA_VERSION) {
    throw new StorageError(
      'newer-schema',
      `The history file was written by a newer Neural Terminal (schema ${from}; this version knows ${SCHEMA_VERSION}).`,
      'Update the Neural Terminal extension, then reload the window.',
    );
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= from || migration.version > target) continue;
    db.transaction(() => {
      migration.up(db);
      db.userVersion = migration.version;
    });
  }
  return { from, to: db.userVersion };
}

/**
 * v2 stores conversation totals exactly. v1 files kept `cost_exact` per message
 * (and a float `cost`); canonicalise each and sum with BigInt arithmetic.
 */
function backfillExactTotalsV2(db: SqlDatabase): void {
  const totals = new Map<string, Usd>();
  for (const row of db.rawRows('SELECT seq, conversation_id, cost, cost_exact FROM messages')) {
    const conversationId = row['conversation_id'];
    if (typeof conversationId !== 'string') continue;
    const exactText = row['cost_exact'];
    const float = row['cost'];
    const exact =
      (typeof exactText === 'string' ? parseUsd(exactText) : undefined) ??
      (typeof float === 'number' ? usdFromNumber(float) : undefined);
    if (exact === undefined) continue;
    const canonical = toDecimalString(exact);
    if (canonical !== exactText) {
      db.run('UPDATE messages SET cost_exact = ? WHERE seq = ?', [canonical, Number(row['seq'])]);
    }
    totals.set(conversationId, add(totals.get(conversationId) ?? ZERO, exact));
  }
  for (const [conversationId, total] of totals) {
    const text = toDecimalString(total);
    db.run('UPDATE conversations SET total_cost_exact = ?, total_cost = ? WHERE id = ?', [
      text,
      Number(text),
      conversationId,
    ]);
  }
}

/** v3: BYOK upstream charges and cache savings, kept in message metadata, copied onto the backfilled ledger rows. */
function backfillLedgerBillingV3(db: SqlDatabase): void {
  const rows = db.rawRows(
    `SELECT l.seq, m.metadata FROM spend_ledger l JOIN messages m ON m.id = l.message_id
      WHERE m.metadata LIKE '%"billing"%' OR m.metadata LIKE '%"cache"%'`,
  );
  for (const row of rows) {
    let meta: { billing?: { upstream?: unknown }; cache?: { saving?: unknown } };
    try {
      meta = JSON.parse(String(row['metadata'])) as typeof meta;
    } catch {
      continue;
    }
    const upstream = typeof meta.billing?.upstream === 'string' ? parseUsd(meta.billing.upstream) : undefined;
    const saving = typeof meta.cache?.saving === 'string' ? parseUsd(meta.cache.saving) : undefined;
    db.run('UPDATE spend_ledger SET upstream_usd = ?, cache_saving_usd = ? WHERE seq = ?', [
      toDecimalString(upstream ?? ZERO),
      toDecimalString(saving ?? ZERO),
      Number(row['seq']),
    ]);
  }
}
