import * as assert from 'node:assert/strict';

import type { HistoryEngine } from '../../../src/extension/storage/historyEngine';
import { TestClock, storeEachTest } from './helpers';

describe('storage/spend and usage', () => {
  let clock: TestClock;
  let store: HistoryEngine;

  storeEachTest((fresh) => ({ clock, store } = fresh));

  /** One paid reply, then a fork of it with one more paid reply: 0.25 + 0.5 was spent. */
  function spendWithFork(): void {
    const c = store.createConversation();
    const paid = store.appendMessage({ conversationId: c.id, role: 'assistant', content: 'a', modelId: 'm/x', cost: { usd: '0.25', source: 'usage' } });
    clock.advance(60_000);
    const fork = store.fork(paid.id);
    store.appendMessage({ conversationId: fork.id, role: 'assistant', content: 'b', modelId: 'm/x', cost: { usd: '0.5', source: 'usage' } });
  }

  it('counts lifetime spend once although a fork copied a paid message', () => {
    spendWithFork();
    assert.equal(store.spendSince(0), '0.75');
  });

  it('counts spend over a period once although a fork copied a paid message', () => {
    spendWithFork();
    assert.equal(store.spendSince(new TestClock().now()), '0.75');
  });

  it('leaves a fork\'s copies out of the usage report', () => {
    spendWithFork();
    const start = new TestClock().now();
    const report = store.usage(start, start + 86_400_000);
    assert.equal(report.total, '0.75');
    assert.deepEqual(report.byModel.map((r) => [r.key, r.cost, r.messages]), [['m/x', '0.75', 2]]);
  });
});
