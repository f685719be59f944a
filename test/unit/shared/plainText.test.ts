import assert from 'node:assert/strict';
import { clockTime, firstWords, forkTitle, plainText } from '../../../src/shared/plainText';

describe('plainText: markdown as the words a reader sees', () => {
  it('drops emphasis, code and fence markers, keeping the words', () => {
    assert.equal(plainText('Split on **blank lines** — each event ends with `\\n\\n`.'), 'Split on blank lines — each event ends with \\n\\n.');
    assert.equal(plainText('```ts\nconst x = 1;\n```'), 'const x = 1;');
    assert.equal(plainText('~~~\nraw\n~~~'), 'raw');
    assert.equal(plainText('an *emphasised* and _underlined_ word, snake_case kept'), 'an emphasised and underlined word, snake_case kept');
    assert.equal(plainText('<img onerror="window.__pwned=1"> ***both*** ~~gone~~'), '<img onerror="window.__pwned=1"> both gone');
  });

  it('drops heading, quote and list prefixes and link targets', () => {
    assert.equal(plainText('# Title\n> quoted\n- item one\n2. item two\n- [x] done'), 'Title quoted item one item two done');
    assert.equal(plainText('See the [WHATWG spec](https://html.spec.whatwg.org/) and ![a chart](c.png).'), 'See the WHATWG spec and a chart.');
  });

  it('keeps edge spaces when asked, so pieces of a highlighted snippet join as before', () => {
    assert.equal(plainText('parse **', { trim: false }), 'parse ');
    assert.equal(['the ', 'parser', ' **stalls**'].map((p) => plainText(p, { trim: false })).join(''), 'the parser stalls');
  });

  it('cuts first words at a word boundary', () => {
    assert.equal(firstWords('How do I parse **server-sent events** incrementally in TypeScript?', 30), 'How do I parse server-sent…');
    assert.equal(firstWords('short', 30), 'short');
  });
});

describe('forkTitle and clockTime', () => {
  it('names a fork after its fork point with a 24-hour time and plain first words', () => {
    const at = new Date(2026, 10, 25, 14, 2, 11).getTime();
    assert.equal(forkTitle(at, '**Normalise** `\\r\\n` before splitting; a chunk may end between them'), 'fork at 14:02 · Normalise \\r\\n before splitting; a…');
    assert.equal(forkTitle(at, ''), 'fork at 14:02');
    assert.equal(clockTime(new Date(2026, 0, 1, 21, 5, 9).getTime(), true), '21:05:09');
  });
});
