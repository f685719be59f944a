/**
 * CPU cost of consuming one long reply from the fake OpenRouter (run in a child
 * process, so only the client side is measured), all in the same run:
 *   (a) raw      fetch + read every byte, nothing else (the floor)
 *   (b) parse    fetch + TextDecoder + eventsource-parser + JSON.parse per event (the parse floor)
 *   (c) sdk      the `openai` npm SDK's streaming — only if `openai` is installed
 *   (d) client   OpenRouterClient.streamChat with a consumer that dispatches on the
 *                event type and accumulates text and cost, as the orchestrator will
 * Goal from the issue: (d) ≤ 1.25 × (b). Also the time-to-first-token overhead of
 * the client over (b) on short replies (medians of alternating runs).
 * CPU = process.cpuUsage() user+system across the whole consumption.
 *
 * Two tables: over real sockets (the fake writes every event in its own TCP
 * segment, so per-read I/O dominates), and the same recorded bytes replayed from
 * memory in 16 KB reads through each variant's `fetch` (the per-event work alone).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { createParser } from 'eventsource-parser';
import { add, toDecimalString, ZERO, type Usd } from '../../src/shared/money';
import { OpenRouterClient } from '../../src/extension/openrouter/client';
import { systemClock } from '../../src/extension/base/clock';

const root = path.resolve(__dirname, '..', '..');
// The fake bills ceil(chars / 4) tokens; "tok " is one token, four per `long` chunk.
const TOKENS = Number(process.env.BENCH_TOKENS ?? 100_000);
const TTFT_RUNS = Number(process.env.BENCH_TTFT_RUNS ?? 25);
// BENCH_ROUNDS=0 skips the slow socket table (the fake spaces events ≥ 1 ms apart).
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REPLAY_ROUNDS = Number(process.env.BENCH_REPLAY_ROUNDS ?? 7);
const KEY = 'sk-or-v1-bench';
const MODEL = 'openai/gpt-4o-mini';
const prompt = `${'tok '.repeat(TOKENS)}[[scenario:long]]`;
const shortPrompt = 'hi';

interface Figures {
  cpuMs: number;
  wallMs: number;
  events: number;
  chars: number;
}

function startFake(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['test/fixtures/serve.ts', '--latency-scale', '0', '--max-lifetime-sec', '1800'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^FAKE_OPENROUTER_URL=(.+)$/.exec(line);
      if (m?.[1]) resolve({ url: m[1], child });
    });
    child.once('exit', (code) => reject(new Error(`fake server exited (${code})`)));
  });
}

type Fetch = (url: string, init: RequestInit) => Promise<Response>;
const socketFetch: Fetch = (u, init) => fetch(u, init);

/** A fetch that answers every request with `bytes`, delivered in reads of `readSize`. */
function replayFetch(bytes: Uint8Array, readSize: number): Fetch {
  return async () => {
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(offset, offset + readSize));
        offset += readSize;
      },
    });
    return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
  };
}

async function record(url: string, text: string): Promise<Uint8Array> {
  const res = await post(socketFetch, url, text);
  return new Uint8Array(await res.arrayBuffer());
}

