import * as assert from 'node:assert/strict';

import { StorageError } from '../../../src/extension/storage/errors';
import type { HistoryEngine } from '../../../src/extension/storage/historyEngine';
import { TestClock, storeEachTest } from './helpers';

function kindOf(error: unknown): string | undefined {
  return error instanceof StorageError ? error.kind : undefined;
}

/** user → assistant, then a regenerated assistant reply (a sibling) — the shape behind `◀ 2/3 ▶`. */
function seedBranches(store: HistoryEngine, clock: TestClock) {
  const conversation = store.createConversation({ title: 'Branches' });
  const question = store.appendMessage({ conversationId: conversation.id, role: 'user', content: 'question' });
  clock.advance();
  const first = store.appendMessage({ conversationId: conversation.id, role: 'assistant', content: 'first answer' });
  clock.advance();
  const second = store.appendMessage({ conversationId: conversation.id, parentId: question.id, role: 'assistant', content: 'second answer' });
  clock.advance();
  return { conversation, question, first, second };
}

describe('storage/conversationStore', () => {
  let clock: TestClock;
  let store: HistoryEngine;

  storeEachTest((fresh) => ({ clock, store } = fresh));

  describe('conversations', () => {
    it('creates a conversation with a default title, no cost and no messages', () => {
      const c = store.createConversation();
      assert.equal(c.title, 'New conversation');
      assert.equal(c.status, 'active');
      assert.equal(c.totalCostUsd, '0');
      assert.equal(c.messageCount, 0);
      assert.equal(c.activeLeafId, null);
    });

    it('normalises tags: trimmed, de-duplicated ignoring case, sorted', () => {
      const c = store.createConversation({ tags: ['  work ', 'Work', 'alpha', ''] });
      assert.deepEqual(c.tags, ['alpha', 'work']);
    });

    it('renames a conversation and moves it up the list', () => {
      const older = store.createConversation({ title: 'older' });
      clock.advance();
      store.createConversation({ title: 'newer' });
      clock.advance();
      const renamed = store.renameConversation(older.id, '  Renamed   title ');
      assert.equal(renamed.title, 'Renamed title');
      assert.equal(store.listConversations().items[0]?.id, older.id);
    });

    it('archives without touching updatedAt and hides archived ones from the default list', () => {
      const c = store.createConversation();
      clock.advance();
      const archived = store.archiveConversation(c.id);
      assert.equal(archived.status, 'archived');
      assert.equal(archived.updatedAt, c.updatedAt);
      assert.equal(store.listConversations().total, 0);
      assert.equal(store.listConversations({ status: 'archived' }).total, 1);
    });

    it('deletes a conversation together with its messages', () => {
      const { conversation, first } = seedBranches(store, clock);
      store.deleteConversation(conversation.id);
      assert.equal(store.findConversation(conversation.id), undefined);
      assert.throws(() => store.getMessage(first.id), (e) => kindOf(e) === 'not-found');
      assert.ok(store.checkIntegrity().ok);
    });

    it('reports an unknown conversation as not-found', () => {
      assert.throws(() => store.renameConversation('nope', 'x'), (e) => kindOf(e) === 'not-found');
      assert.throws(() => store.appendMessage({ conversationId: 'nope', role: 'user', content: 'x' }), (e) => kindOf(e) === 'not-found');
    });
  });

  describe('messages and branches', () => {
    it('appends each new message as a child of the active branch tip', () => {
      const c = store.createConversation();
      const a = store.appendMessage({ conversationId: c.id, role: 'user', content: 'a' });
      const b = store.appendMessage({ conversationId: c.id, role: 'assistant', content: 'b' });
      assert.equal(a.parentId, null);
      assert.equal(b.parentId, a.id);
      assert.deepEqual(store.activePath(c.id).map((e) => e.message.id), [a.id, b.id]);
    });

    it('makes a regenerated reply a sibling and the active branch', () => {
      const { conversation, question, first, second } = seedBranches(store, clock);
      assert.deepEqual(store.siblings(first.id), { ids: [first.id, second.id], index: 0 });
      const path = store.activePath(conversation.id);
      assert.deepEqual(path.map((e) => e.message.id), [question.id, second.id]);
      assert.deepEqual(path.map((e) => [e.siblingIndex, e.siblingCount]), [[0, 1], [1, 2]]);
    });

    it('starts a sibling root when the first message is edited (parentId null)', () => {
      const { conversation, question } = seedBranches(store, clock);
      const edited = store.appendMessage({ conversationId: conversation.id, parentId: null, role: 'user', content: 'edited question' });
      assert.deepEqual(store.siblings(edited.id).ids, [question.id, edited.id]);
      assert.deepEqual(store.activePath(conversation.id).map((e) => e.message.id), [edited.id]);
    });

    it('switches to a sibling branch and lands on the newest message under it', () => {
      const { conversation, question, first } = seedBranches(store, clock);
      // Continue the first branch so there is something below it to land on.
      store.switchBranch(first.id);
      const followUp = store.appendMessage({ conversationId: conversation.id, role: 'user', content: 'follow-up on first' });
      clock.advance();
      const second = store.siblings(first.id).ids[1] ?? '';
      store.switchBranch(second);
      const back = store.switchBranch(first.id);
      assert.deepEqual(back.map((e) => e.message.id), [question.id, first.id, followUp.id]);
      assert.equal(store.getConversation(conversation.id).activeLeafId, followUp.id);
    });

    it('refuses a parent from another conversation', () => {
      const { first } = seedBranches(store, clock);
      const other = store.createConversation();
      assert.throws(
        () => store.appendMessage({ conversationId: other.id, parentId: first.id, role: 'user', content: 'x' }),
        (e) => kindOf(e) === 'invalid-input',
      );
    });

    it('updates a streaming message in place and keeps its id', () => {
      const c = store.createConversation();
      const partial = store.appendMessage({ conversationId: c.id, role: 'assistant', content: 'Hel', status: 'partial' });
      clock.advance();
      const done = store.updateMessage(partial.id, { content: 'Hello', status: 'complete', finishReason: 'stop', ttftMs: 120.4 });
      assert.equal(done.id, partial.id);
      assert.equal(done.content, 'Hello');
      assert.equal(done.ttftMs, 120);
      assert.ok(done.modifiedAt > partial.modifiedAt);
    });

    it('keeps metadata as a JSON object', () => {
      const c = store.createConversation();
      const m = store.appendMessage({ conversationId: c.id, role: 'assistant', content: 'x', metadata: { provider: 'x', nested: [1, { a: null }] } });
      assert.deepEqual(store.getMessage(m.id).metadata, { provider: 'x', nested: [1, { a: null }] });
    });

    it('rejects a cost that is not a decimal amount', () => {
      const c = store.createConversation();
      assert.throws(
        () => store.appendMessage({ conversationId: c.id, role: 'assistant', content: 'x', cost: { usd: '1,5', source: 'usage' } }),
        (e) => kindOf(e) === 'invalid-input',
      );
    });

    it('rejects negative token counts', () => {
      const c = store.createConversation();
      assert.throws(
        () => store.appendMessage({ conversationId: c.id, role: 'assistant', content: 'x', promptTokens: -1 }),
        (e) => kindOf(e) === 'invalid-input',
      );
    });
  });

  describe('totals', () => {
    it('sums message costs exactly, without floating-point drift', () => {
      const c = store.createConversation();
      store.appendMessage({ conversationId: c.id, role: 'assistant', content: 'a', cost: { usd: '0.1', source: 'usage' } });
      store.appendMessage({ conversationId: c.id, role: 'assistant', content: 'b', cost: { usd: '0.2', source: 'usage' } });
      assert.equal(store.getConversation(c.id).totalCostUsd, '0.3');
    });

    it('keeps a total of many tiny costs exact', () => {
      const c = store.createConversation();
      for (let i = 0; i < 300; i++) {
        store.appendMessage({ conversationId: c.id, role: 'assistant', content: `m${i}`, cost: { usd: '0.0000000375', source: 'estimate' } });
      }
      assert.equal(store.getConversation(c.id).totalCostUsd, '0.00001125');
    });

    it('counts every branch, because a discarded regeneration was still paid for', () => {
      const c = store.createConversation();
      const q = store.appendMessage({ conversationId: c.id, role: 'user', content: 'q', promptTokens: 3 });
      store.appendMessage({ conversationId: c.id, role: 'assistant', content: 'a1', cost: { usd: '0.01', source: 'usage' }, completionTokens: 5 });
      store.appendMessage({ conversationId: c.id, parentId: q.id, role: 'assistant', content: 'a2', cost: { usd: '0.02', source: 'generation' }, completionTokens: 7 });
      const conversation = store.getConversation(c.id);
      assert.equal(conversation.totalCostUsd, '0.03');
      assert.equal(conversation.totalTokens, 15);
    });

    it('follows a message whose cost is corrected later', () => {
      const c = store.createConversation();
      const m = store.appendMessage({ conversationId: c.id, role: 'assistant', content: 'a', cost: { usd: '0.5', source: 'estimate' } });
      store.updateMessage(m.id, { cost: { usd: '0.4999', source: 'generation' } });
      assert.equal(store.getConversation(c.id).totalCostUsd, '0.4999');
    });
  });

  describe('fork', () => {
    it('copies the path up to the fork point into a new conversation with new ids', () => {
      const { conversation, question, first } = seedBranches(store, clock);
      const fork = store.fork(first.id);
      const path = store.activePath(fork.id);
      assert.deepEqual(path.map((e) => e.message.content), ['question', 'first answer']);
      assert.ok(path.every((e) => e.message.id !== question.id && e.message.id !== first.id));
      assert.deepEqual(path.map((e) => e.message.copiedFromMessageId), [question.id, first.id]);
      assert.equal(fork.parentConversationId, conversation.id);
      assert.equal(fork.forkedFromMessageId, first.id);
      assert.equal(fork.title, 'Branches (fork)');
    });

    it('copies only the forked branch, not its siblings', () => {
      const { first } = seedBranches(store, clock);
      const fork = store.fork(first.id);
      assert.equal(fork.messageCount, 2);
    });

    it('starts a fork at zero cost, because its copied messages were paid for in the source', () => {
      const c = store.createConversation();
      const a = store.appendMessage({ conversationId: c.id, role: 'assistant', content: 'a', cost: { usd: '0.002', source: 'usage' }, completionTokens: 9 });
      const fork = store.fork(a.id);
      assert.equal(fork.totalCostUsd, '0');
      assert.equal(fork.totalTokens, 0);
      assert.equal(store.activePath(fork.id)[0]?.message.cost?.usd, '0.002', 'the copy still shows what it cost');
    });

    it('adds what is spent in the fork to the fork\'s total', () => {
      const c = store.createConversation();
      const a = store.appendMessage({ conversationId: c.id, role: 'assistant', content: 'a', cost: { usd: '0.002', source: 'usage' } });
      const fork = store.fork(a.id);
      store.appendMessage({ conversationId: fork.id, role: 'assistant', content: 'b', cost: { usd: '0.004', source: 'usage' } });
      assert.equal(store.getConversation(fork.id).totalCostUsd, '0.004');
      assert.equal(store.getConversation(c.id).totalCostUsd, '0.002');
      assert.ok(store.checkIntegrity().ok);
    });

    it('keeps source and fork independent: deleting the source leaves the fork intact', () => {
      const { conversation, first } = seedBranches(store, clock);
      const fork = store.fork(first.id);
      store.deleteConversation(conversation.id);
      assert.equal(store.activePath(fork.id).length, 2);
      assert.ok(store.checkIntegrity().ok);
    });

    it('keeps source and fork independent: appending to the fork does not change the source', () => {
      const { conversation, first } = seedBranches(store, clock);
      const before = store.listMessages(conversation.id).length;
      const fork = store.fork(first.id);
      store.appendMessage({ conversationId: fork.id, role: 'user', content: 'only in the fork' });
      assert.equal(store.listMessages(conversation.id).length, before);
      assert.equal(store.listMessages(fork.id).length, 3);
    });
  });

  describe('list', () => {
    function seedList(): void {
      const specs = [
        { title: 'Bravo', tags: ['work'], modelId: 'a/x', cost: '0.5' },
        { title: 'alpha', tags: ['Work', 'rust'], modelId: 'b/y', cost: '0.05' },
        { title: 'Charlie', tags: [], modelId: 'a/x', cost: '2' },
      ];
      for (const spec of specs) {
        const c = store.createConversation({ title: spec.title, tags: spec.tags, modelId: spec.modelId });
        store.appendMessage({ conversationId: c.id, role: 'assistant', content: 'x', cost: { usd: spec.cost, source: 'usage' } });
        clock.advance(60_000);
      }
    }

    it('pages without overlap and reports the total', () => {
      for (let i = 0; i < 7; i++) {
        store.createConversation({ title: `c${i}` });
        clock.advance();
      }
      const first = store.listConversations({ limit: 3 });
      const second = store.listConversations({ limit: 3, offset: 3 });
      const third = store.listConversations({ limit: 3, offset: 6 });
      assert.equal(first.total, 7);
      const ids = [...first.items, ...second.items, ...third.items].map((c) => c.id);
      assert.equal(new Set(ids).size, 7);
      assert.deepEqual(first.items.map((c) => c.title), ['c6', 'c5', 'c4']);
    });

    it('sorts by title ignoring case', () => {
      seedList();
      const page = store.listConversations({ sort: 'title', direction: 'asc' });
      assert.deepEqual(page.items.map((c) => c.title), ['alpha', 'Bravo', 'Charlie']);
    });

    it('sorts by total cost', () => {
      seedList();
      const page = store.listConversations({ sort: 'cost', direction: 'desc' });
      assert.deepEqual(page.items.map((c) => c.title), ['Charlie', 'Bravo', 'alpha']);
    });

    it('filters by tag ignoring case', () => {
      seedList();
      const page = store.listConversations({ tags: ['WORK'], sort: 'title', direction: 'asc' });
      assert.deepEqual(page.items.map((c) => c.title), ['alpha', 'Bravo']);
    });

    it('filters by several tags, keeping conversations that carry all of them', () => {
      seedList();
      assert.deepEqual(store.listConversations({ tags: ['work', 'rust'] }).items.map((c) => c.title), ['alpha']);
    });

    it('filters by model', () => {
      seedList();
      assert.equal(store.listConversations({ modelId: 'a/x' }).total, 2);
    });

    it('filters by updated date', () => {
      seedList();
      const start = new TestClock().now();
      const page = store.listConversations({ updatedFrom: start + 60_000, updatedTo: start + 60_000 });
      assert.deepEqual(page.items.map((c) => c.title), ['alpha']);
    });

    it('counts conversations per tag, ignoring case', () => {
      seedList();
      assert.deepEqual(store.listTags().map((t) => ({ ...t, tag: t.tag.toLowerCase() })), [
        { tag: 'work', count: 2 },
        { tag: 'rust', count: 1 },
      ]);
    });
  });

  it('keeps every invariant through a long random sequence of operations', () => {
    // Deterministic pseudo-random walk over the public operations.
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const conversations = [store.createConversation().id];
    for (let step = 0; step < 400; step++) {
      clock.advance(random(3));
      const conversationId = conversations[random(conversations.length)] ?? '';
      const messages = store.listMessages(conversationId);
      const someMessage = messages[random(Math.max(1, messages.length))];
      switch (random(7)) {
        case 0:
          conversations.push(store.createConversation({ title: `c${step}` }).id);
          break;
        case 1:
          if (someMessage) conversations.push(store.fork(someMessage.id).id);
          break;
        case 2:
          if (someMessage) store.switchBranch(someMessage.id);
          break;
        case 3:
          if (someMessage) {
            store.appendMessage({ conversationId, parentId: someMessage.parentId, role: 'assistant', content: `regen ${step}`, cost: { usd: `0.00${step}`, source: 'usage' } });
          }
          break;
        case 4:
          if (conversations.length > 1 && random(4) === 0) {
            store.deleteConversation(conversationId);
            conversations.splice(conversations.indexOf(conversationId), 1);
          }
          break;
        default:
          store.appendMessage({ conversationId, role: random(2) === 0 ? 'user' : 'assistant', content: `m ${step}`, cost: { usd: `0.000${step}1`, source: 'usage' }, promptTokens: step });
      }
    }
    const report = store.checkIntegrity();
    assert.deepEqual(report.problems, []);
  });
});
