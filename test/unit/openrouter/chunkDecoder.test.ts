/**
 * The chunk decoder's fast path must never change what a stream means: every test runs the
 * same events through ChunkDecoder and through the full check alone (`parseChunk` per event)
 * and requires the same chunks, in order, with the same skips.
 */
import assert from 'node:assert/strict';
import { ChunkDecoder } from '../../../src/extension/openrouter/chunkDecoder';
import { buildTemplate, matchTemplate, widenTemplate } from '../../../src/extension/openrouter/chunkTemplate';
import { isRejection, parseChunk, type StreamChunk } from '../../../src/extension/openrouter/sse';

interface Decoded {
  chunks: StreamChunk[];
  skips: number;
  /** How many chunks took the fast path. */
  fast: number;
  done: boolean;
}

/** What the decoder delivers, a fast-path text applied to the chunk before it as its contract says. */
function decode(events: readonly string[], readSize = 1 << 20): Decoded {
  return decodeSse(events.map((e) => `data: ${e}\n\n`).join(''), readSize);
}

function decodeSse(sse: string, readSize = 1 << 20, stopAfter = Infinity): Decoded {
  const out: Decoded = { chunks: [], skips: 0, fast: 0, done: false };
  const decoder: ChunkDecoder = new ChunkDecoder({
    onChunk: (c) => out.chunks.push(c),
    onText: (kind, text) => {
      const last = out.chunks.at(-1);
      assert.ok(last, 'a fast-path text before any chunk');
      out.chunks.push({ ...last, [kind]: text });
      out.fast++;
      if (out.chunks.length >= stopAfter) decoder.stop();
    },
    onDone: () => (out.done = true),
    onSkip: () => out.skips++,
  });
  const bytes = new TextEncoder().encode(sse);
  for (let o = 0; o < bytes.length; o += readSize) decoder.push(bytes.subarray(o, o + readSize));
  decoder.end();
  return out;
}

/** The meaning of the same events by the full check alone. */
function reference(events: readonly string[]): Decoded {
  const out: Decoded = { chunks: [], skips: 0, fast: 0, done: false };
  for (const e of events) {
    if (e === '[DONE]') {
      out.done = true;
      break;
    }
    const c = parseChunk(e);
    if (isRejection(c)) out.skips++;
    else out.chunks.push(c);
  }
  return out;
}

function assertSameMeaning(events: readonly string[], readSize?: number): Decoded {
  const got = decode(events, readSize);
  const want = reference(events);
  assert.deepEqual(got.chunks, want.chunks);
  assert.equal(got.skips, want.skips);
  assert.equal(got.done, want.done);
  return got;
}

// The envelope exactly as OpenRouter sends it: every field but the text repeats.
const envelope = { id: 'gen-1', provider: 'OpenAI', model: 'openai/gpt-4o-mini', object: 'chat.completion.chunk', created: 1764100000 };
const text = (content: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    ...envelope,
    ...extra,
    choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: null, native_finish_reason: null, logprobs: null }],
  });
const reasoning = (r: string): string =>
  JSON.stringify({ ...envelope, choices: [{ index: 0, delta: { role: 'assistant', content: '', reasoning: r }, finish_reason: null }] });
const finish = JSON.stringify({ ...envelope, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: 'stop' }] });
const usage = JSON.stringify({ ...envelope, choices: [], usage: { prompt_tokens: 3, completion_tokens: 5, cost: 0.0001 } });

