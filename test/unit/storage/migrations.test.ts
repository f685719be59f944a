import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

import { SqlDatabase } from '../../../src/extension/storage/database';
import { StorageError } from '../../../src/extension/storage/errors';
import { HISTORY_FILE_NAME } from '../../../src/extension/storage/historyStore';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../../src/extension/storage/migrations';
import { loadSqlJs } from '../../../src/extension/storage/sqlJsLoader';
import { cleanup, openStore, tempFolder } from './helpers';

async function emptyDatabase(): Promise<SqlDatabase> {
  const sql = await loadSqlJs();
  return new SqlDatabase(new sql.Database());
}

function schemaOf(db: SqlDatabase): string[] {
  return db
    .rawRows("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
    .map((row) => `${String(row['type'])} ${String(row['name'])}: ${String(row['sql']).replace(/\s+/g, ' ')}`);
}

/** A history file as the v1 (design) schema wrote it: two conversations, a branch, float + exact costs. */
async function writeV1File(folder: string): Promise<void> {
  const db = await emptyDatabase();
  migrate(db, 1);
  db.run(`INSERT INTO conversations (id, title, model_id, status, created_at, updated_at, total_cost, tags)
          VALUES ('c1', 'Kubernetes questions', 'openai/gpt-4o', 'active', 1000, 4000, 0.3, '["ops"]'),
                 ('c2', 'Empty one', NULL, 'archived', 500, 500, 0, '[]')`);
  db.run(`INSERT INTO messages (id, conversation_id, parent_id, role, content, cost, cost_exact, cost_source, prompt_tokens, completion_tokens, created_at)
          VALUES ('m1', 'c1', NULL, 'user', 'How do I drain a node?', NULL, NULL, NULL, NULL, NULL, 1000),
                 ('m2', 'c1', 'm1', 'assistant', 'Use kubectl drain.', 0.1, '0.1', 'usage', 10, 5, 2000),
                 ('m3', 'c1', 'm1', 'assistant', 'Cordon first, then kubectl drain.', 0.2, '2e-1', 'usage', 10, 7, 3000)`);
  await fs.writeFile(path.join(folder, HISTORY_FILE_NAME), db.export());
  db.close();
}

describe('storage/migrations', () => {
  afterEach(cleanup);

  it('creates the newest schema in an empty database', async () => {
    const db = await emptyDatabase();
    const result = migrate(db);
    assert.deepEqual(result, { from: 0, to: SCHEMA_VERSION });
    assert.equal(db.userVersion, SCHEMA_VERSION);
    db.close();
  });

  it('numbers migrations 1..n without gaps', () => {
    assert.deepEqual(
      MIGRATIONS.map((m) => m.version),
      Array.from({ length: MIGRATIONS.length }, (_, i) => i + 1),
    );
  });

  it('gives the same schema whether upgraded one version at a time or all at once', async () => {
    const stepwise = await emptyDatabase();
    for (let version = 1; version <= SCHEMA_VERSION; version++) migrate(stepwise, version);
    const direct = await emptyDatabase();
    migrate(direct);
    assert.deepEqual(schemaOf(stepwise), schemaOf(direct));
    stepwise.close();
    direct.close();
  });

  it('upgrades a v1 file on open and keeps every conversation and message', async () => {
    const folder = await tempFolder();
    await writeV1File(folder);
    const store = await openStore({ folder });
    assert.deepEqual(store.migration, { from: 1, to: SCHEMA_VERSION });
    const page = store.listConversations({ status: 'all', sort: 'created', direction: 'asc' });
    assert.deepEqual(page.items.map((c) => c.id), ['c2', 'c1']);
    assert.deepEqual(store.listMessages('c1').map((m) => m.id), ['m1', 'm2', 'm3']);
  });

  it('backfills exact conversation totals from v1 message costs when upgrading', async () => {
    const folder = await tempFolder();
    await writeV1File(folder);
    const store = await openStore({ folder });
    const conversation = store.getConversation('c1');
    assert.equal(conversation.totalCostUsd, '0.3');
    assert.equal(store.getMessage('m3').cost?.usd, '0.2', 'non-canonical exact text is canonicalised');
    assert.equal(store.getConversation('c2').totalCostUsd, '0');
  });

  it('makes the newest message the active branch of a v1 conversation', async () => {
    const folder = await tempFolder();
    await writeV1File(folder);
    const store = await openStore({ folder });
    assert.deepEqual(store.activePath('c1').map((e) => e.message.id), ['m1', 'm3']);
  });

  it('keeps v1 messages searchable after the upgrade', async () => {
    const folder = await tempFolder();
    await writeV1File(folder);
    const store = await openStore({ folder });
    const outcome = store.search({ text: 'cordon' });
    assert.equal(outcome.kind, 'results');
    assert.deepEqual(outcome.kind === 'results' ? outcome.hits.map((h) => h.messageId) : [], ['m3']);
  });

  it('writes the upgraded schema back to the file', async () => {
    const folder = await tempFolder();
    await writeV1File(folder);
    const store = await openStore({ folder });
    await store.flush();
    await store.close();
    const reopened = await openStore({ folder });
    assert.deepEqual(reopened.migration, { from: SCHEMA_VERSION, to: SCHEMA_VERSION });
  });

  it('leaves the version unchanged when a migration fails part-way', async () => {
    const db = await emptyDatabase();
    migrate(db, 1);
    // v2 creates this table; a clash makes it fail after its ALTERs have run.
    db.run('CREATE TABLE tombstones (x)');
    assert.throws(() => migrate(db), /tombstones already exists/);
    assert.equal(db.userVersion, 1);
    const columns = db.rawRows("SELECT name FROM pragma_table_info('messages')").map((r) => r['name']);
    assert.ok(!columns.includes('modified_at'), 'the ALTERs of the failed migration were rolled back');
    db.close();
  });

  it('refuses a file from a newer schema and leaves it untouched', async () => {
    const folder = await tempFolder();
    const db = await emptyDatabase();
    migrate(db);
    db.userVersion = SCHEMA_VERSION + 5;
    const bytes = db.export();
    db.close();
    const file = path.join(folder, HISTORY_FILE_NAME);
    await fs.writeFile(file, bytes);
    await assert.rejects(openStore({ folder }), (error: unknown) => error instanceof StorageError && error.kind === 'newer-schema');
    assert.deepEqual(new Uint8Array(await fs.readFile(file)), bytes);
  });
});
