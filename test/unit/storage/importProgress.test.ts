/**
 * A long import reports its stages and can be cancelled until it commits: in
 * the engine (the code the worker runs; deterministic, the cancel is set from
 * the progress callback itself) and through the worker (the shared cancel flag
 * and the progress events cross the thread).
 */
import * as assert from 'node:assert/strict';

import { StorageError } from '../../../src/extension/storage/errors';
import type { HistoryEngine } from '../../../src/extension/storage/historyEngine';
import { cancelFlag, importPercent, setCancelled, type ImportProgress } from '../../../src/extension/storage/importControl';
import { cleanup, openStore, openWorkerStore, TestClock } from './helpers';

/** An export of `n` conversations of two messages each: one made by the engine, copied with new ids. */
async function exportOf(n: number): Promise<string> {
  const source = await openStore({ clock: new TestClock() });
  const c = source.createConversation({ title: 'Conversation' });
  source.appendMessage({ conversationId: c.id, role: 'user', content: 'question' });
  source.appendMessage({ conversationId: c.id, role: 'assistant', content: 'answer', cost: { usd: '0.000001', source: 'usage' } });
  const file = JSON.parse(source.exportJson()) as { conversations: { id: string; title: string; activeLeafId: string | null; messages: { id: string; parentId: string | null }[] }[] };
  const [one] = file.conversations;
  if (!one) throw new Error('no conversation exported');
  const text = JSON.stringify(one);
  const ids = [one.id, ...one.messages.map((m) => m.id)];
  file.conversations = Array.from({ length: n }, (_, i) => {
    let copy = text.replace(/"title":"Conversation"/, `"title":"Conversation ${i}"`);
    for (const id of ids) copy = copy.replaceAll(id, `${id}-${i}`);
    return JSON.parse(copy) as (typeof file.conversations)[number];
  });
  return JSON.stringify(file);
}

const kindOf = (error: unknown): string | undefined => (error instanceof StorageError ? error.kind : undefined);
const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('storage/import progress and cancel', () => {
  afterEach(cleanup);

  it('reports reading, parsing, checking and writing in order, with a rising percentage', async () => {
    const file = await exportOf(40);
    const target = await openStore();
    const seen: ImportProgress[] = [];
    const report = target.importBytes(bytesOf(file), { onProgress: (p) => seen.push(p) });
    assert.equal(report.conversations, 40);
    const stages = [...new Set(seen.map((p) => p.stage))];
    assert.deepEqual(stages, ['reading', 'parsing', 'checking', 'writing']);
    assert.ok(seen.some((p) => p.stage === 'writing' && p.done > 0 && p.total === 40), 'writing counts conversations');
    const percents = seen.map(importPercent);
    assert.deepEqual(percents, [...percents].sort((a, b) => a - b), 'never goes back');
  });

  for (const stage of ['reading', 'parsing', 'checking', 'writing'] as const) {
    it(`a cancel during ${stage} leaves the history unchanged`, async () => {
      const file = await exportOf(40);
      const target: HistoryEngine = await openStore();
      target.importJson(file); // something already there, which must stay
      const before = target.listConversations({ status: 'all' }).total;
      const cancel = cancelFlag();
      assert.throws(
        () => target.importBytes(bytesOf(file), { cancel, onProgress: (p) => (p.stage === stage ? setCancelled(cancel) : undefined) }),
        (e) => kindOf(e) === 'cancelled',
      );
      assert.equal(target.listConversations({ status: 'all' }).total, before);
      assert.equal(target.checkIntegrity().ok, true);
      // And the history still takes an import afterwards.
      assert.equal(target.importBytes(bytesOf(file)).conversations, 40);
    });
  }

  it('through the worker: progress events arrive and the bytes can be handed over', async () => {
    const file = await exportOf(40);
    const store = await openWorkerStore();
    const seen: ImportProgress[] = [];
    const bytes = bytesOf(file);
    const report = await store.importBytes(bytes, { onProgress: (p) => seen.push(p), transfer: true });
    assert.equal(report.conversations, 40);
    assert.equal(bytes.byteLength, 0, 'transferred, not copied');
    assert.deepEqual([...new Set(seen.map((p) => p.stage))], ['reading', 'parsing', 'checking', 'writing']);
    assert.equal((await store.listConversations({ status: 'all' })).total, 40);
  });

  it('through the worker: an abort reaches the import through the shared flag', async () => {
    const file = await exportOf(40);
    const store = await openWorkerStore();
    const abort = new AbortController();
    // Aborted while the request waits behind another one: the worker sees the flag at its first step.
    const first = store.importBytes(bytesOf(file));
    const second = store.importBytes(bytesOf(file), { signal: abort.signal });
    abort.abort();
    assert.equal((await first).conversations, 40);
    await assert.rejects(second, (e) => kindOf(e) === 'cancelled');
    assert.equal((await store.listConversations({ status: 'all' })).total, 40);
  });

  it('through the worker: an abort while the worker is busy stops the import before it commits', async () => {
    const file = await exportOf(600);
    const store = await openWorkerStore();
    const abort = new AbortController();
    // The host hears 'checking' while the worker still has every conversation to check and write.
    const importing = store.importBytes(bytesOf(file), { signal: abort.signal, onProgress: (p) => (p.stage === 'checking' ? abort.abort() : undefined) });
    await assert.rejects(importing, (e) => kindOf(e) === 'cancelled');
    assert.equal((await store.listConversations({ status: 'all' })).total, 0);
  });
});