describe('ChunkDecoder', () => {
  it('reads a chunk that repeats the last but for its text without the full parse', () => {
    const got = assertSameMeaning([text('Hel'), text('lo'), text(', '), text('world'), finish, usage, '[DONE]']);
    assert.equal(got.fast, 3);
  });

  it('reads the same when the events arrive cut into small reads', () => {
    const events = [text('Hé'), text('llo 🙂'), text('wörld'), finish, '[DONE]'];
    for (const size of [1, 2, 7, 64]) assert.equal(assertSameMeaning(events, size).fast, 2);
  });

  it('reads escaped and non-ASCII text exactly', () => {
    const got = assertSameMeaning([text('a'), text('"quoted"'), text('back\\slash'), text('line\nbreak\ttab'), text('\u2028é🙂'), text(''), text('\u0001')]);
    assert.equal(got.fast, 6);
  });

  it('takes the full path for reasoning, and a reasoning run has its own fast path', () => {
    const got = assertSameMeaning([reasoning('think'), reasoning('ing'), text('an'), text('swer'), finish]);
    assert.equal(got.fast, 2);
  });

  it('announces every change of envelope: the full path runs for a new id, model, provider or field', () => {
    const events = [
      text('a'),
      text('b'),
      text('c', { id: 'gen-2' }),
      text('d', { id: 'gen-2' }),
      text('e'), // back to gen-1: announced again
      text('f', { model: 'other/model' }),
      text('g', { provider: 'Azure' }),
      text('h', { system_fingerprint: 'fp' }),
      text('i'),
    ];
    const got = assertSameMeaning(events);
    assert.deepEqual(
      got.chunks.map((c) => [c.id, c.model, c.provider, c.content]),
      events.map((e) => {
        const c = parseChunk(e) as StreamChunk;
        return [c.id, c.model, c.provider, c.content];
      }),
    );
  });

  it('skips a repeated chunk whose text is not a valid string, as the full check does', () => {
    const good = text('ok');
    const [before, after] = good.split('"ok"') as [string, string];
    const hostile = [
      `${before}42${after}`,
      `${before}null${after}`,
      `${before}{"a":1}${after}`,
      `${before}"raw\ttab"${after}`, // a control character inside a JSON string is not JSON
      `${before}"unterminated${after}`,
      `${before}"a","content":"b"${after}`, // a second content key: the last one wins
      `${before}"a"  ${after}`,
      `${before}"x\\u0041"${after}`,
      `${before}"bad escape \\q"${after}`,
    ];
    assertSameMeaning([good, ...hostile, text('end')]);
  });

  it('keeps the fast path through skipped events, unknown events and comments', () => {
    const sse = [
      `data: ${text('a')}\n\n`,
      'data: {not json\n\n',
      `event: something-new\ndata: ${text('NOT TEXT')}\n\n`,
      ': OPENROUTER PROCESSING\n\n',
      `data: ${text('b')}\r\n\r\n`,
      `data: ${text('c')}\n\n`,
    ].join('');
    const got = decodeSse(sse);
    assert.deepEqual(got.chunks.map((c) => c.content), ['a', 'b', 'c']);
    assert.equal(got.fast, 2);
    assert.equal(got.skips, 1);
  });

  it('never treats a lookalike key elsewhere in the chunk as the text', () => {
    // The last `"content":` is a top-level key, not the delta's text: no template may come of it.
    const events = ['a', 'b', 'c'].map((c) =>
      JSON.stringify({ ...envelope, choices: [{ delta: { content: c } }], content: 'top' }),
    );
    assertSameMeaning(events);
    const data = events[0]!;
    assert.equal(buildTemplate(data, parseChunk(data) as StreamChunk, 'content'), undefined);
    // Even when the lookalike holds the same text as the delta, only the delta's text is read.
    const same = ['a', 'b', 'c'].map((top) => JSON.stringify({ ...envelope, choices: [{ delta: { content: 'a' } }], content: top }));
    assert.deepEqual(assertSameMeaning(same).chunks.map((c) => c.content), ['a', 'a', 'a']);
  });

  it('cuts a template around the delta’s text only when the probe proves it', () => {
    const data = text('hello');
    const t = buildTemplate(data, parseChunk(data) as StreamChunk, 'content');
    assert.ok(t);
    assert.equal(matchTemplate(t, text('other')), 'other');
    assert.equal(matchTemplate(t, text('other', { id: 'gen-2' })), undefined);
    assert.equal(matchTemplate(t, finish), undefined);
  });

  it('keeps the fast path when every chunk carries its own number (a per-chunk `created`)', () => {
    const stamped = (n: number, content: string): string => text(content, { created: 1764100000 + n });
    const events = Array.from({ length: 8 }, (_, n) => stamped(n * 37, `w${n} `));
    // The first chunk cuts a template, the second shows which number changes, the rest match it.
    assert.equal(assertSameMeaning(events).fast, 6);
    // A number after the text (a sequence number behind `choices`), negative and fractional ones.
    const seq = (n: number | string, content: string): string =>
      JSON.stringify({ ...envelope, choices: [{ index: 0, delta: { content }, finish_reason: null }], seq: n });
    assert.equal(assertSameMeaning([seq(1, 'a'), seq(2, 'b'), seq(-3.5, 'c'), seq(4e-7, 'd'), seq(0, 'e'), seq(10, 'f')]).fast, 4);
  });

  it('gives a number slot only to a whole number value the check does not read', () => {
    // Digits inside a read string (the id) are not a number: every chunk is announced.
    const ids = ['gen-1', 'gen-2', 'gen-3', 'gen-4'].map((id, n) => text(`t${n}`, { id }));
    const got = assertSameMeaning(ids);
    assert.equal(got.fast, 0);
    assert.deepEqual(got.chunks.map((c) => c.id), ['gen-1', 'gen-2', 'gen-3', 'gen-4']);
    // Digits inside an unread string, and in a key, are not a number slot either (the probe fails).
    const a = text('a', { system_fingerprint: 'fp_1' });
    const b = text('b', { system_fingerprint: 'fp_2' });
    const last = buildTemplate(a, parseChunk(a) as StreamChunk, 'content');
    assert.ok(last);
    assert.equal(widenTemplate(last, b, parseChunk(b) as StreamChunk), undefined);
    const keyed = (k: string, c: string): string => JSON.stringify({ ...envelope, [k]: 1, choices: [{ delta: { content: c } }] });
    const ka = keyed('k1', 'a');
    const kt = buildTemplate(ka, parseChunk(ka) as StreamChunk, 'content');
    assert.ok(kt);
    assert.equal(widenTemplate(kt, keyed('k2', 'b'), parseChunk(keyed('k2', 'b')) as StreamChunk), undefined);
    // Two numbers changing at once: no slot, the full check for each.
    const two = [1, 2, 3, 4].map((n) => text(`x${n}`, { created: n, seq: n }));
    assert.equal(assertSameMeaning(two).fast, 0);
  });

  it('skips a chunk whose number slot holds anything but one number, as the full check does', () => {
    const stamped = (created: string, content: string): string => text(content, { created: 0 }).replace('"created":0', `"created":${created}`);
    const hostile = ['"1"', '1.', '01', '-', '1e', '+1', 'true', 'null', '{}', '[1]', '1 ', ' 1', '1,"x":2', '--1', '1e+', '.5', '1.5e3'];
    for (const h of hostile) assertSameMeaning([stamped('1', 'a'), stamped('2', 'b'), stamped('3', 'c'), stamped(h, 'd'), stamped('4', 'e')]);
  });

  it('stops after [DONE] and after stop()', () => {
    const got = decode([text('a'), '[DONE]', text('b')]);
    assert.deepEqual(got.chunks.map((c) => c.content), ['a']);
    assert.equal(got.done, true);
    const stopped = decodeSse([text('a'), text('b'), text('c')].map((e) => `data: ${e}\n\n`).join(''), 1 << 20, 2);
    assert.deepEqual(stopped.chunks.map((c) => c.content), ['a', 'b']);
  });

  it('means the same as the full check on randomly damaged streams whose chunks carry their own numbers', () => {
    const random = seeded(1515);
    const alphabet = ['"', '\\', ',', ':', '{', '}', '0', '9', '-', '.', 'e', 'E', '+', ' ', 'a'];
    const numbers = ['0', '7', '-1', '2.5', '1e3', '1764100000', '-0.25E-2'];
    let fast = 0;
    for (let round = 0; round < 1000; round++) {
      const events: string[] = [];
      const before = random(2) === 0;
      for (let i = 0; i < 6; i++) {
        const n = numbers[random(numbers.length)]!;
        const e =
          before
            ? text(`w${i} `, { created: 0 }).replace('"created":0', `"created":${n}`)
            : JSON.stringify({ ...envelope, choices: [{ index: 0, delta: { content: `v${i}` }, finish_reason: null }], seq: 0 }).replace('"seq":0', `"seq":${n}`);
        events.push(random(3) === 0 ? damage(e, random, alphabet) : e);
      }
      fast += assertSameMeaning(events).fast;
    }
    // The damaged streams must have gone through number slots, not only the full check.
    assert.ok(fast > 1000, `only ${fast} chunks took the fast path`);
  });

  it('means the same as the full check on thousands of randomly damaged streams', () => {
    const random = seeded(15);
    const alphabet = ['"', '\\', ',', ':', '{', '}', '[', ']', 'a', ' ', '\t', 'u', '0', 'n', 'é', '🙂'];
    for (let round = 0; round < 1000; round++) {
      const events: string[] = [];
      for (let i = 0; i < 6; i++) {
        const e = random(3) === 0 ? reasoning(`r${i}`) : text(`w${i} `);
        events.push(random(3) === 0 ? damage(e, random, alphabet) : e);
      }
      assertSameMeaning(events.filter((e) => !e.includes('\n')));
    }
  });
});

/** A small deterministic generator: the same damaged streams on every run. */
function seeded(seed: number): (n: number) => number {
  return (n) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
}

/** Damages one place of an event: inserts, deletes or replaces a character. */
function damage(event: string, random: (n: number) => number, alphabet: readonly string[]): string {
  const at = random(event.length);
  const ch = alphabet[random(alphabet.length)]!;
  const op = random(3);
  return event.slice(0, at) + (op === 1 ? '' : ch) + event.slice(op === 0 ? at : at + 1);
}
