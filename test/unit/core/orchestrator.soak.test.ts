import { strict as assert } from 'node:assert';
import { toDecimalString } from '../../../src/shared/money';
import type { StoredMessage } from '../../../src/extension/storage/types';
import { cleanup } from '../storage/helpers';
import { chatHarness, serverBilled, storedTotal, type ChatHarness } from './chatHarness';

/** Deterministic scenario mix: mostly normal, with every fault the issue names. */
function faultPlan(count: number): string[] {
  const mix: Array<[string, number]> = [
    ['normal', 56],
    ['garbage', 8],
    ['split', 4],
    ['rate_limit', 8],
    ['server_error_burst', 8],
    ['stall', 4],
    ['disconnect', 6],
    ['midstream_error', 6],
  ];
  const bag = mix.flatMap(([name, weight]) => Array<string>(weight).fill(name));
  let seed = 42;
  return Array.from({ length: count }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return bag[seed % bag.length]!;
  });
}

describe('ChatOrchestrator under injected faults', function () {
  // Every change is an fsync'd journal record now: on a loaded machine the 1000 messages take minutes.
  this.timeout(600_000);
  let h: ChatHarness;

  after(async () => {
    await h?.close();
    await cleanup();
  });

  it('delivers or visibly fails each of 1000 messages, loses and duplicates none, and bills exactly', async () => {
    h = await chatHarness({
      fake: { latencyScale: 0.002, retryAfterSec: 0, errorBurstLength: 1 },
      client: {
        timeouts: { connectMs: 5_000, stallMs: 1_000, requestMs: 5_000 },
        retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxTotalMs: 5_000, retryAfterJitterMs: 1 },
        circuit: { failureThreshold: 1_000, cooldownMs: 30_000 },
        generationLookup: { maxAttempts: 6, initialDelayMs: 5, maxDelayMs: 20 },
      },
    });
    const TOTAL = 1000;
    const LANES = 4;
    const PER_CONVERSATION = 20;
    h.fake.setScenarios(faultPlan(TOTAL));

    const sentTexts = new Set<string>();
    let next = 0;
    const firstPass: StoredMessage[] = [];
    const lane = async (): Promise<void> => {
      let conversationId: string | undefined;
      let inConversation = 0;
      while (next < TOTAL) {
        const i = next++;
        const text = `message ${i}`;
        sentTexts.add(text);
        const out = await h.engine.send({ text, conversationId });
        assert.equal(out.status, 'started', `send ${i} was refused`);
        if (out.status !== 'started') return;
        conversationId = out.conversationId;
        firstPass.push(await out.done);
        if (++inConversation === PER_CONVERSATION) {
          conversationId = undefined;
          inConversation = 0;
        }
      }
    };
    await Promise.all(Array.from({ length: LANES }, lane));
    await h.engine.idle();

    const delivered = firstPass.filter((m) => m.status === 'complete').length;
    const failed = firstPass.filter((m) => m.status === 'failed');
    assert.equal(firstPass.length, TOTAL);
    assert.equal(delivered + failed.length, TOTAL, 'every reply is complete or visibly failed');
    for (const m of failed) {
      const error = m.metadata.error as { kind?: string; message?: string } | undefined;
      assert.ok(error?.kind && error.message, `failed reply ${m.id} carries its reason`);
    }
    console.log(`      first pass: ${delivered}/${TOTAL} delivered (${((delivered / TOTAL) * 100).toFixed(1)}%), ${failed.length} failed visibly`);

    // Retrying every failure delivers it, as a sibling of the failed reply. A busy machine can
    // stall a retry too; that is again a visible failure, retried once more.
    for (const m of failed) {
      let target = m.id;
      for (let attempt = 1; ; attempt++) {
        const out = await h.engine.retry(target);
        assert.equal(out.status, 'started');
        if (out.status !== 'started') break;
        const reply = await out.done;
        if (reply.status === 'complete') break;
        assert.ok(attempt < 3, `retry of ${m.id} kept failing: ${JSON.stringify(reply.metadata.error)}`);
        target = reply.id;
      }
    }
    await h.engine.idle();

    // Nothing lost or duplicated: every user message once, each answered by a delivered reply.
    const page = await h.store.listConversations({ limit: 500, status: 'all' });
    const users: StoredMessage[] = [];
    for (const c of page.items) {
      const all = await h.store.listMessages(c.id);
      for (const user of all.filter((m) => m.role === 'user')) {
        users.push(user);
        const replies = all.filter((m) => m.parentId === user.id && m.role === 'assistant');
        assert.equal(replies.filter((r) => r.status === 'complete').length, 1, `exactly one delivered reply to "${user.content}"`);
        assert.ok(replies.every((r) => r.status === 'complete' || r.metadata.error), 'every other reply is a visible failure');
      }
    }
    assert.equal(users.length, TOTAL);
    assert.deepEqual(new Set(users.map((u) => u.content)), sentTexts);

    // Money: stored totals, the session tracker and the server's bill agree to the last digit.
    const billed = toDecimalString(serverBilled(h.fake));
    const estimated = [];
    for (const c of page.items) for (const m of await h.store.listMessages(c.id)) if (m.cost?.source === 'estimate') estimated.push(m.id);
    assert.equal(await storedTotal(h.store), billed, `${estimated.length} cost(s) still estimated`);
    assert.equal(toDecimalString(h.costs.sessionSpent), billed);
  });
});
