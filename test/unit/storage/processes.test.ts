/**
 * The heaviest storage tests: real child processes writing one history
 * through their own storage workers, like VS Code windows. Two writers at
 * once must lose nothing; a writer killed with SIGKILL at any moment — mid
 * append, mid compaction, holding the lock — must leave a history that opens
 * and holds everything it reported saved.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';

import { HISTORY_FILE_NAME } from '../../../src/extension/storage/historyStore';
import { cleanup, openStore, openWorkerStore, tempFolder } from './helpers';
import { startWriter } from './writerProcess';

/** A folder whose history already holds one conversation, for the writers to append to. */
async function sharedHistory(seedMessages = 0): Promise<{ folder: string; conversationId: string }> {
  const folder = await tempFolder();
  // Writers of a loaded machine may hold the lock a while (a compaction): wait as they do.
  const store = await openStore({ folder, lock: { timeoutMs: 60_000 } });
  const conversation = store.createConversation({ title: 'shared by processes' });
  for (let i = 0; i < seedMessages; i++) {
    store.appendMessage({ conversationId: conversation.id, role: 'user', content: `seed ${i} ${'padding '.repeat(40)}` });
  }
  await store.close();
  return { folder, conversationId: conversation.id };
}

describe('storage/processes', function () {
  this.timeout(900_000);
  afterEach(cleanup);

  it('stores all 1000 messages when two processes each append 500 at the same time', async () => {
    const { folder, conversationId } = await sharedHistory();
    const writers = await Promise.all([
      startWriter(folder, conversationId, 'left', 500),
      startWriter(folder, conversationId, 'right', 500),
    ]);
    const codes = await Promise.all(writers.map((w) => w.exited));
    assert.deepEqual(codes, [0, 0], writers.map((w) => w.stderr()).join('\n'));

    // Writers of a loaded machine may hold the lock a while (a compaction): wait as they do.
    const store = await openStore({ folder, lock: { timeoutMs: 60_000 } });
    const contents = new Set(store.listMessages(conversationId).map((m) => m.content.split(' ')[0]));
    for (const label of ['left', 'right']) {
      for (let i = 0; i < 500; i++) assert.ok(contents.has(`${label}-${i}`), `${label}-${i} is missing`);
    }
    assert.equal(contents.size, 1000);
    const conversation = store.getConversation(conversationId);
    assert.equal(conversation.totalCostUsd, '0.001');
    assert.equal(conversation.totalTokens, 2000);
    assert.equal(store.spendSince(0), '0.001');
    assert.deepEqual(store.checkIntegrity().problems, []);
  });

  it('shows a second window what the first appends, without being asked, and loses neither window\'s writes', async () => {
    const folder = await tempFolder();
    const changes: number[] = [];
    const first = await openWorkerStore({ folder });
    // Only a merge that brought messages counts: the conversation's own creation may be noticed late,
    // after the append below was sent, and must not pass for it.
    const second = await openWorkerStore({ folder, onExternalChange: (report) => report.messagesChanged > 0 && changes.push(Date.now()) });
    const conversation = await first.createConversation({ title: 'followed' });
    const sentAt = Date.now();
    const message = await first.appendMessage({ conversationId: conversation.id, role: 'user', content: 'live from the first window' });
    // No call into the second store until its worker has noticed the append by itself (file watch / periodic check).
    while (!changes.some((at) => at >= sentAt)) await new Promise((resolve) => setTimeout(resolve, 20));
    console.log(`      the second window saw the append after ${changes.find((at) => at >= sentAt)! - sentAt} ms`);
    assert.equal((await second.getMessage(message.id)).content, 'live from the first window');
    // Both append at once: every write lands, in both views, with exact totals.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? first : second).appendMessage({ conversationId: conversation.id, role: 'user', content: `both ${i}`, cost: { usd: '0.01', source: 'usage' } }),
      ),
    );
    await second.refreshFromDisk();
    await first.refreshFromDisk();
    for (const store of [first, second]) {
      assert.equal((await store.listMessages(conversation.id)).length, 21);
      assert.equal((await store.getConversation(conversation.id)).totalCostUsd, '0.2');
    }
  });

  it('opens and holds every reported write through 100 SIGKILLs at random moments', async () => {
    // Some hundreds of KB of history, and a low compaction threshold so kills also land mid-compaction.
    const { folder, conversationId } = await sharedHistory(800);
    const kills = 100;
    const confirmed = new Set<string>();
    let started = 0;
    let checks = 0;

    /** Everything any writer reported as saved must be in the file, and the file must open cleanly. */
    async function verify(): Promise<void> {
      const reported = [...confirmed];
      // Writers of a loaded machine may hold the lock a while (a compaction): wait as they do.
      const store = await openStore({ folder, lock: { timeoutMs: 60_000 } });
      try {
        assert.equal(store.recovery, undefined, 'the file did not open cleanly');
        const contents = new Set(store.listMessages(conversationId).map((m) => m.content.split(' ')[0]));
        assert.deepEqual(reported.filter((label) => !contents.has(label)), [], 'reported writes are missing');
        checks++;
      } finally {
        await store.close();
      }
    }

    // Two writers alive at a time, like two windows. Writer n is killed after its
    // (n mod 4)-th reported write plus a random fraction of one write cycle, so
    // kills land at random phases: starting up, appending, waiting for the lock,
    // merging, exporting, mid-write, mid-rename — whatever the machine's speed.
    async function killLoop(): Promise<void> {
      while (started < kills) {
        const n = started++;
        const label = `k${n}`;
        const writer = await startWriter(folder, conversationId, label, 'forever', 16 * 1024);
        await writer.ready;
        await writer.reached((n % 4) - 1);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 1.5 * writer.cycleMs()));
        writer.child.kill('SIGKILL');
        const code = await writer.exited;
        assert.equal(code, null, `${label} exited by itself: ${writer.stderr()}`);
        for (let i = 0; i <= writer.persisted(); i++) confirmed.add(`${label}-${i}`);
        await verify();
      }
    }
    await Promise.all([killLoop(), killLoop()]);

    assert.equal(checks, kills);
    assert.ok(confirmed.size >= kills, `writes completed between the kills (${confirmed.size})`);
    // Besides snapshot, journal, checksum and (if the last writer died holding it) the lock,
    // only temp files of killed writers may remain — nothing is ever set aside as corrupt.
    const expected = new Set([HISTORY_FILE_NAME, `${HISTORY_FILE_NAME}.journal`, `${HISTORY_FILE_NAME}.sum`, `${HISTORY_FILE_NAME}.lock`, `${HISTORY_FILE_NAME}.lock.steal`]);
    const others = (await fs.readdir(folder)).filter((name) => !expected.has(name));
    assert.ok(others.every((name) => name.includes('.tmp-')), `unexpected files: ${others.join(', ')}`);
  });
});
