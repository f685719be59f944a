import { strict as assert } from 'node:assert';
import { replayBranch } from '../../../src/extension/core/replay';
import { replayDiff, replayDiffMarkdown, replaySource } from '../../../src/extension/core/replayDiff';
import { add, formatCost, parseUsd, sub, ZERO } from '../../../src/shared/money';
import { chatRequests } from '../openrouter/harness';
import { closeAfterEach, chatHarness, type ChatHarness } from './chatHarness';

const patient = { timeouts: { connectMs: 60_000, stallMs: 60_000, requestMs: 60_000 } };
const OTHER = 'anthropic/claude-sonnet-4';

describe('Replay a branch on another model (core/replay, core/replayDiff)', function () {
  this.timeout(90_000);
  let h: ChatHarness;

  afterEach(closeAfterEach(() => h));

  async function twoTurns(): Promise<string> {
    const first = await h.engine.send({ text: 'What is a monad?' });
    assert.equal(first.status, 'started');
    if (first.status !== 'started') throw new Error('not started');
    await first.done;
    const second = await h.engine.send({ text: 'Show one in TypeScript.', conversationId: first.conversationId });
    if (second.status !== 'started') throw new Error('not started');
    await second.done;
    await h.engine.idle();
    return first.conversationId;
  }

  it('asks every user turn again of the other model in a fork, each with the replayed history, and diffs cost and latency exactly', async () => {
    h = await chatHarness({ client: patient });
    const sourceId = await twoTurns();
    const before = chatRequests(h.fake).length;
    const progress: string[] = [];
    let forkSeen: string | undefined;
    const out = await replayBranch({ history: h.store, answer: (u, m, c) => h.engine.answer(u, m, c) }, sourceId, OTHER, {
      onFork: (c) => void (forkSeen = c.id),
      onProgress: (done, total) => progress.push(`${done}/${total}`),
    });
    assert.equal(out.status, 'complete', JSON.stringify(out));
    assert.equal(out.conversationId, forkSeen);
    assert.deepEqual(progress, ['1/2', '2/2']);
    await h.engine.idle();

    const sent = chatRequests(h.fake).slice(before);
    assert.deepEqual(sent.map((r) => (r.body as { model: string }).model), [OTHER, OTHER], 'both turns went to the other model');
    const forkPath = await h.store.activePath(out.conversationId!);
    const replies = forkPath.map((e) => e.message).filter((m) => m.role === 'assistant');
    assert.equal(replies.length, 2);
    const secondAsk = sent[1]!.body as { messages: { role: string; content: unknown }[] };
    assert.ok(
      secondAsk.messages.some((m) => m.role === 'assistant' && m.content === replies[0]!.content),
      'the second turn is asked with the replayed first reply in its history',
    );
    const fork = await h.store.getConversation(out.conversationId!);
    assert.equal(fork.parentConversationId, sourceId, 'a fork of the source');
    assert.equal(fork.modelId, OTHER);
    assert.equal((await h.store.activePath(sourceId)).length, 4, 'the source branch is unchanged');

    assert.deepEqual(replaySource(forkPath), { conversationId: sourceId, model: OTHER });
    const diff = replayDiff(await h.store.activePath(sourceId), forkPath);
    assert.equal(diff.turns.length, 2);
    const sourceReplies = (await h.store.activePath(sourceId)).map((e) => e.message).filter((m) => m.role === 'assistant');
    for (const [i, t] of diff.turns.entries()) {
      assert.equal(t.source?.model, sourceReplies[i]!.modelId);
      assert.equal(t.replay?.model, OTHER);
      assert.equal(t.source?.latencyMs, sourceReplies[i]!.latencyMs);
      assert.equal(t.replay?.latencyMs, replies[i]!.latencyMs);
    }
    const exact = (ms: { cost: { usd: string } | null }[]) => ms.reduce((a, m) => add(a, parseUsd(m.cost!.usd)!), ZERO);
    assert.equal(diff.source.cost.atto, exact(sourceReplies).atto);
    assert.equal(diff.replay.cost.atto, exact(await Promise.all(replies.map((r) => h.store.getMessage(r.id)))).atto);
    const md = replayDiffMarkdown(diff, { source: 'src', replay: 'fork', model: OTHER });
    assert.match(md, /\| 1 \| What is a monad\? \|/);
    assert.match(md, /\| 2 \| Show one in TypeScript\. \|/);
    const delta = sub(diff.replay.cost, diff.source.cost);
    assert.ok(md.includes(`**${formatCost(diff.source.cost)}**`) && md.includes(`**${formatCost(diff.replay.cost)}**`), md);
    assert.ok(md.includes(delta.atto > 0n ? `+${formatCost(delta)}` : formatCost(delta)), 'the total cost delta, exact');
  });

  it('one cancel stops the replay mid-turn and keeps what arrived; an empty branch is refused', async () => {
    h = await chatHarness({ client: patient, fake: { latencyScale: 1 } });
    const first = await h.engine.send({ text: 'go on [[scenario:long]]' });
    if (first.status !== 'started') throw new Error('not started');
    await first.done;
    const second = await h.engine.send({ text: 'more', conversationId: first.conversationId });
    if (second.status !== 'started') throw new Error('not started');
    await second.done;
    const stop = new AbortController();
    const off = h.bus.on('token.generated', () => {
      off();
      stop.abort();
    });
    const out = await replayBranch({ history: h.store, answer: (u, m, c) => h.engine.answer(u, m, c) }, first.conversationId, OTHER, { signal: stop.signal });
    assert.equal(out.status, 'cancelled');
    assert.equal(out.done, 1, 'stopped in the first turn');
    const forkPath = await h.store.activePath(out.conversationId!);
    const reply = forkPath.at(-1)!.message;
    assert.equal(reply.role, 'assistant');
    assert.equal(reply.finishReason, 'cancelled');
    assert.ok(reply.content.length > 0, 'what arrived is kept');
    assert.equal(forkPath.filter((e) => e.message.role === 'user').length, 1, 'the second turn was never asked');
    assert.equal(h.engine.isStreaming(out.conversationId!), false);

    const empty = await h.store.createConversation({ title: 'empty' });
    const refused = await replayBranch({ history: h.store, answer: (u, m, c) => h.engine.answer(u, m, c) }, empty.id, OTHER);
    assert.equal(refused.status, 'refused');
  });
});
