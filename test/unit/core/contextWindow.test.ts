import { strict as assert } from 'node:assert';
import {
  contextMeter,
  fitToContext,
  TRUNCATION_MARKER,
  type ChatTurn,
} from '../../../src/extension/core/contextWindow';

// One token per character keeps the arithmetic visible; the marker counts as one token.
const tokens = (t: ChatTurn) => (t.content === TRUNCATION_MARKER ? 1 : t.content.length);
const turn = (role: ChatTurn['role'], content: string): ChatTurn => ({ role, content });

describe('fitToContext', () => {
  const history = [
    turn('user', 'u1-aaaa'), // 7
    turn('assistant', 'a1-aaaa'), // 7
    turn('user', 'u2-bbbb'), // 7
    turn('assistant', 'a2-bbbb'), // 7
    turn('user', 'u3-cccc'), // 7
  ];

  it('sends everything unchanged when it fits', () => {
    const r = fitToContext({ system: 'sys', history, contextLength: 100, replyReserve: 10, tokens });
    assert.ok(r.ok);
    assert.equal(r.truncated, false);
    assert.equal(r.messages.length, 6);
    assert.equal(r.promptTokens, 3 + 35);
  });

  const M = 1;

  it('keeps the system prompt and the newest turns, dropping the oldest first, with a marker', () => {
    const r = fitToContext({ system: 'sys', history, contextLength: 3 + M + 21 + 10, replyReserve: 10, tokens });
    assert.ok(r.ok);
    assert.equal(r.truncated, true);
    assert.deepEqual(
      r.messages.map((m) => m.content),
      ['sys', TRUNCATION_MARKER, 'u2-bbbb', 'a2-bbbb', 'u3-cccc'],
    );
    assert.equal(r.dropped, 2);
    assert.equal(r.promptTokens, 3 + M + 21);
  });

  it('never starts the kept history with an orphaned assistant reply', () => {
    // Room for two messages (a2, u3) — but a2's question is gone, so only u3 is kept.
    const r = fitToContext({ history, contextLength: M + 14, replyReserve: 0, tokens });
    assert.ok(r.ok);
    assert.deepEqual(
      r.messages.map((m) => m.content),
      [TRUNCATION_MARKER, 'u3-cccc'],
    );
    assert.equal(r.dropped, 4);
  });

  it('reports too_large when the newest message alone does not fit', () => {
    const r = fitToContext({
      system: 'sys',
      history: [turn('user', 'x'.repeat(500))],
      contextLength: 100,
      replyReserve: 10,
      tokens,
    });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.budget, 90);
  });
});

describe('contextMeter', () => {
  it('adds new local tokens to what the API last reported and shows the reserve', () => {
    const m = contextMeter({
      lastPromptTokens: 1000,
      lastCompletionTokens: 200,
      newSinceTokens: 50,
      contextLength: 8000,
      replyReserve: 1000,
    });
    assert.equal(m.used, 1250);
    assert.equal(m.fill, 2250 / 8000);
  });

  it('caps the fill at 100%', () => {
    const m = contextMeter({ lastPromptTokens: 9000, lastCompletionTokens: 0, newSinceTokens: 0, contextLength: 8000, replyReserve: 0 });
    assert.equal(m.fill, 1);
  });
});
