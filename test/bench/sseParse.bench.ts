/**
 * The per-token hot path of the OpenRouter client, in-process and network-free:
 * why `sse.ts` validates each chunk with a hand-written shape check instead of
 * zod (the house rule is zod at boundaries; this measures the exception).
 *
 * For 100k realistic chunk payloads, in one run:
 *   json   JSON.parse only (the floor)
 *   shape  parseChunk: JSON.parse + the client's shape check
 *   zod    JSON.parse + a zod schema checking the same fields
 * and the same three behind SseDecoder (bytes → UTF-8 → eventsource-parser).
 * Prints medians of CPU time over interleaved rounds and ratios (zod / shape).
 * Ratios, not absolute times, are the figures to compare across machines.
 */
import * as z from 'zod'; // namespace import: lets the bundler drop zod's unused locales (~360 KB)
import { isRejection, parseChunk, SseDecoder } from '../../src/extension/openrouter/sse';

const TOKENS = Number(process.env.BENCH_TOKENS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);

// The chunk exactly as OpenRouter sends it (fields we do not read included).
const payloads: string[] = [];
for (let i = 0; i < TOKENS; i++) {
  payloads.push(
    JSON.stringify({
      id: 'gen-1764100000-AbCdEfGhIjKlMnOpQrSt',
      provider: 'OpenAI',
      model: 'openai/gpt-4o-mini',
      object: 'chat.completion.chunk',
      created: 1764100000,
      choices: [{ index: 0, delta: { role: 'assistant', content: ` word${i % 97}` }, finish_reason: null, native_finish_reason: null, logprobs: null }],
    }),
  );
}
const sseBytes = new TextEncoder().encode(payloads.map((p) => `data: ${p}\n\n`).join(''));
// Network-sized reads, so the decoder sees events cut across pieces as it does live.
const READ = 1400;
const reads: Uint8Array[] = [];
for (let o = 0; o < sseBytes.length; o += READ) reads.push(sseBytes.subarray(o, o + READ));

const nullableString = z.string().nullish();
const count = z.number().nonnegative().nullish();
const zodChunk = z.object({
  id: nullableString,
  model: nullableString,
  provider: nullableString,
  choices: z
    .array(
      z.object({
        delta: z.object({ content: nullableString, reasoning: nullableString }).nullish(),
        finish_reason: nullableString,
      }),
    )
    .nullish(),
  usage: z
    .object({
      prompt_tokens: count,
      completion_tokens: count,
      cost: z.number().nullish(),
      prompt_tokens_details: z.object({ cached_tokens: count }).nullish(),
      completion_tokens_details: z.object({ reasoning_tokens: count }).nullish(),
    })
    .nullish(),
  error: z.object({ code: z.union([z.number(), z.string()]).nullish(), message: nullableString }).nullish(),
});

type Check = (data: string) => number;

const viaJson: Check = (data) => {
  const v = JSON.parse(data) as { choices?: Array<{ delta?: { content?: string } }> };
  return v.choices?.[0]?.delta?.content?.length ?? 0;
};
const viaShape: Check = (data) => {
  const r = parseChunk(data);
  return isRejection(r) ? 0 : (r.content?.length ?? 0);
};
const viaZod: Check = (data) => {
  const r = zodChunk.safeParse(JSON.parse(data));
  return r.success ? (r.data.choices?.[0]?.delta?.content?.length ?? 0) : 0;
};

/** CPU time (user + system) rather than wall time: other processes on a shared machine then barely move the figures. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

function timeChunks(check: Check): number {
  let sink = 0;
  const t0 = process.cpuUsage();
  for (const p of payloads) sink += check(p);
  const ms = cpuMs(t0);
  if (sink === 0) throw new Error('nothing parsed');
  return ms;
}

function timeSse(check: Check): number {
  let sink = 0;
  const t0 = process.cpuUsage();
  const decoder = new SseDecoder({ onData: (d) => (sink += check(d)), onComment: () => {}, onSyntaxError: () => {} });
  for (const r of reads) decoder.push(r);
  decoder.end();
  const ms = cpuMs(t0);
  if (sink === 0) throw new Error('nothing parsed');
  return ms;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function measure(timer: (c: Check) => number): Record<'json' | 'shape' | 'zod', number> {
  const runs = { json: [] as number[], shape: [] as number[], zod: [] as number[] };
  for (const check of [viaJson, viaShape, viaZod]) timer(check); // warm-up: JIT and zod's compiled paths
  for (let i = 0; i < ROUNDS; i++) {
    // Interleaved so drift (other load, thermal) hits all three alike.
    runs.json.push(timer(viaJson));
    runs.shape.push(timer(viaShape));
    runs.zod.push(timer(viaZod));
  }
  return { json: median(runs.json), shape: median(runs.shape), zod: median(runs.zod) };
}

function report(title: string, m: Record<'json' | 'shape' | 'zod', number>): void {
  const perToken = (ms: number) => `${((ms * 1e6) / TOKENS).toFixed(0)} ns/token`;
  console.log(`\n${title} (${TOKENS} tokens, median of ${ROUNDS})`);
  console.log(`  json  (floor)        ${m.json.toFixed(1)} ms  ${perToken(m.json)}`);
  console.log(`  shape (client)       ${m.shape.toFixed(1)} ms  ${perToken(m.shape)}`);
  console.log(`  zod                  ${m.zod.toFixed(1)} ms  ${perToken(m.zod)}`);
  console.log(`  ratio zod / shape            ${(m.zod / m.shape).toFixed(2)}×`);
  console.log(`  ratio shape / json           ${(m.shape / m.json).toFixed(2)}×`);
  const checkShape = m.shape - m.json;
  const checkZod = m.zod - m.json;
  if (checkShape > 0) console.log(`  validation only, zod / shape ${(checkZod / checkShape).toFixed(1)}×`);
}

report('chunk parse + check', measure(timeChunks));
report('bytes → SSE → chunk', measure(timeSse));
