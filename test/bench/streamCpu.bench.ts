/**
 * CPU cost of consuming one long reply from the fake OpenRouter (run in a child
 * process, so only the client side is measured), all in the same run:
 *   (a) raw      fetch + read every byte, nothing else (the floor)
 *   (b) parse    fetch + TextDecoder + eventsource-parser + JSON.parse per event (the parse floor)
 *   (c) sdk      the `openai` npm SDK's streaming — only if `openai` is installed
 *   (d) client   OpenRouterClient.streamChat with a consumer that dispatches on the
 *                event type and accumulates text and cost, as the orchestrator will
 * Goal from the issue: (d) ≤ 1.1 × (b). Also the time-to-first-token overhead of
 * the client over (b) on short replies (medians of alternating runs).
 *
 * Made to be read on a shared, loaded machine:
 * - CPU, not wall time: the main thread's own CPU time (the process's minus its other
 *   threads', Linux only), so waiting for a core and other processes do not count; the
 *   process total (`process.cpuUsage`, GC and compiler threads included) beside it.
 * - A full GC before every measured run, so one variant's garbage is not collected
 *   (and billed) during the next variant's run.
 * - Many rounds with the variants interleaved in a rotating order; (d)/(b) is taken
 *   per round (both ran seconds apart under the same load) and reported as the median
 *   with its spread, beside the load average before and after.
 *
 * Tables: over real sockets (the fake writes every event in its own TCP segment, so
 * per-read I/O dominates); the same recorded bytes replayed from memory in 16 KB
 * reads through each variant's `fetch` (the per-event work alone); replayed one event
 * per read (the per-read work without the socket's noise); the 16 KB replay with a
 * different `created` in every chunk (the fast path's number slot); and with a number and
 * a string different in every chunk (the full check on every chunk: the client's worst case).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createParser } from 'eventsource-parser';
import { add, toDecimalString, ZERO, type Usd } from '../../src/shared/money';
import { OpenRouterClient } from '../../src/extension/openrouter/client';
import { systemClock } from '../../src/extension/base/clock';

const root = path.resolve(__dirname, '..', '..');
// The fake bills ceil(chars / 4) tokens; "tok " is one token, four per `long` chunk.
const TOKENS = Number(process.env.BENCH_TOKENS ?? 100_000);
// The fake spaces socket events ≥ 1 ms apart: fewer tokens there, so more rounds fit.
const SOCKET_TOKENS = Number(process.env.BENCH_SOCKET_TOKENS ?? 20_000);
const TTFT_RUNS = Number(process.env.BENCH_TTFT_RUNS ?? 25);
// BENCH_ROUNDS=0 skips the slow socket table.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const REPLAY_ROUNDS = Number(process.env.BENCH_REPLAY_ROUNDS ?? 21);
const KEY = 'sk-or-v1-bench';
const MODEL = 'openai/gpt-4o-mini';
const promptOf = (tokens: number): string => `${'tok '.repeat(tokens)}[[scenario:long]]`;
const shortPrompt = 'hi';

interface Figures {
  /** This thread's CPU time (the process total where schedstat is unavailable). */
  threadMs: number;
  /** The whole process, GC and other helper threads included. */
  processMs: number;
  wallMs: number;
  events: number;
  chars: number;
}

// The main thread's CPU time: the process's (getrusage brings the calling thread's own figure
// up to date) minus every other thread's (schedstat, in ns). The main thread's own schedstat,
// like process.threadCpuUsage, lags by up to a scheduler tick (~4 ms here): too coarse.
const SELF = String(process.pid);
function otherThreadsNs(): number | undefined {
  try {
    let sum = 0;
    for (const tid of readdirSync('/proc/self/task')) {
      if (tid === SELF) continue;
      try {
        sum += Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'latin1').split(' ', 1)[0]);
      } catch {
        // The thread ended between the listing and the read.
      }
    }
    return sum;
  } catch {
    return undefined;
  }
}
const HAS_THREAD_CPU = otherThreadsNs() !== undefined;

v8.setFlagsFromString('--expose-gc');
const fullGc = vm.runInNewContext('gc') as () => void;

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

/** A fetch that answers with `pieces`, one per read (one SSE event each, as a slow model's socket gives them). */
function replayPiecesFetch(pieces: readonly Uint8Array[]): Fetch {
  return async () => {
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i >= pieces.length) return controller.close();
        controller.enqueue(pieces[i++]!);
      },
    });
    return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
  };
}

/** The recorded bytes cut after every blank line that ends an event. */
function eventPieces(bytes: Uint8Array): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (let i = 1; i < bytes.length; i++) {
    if (bytes[i] === 10 && bytes[i - 1] === 10) {
      pieces.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) pieces.push(bytes.subarray(start));
  return pieces;
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
  fullGc();
  const others0 = otherThreadsNs();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { events, chars } = await run();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const others1 = otherThreadsNs();
  const processMs = (cpu.user + cpu.system) / 1000;
  const threadMs = others0 !== undefined && others1 !== undefined ? processMs - (others1 - others0) / 1e6 : processMs;
  return { threadMs, processMs, wallMs, events, chars };
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

const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.round((xs.length - 1) * q)] ?? NaN;
const median = (xs: number[]): number => quantile(xs, 0.5);
const load = (): string => os.loadavg()[0]!.toFixed(1);

type Run = () => Promise<{ events: number; chars: number }>;

