/**
 * The host's intent handlers (src/extension/vscode/intents/), called through the one
 * dispatcher with real parts: the engine streams from the fake OpenRouter over real
 * sockets and writes a real history store. Only the editor's own actions are recorded.
 */
import assert from 'node:assert/strict';
import { parseUsd } from '../../../src/shared/money';
import { dispatchIntent, INTENT_HANDLERS } from '../../../src/extension/vscode/intents/dispatch';
import type { Intent } from '../../../src/extension/vscode/intents/context';
import { wireEngineEvents } from '../../../src/extension/vscode/intents/engineEvents';
import { StreamCoalescer } from '../../../src/extension/core/streamCoalescer';
import { WebviewMessage } from '../../../src/shared/protocol';
import { chatRequests } from '../openrouter/harness';
import { formatSelection } from '../../../src/extension/core/selectionPrompt';
import { intentHarness, TEST_SETTINGS, type IntentHarness } from './intentHarness';
import { ToldRefusal } from '../../../src/extension/vscode/requestReplies';

let h: IntentHarness;
afterEach(async () => h?.close());

const run = (intent: Intent & { requestId?: string }) => dispatchIntent(h.ctx, intent);

/** Resolves when the next reply has ended, completed or failed. */
function replyEnded(): Promise<void> {
  return new Promise((resolve) => {
    const offs = [h.chat.bus.on('message.completed', () => done()), h.chat.bus.on('message.failed', () => done())];
    const done = () => {
      for (const off of offs) off();
      resolve();
    };
  });
}

/** Sends from the view and waits for the reply to be stored; returns the conversation's id. */
async function sendAndSettle(text: string, extra: { conversationId?: string } = {}): Promise<string> {
  const ended = replyEnded();
  await run({ type: 'chat/send', text, ...extra, requestId: 'r-send' });
  await ended;
  await h.chat.engine.idle();
  const id = h.ctx.view.activeId;
  assert.ok(id, 'the send opened its conversation');
  return id;
}