function post(f: Fetch, url: string, text: string): Promise<Response> {
  return f(`${url}/chat/completions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json', Accept: 'text/event-stream' },
    body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: text }], stream: true }),
  });
}

async function measure(run: () => Promise<{ events: number; chars: number }>): Promise<Figures> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { events, chars } = await run();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs, events, chars };
}

async function raw(f: Fetch, url: string, text: string): Promise<{ events: number; chars: number }> {
  const res = await post(f, url, text);
  const reader = res.body!.getReader();
  let bytes = 0;
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    bytes += r.value.byteLength;
  }
  return { events: 0, chars: bytes };
}

/** (b); `onFirst` fires at the first non-empty content (for TTFT). */
async function parseFloor(f: Fetch, url: string, text: string, onFirst?: () => void): Promise<{ events: number; chars: number }> {
  const res = await post(f, url, text);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let events = 0;
  let chars = 0;
  let done = false;
  const parser = createParser({
    onEvent: (e) => {
      if (e.data === '[DONE]') {
        done = true;
        return;
      }
      const chunk = JSON.parse(e.data) as { choices?: Array<{ delta?: { content?: string } }> };
      const content = chunk.choices?.[0]?.delta?.content;
      events++;
      if (content) {
        if (chars === 0) onFirst?.();
        chars += content.length;
      }
    },
  });
  while (!done) {
    const r = await reader.read();
    if (r.done) break;
    parser.feed(decoder.decode(r.value, { stream: true }));
  }
  await reader.cancel().catch(() => {});
  return { events, chars };
}

function makeClient(f: Fetch, url: string): OpenRouterClient {
  const quiet = () => {};
  return new OpenRouterClient({
    baseUrl: () => url,
    apiKey: async () => KEY,
    fetch: f,
    clock: systemClock,
    logger: { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet },
    random: Math.random,
  });
}

/** (d); the consumer does what the orchestrator will: dispatch, accumulate text and cost. */
async function client(c: OpenRouterClient, text: string, onFirst?: () => void): Promise<{ events: number; chars: number }> {
  let events = 0;
  let chars = 0;
  let cost: Usd = ZERO;
  for await (const e of c.streamChat({ model: MODEL, messages: [{ role: 'user', content: text }] })) {
    events++;
    switch (e.type) {
      case 'content':
        if (chars === 0) onFirst?.();
        chars += e.text.length;
        break;
      case 'usage':
        if (e.cost) cost = add(cost, e.cost);
        break;
      default:
        break;
    }
  }
  if (toDecimalString(cost) === '0') throw new Error('no usage cost received');
  return { events, chars };
}

type SdkStream = AsyncIterable<{ choices?: Array<{ delta?: { content?: string | null } }> }>;
interface SdkClient {
  chat: { completions: { create(body: unknown): Promise<SdkStream> } };
}

async function loadSdk(f: Fetch, url: string): Promise<SdkClient | undefined> {
  const name = 'openai'; // not a dependency: a variable keeps tsc and bundlers from requiring it
  try {
    const mod = (await import(name)) as { default: new (o: { baseURL: string; apiKey: string; fetch: Fetch; maxRetries: number }) => SdkClient };
    return new mod.default({ baseURL: url, apiKey: KEY, fetch: f, maxRetries: 0 });
  } catch {
    return undefined;
  }
}

async function sdk(s: SdkClient, text: string): Promise<{ events: number; chars: number }> {
  let events = 0;
  let chars = 0;
  const stream = await s.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: text }], stream: true });
  for await (const chunk of stream) {
    events++;
    chars += chunk.choices?.[0]?.delta?.content?.length ?? 0;
  }
  return { events, chars };
}

async function ttft(run: (onFirst: () => void) => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  let first = NaN;
  await run(() => {
    first = performance.now() - t0;
  });
  return first;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

type Run = () => Promise<{ events: number; chars: number }>;

/** Rounds rotate the order so warm-up and background load do not favour one variant; medians are reported. */
async function table(title: string, f: Fetch, url: string, text: string, rounds: number): Promise<void> {
  const c = makeClient(f, url);
  const sdkClient = await loadSdk(f, url);
  const variants: Array<[string, Run]> = [
    ['a', () => raw(f, url, text)],
    ['b', () => parseFloor(f, url, text)],
    ...(sdkClient ? [['c', () => sdk(sdkClient, text)] as [string, Run]] : []),
    ['d', () => client(c, text)],
  ];
  for (const [, run] of variants) await run(); // warm-up: JIT, connection pool
  const runs = new Map<string, Figures[]>(variants.map(([k]) => [k, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const [key, run] = variants[(i + round) % variants.length]!;
      runs.get(key)!.push(await measure(run));
    }
  }
  const pick = (key: string): Figures | undefined => {
    const fs = runs.get(key);
    if (!fs || fs.length === 0) return undefined;
    return { ...fs[0]!, cpuMs: median(fs.map((x) => x.cpuMs)), wallMs: median(fs.map((x) => x.wallMs)) };
  };
  const a = pick('a')!;
  const b = pick('b')!;
  const cs = pick('c');
  const d = pick('d')!;
  if (d.chars !== b.chars) throw new Error(`client read ${d.chars} chars, parse floor ${b.chars}`);
  const line = (name: string, x: Figures | undefined, note = '') =>
    console.log(
      x
        ? `  ${name.padEnd(30)} cpu ${x.cpuMs.toFixed(0).padStart(6)} ms   wall ${x.wallMs.toFixed(0).padStart(6)} ms   ${(x.cpuMs / b.cpuMs).toFixed(2)}× (b)${note}`
        : `  ${name.padEnd(30)} skipped${note}`,
    );
  console.log(`\n${title}: ~${TOKENS} tokens (${b.events} SSE chunks, ${b.chars} chars), median of ${rounds}`);
  line('(a) raw byte read', a);
  line('(b) fetch+parser+JSON.parse', b);
  line('(c) openai SDK', cs, cs ? '' : ' (the `openai` package is not installed)');
  line('(d) OpenRouterClient', d);
  console.log(`  ratio (d) / (b)                ${(d.cpuMs / b.cpuMs).toFixed(2)}×  (goal ≤ 1.25×)`);
  if (cs) console.log(`  ratio (c) / (d)                ${(cs.cpuMs / d.cpuMs).toFixed(2)}×  (goal ≥ 6×)`);
}

async function main(): Promise<void> {
  const { url, child } = await startFake();
  try {
    if (ROUNDS > 0) await table('Over sockets, fake server in a child process', socketFetch, url, prompt, ROUNDS);
    const bytes = await record(url, prompt);
    await table('Replayed from memory in 16 KB reads (no sockets)', replayFetch(bytes, 16 * 1024), url, prompt, REPLAY_ROUNDS);

    const c = makeClient(socketFetch, url);
    // The server may have closed the pooled keep-alive socket while the replay ran;
    // the first request after that can meet the closed socket, so it is a throwaway.
    await raw(socketFetch, url, shortPrompt).catch(() => undefined);
    const floor: number[] = [];
    const ours: number[] = [];
    for (let i = 0; i < TTFT_RUNS; i++) {
      floor.push(await ttft((f) => parseFloor(socketFetch, url, shortPrompt, f)));
      ours.push(await ttft((f) => client(c, shortPrompt, f)));
    }
    const mf = median(floor);
    const mo = median(ours);
    console.log(`\nTime to first token, short reply over sockets, median of ${TTFT_RUNS} alternating runs`);
    console.log(`  (b) parse floor   ${mf.toFixed(2)} ms`);
    console.log(`  (d) client        ${mo.toFixed(2)} ms`);
    console.log(`  overhead (d) − (b) ${(mo - mf).toFixed(2)} ms  (goal < 5 ms)`);
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
