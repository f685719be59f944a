/**
 * The view's reducer for host state (src/webview/hostState.ts), run on its own: it is pure, so
 * its rules are checked here without a page; the other browser tests see it through <nt-app>.
 */
import { strict as assert } from 'node:assert';
import { INITIAL_HOST_STATE, reduceHost, type HostState, type StateMessage } from '../../src/webview/hostState';
import type { ConversationSummary } from '../../src/shared/protocol';
import { conversation, model, snapshot, telemetry, userEntry } from './fixtures';

const ctx = { latestSearchId: 'r2' };

function summary(id: string): ConversationSummary {
  return { id, title: id, modelId: 'm', updatedAt: 0, messageCount: 1, totalCost: '0', tags: [], archived: false };
}

describe('host state reducer', () => {
  it('takes mode, model, telemetry, notices and the conversation from a snapshot', () => {
    const s = snapshot({ mode: 'zen', selectedModel: 'x/y', conversation: conversation([userEntry('u1', 'hi')]) });
    const next = reduceHost(INITIAL_HOST_STATE, { type: 'view/snapshot', snapshot: s }, ctx);
    assert.equal(next.snapshot, s);
    assert.equal(next.mode, 'zen');
    assert.equal(next.selectedModel, 'x/y');
    assert.equal(next.telemetry, s.telemetry);
    assert.equal(next.notices, s.notices);
    assert.equal(next.conversation, s.conversation);
    assert.equal(INITIAL_HOST_STATE.mode, 'research', 'the old state is not changed');
  });

  it('appends an archive page at its offset and replaces the list from offset 0', () => {
    let state: HostState = reduceHost(INITIAL_HOST_STATE, { type: 'archive/page', items: [summary('a'), summary('b')], offset: 0, total: 4 }, ctx);
    state = reduceHost(state, { type: 'archive/page', items: [summary('c'), summary('d')], offset: 2, total: 4 }, ctx);
    assert.deepEqual(
      state.conversations.map((c) => c.id),
      ['a', 'b', 'c', 'd'],
    );
    // A page at an offset shorter than the list drops what lay past it.
    state = reduceHost(state, { type: 'archive/page', items: [summary('e')], offset: 1, total: 2 }, ctx);
    assert.deepEqual(
      state.conversations.map((c) => c.id),
      ['a', 'e'],
    );
    assert.equal(state.conversationTotal, 2);
    state = reduceHost(state, { type: 'archive/page', items: [summary('z')], offset: 0, total: 1 }, ctx);
    assert.deepEqual(
      state.conversations.map((c) => c.id),
      ['z'],
    );
  });

  it('keeps only the answer to the latest search', () => {
    const hit = { conversationId: 'c1', messageId: 'm1', title: 't', snippet: 's', highlights: [], updatedAt: 0 };
    const stale = reduceHost(INITIAL_HOST_STATE, { type: 'archive/results', requestId: 'r1', query: 'q', hits: [hit] }, ctx);
    assert.equal(stale, INITIAL_HOST_STATE, 'an older search changes nothing');
    const unasked = reduceHost(INITIAL_HOST_STATE, { type: 'archive/results', query: 'q', hits: [hit] }, ctx);
    assert.equal(unasked, INITIAL_HOST_STATE, 'results nobody asked for change nothing');
    const latest = reduceHost(INITIAL_HOST_STATE, { type: 'archive/results', requestId: 'r2', query: 'q', hits: [hit], error: 'slow' }, ctx);
    assert.deepEqual(latest.searchHits, [hit]);
    assert.equal(latest.searchError, 'slow');
  });

  it('folds the catalog, the estimate, the controls and telemetry; a reveal changes no state', () => {
    let state = reduceHost(INITIAL_HOST_STATE, { type: 'models/catalog', models: [model('a/b')], selected: 'a/b', stale: true }, ctx);
    assert.equal(state.selectedModel, 'a/b');
    assert.equal(state.modelsStale, true);
    state = reduceHost(state, { type: 'chat/estimated', promptTokens: 12, varies: false, cost: '0.001' }, ctx);
    assert.deepEqual(state.estimate, { promptTokens: 12, varies: false, cost: '0.001' });
    state = reduceHost(state, { type: 'chat/estimated', promptTokens: 12, varies: true }, ctx);
    assert.deepEqual(state.estimate, { promptTokens: 12, varies: true }, 'no cost key when the price varies');
    const controls: Extract<StateMessage, { type: 'controls/state' }> = { type: 'controls/state', modelId: 'a/b', current: {}, providers: [] };
    state = reduceHost(state, controls, ctx);
    assert.equal(state.controls, controls);
    const t = telemetry();
    state = reduceHost(state, { type: 'telemetry/update', telemetry: t }, ctx);
    assert.equal(state.telemetry, t);
    assert.equal(reduceHost(state, { type: 'chat/reveal', messageId: 'm1' }, ctx), state);
  });

  describe('the transcript window', () => {
    const path = Array.from({ length: 300 }, (_, i) => userEntry(`m${i}`, `line ${i}`));
    /** What the host sends: the branch's entries from `start` on, and the count before them. */
    const windowFrom = (start: number, entries = path, id = 'c1') => conversation(entries.slice(start), { id, earlier: start });
    const open = (c: ReturnType<typeof conversation>) => reduceHost(INITIAL_HOST_STATE, { type: 'chat/conversation', conversation: c }, ctx);
    const ids = (s: HostState) => s.conversation?.entries.map((e) => e.id);

    it('puts a page of older entries in front of the oldest one held, and only there', () => {
      let state = open(windowFrom(240));
      state = reduceHost(state, { type: 'chat/earlier', requestId: 'r9', conversationId: 'c1', beforeId: 'm240', entries: path.slice(140, 240), earlier: 140 }, ctx);
      assert.deepEqual(ids(state), path.slice(140).map((e) => e.id));
      assert.equal(state.conversation?.earlier, 140);
      // A page answering an older request (its entry is no longer the oldest), or another conversation's: ignored.
      for (const stale of [
        { beforeId: 'm240', conversationId: 'c1' },
        { beforeId: 'm140', conversationId: 'c2' },
      ]) {
        assert.equal(reduceHost(state, { type: 'chat/earlier', requestId: 'r10', ...stale, entries: path.slice(40, 140), earlier: 40 }, ctx), state);
      }
    });

    it('keeps the pages it loaded when the host re-sends the newest window of the same branch', () => {
      let state = open(windowFrom(240));
      state = reduceHost(state, { type: 'chat/earlier', requestId: 'r9', conversationId: 'c1', beforeId: 'm240', entries: path.slice(140, 240), earlier: 140 }, ctx);
      // A reply finished: the host sends its newest 60 again, with one entry more at the end.
      const longer = [...path, userEntry('m300', 'new turn')];
      state = reduceHost(state, { type: 'chat/conversation', conversation: windowFrom(241, longer) }, ctx);
      assert.deepEqual(ids(state), longer.slice(140).map((e) => e.id));
      assert.equal(state.conversation?.earlier, 140);
      assert.equal(state.conversation?.entries.at(-1)?.content, 'new turn');
    });

    it('takes the window as sent when it is another branch, another conversation or its counts disagree', () => {
      const loaded = reduceHost(open(windowFrom(240)), { type: 'chat/earlier', requestId: 'r9', conversationId: 'c1', beforeId: 'm240', entries: path.slice(140, 240), earlier: 140 }, ctx);
      // A branch switch far up: the new window's first entry is not one the view holds.
      const branch = [...path.slice(0, 100), ...Array.from({ length: 100 }, (_, i) => userEntry(`b${i}`, `branch ${i}`))];
      const switched = reduceHost(loaded, { type: 'chat/conversation', conversation: windowFrom(140, branch) }, ctx);
      assert.deepEqual(ids(switched), branch.slice(140).map((e) => e.id));
      assert.equal(switched.conversation?.earlier, 140);
      // Another conversation with the same entry ids.
      const other = reduceHost(loaded, { type: 'chat/conversation', conversation: windowFrom(250, path, 'c2') }, ctx);
      assert.equal(other.conversation?.entries.length, 50);
      // The host counts a different number before the same entry (history changed above it).
      const recount = reduceHost(loaded, { type: 'chat/conversation', conversation: conversation(path.slice(250), { earlier: 7 }) }, ctx);
      assert.equal(recount.conversation?.entries.length, 50);
      assert.equal(recount.conversation?.earlier, 7);
      // A whole conversation (no window) is taken as it is.
      const whole = reduceHost(loaded, { type: 'chat/conversation', conversation: conversation(path.slice(200)) }, ctx);
      assert.equal(whole.conversation?.entries.length, 100);
    });
  });
});
