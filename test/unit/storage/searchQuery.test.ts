import * as assert from 'node:assert/strict';

import { parseSearchText } from '../../../src/extension/storage/searchQuery';
import { buildSnippet } from '../../../src/extension/storage/snippet';

function matchOf(text: string): string {
  const parsed = parseSearchText(text);
  return parsed.ok ? parsed.match : `refused: ${parsed.message}`;
}

describe('storage/searchQuery', () => {
  it('quotes every word as its own phrase', () => {
    assert.equal(matchOf('docker compose'), '"docker" "compose"');
  });

  it('keeps a balanced quoted phrase together', () => {
    assert.equal(matchOf('"pull request" review'), '"pull request" "review"');
  });

  it('treats an unbalanced quote as a separator', () => {
    assert.equal(matchOf('"pull request'), '"pull" "request"');
  });

  it('turns operators and column filters into quoted words', () => {
    assert.equal(matchOf('a NEAR/3 b OR -c content:d'), '"a" "NEAR 3" "b" "OR" "c" "content d"');
  });

  it('keeps a trailing star as a prefix on words of three or more characters', () => {
    assert.equal(matchOf('serial* ab*'), '"serial*" "ab"');
  });

  it('keeps a trailing star after a quoted phrase as a prefix on its last word', () => {
    assert.equal(matchOf('"pull req"*'), '"pull req*"');
  });

  it('never lets a double quote or star through inside a phrase', () => {
    const parsed = parseSearchText('"a"b"c*d" e"f');
    assert.ok(parsed.ok);
    for (const phrase of parsed.match.match(/"[^"]*"\*?/g) ?? []) {
      assert.match(phrase, /^"[\p{L}\p{N}\p{M} ]+\*?"$/u);
    }
  });

  it('normalises terms for highlighting the way the index does', () => {
    const parsed = parseSearchText('Café');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.terms, [{ word: 'cafe', prefix: false }]);
  });

  it('refuses more than 64 words', () => {
    assert.match(matchOf('w '.repeat(65)), /too many words/);
  });
});

describe('storage/snippet', () => {
  const terms = [{ word: 'needle', prefix: false }];

  it('returns short text whole with ranges over every match', () => {
    const snippet = buildSnippet('a needle and another Needle', terms);
    assert.deepEqual(snippet, { text: 'a needle and another Needle', highlights: [{ start: 2, end: 8 }, { start: 21, end: 27 }] });
  });

  it('turns line breaks into spaces without moving the ranges', () => {
    const snippet = buildSnippet('line one\nneedle\ttab', terms);
    assert.equal(snippet.text, 'line one needle tab');
    assert.equal(snippet.text.slice(snippet.highlights[0]?.start, snippet.highlights[0]?.end), 'needle');
  });

  it('opens the window at a word boundary before the first match', () => {
    const snippet = buildSnippet(`${'abcdefghij '.repeat(20)}needle`, terms);
    assert.ok(snippet.text.startsWith('…abcdefghij'));
  });

  it('matches prefix terms', () => {
    const snippet = buildSnippet('serialization', [{ word: 'serial', prefix: true }]);
    assert.deepEqual(snippet.highlights, [{ start: 0, end: 13 }]);
  });

  it('never splits a surrogate pair at the end of the window', () => {
    const snippet = buildSnippet(`${'x'.repeat(239)}🚀 tail`, [{ word: 'zzz', prefix: false }]);
    assert.ok(!/[\uD800-\uDBFF]…$/.test(snippet.text));
  });
});
