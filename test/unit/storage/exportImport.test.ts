import * as assert from 'node:assert/strict';

import { loadSqlJs } from '../../../src/extension/storage/sqlJsLoader';
import { SqlDatabase } from '../../../src/extension/storage/database';
import { StorageError } from '../../../src/extension/storage/errors';
import { EXPORT_VERSION, exportFileSchema, type ExportFile } from '../../../src/extension/storage/exportFormat';
import type { HistoryEngine } from '../../../src/extension/storage/historyEngine';
import { importExport, parseExport } from '../../../src/extension/storage/importer';
import { migrate } from '../../../src/extension/storage/migrations';
import { cleanup, openStore, TestClock } from './helpers';

/** Replaces every id by the order in which it first appears, so two exports compare by structure. */
function canonical(json: string): unknown {
  const file = exportFileSchema.parse(JSON.parse(json));
  const names = new Map<string, string>();
  const name = (id: string | null): string | null => {
    if (id === null) return null;
    if (!names.has(id)) names.set(id, `#${names.size}`);
    return names.get(id) ?? null;
  };
  // First pass assigns names in document order (conversations, then their messages).
  for (const c of file.conversations) {
    name(c.id);
    for (const m of c.messages) name(m.id);
  }
  return {
    ...file,
    exportedAt: 0,
    conversations: file.conversations.map((c) => ({
      ...c,
      id: name(c.id),
      parentConversationId: name(c.parentConversationId),
      forkedFromMessageId: name(c.forkedFromMessageId),
      activeLeafId: name(c.activeLeafId),
      messages: c.messages.map((m) => ({ ...m, id: name(m.id), parentId: name(m.parentId), copiedFromMessageId: name(m.copiedFromMessageId) })),
    })),
  };
}

function kindOf(error: unknown): string | undefined {
  return error instanceof StorageError ? error.kind : undefined;
}

