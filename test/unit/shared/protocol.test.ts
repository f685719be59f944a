import { strict as assert } from 'node:assert';
import { announcedProtocolVersion, parseHostMessage, parseWebviewMessage, PROTOCOL_VERSION, requestIdOf } from '../../../src/shared/protocol';
import { contentSecurityPolicy } from '../../../src/extension/core/webviewPolicy';

describe('protocol', () => {
  it('accepts a well-formed ready message', () => {
    const r = parseWebviewMessage({ type: 'view/ready', requestId: 'p-1', protocolVersion: PROTOCOL_VERSION });
    assert.equal(r.ok, true);
  });

  it('refuses a request without a request id, or with a hostile one', () => {
    assert.equal(parseWebviewMessage({ type: 'chat/cancel', conversationId: 'c' }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'chat/cancel', conversationId: 'c', requestId: '' }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'chat/cancel', conversationId: 'c', requestId: 'x'.repeat(101) }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'chat/cancel', conversationId: 'c', requestId: 'p-2' }).ok, true);
  });

  it('reads the request id of a message that does not parse, so the host can still answer it', () => {
    assert.equal(requestIdOf({ type: 'nonsense', requestId: 'p-3' }), 'p-3');
    assert.equal(requestIdOf({ type: 'nonsense', requestId: 42 }), undefined);
    assert.equal(requestIdOf({ requestId: 'x'.repeat(101) }), undefined);
    assert.equal(requestIdOf('p-3'), undefined);
  });

  it('reads the protocol version a handshake or snapshot announces before validating it', () => {
    assert.equal(announcedProtocolVersion({ type: 'ready', protocolVersion: 2 }), 2);
    assert.equal(announcedProtocolVersion({ type: 'view/snapshot', snapshot: { protocolVersion: 9, look: 'neon' } }), 9);
    assert.equal(announcedProtocolVersion({ type: 'chat/stream', content: 'x' }), undefined);
  });

  it('validates the host reply', () => {
    assert.equal(parseHostMessage({ type: 'host/reply', requestId: 'p-1', ok: true }).ok, true);
    assert.equal(parseHostMessage({ type: 'host/reply', requestId: 'p-1', ok: false, error: 'locked' }).ok, true);
    assert.equal(parseHostMessage({ type: 'host/reply', ok: true }).ok, false);
  });

  it('drops unknown message types with a reason', () => {
    const r = parseWebviewMessage({ type: 'rm -rf', path: '/' });
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.error, /type/);
  });

  it('drops non-objects and missing fields', () => {
    for (const raw of [null, 42, 'ready', [], { type: 'view/ready', requestId: 'p-1' }, { type: 'view/runCommand', requestId: 'p-1', command: 'deleteAll' }]) {
      assert.equal(parseWebviewMessage(raw).ok, false, JSON.stringify(raw));
    }
  });

  it('does not echo a hostile payload into the error text', () => {
    const r = parseWebviewMessage({ type: 'view/log', requestId: 'p-1', level: 'info', message: 'x'.repeat(5000) });
    assert.equal(r.ok, false);
    if (!r.ok) assert.ok(r.error.length < 300);
  });

  it('validates host snapshots strictly', () => {
    const snapshot = {
      protocolVersion: PROTOCOL_VERSION,
      extensionVersion: '0.1.0',
      hasApiKey: false,
      endpointHost: 'openrouter.ai',
      isDemoEndpoint: false,
      look: 'editor',
      mode: 'research',
      placement: 'sidebar',
      selectedModel: 'openai/gpt-4o-mini',
      notices: [],
    };
    assert.equal(parseHostMessage({ type: 'view/snapshot', snapshot }).ok, true);
    assert.equal(parseHostMessage({ type: 'view/snapshot', snapshot: { ...snapshot, look: 'neon' } }).ok, false);
  });
});

describe('stream deltas', () => {
  it('accepts a well-formed delta through the cheap shape check', () => {
    const r = parseHostMessage({ type: 'chat/stream', conversationId: 'c', messageId: 'm', content: 'hi', reasoning: '' });
    assert.equal(r.ok, true);
  });

  it('drops a delta with a missing or mistyped field', () => {
    assert.equal(parseHostMessage({ type: 'chat/stream', conversationId: 'c', messageId: 'm', content: 5, reasoning: '' }).ok, false);
    assert.equal(parseHostMessage({ type: 'chat/stream', conversationId: 'c', content: 'x', reasoning: '' }).ok, false);
  });

  it('refuses money sent as a float', () => {
    const entry = {
      id: 'm', parentId: null, role: 'assistant', content: 'x', createdAt: 1, status: 'complete',
      branch: { index: 1, count: 1 }, cost: 0.1,
    };
    const conversation = { id: 'c', title: 't', modelId: 'm', tags: [], totalCost: '0.1', totalTokens: 1, entries: [entry] };
    assert.equal(parseHostMessage({ type: 'chat/conversation', conversation }).ok, false);
    assert.equal(parseHostMessage({ type: 'chat/conversation', conversation: { ...conversation, entries: [{ ...entry, cost: '0.1' }] } }).ok, true);
  });
});

describe('webview content security policy', () => {
  const csp = contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', 'AbCdEfGhIjKlMnOpQrSt');

  it('denies everything by default', () => {
    assert.match(csp, /^default-src 'none'/);
  });

  it('allows scripts only by nonce and never unsafe-inline or unsafe-eval', () => {
    assert.match(csp, /script-src 'nonce-AbCdEfGhIjKlMnOpQrSt'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-/);
  });

  it('refuses a weak nonce', () => {
    assert.throws(() => contentSecurityPolicy('x', 'abc'));
  });
});
