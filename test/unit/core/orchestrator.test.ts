import { strict as assert } from 'node:assert';
import { TRUNCATION_MARKER } from '../../../src/extension/core/contextWindow';
import { parseUsd, toDecimalString, usdFromNumber, times } from '../../../src/shared/money';
import type { StoredMessage } from '../../../src/extension/storage/types';
import { buildReply } from '../../fixtures/fakeOpenRouter';
import { chatRequests } from '../openrouter/harness';
import { closeAfterEach, chatHarness, ofType, serverBilled, storedTotal, started, type ChatHarness } from './chatHarness';


describe('ChatOrchestrator', function () {
  this.timeout(90_000);
  let h: ChatHarness;

  afterEach(closeAfterEach(() => h));

  it('persists the user message before the request, streams the reply and settles it with usage cost', async () => {
    h = await chatHarness();
    const out = started(await h.engine.send({ text: 'Hello there' }));
    // The user message exists before the reply finished.
    assert.equal((await h.store.getMessage(out.userMessageId!)).content, 'Hello there');
    const reply = await out.done;
    assert.equal(reply.status, 'complete');
    assert.equal(reply.content, buildReply('Hello there', { scenario: 'normal' }).content);
    const gen = h.fake.generations().find((g) => g.id === reply.generationId);
    assert.ok(gen, 'the reply records the generation id');
    assert.equal(reply.cost?.source, 'usage');
    assert.equal(reply.cost?.usd, toDecimalString(usdFromNumber(gen.total_cost)!));
    assert.ok(reply.promptTokens && reply.completionTokens);
    assert.ok(reply.latencyMs !== null && reply.ttftMs !== null);
    const types = h.events.map((e) => e.type).filter((t) => t.startsWith('message.') || t === 'token.generated');
    assert.equal(types[0], 'message.started');
    assert.equal(types.at(-1), 'message.completed');
    assert.ok(types.includes('token.generated'));
  });

  it('refuses a second send while the conversation streams but lets another conversation stream', async () => {
    h = await chatHarness({ fake: { latencyScale: 0.2 } });
    const first = started(await h.engine.send({ text: 'one [[scenario:slow]]' }));
    const again = await h.engine.send({ text: 'two', conversationId: first.conversationId });
    assert.equal(again.status, 'refused');
    assert.equal(again.status === 'refused' && again.reason, 'busy');
    const other = started(await h.engine.send({ text: 'elsewhere' }));
    assert.notEqual(other.conversationId, first.conversationId);
    assert.equal((await other.done).status, 'complete');
    assert.equal((await first.done).status, 'complete');
  });

  it('refuses the same text sent twice within the double-send window, and allows it after', async () => {
    let now = 1_000_000;
    h = await chatHarness({ settings: { doubleSendGuardMs: 2_000 }, clock: { now: () => now } });
    const first = started(await h.engine.send({ text: 'twice' }));
    const again = await h.engine.send({ text: 'twice' });
    assert.equal(again.status === 'refused' && again.reason, 'duplicate');
    await first.done;
    now += 2_001;
    const later = started(await h.engine.send({ text: 'twice' }));
    await later.done;
  });

  it('keeps the partial text on cancel and replaces the estimate with the billed cost', async () => {
    h = await chatHarness({ fake: { latencyScale: 1 } });
    const out = started(await h.engine.send({ text: 'stop me [[scenario:long]]' }));
    await new Promise<void>((resolve) => {
      const off = h.bus.on('token.generated', () => {
        off();
        resolve();
      });
    });
    assert.ok(h.engine.cancel(out.conversationId));
    const reply = await out.done;
    assert.equal(reply.status, 'partial');
    assert.equal(reply.finishReason, 'cancelled');
    assert.ok(reply.content.length > 0);
    await h.engine.idle();
    const settled = await h.store.getMessage(reply.id);
    assert.equal(settled.cost?.source, 'generation');
    const gen = h.fake.generations().find((g) => g.id === settled.generationId)!;
    assert.equal(settled.cost?.usd, toDecimalString(usdFromNumber(gen.total_cost)!));
  });

  it('marks a mid-stream error as failed, keeps what arrived and records what was billed', async () => {
    h = await chatHarness();
    const out = started(await h.engine.send({ text: 'break [[scenario:midstream_error]]' }));
    const reply = await out.done;
    assert.equal(reply.status, 'failed');
    assert.ok(reply.content.length > 0);
    const [failure] = ofType(h.events, 'message.failed');
    assert.equal(failure?.error.kind, 'midstream');
    assert.equal(failure?.error.partial, true);
    await h.engine.idle();
    assert.equal((await h.store.getMessage(reply.id)).cost?.source, 'generation');
  });

  it('regenerates into a sibling and never overwrites the first reply', async () => {
    h = await chatHarness();
    const out = started(await h.engine.send({ text: 'Hello there' }));
    const first = await out.done;
    const again = started(await h.engine.regenerate(first.id));
    const second = await again.done;
    assert.notEqual(second.id, first.id);
    assert.equal(second.parentId, first.parentId);
    assert.equal((await h.store.getMessage(first.id)).content, first.content);
    assert.deepEqual((await h.store.siblings(second.id)).ids, [first.id, second.id]);
  });

  it('edits a user message into a sibling branch and answers it', async () => {
    h = await chatHarness();
    const out = started(await h.engine.send({ text: 'first version' }));
    await out.done;
    const edited = started(await h.engine.editAndResend(out.userMessageId!, 'second version'));
    const reply = await edited.done;
    assert.equal(reply.content, buildReply('second version', { scenario: 'normal' }).content);
    const user = await h.store.getMessage(edited.userMessageId!);
    assert.equal(user.parentId, null);
    assert.deepEqual((await h.store.siblings(user.id)).ids, [out.userMessageId, user.id]);
    assert.equal((await h.store.getMessage(out.userMessageId!)).content, 'first version');
  });

  it('truncates the oldest turns and keeps the system prompt, as the server receives it', async () => {
    h = await chatHarness({ settings: { systemPrompt: 'You are terse.' } });
    let conversationId: string | undefined;
    for (let i = 0; i < 6; i++) {
      const out = started(await h.engine.send({ text: `turn ${i} ${'lorem ipsum '.repeat(40)}`, conversationId }));
      conversationId = out.conversationId;
      await out.done;
    }
    // Leave room for roughly two turns: the reply reserve eats the rest of the window.
    const model = h.models.get('openai/gpt-4o-mini')!;
    h.settings.maxTokens = model.contextLength - 900;
    const out = started(await h.engine.send({ text: 'newest question', conversationId }));
    await out.done;
    const body = chatRequests(h.fake).at(-1)!.body as { messages: Array<{ role: string; content: string }> };
    assert.equal(body.messages[0]?.content, 'You are terse.');
    assert.equal(body.messages[1]?.content, TRUNCATION_MARKER);
    assert.equal(body.messages.at(-1)?.content, 'newest question');
    assert.ok(!body.messages.some((m) => m.content.startsWith('turn 0 ')), 'the oldest turn was dropped');
    const [truncated] = ofType(h.events, 'context.truncated');
    assert.ok(truncated && truncated.dropped > 0);
  });

  async function longConversation(turns: number): Promise<string> {
    let conversationId: string | undefined;
    for (let i = 0; i < turns; i++) {
      const out = started(await h.engine.send({ text: `turn ${i} ${'lorem ipsum '.repeat(400)}`, conversationId }));
      conversationId = out.conversationId;
      await out.done;
    }
    return conversationId!;
  }

  it('refits below the server limit and resends once when the server rejects the context length', async () => {
    h = await chatHarness();
    const conversationId = await longConversation(6);
    const before = chatRequests(h.fake).length;
    h.fake.setScenarios(['context_length']);
    const reply = await started(await h.engine.send({ text: 'one more', conversationId })).done;
    assert.equal(reply.status, 'complete');
    assert.equal(chatRequests(h.fake).length - before, 2);
    const truncated = ofType(h.events, 'context.truncated');
    assert.equal(truncated.length, 1);
    assert.equal(truncated[0]?.afterServerRejection, true);
  });

  it('does not resend an unchanged request after a context-length rejection', async () => {
    h = await chatHarness();
    h.fake.setScenarios(['context_length']);
    const reply = await started(await h.engine.send({ text: 'short' })).done;
    assert.equal(reply.status, 'failed');
    assert.equal(chatRequests(h.fake).length, 1);
    assert.equal(ofType(h.events, 'message.failed')[0]?.error.kind, 'context_length');
  });

  it('asks before a paid send whose price is unknown (model list not loaded) when a budget is set', async () => {
    h = await chatHarness({ limits: { session: parseUsd('0.0024')! } });
    h.models.clear(); // a first run: the catalog never loaded, every model is unknown
    const asked = await h.engine.send({ text: 'hello' });
    assert.equal(asked.status === 'refused' && asked.reason, 'budget_confirm');
    assert.match(asked.status === 'refused' ? asked.message : '', /price of openai\/gpt-4o-mini is unknown/);
    assert.equal(chatRequests(h.fake).length, 0, 'nothing was sent');
    await started(await h.engine.send({ text: 'hello', overrideBudget: true })).done;
    assert.equal(chatRequests(h.fake).length, 1, 'sent once the user agreed');
    h.costs.setLimits({ warnAtBasisPoints: 8000 });
    await started(await h.engine.send({ text: 'no budget, no question' })).done;
  });

  it('fires the budget threshold and the hard stop once each, at the right cent', async () => {
    h = await chatHarness();
    const probe = await started(await h.engine.send({ text: 'same words' })).done;
    const c = parseUsd(probe.cost!.usd)!;
    // Limit 2.5c: the 2nd message (2c) reaches 80% exactly, the 3rd crosses 100%.
    h.costs.setLimits({ session: { atto: (c.atto * 5n) / 2n }, warnAtBasisPoints: 8000 });
    assert.equal(ofType(h.events, 'budget.threshold').length, 0);
    // The pre-flight estimate (max reply) would cross the limit: the user confirms each send.
    await started(await h.engine.send({ text: 'same words', overrideBudget: true })).done;
    const thresholds = ofType(h.events, 'budget.threshold');
    assert.equal(thresholds.length, 1);
    assert.equal(toDecimalString(thresholds[0]!.spent), toDecimalString(times(c, 2)));
    assert.equal(ofType(h.events, 'budget.exceeded').length, 0);
    const unconfirmed = await h.engine.send({ text: 'same words' });
    assert.equal(unconfirmed.status === 'refused' && unconfirmed.reason, 'budget_confirm');
    await started(await h.engine.send({ text: 'same words', overrideBudget: true })).done;
    const exceeded = ofType(h.events, 'budget.exceeded');
    assert.equal(exceeded.length, 1);
    assert.equal(toDecimalString(exceeded[0]!.spent), toDecimalString(times(c, 3)));
    const blocked = await h.engine.send({ text: 'same words' });
    assert.equal(blocked.status === 'refused' && blocked.reason, 'budget', 'hard stop at the limit');
    await started(await h.engine.send({ text: 'same words', overrideBudget: true })).done;
    const free = await h.engine.send({ text: 'same words', model: 'meta-llama/llama-3.3-70b-instruct:free' });
    assert.equal(free.status, 'started', 'free models are never blocked');
    if (free.status === 'started') await free.done;
    assert.equal(ofType(h.events, 'budget.threshold').length, 1);
    assert.equal(ofType(h.events, 'budget.exceeded').length, 1);
  });

  it('summarises into a new branch that starts from the summary', async () => {
    h = await chatHarness();
    const out = started(await h.engine.send({ text: 'a long discussion' }));
    await out.done;
    const summary = started(await h.engine.summarize(out.conversationId));
    const message = await summary.done;
    assert.equal(message.parentId, null);
    assert.equal(message.status, 'complete');
    const path = await h.store.activePath(out.conversationId);
    assert.equal(path.length, 1);
    assert.equal(path[0]?.message.id, message.id);
    const next = started(await h.engine.send({ text: 'continue', conversationId: out.conversationId }));
    await next.done;
    const body = chatRequests(h.fake).at(-1)!.body as { messages: Array<{ role: string; content: string }> };
    assert.deepEqual(body.messages.map((m) => m.role), ['assistant', 'user']);
  });

  it('redacts PII from the outgoing prompt when the guard is on and records what it removed', async () => {
    h = await chatHarness({ settings: { redactPII: true } });
    const out = started(await h.engine.send({ text: 'mail me at jane@example.com' }));
    await out.done;
    const body = chatRequests(h.fake).at(-1)!.body as { messages: Array<{ content: string }> };
    assert.doesNotMatch(JSON.stringify(body), /jane@example\.com/);
    assert.deepEqual((await h.store.getMessage(out.userMessageId!)).metadata.piiRedacted, { email: 1 });
  });

  it('keeps stored totals equal to what the server billed, to the last digit', async () => {
    h = await chatHarness();
    let conversationId: string | undefined;
    const replies: StoredMessage[] = [];
    for (const text of ['a', 'bb [[scenario:reasoning]]', 'ccc [[scenario:cached]]', 'dddd']) {
      const out = started(await h.engine.send({ text, conversationId, model: 'deepseek/deepseek-r1' }));
      conversationId = out.conversationId;
      replies.push(await out.done);
    }
    await h.engine.idle();
    assert.equal(await storedTotal(h.store), toDecimalString(serverBilled(h.fake)));
    assert.equal(toDecimalString(h.costs.sessionSpent), toDecimalString(serverBilled(h.fake)));
  });
});
