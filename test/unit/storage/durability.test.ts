/**
 * Durability of the journaled history on real files: every change is on disk
 * when its call returns, the journal survives torn and damaged tails,
 * compaction is safe at its crash points, old files migrate into the first
 * snapshot, newer ones are refused untouched, and two windows follow each
 * other through the journal. The engine runs in-process here (the code the
 * storage worker runs); the worker facade has its own section at the end.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

import { writeFileAtomic } from '../../../src/extension/storage/atomicFile';
import { SqlDatabase } from '../../../src/extension/storage/database';
import { StorageError } from '../../../src/extension/storage/errors';
import { HISTORY_FILE_NAME } from '../../../src/extension/storage/historyEngine';
import { EXPORT_FORMAT, EXPORT_VERSION } from '../../../src/extension/storage/exportFormat';
import { encodeFrame, JOURNAL_FORMAT } from '../../../src/extension/storage/journalFormat';
import { migrate, SCHEMA_VERSION } from '../../../src/extension/storage/migrations';
import { loadSqlJs } from '../../../src/extension/storage/sqlJsLoader';
import { cleanup, exists, openStore, openWorkerStore, tempFolder, TestClock } from './helpers';

const kindOf = (error: unknown): string | undefined => (error instanceof StorageError ? error.kind : undefined);
const journalOf = (folder: string): string => path.join(folder, `${HISTORY_FILE_NAME}.journal`);

describe('storage/durability', () => {
  afterEach(cleanup);

  describe('files', () => {
    it('replaces a file atomically and leaves no temp file behind', async () => {
      const folder = await tempFolder();
      const file = path.join(folder, 'x.bin');
      await fs.writeFile(file, 'old');
      writeFileAtomic(file, new TextEncoder().encode('new'));
      assert.equal(await fs.readFile(file, 'utf8'), 'new');
      assert.deepEqual(await fs.readdir(folder), ['x.bin']);
    });

    it('removes temp files left by a writer that died mid-write when it opens', async () => {
      const folder = await tempFolder();
      const leftover = path.join(folder, `${HISTORY_FILE_NAME}.tmp-99999-deadbeef`);
      await fs.writeFile(leftover, 'half a database');
      await openStore({ folder });
      assert.equal(await exists(leftover), false);
    });

    it('refuses to export in the middle of a transaction', async () => {
      const sql = await loadSqlJs();
      const db = new SqlDatabase(new sql.Database());
      assert.throws(() => db.transaction(() => db.export()), (e) => kindOf(e) === 'internal');
      db.close();
    });
  });

  describe('journal', () => {
    it('has every change on disk when the call returns (a second opener sees it without any close)', async () => {
      const folder = await tempFolder();
      const store = await openStore({ folder });
      const c = store.createConversation({ title: 'durable' });
      const m = store.appendMessage({ conversationId: c.id, role: 'user', content: 'saved at once' });
      const other = await openStore({ folder });
      assert.equal(other.getMessage(m.id).content, 'saved at once');
      assert.equal(other.getConversation(c.id).title, 'durable');
    });

    it('writes a streaming reply as deltas: the journal grows by about the text, not the text times the saves', async () => {
      const folder = await tempFolder();
      const store = await openStore({ folder });
      const c = store.createConversation();
      const reply = store.appendMessage({ conversationId: c.id, role: 'assistant', content: '', status: 'partial' });
      const before = (await fs.stat(journalOf(folder))).size;
      let text = '';
      for (let i = 0; i < 30; i++) {
        text += `chunk ${i} ${'lorem ipsum '.repeat(10)}`;
        store.updateMessage(reply.id, { content: text });
      }
      const grown = (await fs.stat(journalOf(folder))).size - before;
      assert.ok(grown < text.length + 30 * 1_500, `journal grew ${grown} bytes for ${text.length} characters`);
      const reopened = await openStore({ folder });
      assert.equal(reopened.getMessage(reply.id).content, text);
    });

    it('drops a torn record at the end and keeps everything before it', async () => {
      const folder = await tempFolder();
      const store = await openStore({ folder });
      const c = store.createConversation();
      for (let i = 0; i < 5; i++) store.appendMessage({ conversationId: c.id, role: 'user', content: `kept ${i}` });
      store.close();
      const good = (await fs.stat(journalOf(folder))).size;
      const torn = encodeFrame({ w: 'x', c: [], m: [], t: [], l: [] }).subarray(0, 7);
      await fs.appendFile(journalOf(folder), torn);
      const reopened = await openStore({ folder });
      assert.equal(reopened.listMessages(c.id).length, 5);
      assert.equal((await fs.stat(journalOf(folder))).size, good, 'the torn tail was cut off');
      reopened.appendMessage({ conversationId: c.id, role: 'user', content: 'after the tear' });
      assert.equal((await openStore({ folder })).listMessages(c.id).length, 6);
    });

    it('drops a record whose checksum does not match, and nothing before it', async () => {
      const folder = await tempFolder();
      const store = await openStore({ folder });
      const c = store.createConversation();
      store.appendMessage({ conversationId: c.id, role: 'user', content: 'first' });
      store.appendMessage({ conversationId: c.id, role: 'user', content: 'second, to be damaged' });
      store.close();
      const bytes = await fs.readFile(journalOf(folder));
      bytes.writeUInt8(bytes.readUInt8(bytes.length - 3) ^ 0xff, bytes.length - 3);
      await fs.writeFile(journalOf(folder), bytes);
      const contents = (await openStore({ folder })).listMessages(c.id).map((m) => m.content);
      assert.deepEqual(contents, ['first']);
    });

    it('refuses a journal written by a newer version and leaves it untouched', async () => {
      const folder = await tempFolder();
      const newer = Buffer.concat([encodeFrame({ format: JOURNAL_FORMAT, version: 99, generation: 0 }), encodeFrame({ future: true })]);
      await fs.writeFile(journalOf(folder), newer);
      await assert.rejects(openStore({ folder }), (e) => kindOf(e) === 'newer-schema');
      assert.deepEqual(await fs.readFile(journalOf(folder)), newer);
    });
  });

  describe('compaction', () => {
    it('folds the journal into a new snapshot and starts an empty journal of the next generation', async () => {
      const folder = await tempFolder();
      const store = await openStore({ folder });
      const c = store.createConversation();
      for (let i = 0; i < 10; i++) store.appendMessage({ conversationId: c.id, role: 'user', content: `m ${i}` });
      const before = store.stats();
      store.compact();
      const after = store.stats();
      assert.equal(after.generation, before.generation + 1);
      assert.ok(after.journalBytes < 200, `journal after compaction: ${after.journalBytes} bytes`);
      assert.ok(after.snapshotBytes > 0 && after.lastCompaction);
      assert.equal((await openStore({ folder })).listMessages(c.id).length, 10);
    });

    it('compacts by itself once the journal passes the threshold', async () => {
      const store = await openStore({ compactMinBytes: 8 * 1024, compactRatio: 0 });
      const c = store.createConversation();
      for (let i = 0; i < 40; i++) store.appendMessage({ conversationId: c.id, role: 'user', content: `message ${i} ${'x'.repeat(400)}` });
      assert.ok(store.stats().generation >= 1, 'compacted at least once');
      assert.ok(store.stats().journalBytes < 8 * 1024 + 2_000);
    });

    it('ignores the old journal when a crash came between the new snapshot and the new journal', async () => {
      const folder = await tempFolder();
      const store = await openStore({ folder });
      const c = store.createConversation();
      store.appendMessage({ conversationId: c.id, role: 'user', content: 'in both' });
      const oldJournal = await fs.readFile(journalOf(folder));
      store.deleteMessage(store.listMessages(c.id)[0]!.id);
      store.appendMessage({ conversationId: c.id, role: 'user', content: 'only after' });
      store.compact();
      store.close();
      // The snapshot was renamed into place, the journal not yet replaced: the old one is still there.
      await fs.writeFile(journalOf(folder), oldJournal);
      const reopened = await openStore({ folder });
      assert.deepEqual(reopened.listMessages(c.id).map((m) => m.content), ['only after']);
      reopened.appendMessage({ conversationId: c.id, role: 'user', content: 'next' });
      assert.equal((await openStore({ folder })).listMessages(c.id).length, 2);
    });

    it('writes an import as a snapshot rather than one huge journal record', async () => {
      const T0 = Date.UTC(2024, 0, 1);
      const messages = Array.from({ length: 1_100 }, (_, i) => ({
        id: `m${i}`, parentId: i === 0 ? null : `m${i - 1}`, role: 'user', content: `bulk ${i}`,
        promptTokens: null, completionTokens: null, reasoningTokens: null, cachedTokens: null, cost: null,
        latencyMs: null, ttftMs: null, modelId: null, generationId: null, finishReason: null, status: 'complete',
        createdAt: T0 + i, metadata: {}, copiedFromMessageId: null,
      }));
      const file = JSON.stringify({
        format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: T0,
        conversations: [{ id: 'c', title: 'bulk', modelId: null, status: 'active', createdAt: T0, updatedAt: T0, tags: [],
          systemPrompt: null, parentConversationId: null, forkedFromMessageId: null, activeLeafId: null,
          totalCostUsd: '0', totalTokens: 0, messages }],
      });
      const folder = await tempFolder();
      const target = await openStore({ folder });
      const generation = target.stats().generation;
      target.importJson(file);
      assert.equal(target.stats().generation, generation + 1);
      assert.equal((await openStore({ folder })).listConversations().items[0]?.messageCount, 1_100);
    });
  });

  describe('old, newer and damaged files', () => {
    async function fileAtVersion(folder: string, version: number, fill: (db: SqlDatabase) => void): Promise<Uint8Array> {
      const sql = await loadSqlJs();
      const db = new SqlDatabase(new sql.Database());
      migrate(db, version);
      fill(db);
      const bytes = db.export();
      db.close();
      await fs.writeFile(path.join(folder, HISTORY_FILE_NAME), bytes);
      return bytes;
    }

    it('opens a v2 file unchanged, keeps a copy, and makes it the first snapshot with its spend in the ledger', async () => {
      const folder = await tempFolder();
      const original = await fileAtVersion(folder, 2, (db) => {
        db.run(`INSERT INTO conversations (id, title, created_at, updated_at, modified_at, total_cost_exact) VALUES ('c1', 'old', 1, 1, 1, '0.5')`);
        db.run(`INSERT INTO messages (id, conversation_id, role, content, created_at, modified_at, cost_exact, cost_source, prompt_tokens, completion_tokens)
                VALUES ('m1', 'c1', 'assistant', 'from before', 1, 1, '0.5', 'usage', 3, 4)`);
      });
      const store = await openStore({ folder });
      assert.deepEqual(store.migration, { from: 2, to: SCHEMA_VERSION });
      assert.equal(store.getMessage('m1').content, 'from before');
      assert.equal(store.spendSince(0), '0.5');
      assert.deepEqual(new Uint8Array(await fs.readFile(path.join(folder, `${HISTORY_FILE_NAME}.v2.bak`))), original);
      store.close();
      const again = await openStore({ folder });
      assert.deepEqual(again.migration, { from: SCHEMA_VERSION, to: SCHEMA_VERSION }, 'the upgraded snapshot was written');
      assert.equal(again.spendSince(0), '0.5', 'the ledger was backfilled once');
    });

    it('refuses a newer-schema file and leaves it untouched', async () => {
      const folder = await tempFolder();
      const bytes = await fileAtVersion(folder, SCHEMA_VERSION, (db) => {
        db.userVersion = SCHEMA_VERSION + 1;
      });
      await assert.rejects(openStore({ folder }), (e) => kindOf(e) === 'newer-schema');
      assert.deepEqual(new Uint8Array(await fs.readFile(path.join(folder, HISTORY_FILE_NAME))), bytes);
      assert.deepEqual(await fs.readdir(folder), [HISTORY_FILE_NAME]);
    });

    it('sets an unreadable snapshot aside, keeps its bytes, and still replays the journal', async () => {
      const folder = await tempFolder();
      const store = await openStore({ folder });
      const c = store.createConversation({ title: 'survives in the journal' });
      store.close();
      const garbage = new TextEncoder().encode('this is not a database at all');
      await fs.writeFile(path.join(folder, HISTORY_FILE_NAME), garbage);
      const reopened = await openStore({ folder });
      assert.equal(reopened.recovery?.kind, 'corrupt-file-moved');
      assert.deepEqual(new Uint8Array(await fs.readFile(reopened.recovery?.movedTo ?? '')), garbage);
      assert.equal(reopened.getConversation(c.id).title, 'survives in the journal');
    });

    it('treats a truncated snapshot as unreadable', async () => {
      const folder = await tempFolder();
      const writer = await openStore({ folder });
      const c = writer.createConversation();
      for (let i = 0; i < 200; i++) writer.appendMessage({ conversationId: c.id, role: 'user', content: `message ${i} ${'x'.repeat(200)}` });
      writer.compact();
      writer.close();
      const file = path.join(folder, HISTORY_FILE_NAME);
      const bytes = await fs.readFile(file);
      await fs.writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
      assert.equal((await openStore({ folder })).recovery?.kind, 'corrupt-file-moved');
    });
  });

  describe('spend ledger and message delete', () => {
    it('never lowers the spend when a conversation or a message is deleted', async () => {
      const clock = new TestClock();
      const store = await openStore({ clock });
      const a = store.createConversation();
      const b = store.createConversation();
      const paid = (conversationId: string, usd: string) =>
        store.appendMessage({ conversationId, role: 'assistant', content: 'paid', cost: { usd, source: 'usage' }, promptTokens: 1, completionTokens: 2 });
      paid(a.id, '0.25');
      const doomed = paid(b.id, '0.5');
      paid(b.id, '0.125');
      store.deleteMessage(doomed.id);
      assert.equal(store.getConversation(b.id).totalCostUsd, '0', 'the subtree went with it');
      store.deleteConversation(a.id);
      assert.equal(store.spendSince(0), '0.875');
      assert.equal(store.usage(0, clock.now()).total, '0.875');
    });

    it('records a corrected cost as a difference, so the month total follows the bill', async () => {
      const store = await openStore();
      const c = store.createConversation();
      const m = store.appendMessage({ conversationId: c.id, role: 'assistant', content: 'x', cost: { usd: '0.3', source: 'estimate' } });
      store.updateMessage(m.id, { cost: { usd: '0.25', source: 'generation' } });
      assert.equal(store.spendSince(0), '0.25');
    });

    it('deletes a message with its replies, moves the active branch up, and keeps them deleted in another window', async () => {
      const folder = await tempFolder();
      const store = await openStore({ folder });
      const other = await openStore({ folder });
      const c = store.createConversation();
      const q = store.appendMessage({ conversationId: c.id, role: 'user', content: 'question' });
      const r = store.appendMessage({ conversationId: c.id, role: 'assistant', content: 'reply' });
      store.appendMessage({ conversationId: c.id, role: 'user', content: 'follow-up' });
      other.refreshFromDisk();
      assert.deepEqual(store.deleteMessage(r.id).length, 2);
      assert.deepEqual(store.activePath(c.id).map((e) => e.message.id), [q.id]);
      other.refreshFromDisk();
      assert.equal(other.listMessages(c.id).length, 1);
      // The other window still had an old copy of the reply; writing near it cannot bring it back.
      other.renameConversation(c.id, 'renamed');
      assert.equal((await openStore({ folder })).findMessage(r.id), undefined);
    });
  });

  describe('two windows sharing the history', () => {
    it('follows the other window\'s appends, and each window keeps its own', async () => {
      const folder = await tempFolder();
      const a = await openStore({ folder });
      const b = await openStore({ folder });
      const c = a.createConversation({ title: 'shared' });
      const report = b.refreshFromDisk();
      assert.equal(report?.conversationsChanged, 1);
      a.appendMessage({ conversationId: c.id, role: 'user', content: 'from a', cost: { usd: '0.1', source: 'usage' } });
      // b writes without refreshing first: the write itself catches up under the lock.
      b.appendMessage({ conversationId: c.id, role: 'user', content: 'from b', cost: { usd: '0.2', source: 'usage' } });
      a.refreshFromDisk();
      for (const store of [a, b]) {
        assert.deepEqual(store.listMessages(c.id).map((m) => m.content), ['from a', 'from b']);
        assert.equal(store.getConversation(c.id).totalCostUsd, '0.3');
        assert.deepEqual(store.checkIntegrity().problems, []);
      }
    });

    it('lets the later edit of the same conversation win in both windows', async () => {
      const folder = await tempFolder();
      const a = await openStore({ folder });
      const b = await openStore({ folder });
      const c = a.createConversation({ title: 'first' });
      b.refreshFromDisk();
      a.renameConversation(c.id, 'from a');
      b.renameConversation(c.id, 'from b, later');
      a.refreshFromDisk();
      assert.equal(a.getConversation(c.id).title, 'from b, later');
      assert.equal(b.getConversation(c.id).title, 'from b, later');
    });

    it('reloads from the new snapshot when the other window compacted, keeping everything', async () => {
      const folder = await tempFolder();
      const a = await openStore({ folder });
      const b = await openStore({ folder });
      const c = a.createConversation();
      a.appendMessage({ conversationId: c.id, role: 'user', content: 'before compaction' });
      a.compact();
      a.appendMessage({ conversationId: c.id, role: 'user', content: 'after compaction' });
      b.appendMessage({ conversationId: c.id, role: 'user', content: 'from b' });
      a.refreshFromDisk();
      for (const store of [a, b]) assert.equal(store.listMessages(c.id).length, 3);
    });
  });

  describe('the worker facade', () => {
    it('answers every request, passing StorageError kinds across the thread', async () => {
      const store = await openWorkerStore();
      await assert.rejects(store.getConversation('missing'), (e) => kindOf(e) === 'not-found');
      const c = await store.createConversation({ title: 'across' });
      const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => (i % 5 ? store.getConversation(c.id) : store.getMessage(`nope-${i}`))));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 40);
      assert.equal(results.filter((r) => r.status === 'rejected' && kindOf(r.reason) === 'not-found').length, 10);
      await store.close();
      await assert.rejects(store.listTags(), (e) => kindOf(e) === 'closed');
    });

    it('rejects requests in flight when the worker dies, and reopens the history on the next one', async () => {
      const store = await openWorkerStore();
      const c = await store.createConversation({ title: 'kept' });
      const worker = (store as unknown as { client: { worker: { terminate(): Promise<number> } } }).client.worker;
      const inFlight = store.listConversations();
      await worker.terminate();
      await assert.rejects(inFlight, (e) => kindOf(e) === 'internal');
      assert.equal((await store.getConversation(c.id)).title, 'kept');
    });
  });
});
