import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

import { writeFileAtomic } from '../../../src/extension/storage/atomicFile';
import { checksumPath, matchesChecksum } from '../../../src/extension/storage/checksum';
import { SqlDatabase } from '../../../src/extension/storage/database';
import { StorageError } from '../../../src/extension/storage/errors';
import { HISTORY_FILE_NAME } from '../../../src/extension/storage/historyStore';
import { migrate, SCHEMA_VERSION } from '../../../src/extension/storage/migrations';
import { loadSqlJs } from '../../../src/extension/storage/sqlJsLoader';
import type { RecoveryNotice } from '../../../src/extension/storage/types';
import { cleanup, exists, openStore, tempFolder, TestClock } from './helpers';

/** Resolves once `check` passes; the deadline only stops a broken test from hanging. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function messageCountOnDisk(folder: string): Promise<number> {
  const sql = await loadSqlJs();
  const bytes = await fs.readFile(path.join(folder, HISTORY_FILE_NAME)).catch(() => undefined);
  if (!bytes) return 0;
  const db = new SqlDatabase(new sql.Database(bytes));
  try {
    return Number(db.rawRows('SELECT count(*) AS n FROM messages')[0]?.['n'] ?? 0);
  } finally {
    db.close();
  }
}

describe('storage/durability', () => {
  afterEach(cleanup);

  describe('atomic writes', () => {
    it('replaces the file content and leaves no temp file behind', async () => {
      const folder = await tempFolder();
      const file = path.join(folder, 'x.bin');
      await fs.writeFile(file, 'old');
      await writeFileAtomic(file, new TextEncoder().encode('new'));
      assert.equal(await fs.readFile(file, 'utf8'), 'new');
      assert.deepEqual(await fs.readdir(folder), ['x.bin']);
    });

    it('removes temp files left by a writer that died mid-write', async () => {
      const folder = await tempFolder();
      const leftover = path.join(folder, `${HISTORY_FILE_NAME}.tmp-99999-deadbeef`);
      await fs.writeFile(leftover, 'half a database');
      const store = await openStore({ folder });
      store.createConversation();
      await store.flush();
      assert.equal(await exists(leftover), false);
    });

    it('refuses to export in the middle of a transaction', async () => {
      const sql = await loadSqlJs();
      const db = new SqlDatabase(new sql.Database());
      assert.throws(() => db.transaction(() => db.export()), (e) => e instanceof StorageError && e.kind === 'internal');
      db.close();
    });
  });

  describe('when changes are written', () => {
    it('persists a completed message without being asked', async () => {
      const folder = await tempFolder();
      const store = await openStore({ folder, debounceMs: 60_000, maxWaitMs: 60_000 });
      const c = store.createConversation();
      store.appendMessage({ conversationId: c.id, role: 'assistant', content: 'done', status: 'complete' });
      await eventually(async () => (await messageCountOnDisk(folder)) === 1, 'the completed message on disk');
    });

    it('persists a cancelled message without being asked', async () => {
      const folder = await tempFolder();
      const store = await openStore({ folder, debounceMs: 60_000, maxWaitMs: 60_000 });
      const c = store.createConversation();
      store.appendMessage({ conversationId: c.id, role: 'assistant', content: 'half', status: 'partial', finishReason: 'cancelled' });
      await eventually(async () => (await messageCountOnDisk(folder)) === 1, 'the cancelled message on disk');
    });

    it('does not write inside the call that made the change', async () => {
      const folder = await tempFolder();
      const store = await openStore({ folder });
      const c = store.createConversation();
      store.appendMessage({ conversationId: c.id, role: 'user', content: 'hi' });
      assert.equal(await exists(path.join(folder, HISTORY_FILE_NAME)), false);
      assert.equal(store.hasUnsavedChanges, true);
      await store.flush();
      assert.equal(store.hasUnsavedChanges, false);
    });

    it('debounces a streaming (partial) message until the stream goes quiet', async () => {
      const folder = await tempFolder();
      const store = await openStore({ folder, debounceMs: 20, maxWaitMs: 10_000 });
      const c = store.createConversation();
      store.appendMessage({ conversationId: c.id, role: 'assistant', content: 'str', status: 'partial' });
      await eventually(() => Promise.resolve(!store.hasUnsavedChanges), 'the debounced write');
      assert.equal(await messageCountOnDisk(folder), 1);
    });

    it('keeps everything across close and reopen', async () => {
      const folder = await tempFolder();
      const first = await openStore({ folder });
      const c = first.createConversation({ title: 'kept' });
      first.appendMessage({ conversationId: c.id, role: 'user', content: 'remember me', cost: { usd: '0.25', source: 'usage' } });
      await first.close();
      const second = await openStore({ folder });
      assert.equal(second.getConversation(c.id).totalCostUsd, '0.25');
      assert.equal(second.activePath(c.id)[0]?.message.content, 'remember me');
    });

    it('throws a closed error after close', async () => {
      const store = await openStore();
      await store.close();
      assert.throws(() => store.createConversation(), (e) => e instanceof StorageError && e.kind === 'closed');
    });

    it('reports a failed write and retries it until it succeeds', async () => {
      const folder = await tempFolder();
      const errors: StorageError[] = [];
      const store = await openStore({ folder, onPersistError: (e) => errors.push(e) });
      // A directory where the file should be makes every read and write fail.
      const file = path.join(folder, HISTORY_FILE_NAME);
      await fs.mkdir(file);
      const c = store.createConversation();
      store.appendMessage({ conversationId: c.id, role: 'user', content: 'survive' });
      await assert.rejects(store.flush(), (e) => e instanceof StorageError && e.kind === 'io');
      assert.ok(errors.length > 0);
      await fs.rm(file, { recursive: true });
      await store.flush();
      assert.equal(await messageCountOnDisk(folder), 1);
    });
  });

  describe('checksum', () => {
    it('records the checksum of each save beside the file', async () => {
      const folder = await tempFolder();
      const store = await openStore({ folder });
      store.createConversation();
      await store.flush();
      const file = path.join(folder, HISTORY_FILE_NAME);
      assert.equal(await matchesChecksum(file, await fs.readFile(file)), true);
    });

    it('opens a healthy file whose checksum is stale the slow way', async () => {
      const folder = await tempFolder();
      const writer = await openStore({ folder });
      const c = writer.createConversation({ title: 'still here' });
      await writer.close();
      await fs.writeFile(checksumPath(path.join(folder, HISTORY_FILE_NAME)), JSON.stringify({ size: 1, sha256: '0'.repeat(64) }));
      const store = await openStore({ folder });
      assert.equal(store.recovery, undefined);
      assert.equal(store.getConversation(c.id).title, 'still here');
    });
  });

  describe('corrupt files', () => {
    it('sets an unreadable file aside, keeps its bytes, and starts fresh', async () => {
      const folder = await tempFolder();
      const file = path.join(folder, HISTORY_FILE_NAME);
      const garbage = new TextEncoder().encode('this is not a database at all');
      await fs.writeFile(file, garbage);
      const store = await openStore({ folder });
      assert.equal(store.recovery?.kind, 'corrupt-file-moved');
      const movedTo = store.recovery?.movedTo ?? '';
      assert.equal(path.dirname(movedTo), folder);
      assert.deepEqual(new Uint8Array(await fs.readFile(movedTo)), garbage);
      assert.equal(store.listConversations({ status: 'all' }).total, 0);
    });

    it('writes a healthy file after recovering from a corrupt one', async () => {
      const folder = await tempFolder();
      await fs.writeFile(path.join(folder, HISTORY_FILE_NAME), 'garbage');
      const store = await openStore({ folder });
      const c = store.createConversation();
      store.appendMessage({ conversationId: c.id, role: 'user', content: 'fresh start' });
      await store.close();
      const reopened = await openStore({ folder });
      assert.equal(reopened.recovery, undefined);
      assert.equal(reopened.listMessages(c.id).length, 1);
    });

    it('treats a truncated database file as corrupt', async () => {
      const folder = await tempFolder();
      const writer = await openStore({ folder });
      const c = writer.createConversation();
      for (let i = 0; i < 200; i++) writer.appendMessage({ conversationId: c.id, role: 'user', content: `message ${i} ${'x'.repeat(200)}` });
      await writer.close();
      const file = path.join(folder, HISTORY_FILE_NAME);
      const bytes = await fs.readFile(file);
      await fs.writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
      const store = await openStore({ folder });
      assert.equal(store.recovery?.kind, 'corrupt-file-moved');
    });

    it('sets aside a file that turns corrupt while running and saves over it', async () => {
      const folder = await tempFolder();
      const notices: RecoveryNotice[] = [];
      const store = await openStore({ folder, onRecovery: (n) => notices.push(n) });
      const c = store.createConversation();
      await store.flush();
      await fs.writeFile(path.join(folder, HISTORY_FILE_NAME), 'scribbled over by something else');
      store.appendMessage({ conversationId: c.id, role: 'user', content: 'still saved' });
      await store.flush();
      assert.equal(notices.length, 1);
      assert.equal(await fs.readFile(notices[0]?.movedTo ?? '', 'utf8'), 'scribbled over by something else');
      assert.equal(await messageCountOnDisk(folder), 1);
    });

    it('refuses to overwrite a file a newer version wrote while running', async () => {
      const folder = await tempFolder();
      const store = await openStore({ folder });
      store.createConversation();
      await store.flush();
      const sql = await loadSqlJs();
      const newer = new SqlDatabase(new sql.Database());
      migrate(newer);
      newer.userVersion = SCHEMA_VERSION + 1;
      const bytes = newer.export();
      newer.close();
      const file = path.join(folder, HISTORY_FILE_NAME);
      await fs.writeFile(file, bytes);
      store.createConversation();
      await assert.rejects(store.flush(), (e) => e instanceof StorageError && e.kind === 'newer-schema');
      assert.deepEqual(new Uint8Array(await fs.readFile(file)), bytes);
    });
  });

  describe('two windows sharing the file', () => {
    async function twoWindows() {
      const folder = await tempFolder();
      const clockA = new TestClock();
      const clockB = new TestClock();
      const a = await openStore({ folder, clock: clockA });
      const shared = a.createConversation({ title: 'shared' });
      const root = a.appendMessage({ conversationId: shared.id, role: 'user', content: 'common root', cost: { usd: '0.001', source: 'usage' } });
      await a.flush();
      const b = await openStore({ folder, clock: clockB });
      return { folder, a, b, clockA, clockB, shared, root };
    }

    it('keeps both windows\' new conversations', async () => {
      const { a, b } = await twoWindows();
      const fromA = a.createConversation({ title: 'from A' });
      const fromB = b.createConversation({ title: 'from B' });
      await a.flush();
      await b.flush();
      await a.refreshFromDisk();
      for (const store of [a, b]) {
        assert.ok(store.findConversation(fromA.id) && store.findConversation(fromB.id));
      }
    });

    it('keeps both windows\' replies to the same conversation as branches, with totals over both', async () => {
      const { a, b, clockA, clockB, shared, root } = await twoWindows();
      clockA.advance();
      a.appendMessage({ conversationId: shared.id, role: 'assistant', content: 'A answers', cost: { usd: '0.01', source: 'usage' } });
      clockB.advance(2000);
      b.appendMessage({ conversationId: shared.id, role: 'assistant', content: 'B answers', cost: { usd: '0.02', source: 'usage' } });
      await a.flush();
      await b.flush();
      await a.refreshFromDisk();
      for (const store of [a, b]) {
        assert.deepEqual(store.siblings(store.activePath(shared.id)[1]?.message.id ?? '').ids.length, 2);
        assert.equal(store.getConversation(shared.id).totalCostUsd, '0.031');
        assert.deepEqual(store.checkIntegrity().problems, []);
        assert.deepEqual(store.listMessages(shared.id).map((m) => m.content), ['common root', 'A answers', 'B answers']);
      }
      assert.equal(root.parentId, null);
    });

    it('keeps each window on its own reply when both answered the same message', async () => {
      const { a, b, clockA, clockB, shared } = await twoWindows();
      clockA.advance();
      const fromA = a.appendMessage({ conversationId: shared.id, role: 'assistant', content: 'A answers' });
      clockB.advance(2000);
      const fromB = b.appendMessage({ conversationId: shared.id, role: 'assistant', content: 'B answers' });
      await a.flush();
      await b.flush();
      await a.refreshFromDisk();
      assert.equal(a.activePath(shared.id).at(-1)?.message.id, fromA.id);
      assert.equal(b.activePath(shared.id).at(-1)?.message.id, fromB.id);
    });

    it('lets the later edit of the same conversation win in both windows', async () => {
      const { a, b, clockA, clockB, shared } = await twoWindows();
      clockA.advance(1000);
      a.renameConversation(shared.id, 'A title');
      clockB.advance(5000);
      b.renameConversation(shared.id, 'B title (later)');
      await b.flush();
      await a.flush();
      await b.refreshFromDisk();
      assert.equal(a.getConversation(shared.id).title, 'B title (later)');
      assert.equal(b.getConversation(shared.id).title, 'B title (later)');
    });

    it('does not let a window that still has a deleted conversation bring it back', async () => {
      const { a, b, shared } = await twoWindows();
      a.deleteConversation(shared.id);
      await a.flush();
      b.createConversation({ title: 'unrelated change in B' });
      await b.flush();
      await a.refreshFromDisk();
      assert.equal(a.findConversation(shared.id), undefined);
      assert.equal(b.findConversation(shared.id), undefined);
    });

    it('tells the window about changes merged in from the other one', async () => {
      const folder = await tempFolder();
      const reports: unknown[] = [];
      const a = await openStore({ folder, onExternalChange: (r) => reports.push(r) });
      const b = await openStore({ folder });
      b.createConversation();
      await b.flush();
      await a.refreshFromDisk();
      assert.deepEqual(reports, [{ conversationsChanged: 1, messagesChanged: 0, conversationsDeleted: 0 }]);
    });

    it('skips the merge when the file is still the one this window wrote', async () => {
      const folder = await tempFolder();
      const a = await openStore({ folder });
      a.createConversation();
      await a.flush();
      assert.equal(await a.refreshFromDisk(), undefined);
    });

    it('brings every row across after the file was replaced by a database of another lineage', async () => {
      const folder = await tempFolder();
      const a = await openStore({ folder });
      const old = a.createConversation({ title: 'written by A before the replacement' });
      for (let i = 0; i < 3; i++) {
        a.appendMessage({ conversationId: old.id, role: 'user', content: `early ${i}` });
        await a.flush();
      }
      // Another folder's fresh database takes the file's place (a restore, or a recovery elsewhere).
      const elsewhere = await tempFolder();
      const fresh = await openStore({ folder: elsewhere });
      fresh.createConversation({ title: 'the replacement' });
      await fresh.close();
      await fs.rename(path.join(elsewhere, HISTORY_FILE_NAME), path.join(folder, HISTORY_FILE_NAME));
      const c = await openStore({ folder });
      a.createConversation({ title: 'A writes again' });
      await a.flush();
      await c.refreshFromDisk();
      assert.deepEqual(c.listMessages(old.id).map((m) => m.content).sort(), ['early 0', 'early 1', 'early 2']);
    });

    it('carries the rows of a failed write in the next one, for windows that synced in between', async () => {
      const { a, b, shared } = await twoWindows();
      await b.refreshFromDisk();
      const lost = a.appendMessage({ conversationId: shared.id, role: 'user', content: 'first attempt failed' });
      const rename = fs.rename;
      fs.rename = () => Promise.reject(Object.assign(new Error('disk full'), { code: 'ENOSPC' }));
      try {
        await assert.rejects(a.flush());
      } finally {
        fs.rename = rename;
      }
      b.appendMessage({ conversationId: shared.id, role: 'user', content: 'B writes meanwhile' });
      await b.flush();
      await a.flush();
      await b.refreshFromDisk();
      assert.equal(b.getMessage(lost.id).content, 'first attempt failed');
    });

    it('shows the other window\'s continuation of the active branch', async () => {
      const { a, b, clockB, shared, root } = await twoWindows();
      await b.refreshFromDisk();
      clockB.advance();
      const reply = b.appendMessage({ conversationId: shared.id, role: 'assistant', content: 'reply from B' });
      await b.flush();
      // A switches branch locally after B wrote, so A's conversation row wins but B's reply still shows.
      a.switchBranch(root.id);
      await a.refreshFromDisk();
      assert.deepEqual(a.activePath(shared.id).map((e) => e.message.id), [root.id, reply.id]);
    });
  });
});
