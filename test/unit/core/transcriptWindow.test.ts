/**
 * The windowed transcript against the real history store (its worker thread, real files): the
 * window a conversation opens with, the pages older entries come in, a window opened around a
 * message to reveal, and the ids the host refuses to page from.
 */
import { strict as assert } from 'node:assert';
import { earlierPage, windowedConversation } from '../../../src/extension/core/transcriptViews';
import { EARLIER_PAGE, pageBefore, pathWindow, REVEAL_CONTEXT, WINDOW_ENTRIES, windowStart } from '../../../src/extension/core/transcriptWindow';
import type { HistoryStore } from '../../../src/extension/storage/historyStore';
import { MAX_EARLIER_PAGE, parseHostMessage } from '../../../src/shared/protocol';
import { cleanup, openWorkerStore } from '../storage/helpers';

const MESSAGES = 530;

describe('windowed transcript: what the host sends of a long conversation', function () {
  this.timeout(120_000);
  let store: HistoryStore;
  let conversationId: string;
  /** The active branch's ids, oldest first, as the store holds them. */
  let ids: string[];

  before(async () => {
    store = await openWorkerStore();
    const c = await store.createConversation({ title: 'long' });
    conversationId = c.id;
    for (let i = 0; i < MESSAGES; i++) {
      await store.appendMessage({ conversationId, role: i % 2 === 0 ? 'user' : 'assistant', content: `message ${i}` });
    }
    ids = (await store.activePath(conversationId)).map((e) => e.message.id);
    assert.equal(ids.length, MESSAGES);
  });
  after(cleanup);

  it('opens with the newest entries and the count of those before them', async () => {
    const view = await windowedConversation(store, conversationId, undefined);
    assert.ok(view);
    assert.equal(view.entries.length, WINDOW_ENTRIES);
    assert.equal(view.earlier, MESSAGES - WINDOW_ENTRIES);
    assert.deepEqual(
      view.entries.map((e) => e.id),
      ids.slice(-WINDOW_ENTRIES),
    );
    assert.equal(view.entries.at(-1)?.content, `message ${MESSAGES - 1}`);
    // What crosses the wire is a valid protocol message.
    assert.ok(parseHostMessage({ type: 'chat/conversation', conversation: view }).ok);
  });

  it('pages every older entry in, oldest last, each page bounded, until none is left', async () => {
    const view = await windowedConversation(store, conversationId, undefined);
    assert.ok(view);
    let held = view.entries.map((e) => e.id);
    let earlier = view.earlier ?? 0;
    let pages = 0;
    while (earlier > 0) {
      const page = await earlierPage(store, conversationId, held[0]!, undefined, undefined);
      assert.ok(page.ok, page.ok ? '' : page.reason);
      assert.ok(page.entries.length > 0 && page.entries.length <= EARLIER_PAGE, `page of ${page.entries.length}`);
      assert.equal(page.earlier, earlier - page.entries.length);
      assert.ok(parseHostMessage({ type: 'chat/earlier', requestId: 'r1', conversationId, beforeId: held[0], entries: page.entries, earlier: page.earlier }).ok);
      held = [...page.entries.map((e) => e.id), ...held];
      earlier = page.earlier;
      pages++;
    }
    assert.deepEqual(held, ids, 'the pages and the window make up the whole branch, in order');
    assert.equal(pages, Math.ceil((MESSAGES - WINDOW_ENTRIES) / EARLIER_PAGE));
  });

  it('bounds the page size the view asks for', async () => {
    const huge = await earlierPage(store, conversationId, ids.at(-1)!, 1_000_000, undefined);
    assert.ok(huge.ok);
    assert.equal(huge.entries.length, MAX_EARLIER_PAGE);
    const tiny = await earlierPage(store, conversationId, ids.at(-1)!, 0, undefined);
    assert.ok(tiny.ok);
    assert.equal(tiny.entries.length, 1);
    assert.deepEqual(
      tiny.entries.map((e) => e.id),
      [ids.at(-2)],
    );
  });

  it('opens a window from just before a message to reveal, down to the newest', async () => {
    const target = ids[25]!;
    const view = await windowedConversation(store, conversationId, undefined, target);
    assert.ok(view);
    assert.equal(view.earlier, 25 - REVEAL_CONTEXT);
    assert.equal(view.entries[REVEAL_CONTEXT]?.id, target);
    assert.equal(view.entries.at(-1)?.id, ids.at(-1));
    // A recent message is already in the newest window; an id not on the branch changes nothing.
    assert.equal((await windowedConversation(store, conversationId, undefined, ids.at(-3)))?.earlier, MESSAGES - WINDOW_ENTRIES);
    assert.equal((await windowedConversation(store, conversationId, undefined, 'made-up'))?.earlier, MESSAGES - WINDOW_ENTRIES);
  });

  it('refuses to page from a message that is not on the open branch, or a conversation that does not exist', async () => {
    const other = await store.createConversation({ title: 'other' });
    const foreign = await store.appendMessage({ conversationId: other.id, role: 'user', content: 'elsewhere' });
    // A sibling branch: the old reply is no longer on the active path after a regenerate.
    const question = ids[MESSAGES - 2]!;
    const oldReply = ids[MESSAGES - 1]!;
    const regenerated = await store.appendMessage({ conversationId, parentId: question, role: 'assistant', content: 'again' });
    try {
      for (const beforeId of [foreign.id, 'made-up', oldReply]) {
        const page = await earlierPage(store, conversationId, beforeId, undefined, undefined);
        assert.equal(page.ok, false, beforeId);
      }
      const missing = await earlierPage(store, 'no-such-conversation', ids[100]!, undefined, undefined);
      assert.deepEqual(missing, { ok: false, reason: 'that conversation does not exist' });
      // The regenerated reply is the window's newest, with its branch switcher filled in.
      const view = await windowedConversation(store, conversationId, undefined);
      const last = view?.entries.at(-1);
      assert.equal(last?.id, regenerated.id);
      assert.deepEqual(last?.branch, { index: 2, count: 2, prevId: oldReply });
    } finally {
      await store.deleteMessage(regenerated.id);
      await store.switchBranch(oldReply);
    }
  });

  it('computes windows and pages over plain positions', () => {
    assert.equal(windowStart(10), 0);
    assert.equal(windowStart(WINDOW_ENTRIES + 5), 5);
    assert.equal(windowStart(1000, 3), 0);
    assert.equal(windowStart(1000, 500), 500 - REVEAL_CONTEXT);
    assert.equal(windowStart(1000, 5000), 1000 - WINDOW_ENTRIES, 'a focus past the end is ignored');
    const path = ['a', 'b', 'c', 'd'];
    assert.deepEqual(pathWindow(path, (x) => x), { entries: path, earlier: 0 });
    assert.deepEqual(pageBefore(path, (x) => x, 'c', 1), { entries: ['b'], earlier: 1 });
    assert.deepEqual(pageBefore(path, (x) => x, 'a'), { entries: [], earlier: 0 });
    assert.equal(pageBefore(path, (x) => x, 'z'), undefined);
  });
});
