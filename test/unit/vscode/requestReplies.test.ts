import assert from 'node:assert/strict';
import { PROTOCOL_VERSION, type HostReply, type WebviewMessage } from '../../../src/shared/protocol';
import { silentLogger } from '../../../src/extension/base/logger';
import { answerRequest, NOT_UNDERSTOOD, ToldRefusal, type RequestContext } from '../../../src/extension/vscode/requestReplies';

function context(handle: (m: WebviewMessage) => Promise<void> = async () => undefined) {
  const replies: HostReply[] = [];
  const reloads: string[] = [];
  const handled: WebviewMessage[] = [];
  const ctx: RequestContext = {
    log: silentLogger,
    handle: async (m) => {
      handled.push(m);
      await handle(m);
    },
    reply: async (r) => {
      replies.push(r);
    },
    reload: (reason) => reloads.push(reason),
  };
  return { ctx, replies, reloads, handled };
}

describe('request replies (host side of the pairing rule)', () => {
  it('answers a handled request with ok once its handler finished', async () => {
    let finished = false;
    const c = context(async () => {
      await new Promise((r) => setTimeout(r, 5));
      finished = true;
    });
    assert.equal(await answerRequest({ type: 'chat/cancel', requestId: 'p-1', conversationId: 'c1' }, c.ctx), true);
    assert.equal(finished, true);
    assert.deepEqual(c.replies, [{ type: 'host/reply', requestId: 'p-1', ok: true }]);
  });

  it('answers a failed handler with ok: false and its reason', async () => {
    const c = context(async () => {
      throw new Error('That conversation no longer exists.');
    });
    await answerRequest({ type: 'archive/rename', requestId: 'p-2', conversationId: 'gone', title: 'x' }, c.ctx);
    assert.deepEqual(c.replies, [{ type: 'host/reply', requestId: 'p-2', ok: false, error: 'That conversation no longer exists.' }]);
  });

  it('marks a refusal the user was already told of, so the view gives back what it took', async () => {
    const c = context(async () => {
      throw new ToldRefusal('The message was not sent.');
    });
    await answerRequest({ type: 'chat/send', requestId: 'p-9', text: 'hi' }, c.ctx);
    assert.deepEqual(c.replies, [{ type: 'host/reply', requestId: 'p-9', ok: false, error: 'The message was not sent.', refused: true }]);
  });

  it('answers a malformed request that carries an id, and drops one without', async () => {
    const c = context();
    assert.equal(await answerRequest({ type: 'archive/delete', requestId: 'p-3' }, c.ctx), false);
    assert.equal(await answerRequest({ type: 'archive/delete' }, c.ctx), false);
    assert.deepEqual(c.replies, [{ type: 'host/reply', requestId: 'p-3', ok: false, error: NOT_UNDERSTOOD }]);
    assert.deepEqual(c.handled, []);
  });

  it('reloads a page that announces another protocol version, parsed or not', async () => {
    const c = context();
    await answerRequest({ type: 'ready', protocolVersion: PROTOCOL_VERSION - 1 }, c.ctx);
    assert.equal(c.reloads.length, 1);
    assert.match(c.reloads[0] ?? '', new RegExp(`protocol ${PROTOCOL_VERSION - 1}`));
  });
});
