/**
 * The compare intents (vscode/intents/compare.ts) through the one dispatcher, with real parts:
 * the models come from the host's quick pick (recorded) or the request, every one is checked
 * against the catalog, the replies stream from the fake OpenRouter into a real store, the view
 * gets the comparison table with the conversation, and a winner is picked only among the replies.
 */
import assert from 'node:assert/strict';
import { parseUsd } from '../../../src/shared/money';
import { dispatchIntent } from '../../../src/extension/vscode/intents/dispatch';
import type { Intent } from '../../../src/extension/vscode/intents/context';
import { COMPARE_TAG } from '../../../src/extension/vscode/intents/compare';
import { readComparison } from '../../../src/extension/core/compare';
import { chatRequests } from '../openrouter/harness';
import { intentHarness, type IntentHarness } from './intentHarness';

// Three streams at once on a shared 2-core machine: the client's timeouts are lifted out of the way.
// A first request may meet a keep-alive socket the fake already closed: give the retry room.
const patient = {
  timeouts: { connectMs: 60_000, stallMs: 60_000, requestMs: 60_000 },
  retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 100, maxTotalMs: 60_000, retryAfterJitterMs: 10 },
};
const MODELS = ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4', 'google/gemini-2.5-flash'];

let h: IntentHarness;
afterEach(async () => h?.close());

const run = (intent: Intent & { requestId?: string }) => dispatchIntent(h.ctx, intent);

/** Resolves once `n` replies have ended. */
function repliesEnded(n: number): Promise<void> {
  let left = n;
  return new Promise((resolve) => {
    const offs = [h.chat.bus.on('message.completed', () => one()), h.chat.bus.on('message.failed', () => one())];
    const one = () => {
      if (--left > 0) return;
      for (const off of offs) off();
      resolve();
    };
  });
}

describe('compare intents (vscode/intents/compare)', function () {
  this.timeout(60_000);

  it('compare/start asks the host for the models, streams to each, tags the conversation and sends the table with it', async () => {
    h = await intentHarness({ client: patient });
    h.compareModels.value = MODELS;
    const ended = repliesEnded(3);
    await run({ type: 'compare/start', text: 'Which sort is stable?', requestId: 'r-1' });
    assert.deepEqual(h.actions, [['pickCompareModels']], 'the models came from the host’s own quick pick');
    await ended;
    await h.chat.engine.idle();
    await h.ctx.view.postConversation();
    const failed = h.chat.events.filter((e) => e.type === 'message.failed');
    assert.deepEqual(failed, [], 'no reply failed');
    assert.deepEqual(chatRequests(h.chat.fake).map((r) => (r.body as { model: string }).model).sort(), [...MODELS].sort());
    const id = h.ctx.view.activeId!;
    const conversation = await h.chat.store.getConversation(id);
    assert.ok(conversation.tags.includes(COMPARE_TAG), 'tagged, so the history filter finds comparisons');
    const table = h.of('chat/conversation').at(-1)?.conversation?.comparison;
    assert.deepEqual(table?.rows.map((r) => [r.model, r.status]), MODELS.map((m) => [m, 'complete']));
    assert.ok(table?.rows.every((r) => r.cost !== undefined && parseUsd(r.cost)), 'every row priced exactly');

    // Pick the winner: only one of the comparison's replies can win.
    const winner = table!.rows[2]!.messageId;
    await assert.rejects(run({ type: 'compare/pick', messageId: table!.userMessageId, requestId: 'r-2' }), /Only a reply/);
    await run({ type: 'compare/pick', messageId: winner, requestId: 'r-3' });
    assert.equal(readComparison((await h.chat.store.getMessage(table!.userMessageId)).metadata)?.winner, winner);
    assert.equal((await h.chat.store.getConversation(id)).modelId, MODELS[2]);
    assert.equal(h.of('chat/conversation').at(-1)?.conversation?.comparison?.winnerId, winner, 'the view hears of the winner');
  });

  it('refuses, sending nothing, when the pick is dismissed, a model is not in the catalog, or the ids are unknown', async () => {
    h = await intentHarness({ client: patient });
    h.compareModels.value = undefined;
    await assert.rejects(run({ type: 'compare/start', text: 'q', requestId: 'r-1' }), /no models were picked/);
    await assert.rejects(run({ type: 'compare/start', text: 'q', models: [MODELS[0]!, 'evil/not-a-model'], requestId: 'r-2' }), /not in the model list/);
    await assert.rejects(run({ type: 'compare/start', text: 'q', models: [MODELS[0]!, MODELS[0]!], requestId: 'r-3' }), /at least 2/);
    await assert.rejects(run({ type: 'compare/start', text: 'q', models: MODELS, conversationId: 'no-such-conversation', requestId: 'r-4' }), /does not exist/);
    await assert.rejects(run({ type: 'compare/pick', messageId: 'no-such-message', requestId: 'r-5' }), /does not exist/);
    assert.equal(chatRequests(h.chat.fake).length, 0);
    assert.equal((await h.chat.store.listConversations({ status: 'all' })).total, 0, 'nothing stored');
    // From a command, the same refusal is a notice.
    await run({ type: 'compare/start', text: 'q', models: [MODELS[0]!, 'evil/not-a-model'] });
    assert.match(h.ctx.notices.list.at(-1)?.message ?? '', /not in the model list/);
  });

  it('a comparison the budget refused is held under its notice: Send anyway compares the same models', async () => {
    h = await intentHarness({ client: patient, limits: { session: parseUsd('0.00000001')! } });
    await run({ type: 'compare/start', text: 'costly comparison', models: MODELS, requestId: 'r-1' });
    const notice = h.ctx.notices.list.at(-1);
    assert.ok(notice?.actions?.some((a) => a.action === 'overrideBudget'), 'Send anyway is offered');
    assert.match(notice!.message, /3 models/);
    assert.equal(chatRequests(h.chat.fake).length, 0);
    const ended = repliesEnded(3);
    await run({ type: 'notice/act', noticeId: notice!.id, action: 'overrideBudget', requestId: 'r-2' });
    await ended;
    assert.deepEqual(chatRequests(h.chat.fake).map((r) => (r.body as { model: string }).model).sort(), [...MODELS].sort());
  });
});
