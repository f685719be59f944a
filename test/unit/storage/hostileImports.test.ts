import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { StorageError } from '../../../src/extension/storage/errors';
import type { HistoryEngine } from '../../../src/extension/storage/historyEngine';
import { MAX_TOKENS } from '../../../src/extension/storage/importBounds';
import { parseUsd } from '../../../src/shared/money';
import { writeHostileImports } from '../../fixtures/hostileImports';
import { cleanup, openStore, TestClock } from './helpers';

const TYPED = new Set(['invalid-import', 'invalid-input', 'unsupported-version']);

/** What the user already had, in a form that compares exactly. */
function snapshotOf(store: HistoryEngine): string {
  return store.exportJson().replace(/"exportedAt":\d+/, '');
}

/** Every way the user reaches a conversation must keep working. */
function assertUsable(store: HistoryEngine, label = 'after the corpus'): void {
  const page = store.listConversations({ status: 'all', limit: 500 });
  for (const c of page.items) {
    assert.ok(Number.isSafeInteger(c.totalTokens), `${label}: total tokens of ${c.id}`);
    store.getConversation(c.id);
    const path_ = store.activePath(c.id);
    for (const { message } of path_) {
      for (const n of [message.promptTokens, message.completionTokens, message.reasoningTokens, message.cachedTokens]) {
        assert.ok(n === null || (Number.isSafeInteger(n) && n <= MAX_TOKENS), `${label}: ${n} tokens`);
      }
      assert.ok(message.createdAt >= Date.UTC(2020, 0, 1) && message.createdAt <= Date.now() + 86_400_000, `${label}: dated ${message.createdAt}`);
    }
    store.exportMarkdown(c.id);
  }
  store.exportJson();
  assert.ok(parseUsd(store.spendSince(0)) !== undefined, `${label}: spend total`);
  store.usage(0, Date.now() + 86_400_000);
}

describe('storage/hostile import corpus', function () {
  this.timeout(120_000);
  let dir: string;
  let store: HistoryEngine;
  let corpus: ReturnType<typeof writeHostileImports>;

  before(async () => {
    const clock = new TestClock();
    const seed = await openStore({ clock });
    for (const title of ['Alpha', 'Beta']) {
      const c = seed.createConversation({ title, tags: ['x'] });
      const q = seed.appendMessage({ conversationId: c.id, role: 'user', content: `question ${title}`, promptTokens: 10 });
      seed.appendMessage({
        conversationId: c.id, parentId: q.id, role: 'assistant', content: `answer ${title}`, promptTokens: 10, completionTokens: 20,
        cost: { usd: '0.000123', source: 'usage' }, latencyMs: 900, ttftMs: 120, modelId: 'openai/gpt-4o-mini', metadata: { provider: 'p' },
      });
      clock.advance();
    }
    dir = mkdtempSync(path.join(os.tmpdir(), 'nt-hostile-imports-'));
    corpus = writeHostileImports(dir, seed.exportJson());
    store = await openStore({ clock });
    const mine = store.createConversation({ title: 'Mine' });
    store.appendMessage({ conversationId: mine.id, role: 'user', content: 'keep me', promptTokens: 3 });
  });

  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await cleanup();
  });

  it('has at least 60 files', () => {
    assert.ok(corpus.length >= 60, `${corpus.length} files`);
  });

  it('refuses each hostile file with a typed error, or accepts it with bounded values; history stays usable', () => {
    const outcomes: string[] = [];
    for (const { file, item } of corpus) {
      const before = snapshotOf(store);
      const bytes = new Uint8Array(readFileSync(file));
      let error: unknown;
      let report: ReturnType<HistoryEngine['importBytes']> | undefined;
      try {
        report = store.importBytes(bytes);
      } catch (e) {
        error = e;
      }
      if (error !== undefined) {
        assert.ok(error instanceof StorageError, `${item.name}: ${String(error)} is not a StorageError`);
        assert.ok(TYPED.has(error.kind), `${item.name}: kind ${error.kind}`);
        assert.equal(snapshotOf(store), before, `${item.name}: refused, yet the history changed`);
        outcomes.push(`${item.name}: refused`);
      } else {
        outcomes.push(`${item.name}: accepted`);
        assertUsable(store, item.name);
        // Every imported conversation can be deleted again.
        for (const id of Object.values(report!.conversationIds)) store.deleteConversation(id);
        assert.equal(snapshotOf(store), before, `${item.name}: deleting the import restores the history`);
      }
      assert.equal(outcomes.at(-1), `${item.name}: ${item.expect}`);
    }
    assertUsable(store);
    store.rebuildDerivedIndexes();
    assertUsable(store);
  });
});

describe('storage/a conversation that fails to load', () => {
  afterEach(cleanup);

  it('can still be exported as raw rows and deleted', async () => {
    const store = await openStore({ clock: new TestClock() });
    const kept = store.createConversation({ title: 'Fine' });
    const broken = store.createConversation({ title: 'Broken' });
    store.appendMessage({ conversationId: broken.id, role: 'user', content: 'what it held' });
    // Damage the row as an old import could: a tags column that is not JSON and a total past 2^53.
    (store as unknown as { store: { db: { run(sql: string, params: unknown[]): void } } }).store.db.run(
      'UPDATE conversations SET tags = ?, total_tokens = ? WHERE id = ?',
      ['not json', 2 ** 60, broken.id],
    );
    assert.throws(() => store.findConversation(broken.id), (e: unknown) => e instanceof StorageError && e.kind === 'corrupt');
    assert.equal(store.conversationExists(broken.id), true);
    const raw = store.exportRaw(broken.id);
    assert.ok(raw && raw.includes('what it held'), 'the raw export keeps the messages');
    store.deleteConversation(broken.id);
    assert.equal(store.conversationExists(broken.id), false);
    assert.equal(store.findConversation(kept.id)?.title, 'Fine');
    assert.equal(store.listConversations({ status: 'all' }).total, 1);
  });
});

describe('storage/token totals are summed with overflow checks', () => {
  afterEach(cleanup);

  it('refuses a change that would push a total past 2^53, leaving the conversation readable', async () => {
    const store = await openStore({ clock: new TestClock() });
    const c = store.createConversation({ title: 'Near the edge' });
    store.appendMessage({ conversationId: c.id, role: 'user', content: 'first', promptTokens: 3 });
    // A total at the edge, as only a damaged row or years of use could hold.
    (store as unknown as { store: { db: { run(sql: string, params: unknown[]): void } } }).store.db.run(
      'UPDATE conversations SET total_tokens = ? WHERE id = ?',
      [Number.MAX_SAFE_INTEGER - 5, c.id],
    );
    assert.throws(
      () => store.appendMessage({ conversationId: c.id, role: 'assistant', content: 'too many', promptTokens: 10, completionTokens: 10 }),
      (e: unknown) => e instanceof StorageError && e.kind === 'invalid-input',
    );
    assert.equal(store.getConversation(c.id).totalTokens, Number.MAX_SAFE_INTEGER - 5);
    assert.equal(store.activePath(c.id).length, 1, 'the refused message was not kept');
  });
});
