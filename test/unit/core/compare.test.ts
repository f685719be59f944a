import { strict as assert } from 'node:assert';
import { checkFanOutBudget } from '../../../src/extension/core/budgetGate';
import { readComparison } from '../../../src/extension/core/compare';
import { estimateCost } from '../../../src/extension/openrouter/pricing';
import { estimateTokens, MESSAGE_OVERHEAD_TOKENS } from '../../../src/extension/core/tokenCounter';
import { parseUsd, toDecimalString, usdFromNumber, type Usd } from '../../../src/shared/money';
import { chatRequests } from '../openrouter/harness';
import { closeAfterEach, chatHarness, serverBilled, storedTotal, started, type ChatHarness } from './chatHarness';

const MODELS = ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4', 'google/gemini-2.5-flash'];

// Three streams at once on a shared 2-core machine: the client's timeouts are lifted out of the way.
const patient = { timeouts: { connectMs: 60_000, stallMs: 60_000, requestMs: 60_000 } };


function lastUserText(body: unknown): string {
  const messages = (body as { messages: { role: string; content: unknown }[] }).messages;
  return JSON.stringify(messages.filter((m) => m.role === 'user').at(-1)?.content);
}

describe('ChatOrchestrator.compare', function () {
  this.timeout(90_000);
  let h: ChatHarness;

  afterEach(closeAfterEach(() => h));

  it('sends one prompt to each model over HTTP, stores sibling replies and the record, and bills each generation once', async () => {
    h = await chatHarness({ client: patient });
    const out = started(await h.engine.compare({ text: 'Which sort is stable?', models: MODELS }));
    assert.deepEqual(out.replies.map((r) => r.model), MODELS);
    const replies = await Promise.all(out.replies.map((r) => r.done));
    assert.deepEqual(replies.map((r) => r.status), ['complete', 'complete', 'complete'], JSON.stringify(h.events.filter((e) => e.type === 'message.failed')));
    assert.ok(replies.every((r) => r.parentId === out.userMessageId), 'every reply answers the same user message');
    assert.deepEqual((await h.store.siblings(replies[0]!.id)).ids.slice().sort(), replies.map((r) => r.id).sort());
    const sent = chatRequests(h.fake);
    assert.deepEqual(sent.map((r) => (r.body as { model: string }).model).sort(), [...MODELS].sort());
    // Same words to every model (the content's shape may differ: a cache breakpoint for some providers).
    assert.ok(sent.every((r) => lastUserText(r.body).includes('Which sort is stable?')), 'the same prompt went to every model');
    assert.deepEqual(replies.map((r) => r.modelId).sort(), [...MODELS].sort(), 'each reply records the model that served it');

    const record = readComparison((await h.store.getMessage(out.userMessageId)).metadata);
    assert.deepEqual(record?.models, MODELS);
    assert.deepEqual(record?.replies, out.replies.map((r) => r.assistantMessageId));
    assert.equal(record?.winner, null);

    await h.engine.idle();
    for (const reply of replies) {
      const gen = h.fake.generations().find((g) => g.id === reply.generationId);
      assert.ok(gen, 'each reply records its own generation');
      const settled = await h.store.getMessage(reply.id);
      assert.equal(settled.cost?.usd, toDecimalString(usdFromNumber(gen.total_cost)!));
    }
    assert.equal(h.fake.generations().length, 3);
    assert.equal(await storedTotal(h.store), toDecimalString(serverBilled(h.fake)), 'billed once per generation: store = server');
    assert.equal(toDecimalString(h.costs.sessionSpent), toDecimalString(serverBilled(h.fake)), 'the session spend counts each once');
  });

  it('checks the budget against the sum of the fan-out, asks once, and sends nothing until agreed', async () => {
    h = await chatHarness({ client: patient, settings: { maxTokens: 1_000 } });
    const text = 'A budget question';
    const promptTokens = estimateTokens(text) + MESSAGE_OVERHEAD_TOKENS;
    const each: Usd[] = MODELS.map((id) => {
      const e = estimateCost(h.models.get(id)!.pricing, { promptTokens, completionTokens: 1_000 });
      assert.equal(e.kind, 'estimate');
      return e.kind === 'estimate' ? e.usd : parseUsd('0')!;
    });
    // Any one model fits under the limit (5% above the dearest, for what the request adds); the three together do not.
    const largest = each.reduce((a, b) => (a.atto > b.atto ? a : b));
    const limit = (largest.atto * 21n) / 20n;
    assert.ok(each.reduce((n, e) => n + e.atto, 0n) > limit, 'the fan-out is dearer than the limit');
    h.costs.setLimits({ session: { atto: limit }, warnAtBasisPoints: 10_000 });
    const gate = { model: (id: string) => h.models.get(id), settings: () => h.settings, costs: h.costs, history: h.store, clock: { now: () => Date.now() } };
    const send = { controls: {}, conversationId: undefined };
    const turns = [{ role: 'user' as const, content: text }];
    for (const id of MODELS) assert.equal(await checkFanOutBudget(gate, [id], turns, undefined, false, send), undefined, `${id} alone fits`);

    const asked = await h.engine.compare({ text, models: MODELS });
    assert.equal(asked.status === 'refused' && asked.reason, 'budget_confirm');
    assert.match(asked.status === 'refused' ? asked.message : '', /\(3 models\)/);
    assert.equal(chatRequests(h.fake).length, 0, 'nothing was sent');
    assert.equal((await h.store.listConversations({ status: 'all' })).total, 0, 'nothing was stored');

    const agreed = started(await h.engine.compare({ text, models: MODELS, overrideBudget: true }));
    await Promise.all(agreed.replies.map((r) => r.done));
    assert.equal(chatRequests(h.fake).length, 3);
  });

  it('refuses fewer than two or more than six models, and duplicates count once', async () => {
    h = await chatHarness({ client: patient });
    const one = await h.engine.compare({ text: 'x', models: ['openai/gpt-4o-mini', ' openai/gpt-4o-mini '] });
    assert.equal(one.status === 'refused' && one.reason, 'invalid_target');
    const seven = await h.engine.compare({ text: 'x', models: ['a/1', 'a/2', 'a/3', 'a/4', 'a/5', 'a/6', 'a/7'] });
    assert.match(seven.status === 'refused' ? seven.message : '', /at most 6/);
    assert.equal(chatRequests(h.fake).length, 0);
  });

  it('one cancel stops every reply of the fan-out and keeps what arrived', async () => {
    h = await chatHarness({ client: patient, fake: { latencyScale: 1 } });
    const out = started(await h.engine.compare({ text: 'go on [[scenario:long]]', models: MODELS }));
    assert.ok(h.engine.isStreaming(out.conversationId));
    const again = await h.engine.send({ text: 'meanwhile', conversationId: out.conversationId });
    assert.equal(again.status === 'refused' && again.reason, 'busy', 'the conversation is busy while any reply streams');
    const tokened = new Set<string>();
    await new Promise<void>((resolve) => {
      const off = h.bus.on('token.generated', (e) => {
        tokened.add(e.messageId);
        if (tokened.size === MODELS.length) {
          off();
          resolve();
        }
      });
    });
    assert.ok(h.engine.cancel(out.conversationId));
    const replies = await Promise.all(out.replies.map((r) => r.done));
    for (const r of replies) {
      assert.equal(r.status, 'partial');
      assert.equal(r.finishReason, 'cancelled');
      assert.ok(r.content.length > 0);
    }
    assert.equal(h.engine.isStreaming(out.conversationId), false);
    await h.engine.idle();
    assert.equal(await storedTotal(h.store), toDecimalString(serverBilled(h.fake)), 'cancelled replies are billed once each');
  });

  it('picking a winner makes its branch active and its model the conversation model', async () => {
    h = await chatHarness({ client: patient });
    const out = started(await h.engine.compare({ text: 'pick one', models: MODELS }));
    const replies = await Promise.all(out.replies.map((r) => r.done));
    const winner = replies[1]!;
    assert.deepEqual(await h.engine.pickWinner(winner.id), { ok: true });
    const path = await h.store.activePath(out.conversationId);
    assert.equal(path.at(-1)?.message.id, winner.id);
    assert.equal((await h.store.getConversation(out.conversationId)).modelId, MODELS[1]);
    assert.equal(readComparison((await h.store.getMessage(out.userMessageId)).metadata)?.winner, winner.id);
    // The conversation continues on the winner's branch, with its model.
    const next = await h.engine.send({ text: 'and then?', conversationId: out.conversationId });
    assert.equal(next.status, 'started');
    if (next.status === 'started') {
      const reply = await next.done;
      assert.equal(reply.modelId, MODELS[1]);
      const sent = chatRequests(h.fake).at(-1)!.body as { messages: { role: string; content: string }[] };
      assert.ok(sent.messages.some((m) => m.role === 'assistant' && m.content === winner.content), 'the winner is in the history sent');
    }
    const loser = await h.engine.pickWinner(out.userMessageId);
    assert.equal(loser.ok, false);
  });
});
