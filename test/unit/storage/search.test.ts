import * as assert from 'node:assert/strict';

import { EXPORT_FORMAT, EXPORT_VERSION } from '../../../src/extension/storage/exportFormat';
import type { HistoryEngine } from '../../../src/extension/storage/historyEngine';
import { RANK_WINDOW } from '../../../src/extension/storage/search';
import type { SearchHit, SearchOutcome, SearchQuery } from '../../../src/extension/storage/types';
import { TestClock, storeEachTest } from './helpers';

function hitsOf(outcome: SearchOutcome): readonly SearchHit[] {
  if (outcome.kind !== 'results') assert.fail(`expected results, got: ${outcome.message}`);
  return outcome.hits;
}

function highlighted(hit: SearchHit): string[] {
  return hit.snippet.highlights.map((h) => hit.snippet.text.slice(h.start, h.end));
}

describe('storage/search', () => {
  let clock: TestClock;
  let store: HistoryEngine;

  storeEachTest((fresh) => ({ clock, store } = fresh));

  function say(conversationId: string, content: string, role: 'user' | 'assistant' = 'assistant') {
    clock.advance();
    return store.appendMessage({ conversationId, role, content });
  }

  function search(text: string, extra: Omit<SearchQuery, 'text'> = {}): readonly SearchHit[] {
    return hitsOf(store.search({ text, ...extra }));
  }

  it('finds a message by a word and says where to jump', () => {
    const c = store.createConversation({ title: 'Infra' });
    say(c.id, 'nothing here');
    const m = say(c.id, 'Configure the reverse proxy with nginx');
    const [hit] = search('nginx');
    assert.equal(hit?.kind, 'message');
    assert.equal(hit?.conversationId, c.id);
    assert.equal(hit?.messageId, m.id);
    assert.equal(hit?.conversationTitle, 'Infra');
  });

  it('finds a conversation by its title', () => {
    const c = store.createConversation({ title: 'Holiday planning' });
    const [hit] = search('holiday');
    assert.equal(hit?.kind, 'title');
    assert.equal(hit?.conversationId, c.id);
    assert.equal(hit?.messageId, null);
  });

  it('ranks a short message dense with the word above a long one mentioning it once', () => {
    const c = store.createConversation();
    const long = say(c.id, `kubernetes ${'filler words that do not matter '.repeat(40)}`);
    const dense = say(c.id, 'kubernetes kubernetes operators');
    const hits = search('kubernetes');
    assert.deepEqual(hits.map((h) => h.messageId), [dense.id, long.id]);
    assert.ok((hits[0]?.score ?? 0) > (hits[1]?.score ?? 0));
  });

  it('ranks a message with a rare word above one with only a common word', () => {
    const c = store.createConversation();
    for (let i = 0; i < 20; i++) say(c.id, `the common word ${i}`);
    const rare = say(c.id, 'the zygomorphic flower');
    const hits = search('the zygomorphic');
    assert.deepEqual(hits.map((h) => h.messageId), [rare.id]);
  });

  it('requires every word to match', () => {
    const c = store.createConversation();
    say(c.id, 'red apple');
    const both = say(c.id, 'red car and a green apple');
    assert.deepEqual(search('apple car').map((h) => h.messageId), [both.id]);
  });

  it('matches a quoted phrase only where the words are adjacent', () => {
    const c = store.createConversation();
    say(c.id, 'pull the request later');
    const adjacent = say(c.id, 'open a pull request');
    assert.deepEqual(search('"pull request"').map((h) => h.messageId), [adjacent.id]);
  });

  it('matches a prefix written with a trailing star', () => {
    const c = store.createConversation();
    const m = say(c.id, 'serialization is hard');
    assert.deepEqual(search('serial*').map((h) => h.messageId), [m.id]);
  });

  it('ignores case and diacritics', () => {
    const c = store.createConversation();
    const m = say(c.id, 'Un café à Montréal');
    assert.deepEqual(search('CAFE montreal').map((h) => h.messageId), [m.id]);
  });

  it('returns the snippet as plain text with ranges over the matching words', () => {
    const c = store.createConversation();
    say(c.id, 'Use <b>docker</b> & "Docker Compose" here');
    const [hit] = search('docker');
    assert.ok(hit);
    assert.equal(hit.snippet.text, 'Use <b>docker</b> & "Docker Compose" here');
    assert.deepEqual(highlighted(hit), ['docker', 'Docker']);
  });

  it('cuts a long message to a window around the first match, marked with ellipses', () => {
    const c = store.createConversation();
    say(c.id, `${'lorem ipsum '.repeat(100)}needle ${'dolor sit '.repeat(100)}`);
    const [hit] = search('needle');
    assert.ok(hit);
    assert.ok(hit.snippet.text.startsWith('…') && hit.snippet.text.endsWith('…'));
    assert.ok(hit.snippet.text.length < 300);
    assert.deepEqual(highlighted(hit), ['needle']);
  });

  it('filters by tag', () => {
    const tagged = store.createConversation({ tags: ['work'] });
    const other = store.createConversation();
    const m = say(tagged.id, 'budget review');
    say(other.id, 'budget party');
    assert.deepEqual(search('budget', { tags: ['Work'] }).map((h) => h.messageId), [m.id]);
  });

  it('filters by message date', () => {
    const c = store.createConversation();
    say(c.id, 'deploy on monday');
    const later = say(c.id, 'deploy on friday');
    assert.deepEqual(search('deploy', { from: later.createdAt }).map((h) => h.messageId), [later.id]);
  });

  it('filters by archived status', () => {
    const archived = store.createConversation();
    const active = store.createConversation();
    const old = say(archived.id, 'invoice from march');
    say(active.id, 'invoice from april');
    store.archiveConversation(archived.id);
    assert.deepEqual(search('invoice', { status: 'archived' }).map((h) => h.messageId), [old.id]);
    assert.equal(search('invoice').length, 2, 'archived conversations are searched by default');
  });

  it('searches within one conversation', () => {
    const a = store.createConversation();
    const b = store.createConversation();
    say(a.id, 'terraform plan');
    const m = say(b.id, 'terraform apply');
    assert.deepEqual(search('terraform', { conversationId: b.id }).map((h) => h.messageId), [m.id]);
  });

  it('stops finding words removed by an edit and finds the new ones', () => {
    const c = store.createConversation();
    const m = say(c.id, 'draft with typo');
    store.updateMessage(m.id, { content: 'final text' });
    assert.equal(search('typo').length, 0);
    assert.equal(search('final').length, 1);
  });

  it('stops finding a renamed title and the messages of a deleted conversation', () => {
    const c = store.createConversation({ title: 'Old name' });
    say(c.id, 'ephemeral content');
    store.renameConversation(c.id, 'New name');
    assert.equal(search('old').length, 0);
    store.deleteConversation(c.id);
    assert.equal(search('ephemeral').length, 0);
  });

  it('limits the number of hits', () => {
    const c = store.createConversation();
    for (let i = 0; i < 30; i++) say(c.id, `repeated word ${i}`);
    assert.equal(search('repeated', { limit: 5 }).length, 5);
  });

  it('ranks only the newest matches of a very common word and says so', function () {
    this.timeout(60_000);
    const T0 = Date.UTC(2024, 0, 1); // imports accept dates from 2020 on
    const messages = Array.from({ length: RANK_WINDOW + 1 }, (_, i) => ({
      id: `m${i}`, parentId: i === 0 ? null : `m${i - 1}`, role: 'user', content: `ubiquitous ${i}`,
      promptTokens: null, completionTokens: null, reasoningTokens: null, cachedTokens: null, cost: null,
      latencyMs: null, ttftMs: null, modelId: null, generationId: null, finishReason: null, status: 'complete',
      createdAt: T0 + i, metadata: {}, copiedFromMessageId: null,
    }));
    store.importJson(JSON.stringify({
      format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: T0,
      conversations: [{ id: 'c', title: 't', modelId: null, status: 'active', createdAt: T0, updatedAt: T0, tags: [],
        systemPrompt: null, parentConversationId: null, forkedFromMessageId: null, activeLeafId: null,
        totalCostUsd: '0', totalTokens: 0, messages }],
    }));
    const windowed = store.search({ text: 'ubiquitous' });
    assert.equal(windowed.kind === 'results' && windowed.windowed, true);
    const exact = store.search({ text: 'ubiquitous 7' });
    assert.equal(exact.kind === 'results' && exact.windowed, false);
  });

  it('finds everything again after the indexes are rebuilt', () => {
    const c = store.createConversation({ title: 'Rebuild me' });
    say(c.id, 'indexed words');
    // Simulate an index that drifted from its rows.
    (store as unknown as { disk: { db: { run(sql: string): void } } }).disk.db.run('DELETE FROM messages_fts');
    assert.equal(search('indexed').length, 0);
    assert.equal(store.checkIntegrity().ok, false, 'the drift is detected');
    store.rebuildDerivedIndexes();
    assert.equal(search('indexed').length, 1);
    assert.ok(store.checkIntegrity().ok);
  });

  describe('hostile input', () => {
    const hostile = [
      '"', '"unbalanced', 'unbalanced"', '""', '"a" "b', 'NEAR', 'a NEAR b', 'a NEAR/3 b', 'NEAR(a b)', '*', '**', 'a*',
      '*a', '-', '-foo', 'foo -bar', 'content:foo', 'messages_fts:foo', 'title:x', '(', ')', '(a OR b', 'AND', 'OR NOT',
      'a AND', 'NOT a', '^foo', "'; DROP TABLE messages; --", '\u0000', '\u0001\u0002', '🚀 rocket', '日本語',
      'x'.repeat(1999), 'word '.repeat(65), '"'.repeat(500), '%', '_', '\\', 'a:b:c', '$1 ?1 :a @b',
    ];
    for (const text of hostile) {
      it(`answers ${JSON.stringify(text.length > 24 ? `${text.slice(0, 24)}…` : text)} with results or a clear message, never an exception`, () => {
        const c = store.createConversation();
        say(c.id, 'foo bar near and or not content title rocket 日本語');
        const outcome = store.search({ text });
        if (outcome.kind === 'invalid-query') {
          assert.ok(outcome.message.length > 0 && outcome.action.length > 0);
        } else {
          assert.ok(Array.isArray(outcome.hits));
        }
      });
    }

    it('refuses search text that is too long with a message saying so', () => {
      const outcome = store.search({ text: 'x'.repeat(5000) });
      assert.equal(outcome.kind, 'invalid-query');
      assert.match(outcome.kind === 'invalid-query' ? outcome.message : '', /too long/);
    });

    it('refuses search text without any letter or digit', () => {
      assert.equal(store.search({ text: ' ** - ( ) " ' }).kind, 'invalid-query');
    });

    it('treats operator words as ordinary words', () => {
      const c = store.createConversation();
      const m = say(c.id, 'do NOT press the button');
      say(c.id, 'press the button');
      assert.deepEqual(search('NOT button').map((h) => h.messageId), [m.id]);
    });

    it('treats a column filter as literal text, not as a column', () => {
      const c = store.createConversation();
      const m = say(c.id, 'set content:none in the header');
      say(c.id, 'none of the content here');
      assert.deepEqual(search('content:none').map((h) => h.messageId), [m.id]);
    });
  });
});
