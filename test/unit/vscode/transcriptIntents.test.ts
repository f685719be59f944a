/**
 * The windowed transcript through the host's intent handlers, with real parts (the history
 * store in its worker thread): a long conversation opens as a window, `chat/loadEarlier` pages
 * the rest in and refuses what it cannot check, a search hit opens a window around its message,
 * and the composer's estimate still counts the whole branch.
 */
import assert from 'node:assert/strict';
import { dispatchIntent } from '../../../src/extension/vscode/intents/dispatch';
import type { Intent } from '../../../src/extension/vscode/intents/context';
import { EARLIER_PAGE, REVEAL_CONTEXT, WINDOW_ENTRIES } from '../../../src/extension/core/transcriptWindow';
import { sendPromptTokens } from '../../../src/extension/core/sendEstimate';
import { intentHarness, type IntentHarness } from './intentHarness';

const MESSAGES = 150;

describe('windowed transcript through the intent handlers', function () {
  this.timeout(60_000);
  let h: IntentHarness;
  let conversationId: string;
  let ids: string[];
  const run = (intent: Intent & { requestId?: string }) => dispatchIntent(h.ctx, intent);

  beforeEach(async () => {
    h = await intentHarness();
    const c = await h.chat.store.createConversation({ title: 'long' });
    conversationId = c.id;
    for (let i = 0; i < MESSAGES; i++) {
      await h.chat.store.appendMessage({ conversationId, role: i % 2 === 0 ? 'user' : 'assistant', content: `message ${i} ${'word '.repeat(20)}` });
    }
    ids = (await h.chat.store.activePath(conversationId)).map((e) => e.message.id);
  });
  afterEach(async () => h?.close());

  it('opens a long conversation as its newest entries, and pages the rest in on request', async () => {
    await run({ type: 'archive/open', conversationId, requestId: 'r-open' });
    const opened = h.of('chat/conversation').at(-1)?.conversation;
    assert.equal(opened?.entries.length, WINDOW_ENTRIES);
    assert.equal(opened?.earlier, MESSAGES - WINDOW_ENTRIES);
    await run({ type: 'chat/loadEarlier', conversationId, beforeId: opened.entries[0]!.id, requestId: 'r-page' });
    const page = h.of('chat/earlier').at(-1);
    assert.equal(page?.requestId, 'r-page', 'the page answers its request');
    assert.equal(page?.beforeId, ids[MESSAGES - WINDOW_ENTRIES]);
    assert.equal(page?.entries.length, Math.min(EARLIER_PAGE, MESSAGES - WINDOW_ENTRIES));
    assert.equal(page?.earlier, Math.max(0, MESSAGES - WINDOW_ENTRIES - EARLIER_PAGE));
    assert.deepEqual(
      page?.entries.map((e) => e.id),
      ids.slice(page.earlier, MESSAGES - WINDOW_ENTRIES),
    );
  });

  it('refuses pages of a conversation that is not open, or before an entry not on its branch', async () => {
    await run({ type: 'archive/open', conversationId, requestId: 'r-open' });
    const other = await h.chat.store.createConversation({ title: 'other' });
    const foreign = await h.chat.store.appendMessage({ conversationId: other.id, role: 'user', content: 'elsewhere' });
    await assert.rejects(run({ type: 'chat/loadEarlier', conversationId: other.id, beforeId: foreign.id, requestId: 'r1' }), /Not done: that conversation is not the open one/);
    await assert.rejects(run({ type: 'chat/loadEarlier', conversationId, beforeId: foreign.id, requestId: 'r2' }), /Not done: that message is not on the open branch/);
    await assert.rejects(run({ type: 'chat/loadEarlier', conversationId, beforeId: 'made-up', requestId: 'r3' }), /Not done/);
    assert.deepEqual(h.of('chat/earlier'), [], 'no page was sent');
    assert.ok(h.log.lines.some((l) => l.startsWith('warn') && l.includes("'chat/loadEarlier'")));
  });

  it('opens a search hit’s conversation with a window from just before the hit, then reveals it', async () => {
    const hit = ids[50]!;
    await run({ type: 'archive/open', conversationId, messageId: hit, requestId: 'r-hit' });
    const opened = h.of('chat/conversation').at(-1)?.conversation;
    assert.equal(opened?.earlier, 50 - REVEAL_CONTEXT);
    assert.equal(opened?.entries[REVEAL_CONTEXT]?.id, hit);
    assert.equal(opened?.entries.at(-1)?.id, ids.at(-1), 'down to the newest');
    const types = h.posted.map((m) => m.type);
    assert.ok(types.lastIndexOf('chat/reveal') > types.lastIndexOf('chat/conversation'), 'revealed after the window is sent');
  });

  it('estimates a send over the whole branch, not the window the view holds', async () => {
    await run({ type: 'archive/open', conversationId, requestId: 'r-open' });
    await run({ type: 'chat/estimate', text: 'next question', requestId: 'r-est' });
    const estimate = h.of('chat/estimated').at(-1);
    const messages = await h.chat.store.listMessages(conversationId);
    assert.equal(estimate?.promptTokens, sendPromptTokens(messages, 'next question'));
    const windowOnly = sendPromptTokens(messages.slice(-WINDOW_ENTRIES), 'next question');
    assert.ok((estimate?.promptTokens ?? 0) > windowOnly);
  });
});
