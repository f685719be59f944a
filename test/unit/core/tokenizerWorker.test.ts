import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { CountWorkerClient, workerEncoderLoader } from '../../../src/extension/core/encoders/countClient';
import { countWith, TokenCounter } from '../../../src/extension/core/tokenCounter';

const ENCODERS = path.resolve(__dirname, '../../../src/extension/core/encoders');
const ENTRY = path.join(ENCODERS, 'countWorker.ts');
const files = { cl100k_base: path.join(ENCODERS, 'cl100k_base.ts'), o200k_base: path.join(ENCODERS, 'o200k_base.ts') };

describe('tokenizer worker', function () {
  this.timeout(120_000);
  const clients: CountWorkerClient[] = [];
  const client = (encoders: Record<string, string> = files, onError?: (m: string) => void): CountWorkerClient => {
    const c = new CountWorkerClient(ENTRY, { encoders }, onError);
    clients.push(c);
    return c;
  };
  let tmp = '';
  /** A stand-in encoding module (one token per character) for the failure cases: quick to load. */
  let chars = '';
  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'nt-tokenizer-'));
    chars = path.join(tmp, 'chars.js');
    writeFileSync(chars, 'exports.createEncoder = () => ({ encode: (text) => Array.from(text) });\n');
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    rmSync(tmp, { recursive: true, force: true });
  });

  it('counts exactly what the in-process encoder counts, for both encodings', async () => {
    const c = client();
    const texts = [
      'Hello world',
      '',
      'export const value = computeSomething(1, "file");\n'.repeat(300),
      'x'.repeat(5000) + ' tail 🙂🙂 ' + '日本語のテキスト'.repeat(200),
    ];
    for (const [name, ranks] of [['cl100k_base', cl100k], ['o200k_base', o200k]] as const) {
      const local = new Tiktoken(ranks);
      for (const text of texts) assert.equal(await c.count(name, text), countWith(local, text), `${name}: ${text.slice(0, 20)}`);
    }
  });

  it('builds an encoder without holding the host thread', async () => {
    const c = client();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await c.load('o200k_base');
    clearInterval(timer);
    // Built on the host, the encoder would hold the thread for the whole load: not one tick.
    assert.ok(ticks > 5, `the host's timer ran ${ticks} times while the encoder was built`);
  });

  it('feeds TokenCounter: counts and message framing as with an in-process encoder', async () => {
    const counter = new TokenCounter(workerEncoderLoader(client()));
    assert.equal(await counter.count('openai/gpt-4', 'Hello world'), 2);
    assert.equal(await counter.countMessage('openai/gpt-4', 'Hello world'), 2 + 4);
  });

  it('answers a failed load with its reason, keeps serving, and TokenCounter retries the load', async () => {
    const c = client({ cl100k_base: path.join(tmp, 'missing.js'), o200k_base: chars });
    await assert.rejects(c.load('cl100k_base'), /Could not count tokens: .*missing\.js/);
    assert.equal(await c.count('o200k_base', 'Hello'), 5, 'the worker still counts with the other encoding');
    let loads = 0;
    const counter = new TokenCounter(async (name) => {
      loads++;
      return workerEncoderLoader(c)(name);
    });
    await assert.rejects(counter.count('anthropic/claude-sonnet-4', 'hi'));
    await assert.rejects(counter.count('anthropic/claude-sonnet-4', 'hi'));
    assert.equal(loads, 2, 'a failed load is not cached');
  });

  it('rejects what a dead worker owed and starts a new one on the next request', async () => {
    const dying = path.join(tmp, 'dying.js');
    writeFileSync(dying, 'exports.createEncoder = () => process.exit(3);\n');
    const errors: string[] = [];
    const c = client({ cl100k_base: dying, o200k_base: chars }, (m) => errors.push(m));
    const owed = [c.load('cl100k_base'), c.count('o200k_base', 'queued behind the crash')];
    const settled = await Promise.allSettled(owed);
    for (const outcome of settled) {
      assert.equal(outcome.status, 'rejected');
      assert.match(String(outcome.status === 'rejected' && outcome.reason), /The tokenizer stopped \(exit code 3\)/);
    }
    assert.deepEqual(errors, ['tokenizer worker stopped: exit code 3']);
    assert.equal(await c.count('o200k_base', 'Hello'), 5, 'a new worker answers');
  });

  it('refuses requests once disposed', async () => {
    const c = client({ cl100k_base: chars, o200k_base: chars });
    assert.equal(await c.count('cl100k_base', 'hi'), 2);
    const inFlight = assert.rejects(c.count('cl100k_base', 'hi'), /The tokenizer stopped \(closed\)/);
    await c.dispose();
    await inFlight;
    await assert.rejects(c.count('cl100k_base', 'hi'), /closed/);
  });
});
