import { strict as assert } from 'node:assert';
import { loadComparison } from '../../../src/extension/core/comparisonView';
import { comparisonRow } from '../../../src/extension/storage/comparisonRows';
import { ZERO, add, parseUsd, toDecimalString } from '../../../src/shared/money';
import { ComparisonView } from '../../../src/shared/protocol';
import type { StoredMessage } from '../../../src/extension/storage/types';
import { closeAfterEach, chatHarness, started, type ChatHarness } from './chatHarness';

const MODELS = ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4', 'google/gemini-2.5-flash'];
const patient = { timeouts: { connectMs: 60_000, stallMs: 60_000, requestMs: 60_000 } };


describe('The comparison table (core/comparisonView)', function () {
  this.timeout(90_000);
  let h: ChatHarness;

  afterEach(closeAfterEach(() => h));

  it('shows every model streaming, then each row filled from its stored reply, with the exact total', async () => {
    // Chunks 100 ms apart: the replies must still be streaming when the table is first read, even
    // on a loaded machine (at a tenth of that, one reply could finish first).
    h = await chatHarness({ client: patient, fake: { latencyScale: 1 } });
    const out = started(await h.engine.compare({ text: 'Explain quicksort [[scenario:slow]]', models: MODELS }));
    const during = await loadComparison(h.store, await h.store.activePath(out.conversationId), h.engine.isStreaming(out.conversationId));
    assert.ok(during, 'the latest user message started a comparison');
    assert.deepEqual(during.rows.map((r) => r.model), MODELS, 'one row per model, in the order asked');
    assert.deepEqual(during.rows.map((r) => r.status), ['streaming', 'streaming', 'streaming']);
    assert.equal(during.totalCost, '0');

    const replies = await Promise.all(out.replies.map((r) => r.done));
    await h.engine.idle();
    const path = await h.store.activePath(out.conversationId);
    const after = await loadComparison(h.store, path, h.engine.isStreaming(out.conversationId));
    assert.ok(after);
    assert.equal(ComparisonView.safeParse(after).success, true, 'the view passes its own protocol schema');
    let total = ZERO;
    for (const [i, row] of after.rows.entries()) {
      const stored = await h.store.getMessage(replies[i]!.id);
      assert.equal(row.messageId, stored.id);
      assert.equal(row.status, 'complete');
      assert.equal(row.servedModel, stored.modelId);
      assert.equal(row.cost, stored.cost?.usd, 'the exact stored cost');
      assert.equal(row.promptTokens, stored.promptTokens);
      assert.equal(row.completionTokens, stored.completionTokens);
      assert.equal(row.latencyMs, stored.latencyMs);
      assert.equal(row.ttftMs, stored.ttftMs);
      assert.equal(row.finishReason, stored.finishReason);
      assert.ok(typeof row.tokensPerSecond === 'number' && row.tokensPerSecond > 0, 'a rate');
      total = add(total, parseUsd(stored.cost!.usd)!);
    }
    assert.equal(after.totalCost, toDecimalString(total));
    assert.equal(after.activeId, path.at(-1)?.message.id, 'the row the transcript shows');
    assert.equal(after.winnerId, undefined);

    assert.deepEqual(await h.engine.pickWinner(replies[0]!.id), { ok: true });
    const won = await loadComparison(h.store, await h.store.activePath(out.conversationId), false);
    assert.equal(won?.winnerId, replies[0]!.id);
    assert.equal(won?.activeId, replies[0]!.id);

    // The next exchange compares nothing: no table.
    const next = await h.engine.send({ text: 'thanks', conversationId: out.conversationId });
    if (next.status === 'started') await next.done;
    assert.equal(await loadComparison(h.store, await h.store.activePath(out.conversationId), false), undefined);
  });

  it('exports the comparison: the Markdown transcript shows its table, the JSON carries the rows, and it imports back', async () => {
    h = await chatHarness({ client: patient });
    const out = started(await h.engine.compare({ text: 'Exported comparison prompt', models: MODELS }));
    const replies = await Promise.all(out.replies.map((r) => r.done));
    await h.engine.idle();
    await h.engine.pickWinner(replies[2]!.id);
    const stored = await Promise.all(replies.map((r) => h.store.getMessage(r.id)));

    const md = await h.store.exportMarkdown(out.conversationId);
    assert.match(md, /\*\*Comparison of 3 models\*\*/);
    for (const m of stored) {
      const line = md.split('\n').find((l) => l.startsWith(`| ${m.metadata['requestedModel'] as string} |`));
      assert.ok(line, `a row for ${String(m.metadata['requestedModel'])}`);
      assert.ok(line.includes(`(${m.cost!.usd} USD)`), 'the exact cost');
      assert.ok(line.includes(`${m.latencyMs} ms`) && line.includes(`${m.ttftMs} ms`), 'the timings');
      assert.equal(line.includes('★ winner'), m.id === replies[2]!.id);
    }

    const json = JSON.parse(await h.store.exportJson({ conversationIds: [out.conversationId] })) as {
      conversations: { comparisons?: { userMessageId: string; winner: string; rows: { messageId: string; cost?: string; completionTokens?: number }[] }[] }[];
    };
    const table = json.conversations[0]!.comparisons;
    assert.equal(table?.length, 1);
    assert.equal(table![0]!.userMessageId, out.userMessageId);
    assert.equal(table![0]!.winner, replies[2]!.id);
    assert.deepEqual(table![0]!.rows.map((r) => [r.messageId, r.cost, r.completionTokens]), stored.map((m) => [m.id, m.cost!.usd, m.completionTokens]));

    // Into a fresh history: the record comes back with the messages (the table is rebuilt from them).
    const text = await h.store.exportJson({ conversationIds: [out.conversationId] });
    await h.store.deleteConversation(out.conversationId);
    const report = await h.store.importJson(text);
    assert.equal(report.conversations, 1, JSON.stringify(report));
    const back = await loadComparison(h.store, await h.store.activePath(report.conversationIds[out.conversationId]!), false);
    assert.deepEqual(back?.rows.map((r) => r.cost), stored.map((m) => m.cost!.usd));
    assert.notEqual(back?.winnerId, undefined, 'the winner is found among the imported replies (ids given anew)');
    assert.equal(back?.rows.find((r) => r.messageId === back.winnerId)?.model, MODELS[2]);
  });

  it('trusts no metadata: a bad record is no table, a failed row says why, odd numbers are dropped', async () => {
    h = await chatHarness({ client: patient });
    const conversation = await h.store.createConversation({ title: 'hand-made' });
    const user = await h.store.appendMessage({ conversationId: conversation.id, role: 'user', content: 'q', status: 'complete', metadata: { comparison: { models: ['only-one'], replies: [], winner: null, at: 1 } } });
    assert.equal(await loadComparison(h.store, await h.store.activePath(conversation.id), false), undefined, 'one model is not a comparison');
    const failed = {
      id: 'm1', conversationId: conversation.id, parentId: user.id, role: 'assistant', content: '', promptTokens: null, completionTokens: null,
      reasoningTokens: null, cachedTokens: null, cost: null, latencyMs: null, ttftMs: null, modelId: 'served/x', generationId: null, finishReason: null,
      status: 'failed', createdAt: 1, modifiedAt: 1, copiedFromMessageId: null,
      metadata: { requestedModel: 'asked/x', tokensPerSecond: -3, error: { kind: 'rate_limited', message: 'Slow down' } },
    } satisfies StoredMessage;
    const row = comparisonRow(failed, true);
    assert.equal(row.model, 'asked/x');
    assert.equal(row.servedModel, 'served/x');
    assert.equal(row.status, 'failed');
    assert.equal(row.error, 'Slow down');
    assert.equal(row.tokensPerSecond, undefined, 'a negative rate is not shown');
    assert.equal(comparisonRow({ ...failed, status: 'partial' }, false).status, 'partial', 'a partial reply with nothing streaming was interrupted');
  });
});
