/**
 * Runs INSIDE the real extension host: deleting one message from the view. The view only
 * asks (`chat/deleteMessage`); the host asks in its own dialog, takes the replies under
 * the message with it, refuses while a reply streams, and never lowers what was spent.
 */
import * as assert from 'node:assert/strict';
import { api, waitFor } from './host';
import type { NeuralTerminalApi } from '../../src/extension/extension';
import type { Question } from '../../src/extension/vscode/hostDialogs';

const KEY = 'sk-or-v1-nt-delete-0123456789abcdef0123456789abcdef';



let injected = 0;
function inject(a: NeuralTerminalApi, raw: Record<string, unknown>): Promise<boolean> {
  injected += 1;
  return a.test.injectWebviewMessage({ requestId: `delete-${injected}`, ...raw });
}

describe('Delete a message from the view', function () {
  this.timeout(90_000);
  let a: NeuralTerminalApi;
  let asked: Question[];
  let answer: boolean;

  before(async () => {
    a = await api();
    assert.equal(await a.test.command('setApiKey', KEY), 'stored');
    asked = [];
    answer = false;
    a.test.dialogs.answerWith((q) => {
      asked.push(q);
      return answer;
    });
  });

  after(() => a.test.dialogs.answerWith(undefined));

  async function turn(text: string): Promise<void> {
    const s = await a.test.services();
    await a.test.controller.handle({ type: 'chat/send', text, ...(a.test.controller.activeConversationId ? { conversationId: a.test.controller.activeConversationId } : {}) });
    const id = a.test.controller.activeConversationId!;
    await waitFor('the reply', () => !s.engine.isStreaming(id));
    await s.engine.idle();
  }

  it('asks in a host dialog, deletes the message and the replies under it, and keeps the month’s spend', async () => {
    const s = await a.test.services();
    await a.test.controller.setActiveConversation(undefined);
    await turn('first question');
    await turn('second question');
    const conversationId = a.test.controller.activeConversationId!;
    const before = await s.history.listMessages(conversationId);
    assert.equal(before.length, 4);
    const [, firstReply, secondUser, secondReply] = before;
    const spentBefore = await s.history.spendSince(0);
    const month = new Date();
    const from = Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1);
    const usageBefore = (await s.history.usage(from, Date.now() + 86_400_000)).total;

    // Declined: nothing changes.
    answer = false;
    assert.equal(await inject(a, { type: 'chat/deleteMessage', messageId: secondUser!.id }), true);
    assert.equal(asked.length, 1, 'the host asked');
    assert.equal(asked[0]!.kind, 'deleteMessage');
    assert.match(asked[0]!.message, /user message and the 1 message under it/);
    assert.equal((await s.history.listMessages(conversationId)).length, 4, 'declined: nothing deleted');

    // Agreed: the user message and its reply go; the first turn stays and becomes the tip.
    answer = true;
    assert.equal(await inject(a, { type: 'chat/deleteMessage', messageId: secondUser!.id }), true);
    const after = await s.history.listMessages(conversationId);
    assert.deepEqual(after.map((m) => m.id), [before[0]!.id, firstReply!.id]);
    assert.equal((await s.history.getConversation(conversationId)).activeLeafId, firstReply!.id);
    await assert.rejects(s.history.getMessage(secondReply!.id));

    // Money: the conversation's total drops, the ledger's does not.
    assert.equal(await s.history.spendSince(0), spentBefore, 'deleting never lowers what was spent');
    assert.equal((await s.history.usage(from, Date.now() + 86_400_000)).total, usageBefore, 'the usage report reads the ledger');
  });

  it('refuses a message of another conversation and while a reply streams there', async () => {
    const s = await a.test.services();
    const other = await s.history.createConversation({ title: 'Not open' });
    const stranger = await s.history.appendMessage({ conversationId: other.id, role: 'user', content: 'not yours' });
    asked = [];
    answer = true;
    await inject(a, { type: 'chat/deleteMessage', messageId: stranger.id });
    assert.equal(asked.length, 0, 'no dialog for a message outside the open conversation');
    assert.ok(await s.history.getMessage(stranger.id), 'still there');

    const conversationId = a.test.controller.activeConversationId!;
    const first = (await s.history.listMessages(conversationId))[0]!;
    // A slow reply: the fake streams for a few seconds.
    void a.test.controller.handle({ type: 'chat/send', text: 'slow please [[scenario:slow]]', conversationId });
    await waitFor('streaming', () => s.engine.isStreaming(conversationId));
    await inject(a, { type: 'chat/deleteMessage', messageId: first.id });
    assert.equal(asked.length, 0, 'refused before asking');
    assert.ok(await s.history.getMessage(first.id), 'nothing deleted while streaming');
    await a.test.controller.handle({ type: 'chat/cancel', conversationId });
    await waitFor('stopped', () => !s.engine.isStreaming(conversationId));
  });
});