/** Median of per-round ratios, with the interquartile range and the extremes. */
function spread(ratios: number[]): string {
  const f = (q: number) => quantile(ratios, q).toFixed(2);
  return `${f(0.5)}×  (IQR ${f(0.25)}–${f(0.75)}, range ${f(0)}–${f(1)})`;
}

/**
 * Rounds rotate the order so warm-up and background load do not favour one variant; ratios
 * are paired by round, so a load change between rounds moves both sides of each ratio.
 */
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
  const loadBefore = load();
  const runs = new Map<string, Figures[]>(variants.map(([k]) => [k, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const [key, run] = variants[(i + round) % variants.length]!;
      runs.get(key)!.push(await measure(run));
    }
  }
  const bs = runs.get('b')!;
  const ds = runs.get('d')!;
  if (ds[0]!.chars !== bs[0]!.chars) throw new Error(`client read ${ds[0]!.chars} chars, parse floor ${bs[0]!.chars}`);
  const per = (key: string, pick: (x: Figures) => number): number[] => runs.get(key)!.map((x, i) => pick(x) / pick(bs[i]!));
  const bThread = median(bs.map((x) => x.threadMs));
  const line = (name: string, key: string, note = ''): void => {
    const fs = runs.get(key);
    if (!fs) return console.log(`  ${name.padEnd(30)} skipped${note}`);
    const thread = median(fs.map((x) => x.threadMs));
    const proc = median(fs.map((x) => x.processMs));
    const wall = median(fs.map((x) => x.wallMs));
    console.log(
      `  ${name.padEnd(30)} ${thread.toFixed(1).padStart(7)} ms ${proc.toFixed(1).padStart(8)} ms ${wall.toFixed(0).padStart(7)} ms   ${(thread / bThread).toFixed(2)}× (b)${note}`,
    );
  };
  const b = bs[0]!;
  console.log(`\n${title}: ${b.events} SSE chunks, ${b.chars} chars; ${rounds} rounds; load average ${loadBefore} → ${load()}`);
  console.log(`  ${''.padEnd(30)} ${HAS_THREAD_CPU ? 'thread CPU' : 'CPU (proc)'}   proc CPU      wall   (medians)`);
  line('(a) raw byte read', 'a');
  line('(b) fetch+parser+JSON.parse', 'b');
  line('(c) openai SDK', 'c', runs.has('c') ? '' : ' (the `openai` package is not installed)');
  line('(d) OpenRouterClient', 'd');
  console.log(`  (d)/(b) ${HAS_THREAD_CPU ? 'thread' : 'process'} CPU, per round   ${spread(per('d', (x) => x.threadMs))}  goal ≤ 1.1×`);
  if (HAS_THREAD_CPU) console.log(`  (d)/(b) process CPU, per round  ${spread(per('d', (x) => x.processMs))}`);
  // Where per-read I/O dominates, a ratio near 1 hides the client's own cost; the difference shows it.
  const extraUs = ds.map((x, i) => ((x.threadMs - bs[i]!.threadMs) * 1000) / b.events);
  console.log(`  (d)−(b) per chunk, per round     ${quantile(extraUs, 0.5).toFixed(2)} µs  (IQR ${quantile(extraUs, 0.25).toFixed(2)}–${quantile(extraUs, 0.75).toFixed(2)})`);
  if (runs.has('c')) console.log(`  (c)/(d) CPU, per round          ${spread(runs.get('c')!.map((x, i) => x.threadMs / ds[i]!.threadMs))}  goal ≥ 6×`);
}

/**
 * The same stream with a different `created` in every chunk (a provider stamping each chunk
 * with its own time); with `fingerprint`, also a different string in every chunk, so no chunk
 * takes the client's fast path.
 */
function varyEveryChunk(bytes: Uint8Array, fingerprint = false): Uint8Array {
  let n = 0;
  const text = new TextDecoder().decode(bytes).replace(/"created":\d+/g, () => {
    n++;
    return `"created":${1_700_000_000 + n}${fingerprint ? `,"system_fingerprint":"fp_${n.toString(36)}"` : ''}`;
  });
  return new TextEncoder().encode(text);
}

async function main(): Promise<void> {
  const { url, child } = await startFake();
  try {
    console.log(`CPU per token; ${HAS_THREAD_CPU ? "the main thread's CPU time" : 'process CPU time (no per-thread figures here)'}, a full GC before each run`);
    if (ROUNDS > 0) await table(`Over sockets, fake server in a child process, ~${SOCKET_TOKENS} tokens`, socketFetch, url, promptOf(SOCKET_TOKENS), ROUNDS);
    const prompt = promptOf(TOKENS);
    const bytes = await record(url, prompt);
    await table(`Replayed from memory in 16 KB reads (no sockets), ~${TOKENS} tokens`, replayFetch(bytes, 16 * 1024), url, prompt, REPLAY_ROUNDS);
    await table(
      `The same bytes replayed one event per read (as a slow model's socket delivers them), ~${TOKENS} tokens`,
      replayPiecesFetch(eventPieces(bytes)),
      url,
      prompt,
      REPLAY_ROUNDS,
    );
    await table(
      `The same replay, every chunk with its own \`created\` (the fast path's number slot), ~${TOKENS} tokens`,
      replayFetch(varyEveryChunk(bytes), 16 * 1024),
      url,
      prompt,
      REPLAY_ROUNDS,
    );
    await table(
      `The same replay, every chunk with its own \`created\` and fingerprint (no fast path: the worst case), ~${TOKENS} tokens`,
      replayFetch(varyEveryChunk(bytes, true), 16 * 1024),
      url,
      prompt,
      REPLAY_ROUNDS,
    );

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