describe('intent handlers (vscode/intents)', function () {
  this.timeout(30_000);

  it('has one handler for every request the view may send but the handshake', () => {
    const handshake = ['view/ready', 'view/reload', 'view/log'];
    const types = [...(WebviewMessage._zod.propValues.type ?? [])].map(String).filter((t) => !handshake.includes(t));
    assert.ok(types.length > 20);
    assert.deepEqual(Object.keys(INTENT_HANDLERS).sort(), types.sort());
  });

  it('chat/send streams a reply into the history and opens its conversation', async () => {
    h = await intentHarness();
    const id = await sendAndSettle('hello there');
    const messages = await h.chat.store.listMessages(id);
    assert.deepEqual(messages.map((m) => m.role), ['user', 'assistant']);
    assert.ok(messages[1]!.content.length > 0, 'the reply was stored');
    assert.equal(chatRequests(h.chat.fake).length, 1);
    const last = h.of('chat/conversation').at(-1);
    assert.equal(last?.conversation?.id, id, 'the view was sent the open conversation');
    assert.ok(h.of('controls/state').length > 0, 'and the control picker for it');
  });

  it('refuses an id the history does not hold: a request fails, a command shows a notice', async () => {
    h = await intentHarness();
    await assert.rejects(run({ type: 'chat/cancel', conversationId: 'nope', requestId: 'r-1' }), /Not done: that conversation does not exist/);
    assert.equal(h.ctx.notices.list.length, 0);
    await run({ type: 'archive/rename', conversationId: 'nope', title: 'x' });
    assert.deepEqual(h.ctx.notices.list.map((n) => n.kind), ['refused_intent']);
    assert.ok(h.log.lines.some((l) => l.startsWith('warn') && l.includes("'archive/rename'")));
  });

  it('holds a send the budget refused and sends it only from that notice', async () => {
    h = await intentHarness({ limits: { session: parseUsd('0.00000001')! } });
    await run({ type: 'chat/send', text: 'costly words', requestId: 'r-2' });
    const notice = h.ctx.notices.list[0];
    assert.ok(notice, 'the refusal shows as a notice');
    assert.ok(notice.actions?.some((a) => a.action === 'overrideBudget'), 'the refusal offers Send Anyway');
    assert.equal(chatRequests(h.chat.fake).length, 0, 'nothing was sent');
    // An action the notice does not offer runs nothing.
    await run({ type: 'notice/act', noticeId: notice.id, action: 'retry', requestId: 'r-3' });
    assert.equal(chatRequests(h.chat.fake).length, 0);
    const ended = replyEnded();
    await run({ type: 'notice/act', noticeId: notice.id, action: 'overrideBudget', requestId: 'r-4' });
    await ended;
    const sent = chatRequests(h.chat.fake);
    assert.equal(sent.length, 1, 'sent once the user agreed');
    assert.match(JSON.stringify(sent[0]!.body), /costly words/);
    assert.equal(h.ctx.notices.list.some((n) => n.id === notice.id), false, 'the notice is gone');
    // The held send went with its notice: a second override has nothing to send.
    await run({ type: 'notice/act', noticeId: notice.id, action: 'overrideBudget', requestId: 'r-5' });
    assert.equal(chatRequests(h.chat.fake).length, 1);
  });

  it('answers a send refused for another reason as `refused` (the view gives its text back), told once in a notice', async () => {
    h = await intentHarness();
    await assert.rejects(run({ type: 'chat/send', text: '   ', requestId: 'r-6' }), (e: unknown) => e instanceof ToldRefusal);
    assert.deepEqual(h.ctx.notices.list.map((n) => n.kind), ['refused_empty']);
    // A command has no reply to mark: the notice alone.
    await run({ type: 'chat/send', text: '   ' });
    assert.equal(h.ctx.notices.list.length, 2);
    assert.equal(chatRequests(h.chat.fake).length, 0);
  });

  it('archive/search answers with the request id and the hits', async () => {
    h = await intentHarness();
    const id = await sendAndSettle('zebra crossing');
    await run({ type: 'archive/search', query: 'zebra', requestId: 'r-search' });
    const [results] = h.of('archive/results');
    assert.equal(results?.requestId, 'r-search');
    assert.equal(results?.hits[0]?.conversationId, id);
    await run({ type: 'archive/search', query: '"unclosed', requestId: 'r-bad' });
    const bad = h.of('archive/results').at(-1);
    assert.equal(bad?.requestId, 'r-bad');
    assert.deepEqual(bad?.hits, []);
  });

  it('archive/delete asks first and deletes only when the user agrees', async () => {
    h = await intentHarness();
    const id = await sendAndSettle('delete me later');
    h.answer.value = false;
    await run({ type: 'archive/delete', conversationId: id, requestId: 'r-6' });
    assert.equal(h.questions.length, 1);
    assert.equal(h.questions[0]!.kind, 'delete');
    assert.equal(await h.chat.store.conversationExists(id), true, 'declined: kept');
    h.answer.value = true;
    await run({ type: 'archive/delete', conversationId: id, requestId: 'r-7' });
    assert.equal(await h.chat.store.conversationExists(id), false);
    assert.equal(h.ctx.view.activeId, undefined, 'the open conversation was closed');
    assert.equal(h.of('archive/page').at(-1)?.total, 0, 'the drawer was sent the new list');
  });

  it('models/select writes only a model the catalog lists', async () => {
    h = await intentHarness();
    const id = await sendAndSettle('which model?');
    await assert.rejects(run({ type: 'models/select', modelId: 'no/such-model', requestId: 'r-8' }), /not in the model list/);
    assert.deepEqual(h.actions, []);
    const other = [...h.chat.models.keys()].find((m) => m !== TEST_SETTINGS.defaultModel)!;
    await run({ type: 'models/select', modelId: other, requestId: 'r-9' });
    assert.deepEqual(h.actions, [
      ['writeSetting', 'defaultModel', other],
      ['rememberModel', other],
    ]);
    assert.equal((await h.chat.store.findConversation(id))?.modelId, other);
  });

  it('editor/copyText copies only text from the open conversation', async () => {
    h = await intentHarness();
    const id = await sendAndSettle('say something');
    const reply = (await h.chat.store.listMessages(id))[1]!.content;
    await assert.rejects(run({ type: 'editor/copyText', text: 'text the model never wrote', requestId: 'r-10' }), /not part of the open conversation/);
    assert.deepEqual(h.actions, []);
    await run({ type: 'editor/copyText', text: reply, requestId: 'r-11' });
    assert.deepEqual(h.actions, [['copyText', reply]]);
  });

  it('editor/openLocation opens only a location the stored user message carried, in the open conversation', async () => {
    h = await intentHarness();
    const id = await sendAndSettle(formatSelection({ text: 'pass\n', language: 'python', path: 'src/loop.py', startLine: 3, endLine: 4 }, 'Why?'));
    const [user, reply] = await h.chat.store.listMessages(id);
    const open = (messageId: string, path: string, startLine: number, endLine: number) =>
      run({ type: 'editor/openLocation', messageId, path, startLine, endLine, requestId: 'r-loc' });
    await assert.rejects(open(user!.id, 'src/loop.py', 1, 40), /did not send code from this location/);
    await assert.rejects(open(user!.id, '../../.ssh/id_rsa', 3, 4), /did not send code from this location/);
    await assert.rejects(open(reply!.id, 'src/loop.py', 3, 4), /did not send code from this location/, "a reply's text opens nothing");
    await assert.rejects(open('no-such-message', 'src/loop.py', 3, 4), /not in the open conversation/);
    assert.deepEqual(h.actions, []);
    await open(user!.id, 'src/loop.py', 3, 4);
    assert.deepEqual(h.actions, [['openLocation', { path: 'src/loop.py', startLine: 3, endLine: 4 }]]);
    // Another conversation open (here: a new one): that message opens nothing any more.
    await h.ctx.view.setActive(undefined);
    await assert.rejects(open(user!.id, 'src/loop.py', 3, 4), /not in the open conversation/);
    assert.equal(h.actions.length, 1);
  });

  it('chat/fork opens the fork and says so once', async () => {
    h = await intentHarness();
    const id = await sendAndSettle('fork from here');
    const [, reply] = await h.chat.store.listMessages(id);
    await run({ type: 'chat/fork', messageId: reply!.id, requestId: 'r-12' });
    const forkId = h.ctx.view.activeId;
    assert.notEqual(forkId, id);
    assert.equal((await h.chat.store.listMessages(forkId!)).length, 2);
    assert.deepEqual(h.ctx.notices.list.map((n) => n.kind), ['forked']);
  });

  it('engine events reach the view: coalesced tokens for the open conversation, a notice for a failure', async () => {
    h = await intentHarness();
    const coalescer = new StreamCoalescer((d) => void h.ctx.post({ type: 'chat/stream', ...d }));
    const off = wireEngineEvents(h.ctx, coalescer);
    try {
      const id = await sendAndSettle('stream to me');
      const streamed = h.of('chat/stream').filter((d) => d.conversationId === id);
      assert.ok(streamed.length > 0, 'tokens were sent as chat/stream');
      h.chat.fake.setScenarios(['context_length']);
      await sendAndSettle('this one fails', { conversationId: id });
      assert.ok(h.ctx.notices.list.some((n) => n.id.startsWith('fail-')), 'the failure shows as a notice');
    } finally {
      coalescer.dispose();
      for (const o of off) o();
    }
  });
});