describe('storage/export and import', () => {
  let clock: TestClock;
  let source: HistoryEngine;

  /** A history with branches, a fork, an archived conversation, tags, exact costs and metadata. */
  function seed(): { conversationId: string; forkId: string } {
    const c = source.createConversation({ title: 'Round trip', modelId: 'anthropic/claude-sonnet-4', tags: ['b', 'a'] });
    source.setSystemPrompt(c.id, 'Be terse.');
    const q = source.appendMessage({ conversationId: c.id, role: 'user', content: 'Explain *markdown*\n\n```ts\nconst x = 1;\n```', promptTokens: 12 });
    clock.advance();
    const a1 = source.appendMessage({
      conversationId: c.id, role: 'assistant', content: 'First reply', promptTokens: 12, completionTokens: 40, reasoningTokens: 5,
      cachedTokens: 3, cost: { usd: '0.000123456789012345', source: 'usage' }, latencyMs: 1900, ttftMs: 340,
      modelId: 'anthropic/claude-sonnet-4', generationId: 'gen-1', finishReason: 'stop', metadata: { provider: 'Anthropic', n: [1, 2] },
    });
    clock.advance();
    source.appendMessage({ conversationId: c.id, parentId: q.id, role: 'assistant', content: 'Cancelled reply', status: 'partial', finishReason: 'cancelled', cost: { usd: '0.00001', source: 'estimate' } });
    clock.advance();
    source.switchBranch(a1.id);
    const fork = source.fork(a1.id, { title: 'Forked' });
    source.appendMessage({ conversationId: fork.id, role: 'user', content: 'Only in the fork 🚀' });
    const archived = source.createConversation({ title: 'Old' });
    source.archiveConversation(archived.id);
    return { conversationId: c.id, forkId: fork.id };
  }

  beforeEach(async () => {
    clock = new TestClock();
    source = await openStore({ clock });
  });
  afterEach(cleanup);

  it('round-trips everything exactly: export, import elsewhere, export again', async () => {
    seed();
    const first = source.exportJson();
    const target = await openStore({ clock });
    target.importJson(first);
    assert.deepEqual(canonical(target.exportJson()), canonical(first));
  });

  it('gives imported rows new ids', async () => {
    const { conversationId } = seed();
    const target = await openStore({ clock });
    const report = target.importJson(source.exportJson());
    const newId = report.conversationIds[conversationId];
    assert.ok(newId && newId !== conversationId);
    assert.equal(target.findConversation(conversationId), undefined);
    const sourceIds = new Set(source.listMessages(conversationId).map((m) => m.id));
    assert.ok(target.listMessages(newId).every((m) => !sourceIds.has(m.id)));
  });

  it('keeps branches and the active branch', async () => {
    const { conversationId } = seed();
    const target = await openStore({ clock });
    const newId = target.importJson(source.exportJson()).conversationIds[conversationId] ?? '';
    const path = target.activePath(newId);
    assert.deepEqual(path.map((e) => e.message.content), ['Explain *markdown*\n\n```ts\nconst x = 1;\n```', 'First reply']);
    assert.deepEqual(path.map((e) => e.siblingCount), [1, 2]);
  });

  it('keeps the link from a fork to its source conversation and message', async () => {
    const { conversationId, forkId } = seed();
    const target = await openStore({ clock });
    const ids = target.importJson(source.exportJson()).conversationIds;
    const fork = target.getConversation(ids[forkId] ?? '');
    assert.equal(fork.parentConversationId, ids[conversationId]);
    const forkedFrom = target.getMessage(fork.forkedFromMessageId ?? '');
    assert.equal(forkedFrom.conversationId, ids[conversationId]);
    assert.equal(forkedFrom.content, 'First reply');
  });

  it('recomputes totals that equal the source totals exactly', async () => {
    const { conversationId } = seed();
    const target = await openStore({ clock });
    const newId = target.importJson(source.exportJson()).conversationIds[conversationId] ?? '';
    assert.equal(target.getConversation(newId).totalCostUsd, '0.000133456789012345');
  });

  it('imports the same file twice as two independent copies', () => {
    seed();
    const json = source.exportJson();
    const before = source.listConversations({ status: 'all' }).total;
    source.importJson(json);
    source.importJson(json);
    assert.equal(source.listConversations({ status: 'all' }).total, before * 3);
    assert.ok(source.checkIntegrity().ok);
  });

  it('makes imported messages searchable and keeps indexing messages appended afterwards', async () => {
    const { conversationId } = seed();
    const target = await openStore({ clock });
    const newId = target.importJson(source.exportJson()).conversationIds[conversationId] ?? '';
    const found = target.search({ text: 'markdown' });
    assert.equal(found.kind === 'results' && found.hits.some((h) => h.conversationId === newId), true);
    target.appendMessage({ conversationId: newId, role: 'user', content: 'appended after the import' });
    const later = target.search({ text: 'appended' });
    assert.equal(later.kind === 'results' && later.hits.length, 1);
    assert.ok(target.checkIntegrity().ok);
  });

  it('exports a single conversation when asked', () => {
    const { forkId } = seed();
    const file = exportFileSchema.parse(JSON.parse(source.exportJson({ conversationIds: [forkId] })));
    assert.deepEqual(file.conversations.map((c) => c.title), ['Forked']);
  });

  describe('refusals leave the database unchanged', () => {
    function refuses(text: string, kind: string): void {
      seed();
      const before = source.exportJson();
      assert.throws(() => source.importJson(text), (e) => kindOf(e) === kind);
      assert.deepEqual(canonical(source.exportJson()), canonical(before));
    }

    function validFile(): ExportFile {
      seed();
      return exportFileSchema.parse(JSON.parse(source.exportJson()));
    }

    it('refuses text that is not JSON', () => refuses('{"format": nope', 'invalid-import'));

    it('refuses JSON that is not a Neural Terminal export', () => refuses('{"hello": "world"}', 'invalid-import'));

    it('refuses a newer format version with a message naming it', () => {
      const file = { ...validFile(), version: EXPORT_VERSION + 1 };
      refuses(JSON.stringify(file), 'unsupported-version');
    });

    it('refuses a message whose cost is not an exact decimal', () => {
      const file = validFile();
      const text = JSON.stringify(file).replace('"0.000123456789012345"', '0.000123');
      refuses(text, 'invalid-import');
    });

    it('refuses a message whose parent is not in its conversation', () => {
      const file = validFile();
      const first = file.conversations[0];
      assert.ok(first?.messages[1]);
      first.messages[1].parentId = 'missing';
      refuses(JSON.stringify(file), 'invalid-import');
    });

    it('refuses messages that form a loop', () => {
      const file = validFile();
      const first = file.conversations[0];
      assert.ok(first?.messages[0] && first.messages[1]);
      first.messages[0].parentId = first.messages[1].id;
      refuses(JSON.stringify(file), 'invalid-import');
    });

    it('refuses an id used twice', () => {
      const file = validFile();
      const [a, b] = file.conversations;
      assert.ok(a && b);
      b.id = a.id;
      refuses(JSON.stringify(file), 'invalid-import');
    });
  });

  it('rolls back everything when an insert fails half-way', async () => {
    seed();
    const file = parseExport(source.exportJson());
    const sql = await loadSqlJs();
    const db = new SqlDatabase(new sql.Database());
    migrate(db);
    // An id factory that repeats itself makes the second message insert collide.
    let calls = 0;
    assert.throws(() => importExport(db, clock, file, () => (++calls > 3 ? 'same' : `id${calls}`)), /UNIQUE/);
    assert.equal(db.rawRows('SELECT count(*) AS n FROM conversations')[0]?.['n'], 0);
    assert.equal(db.rawRows('SELECT count(*) AS n FROM messages')[0]?.['n'], 0);
    const triggers = db.rawRows("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name = 'messages_fts_after_insert'");
    assert.equal(triggers.length, 1, 'the indexing trigger is back after the rollback');
    db.close();
  });

  describe('markdown', () => {
    it('has the title and metadata lines', () => {
      const { conversationId } = seed();
      const md = source.exportMarkdown(conversationId);
      assert.match(md, /^# Round trip\n/);
      assert.match(md, /- Model: anthropic\/claude-sonnet-4/);
      assert.match(md, /- Status: active · Tags: a, b/);
      assert.match(md, /- Total: \$0\.000133 \(exact 0\.000133456789012345 USD, all branches\)/);
      assert.match(md, /## System prompt\n\nBe terse\./);
    });

    it('holds the active branch only, with a header line per message', () => {
      const { conversationId } = seed();
      const md = source.exportMarkdown(conversationId);
      assert.match(md, /### ASSISTANT · anthropic\/claude-sonnet-4 · 52 tok · \$0\.000123 · 1\.9 s · ttft 340 ms · branch 1\/2 · 2026-01-01 12:00:01Z\n\nFirst reply/);
      assert.ok(!md.includes('Cancelled reply'));
    });

    it('names the source of a fork', () => {
      const { conversationId, forkId } = seed();
      assert.match(source.exportMarkdown(forkId), new RegExp(`- Forked from: \`${conversationId}\``));
    });
  });
});
