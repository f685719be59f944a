/**
 * Chat engine figures, each against a baseline measured in the same run:
 *  - orchestrator overhead per token: the same long reply drained straight from the
 *    client (baseline) vs sent through the orchestrator (store writes, events, cost);
 *  - token counting throughput (chars/s) on prose, code and a 100k no-space run,
 *    exact (js-tiktoken, chunked) vs the fast estimate.
 */
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import { countWith, estimateTokens } from '../../src/extension/core/tokenCounter';
import { cleanup } from '../unit/storage/helpers';
import { chatHarness } from '../unit/core/chatHarness';
import { makeClient, drain } from '../unit/openrouter/harness';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function overhead(): Promise<void> {
  const h = await chatHarness({ fake: { latencyScale: 0 } });
  const { client } = makeClient(h.fake);
  const base: number[] = [];
  const ours: number[] = [];
  let tokens = 0;
  try {
    for (let i = 0; i < ROUNDS + 1; i++) {
      let t0 = performance.now();
      const drained = await drain(client.streamChat({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: `bench ${i} [[scenario:long]]` }] }));
      const direct = performance.now() - t0;
      const chunks = drained.events.filter((e) => e.type === 'content').length;
      t0 = performance.now();
      const out = await h.engine.send({ text: `bench ${i} [[scenario:long]]` });
      if (out.status !== 'started') throw new Error(out.message);
      await out.done;
      const viaEngine = performance.now() - t0;
      if (i === 0) continue; // warm-up
      tokens = chunks;
      base.push((direct * 1e6) / chunks);
      ours.push((viaEngine * 1e6) / chunks);
    }
  } finally {
    await h.close();
    await cleanup();
  }
  const b = median(base);
  const o = median(ours);
  console.log(`stream of ${tokens} content deltas, ${ROUNDS} rounds (medians):`);
  console.log(`  client alone (baseline)      ${(b / 1000).toFixed(1)} µs/token`);
  console.log(`  through the orchestrator     ${(o / 1000).toFixed(1)} µs/token`);
  console.log(`  orchestrator overhead        ${((o - b) / 1000).toFixed(1)} µs/token  (ratio ${(o / b).toFixed(2)}×)`);
}

function throughput(): void {
  const encoder = new Tiktoken(cl100k);
  const prose = 'The research terminal shows every token, cent and millisecond of a conversation. '.repeat(1500);
  const code = 'export function add(a: number, b: number): number {\n  return a + b; // sum\n}\n'.repeat(1500);
  const noSpace = 'x'.repeat(100_000);
  console.log('token counting throughput (median of 5):');
  for (const [name, text] of [['prose', prose], ['code', code], ['100k without spaces', noSpace]] as const) {
    const exact: number[] = [];
    const fast: number[] = [];
    for (let i = 0; i < 5; i++) {
      let t0 = performance.now();
      countWith(encoder, text);
      exact.push(text.length / ((performance.now() - t0) / 1000));
      t0 = performance.now();
      estimateTokens(text);
      fast.push(text.length / ((performance.now() - t0) / 1000));
    }
    const e = median(exact);
    const f = median(fast);
    console.log(`  ${name.padEnd(22)} exact ${(e / 1e6).toFixed(2)} M chars/s   estimate (baseline) ${(f / 1e6).toFixed(1)} M chars/s   exact/estimate ${(e / f).toFixed(3)}`);
  }
}

async function main(): Promise<void> {
  throughput();
  await overhead();
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
