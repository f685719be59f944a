import { strict as assert } from 'node:assert';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import o200k from 'js-tiktoken/ranks/o200k_base';
import {
  chunkText,
  countWith,
  encoderPieces,
  MAX_RUN_CHARS,
  encodingForModel,
  estimateTokens,
  MAX_CHUNK_CHARS,
  TokenCounter,
  type EncodingName,
} from '../../../src/extension/core/tokenCounter';

const ranks = { cl100k_base: cl100k, o200k_base: o200k };
const load = async (name: EncodingName) => new Tiktoken(ranks[name]);

describe('tokenCounter', () => {
  it('chooses o200k for OpenAI 4o-class models and cl100k otherwise', () => {
    assert.equal(encodingForModel('openai/gpt-4o-mini'), 'o200k_base');
    assert.equal(encodingForModel('openai/o3-mini'), 'o200k_base');
    assert.equal(encodingForModel('openai/gpt-4'), 'cl100k_base');
    assert.equal(encodingForModel('anthropic/claude-sonnet-4'), 'cl100k_base');
  });

  it('counts a known sentence exactly', async () => {
    const counter = new TokenCounter(load);
    assert.equal(await counter.count('openai/gpt-4', 'Hello world'), 2);
  });

  it('cuts text into bounded chunks that join back to the original', () => {
    const text = 'word '.repeat(3000) + 'x'.repeat(10_000) + '🙂'.repeat(2000);
    const chunks = chunkText(text);
    assert.equal(chunks.join(''), text);
    assert.ok(chunks.every((c) => c.length <= MAX_CHUNK_CHARS));
  });

  it('never splits a surrogate pair between chunks', () => {
    const chunks = chunkText('🙂'.repeat(5000));
    for (const c of chunks) {
      const last = c.charCodeAt(c.length - 1);
      assert.ok(!(last >= 0xd800 && last <= 0xdbff), 'chunk ends with a high surrogate');
    }
  });

  it('counts 100k characters without spaces while letting the event loop run', async () => {
    const counter = new TokenCounter(load);
    await counter.encoderFor('x/y');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const n = await counter.count('x/y', 'a'.repeat(100_000));
    clearInterval(timer);
    assert.ok(n > 100_000 / 16 && n < 100_000, `got ${n}`);
    assert.ok(ticks > 0, 'the host event loop was blocked for the whole count');
  });

  it('cuts long unbroken runs into short encoder pieces and keeps the text whole', () => {
    const run = 'x'.repeat(100) + ' tail ' + '🙂'.repeat(40);
    const pieces = encoderPieces(run);
    assert.equal(pieces.join(''), run);
    assert.ok(pieces.every((p) => p.trim().length <= MAX_RUN_CHARS || /\s/.test(p)));
  });

  it('stays within 1% of the exact count on base64-like text', async () => {
    const encoder = await load('cl100k_base');
    const b64 = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)).toString('base64');
    const exact = encoder.encode(b64).length;
    const ours = countWith(encoder, b64);
    assert.ok(Math.abs(exact - ours) / exact < 0.01, `${exact} vs ${ours}`);
  });

  it('keeps chunked counts within 1% of whole-text counts on prose', async () => {
    const encoder = await load('cl100k_base');
    const prose = 'The quick brown fox jumps over the lazy dog. '.repeat(400);
    const whole = encoder.encode(prose).length;
    const chunked = countWith(encoder, prose);
    assert.ok(Math.abs(whole - chunked) / whole < 0.01, `${whole} vs ${chunked}`);
  });

  it('loads each encoding once and retries after a failed load', async () => {
    let calls = 0;
    let fail = true;
    const counter = new TokenCounter(async (name) => {
      calls++;
      if (fail) throw new Error('disk');
      return load(name);
    });
    await assert.rejects(counter.count('x/y', 'hi'));
    fail = false;
    assert.equal(await counter.count('x/y', 'hi'), 1);
    await counter.count('x/z', 'hi');
    assert.equal(calls, 2);
  });

  it('warm starts the load without a count, once; a failed warm leaves the count to retry', async () => {
    const loads: EncodingName[] = [];
    let fail = true;
    const counter = new TokenCounter(async (name) => {
      loads.push(name);
      if (fail) throw new Error('disk');
      return load(name);
    });
    counter.warm('openai/gpt-4');
    assert.deepEqual(loads, ['cl100k_base'], 'the load started at once');
    await new Promise((r) => setImmediate(r));
    assert.equal(counter.isReady('openai/gpt-4'), false, 'a failed load is not ready');
    fail = false;
    assert.equal(await counter.count('openai/gpt-4', 'Hello world'), 2);
    assert.equal(counter.isReady('openai/gpt-4'), true);
    assert.equal(counter.isReady('openai/gpt-4o'), false, 'another encoding is not loaded by it');
    assert.deepEqual(loads, ['cl100k_base', 'cl100k_base'], 'the failed warm was not kept');
    counter.warm('openai/gpt-4');
    await counter.count('openai/gpt-4', 'hi');
    assert.equal(loads.length, 2, 'a warm encoder is reused');
  });

  it('estimates roughly four ASCII characters per token', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('abcdefgh'), 2);
    assert.ok(estimateTokens('日本語のテキスト') >= 5);
  });
});
