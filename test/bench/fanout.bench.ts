/**
 * The 6-model fan-out, against one stream measured in the same run (issue #18's numbers):
 *
 *  host     the chat engine wired as in production (sql.js history in its worker thread,
 *           the real client, token counter, cost tracker) with the controller's per-token and
 *           per-change work (stream coalescing to a serialised post, the conversation view and
 *           the comparison table re-read from the store); the fake OpenRouter runs in a child
 *           process so its work does not count. Figures: event-loop delay (p50/p99/max, from
 *           `monitorEventLoopDelay`) and host CPU while 1 reply streams vs while 6 stream at once.
 *           Goal: p99 < 10 ms.
 *  webview  the real page in chromium: one reply streaming (baseline) vs six at once into a
 *           comparison (one in the transcript, all six counted live in the table), each at the
 *           same rate, one post per frame as the host sends. Figures: main-thread time, long
 *           tasks (> 50 ms wall, PerformanceObserver) and each task's CPU time from a DevTools
 *           trace (a loaded machine stretches wall time, not the work in a task). Goal: none.
 *           Each round also streams six into the same build without the markdown warm-up
 *           (src/webview/markdown/warmUp.ts): the warm-up's same-run baseline.
 *
 * Nothing here asserts a time: `npx tsx test/bench/fanout.bench.ts`. BENCH_TOKENS (default 3000
 * per reply) and BENCH_RATE (tokens/s per reply, default 300) change the streams; the webview
 * runs BENCH_ROUNDS (2) rounds and the round with the shorter longest task counts (a long task of
 * ours recurs in every round; on a starved machine a task doing next to nothing now and then
 * reports ~100 ms of thread CPU). BENCH_WEBVIEW_ONLY=1 / BENCH_HOST_ONLY=1 run one side.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { createChatEngine } from '../../src/extension/core/chatEngine';
import { DEFAULT_CHAT_SETTINGS } from '../../src/extension/core/orchestrator';
import { loadComparison } from '../../src/extension/core/comparisonView';
import { conversationView } from '../../src/extension/core/viewModel';
import { StreamCoalescer } from '../../src/extension/core/streamCoalescer';
import { TokenCounter } from '../../src/extension/core/tokenCounter';
import { silentLogger } from '../../src/extension/base/logger';
import { systemClock } from '../../src/extension/base/clock';
import { OpenRouterClient } from '../../src/extension/openrouter/client';
import { parseCatalog } from '../../src/extension/openrouter/catalog';
import { ZERO } from '../../src/shared/money';
import type { ComparisonRow, ComparisonView } from '../../src/shared/protocol';
import { cleanup, openWorkerStore } from '../unit/storage/helpers';
import { WebviewPage, mochaHooks } from '../browser/harness';
import { assistantEntry, conversation, snapshot, userEntry } from '../browser/fixtures';
import { webviewVariant } from '../browser/probe';
import { longest, traced } from './pageTrace';

const root = path.resolve(__dirname, '..', '..');
const TOKENS = Number(process.env.BENCH_TOKENS ?? 3000);
const RATE = Number(process.env.BENCH_RATE ?? 300);
/** Webview rounds (BENCH_ROUNDS): each streams one reply, then six. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const MODELS = [
  'openai/gpt-4o-mini',
  'anthropic/claude-sonnet-4',
  'google/gemini-2.5-flash',
  'mistralai/mistral-small-3.2-24b-instruct',
  'qwen/qwen3-coder',
  'meta-llama/llama-3.3-70b-instruct:free',
];

function startFake(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['test/fixtures/serve.ts', '--latency-scale', '1', '--max-lifetime-sec', '1800'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^FAKE_OPENROUTER_URL=(.+)$/.exec(line);
      if (m?.[1]) resolve({ url: m[1], child });
    });
    child.once('exit', (code) => reject(new Error(`fake server exited (${code})`)));
  });
}

interface HostFigures {
  p50: number;
  p99: number;
  max: number;
  /** The 1 ms probe's longest gap, and the process CPU spent within it (the machine's load does not inflate CPU). */
  gapMs: number;
  gapCpuMs: number;
  /** p99 of the CPU spent within each probe gap. */
  gapCpuP99: number;
  cpuMs: number;
  wallMs: number;
  replies: number;
}

async function host(url: string): Promise<{ one: HostFigures; six: HostFigures }> {
  const client = new OpenRouterClient({
    baseUrl: () => url,
    apiKey: async () => 'sk-or-v1-bench',
    fetch: (u, init) => fetch(u, init),
    clock: systemClock,
    logger: silentLogger,
    random: Math.random,
    app: { referer: 'https://example.invalid/neural-terminal', title: 'Neural Terminal bench' },
    timeouts: { connectMs: 60_000, stallMs: 60_000, requestMs: 600_000 },
    retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 40, maxTotalMs: 5_000, retryAfterJitterMs: 10 },
    circuit: { failureThreshold: 50, cooldownMs: 30_000 },
    generationLookup: { maxAttempts: 5, initialDelayMs: 10, maxDelayMs: 40 },
  });
  const catalog = parseCatalog(await client.fetchModelsText());
  const models = new Map(catalog.models.map((m) => [m.id, m]));
  for (const id of MODELS) if (!models.has(id)) throw new Error(`the fake's catalog has no ${id}`);
  const store = await openWorkerStore();
  const encoders = { cl100k_base: () => new Tiktoken(cl100k), o200k_base: () => new Tiktoken(o200k) };
  const { engine, bus } = createChatEngine({
    client,
    circuits: client.circuits,
    history: store,
    model: (id) => models.get(id),
    tokens: new TokenCounter(async (name) => encoders[name]()),
    clock: systemClock,
    settings: () => ({ ...DEFAULT_CHAT_SETTINGS, defaultModel: MODELS[0]!, doubleSendGuardMs: 0 }),
    limits: { warnAtBasisPoints: 8000 },
    monthSpentAtStart: ZERO,
    monthKey: () => '2026-12',
    log: silentLogger,
  });
  // The controller's share: coalesced deltas serialised as a post would be, and the open
  // conversation (with its comparison table) re-read from the store on every change.
  let posted = 0;
  const coalescer = new StreamCoalescer((d) => (posted += JSON.stringify({ type: 'chat/stream', ...d }).length));
  bus.on('token.generated', (e) => coalescer.push(e));
  bus.on('conversation.changed', (e) => {
    void (async () => {
      const c = await store.getConversation(e.conversationId);
      const path = await store.activePath(c.id);
      const view = conversationView(c, path, (m) => [m.id], engine.streamingMessageId(c.id));
      const comparison = await loadComparison(store, path, engine.isStreaming(c.id));
      posted += JSON.stringify({ ...view, ...(comparison ? { comparison } : {}) }).length;
    })();
  });

  const prompt = (i: number) => `bench ${i} ${'tok '.repeat(TOKENS)}[[scenario:long]]`;
  async function measure(run: () => Promise<number>): Promise<HostFigures> {
    const h = monitorEventLoopDelay({ resolution: 1 });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    // A 1 ms probe: each gap's wall time and the CPU the process spent in it.
    const gaps: { wall: number; cpu: number }[] = [];
    let lastAt = performance.now();
    let lastCpu = process.cpuUsage();
    const probe = setInterval(() => {
      const now = performance.now();
      const cpu = process.cpuUsage();
      gaps.push({ wall: now - lastAt, cpu: (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000 });
      lastAt = now;
      lastCpu = cpu;
    }, 1);
    h.enable();
    const replies = await run();
    h.disable();
    clearInterval(probe);
    const cpu = process.cpuUsage(cpu0);
    const longest = gaps.reduce((a, g) => (g.wall > a.wall ? g : a), { wall: 0, cpu: 0 });
    const cpus = gaps.map((g) => g.cpu).sort((a, b) => a - b);
    return {
      p50: h.percentile(50) / 1e6,
      p99: h.percentile(99) / 1e6,
      max: h.max / 1e6,
      gapMs: longest.wall,
      gapCpuMs: longest.cpu,
      gapCpuP99: cpus[Math.floor(cpus.length * 0.99)] ?? 0,
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs: performance.now() - t0,
      replies,
    };
  }
  try {
    // Warm-up: code compiled, encoders loaded, the store's worker running.
    const warm = await engine.compare({ text: prompt(0), models: MODELS.slice(0, 2) });
    if (warm.status !== 'started') throw new Error(warm.message);
    await Promise.all(warm.replies.map((r) => r.done));
    const one = await measure(async () => {
      const out = await engine.send({ text: prompt(1) });
      if (out.status !== 'started') throw new Error(out.message);
      await out.done;
      return 1;
    });
    const six = await measure(async () => {
      const out = await engine.compare({ text: prompt(2), models: MODELS });
      if (out.status !== 'started') throw new Error(out.message);
      const done = await Promise.all(out.replies.map((r) => r.done));
      if (done.some((r) => r.status !== 'complete')) throw new Error(`a reply did not complete: ${done.map((r) => r.status).join(', ')}`);
      return done.length;
    });
    await engine.idle();
    return { one, six };
  } finally {
    coalescer.dispose();
    engine.dispose();
    await cleanup();
  }
}

/** A long reply cut into ~4-character tokens (markdown, code, a table). */
function replyTokens(count: number, salt: number): string[] {
  const parts = [
    `Model ${salt} answers: stable sorts keep equal keys in order. **Merge sort** is stable; quicksort is not. `,
    '- merge sort: O(n log n), stable\n- insertion sort: O(n²), stable, in place\n- heapsort: not stable\n\n',
    '```ts\nfunction merge(a: number[], b: number[]): number[] {\n  const out: number[] = [];\n  while (a.length && b.length) out.push((a[0]! <= b[0]! ? a : b).shift()!);\n  return [...out, ...a, ...b];\n}\n```\n\n',
    '| sort | stable | in place |\n|---|---|---|\n| merge | yes | no |\n| insertion | yes | yes |\n\n',
  ];
  let text = '';
  for (let i = 0; text.length < count * 4; i++) text += parts[i % parts.length]!;
  const tokens: string[] = [];
  for (let at = 0; tokens.length < count; at += 4) tokens.push(text.slice(at, at + 4));
  return tokens;
}

interface PageFigures {
  taskMs: number;
  longTasks: number;
  longestMs: number;
  wallMs: number;
  /** From the DevTools trace: tasks over 50 ms of CPU, and the longest task's CPU time. */
  cpuLongTasks: number;
  longestCpuMs: number;
  over20: number;
}

/** Streams `ids.length` replies at once into the page at RATE tokens/s each, one post per reply per frame. */
async function page(ids: readonly string[], withTable: boolean, bundle: string): Promise<PageFigures> {
  const p = await WebviewPage.open({ width: 900, height: 900, bundle });
  try {
    const rows: ComparisonRow[] = ids.map((id, i) => ({ messageId: id, model: MODELS[i]!, status: 'streaming' }));
    const table: ComparisonView = { userMessageId: 'u1', rows, totalCost: '0', activeId: ids.at(-1)! };
    const shown = ids.at(-1)!;
    const convo = conversation([userEntry('u1', 'Which sorts are stable?'), assistantEntry(shown, '', { status: 'streaming' })], {
      streamingId: shown,
      ...(withTable ? { comparison: table } : {}),
    });
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: convo }) });
    // The view idles a while before a reply streams (the user types the prompt): the markdown
    // warm-up (src/webview/markdown/warmUp.ts) runs then.
    await p.page.waitForTimeout(1000);
    await p.page.evaluate(() => {
      const w = window as unknown as { __long: { n: number; max: number } };
      w.__long = { n: 0, max: 0 };
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.name !== 'self') continue;
          w.__long.n++;
          w.__long.max = Math.max(w.__long.max, e.duration);
        }
      }).observe({ type: 'longtask', buffered: false });
    });
    const cdp = await p.context.newCDPSession(p.page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const metric = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const before = await metric();
    const streams = ids.map((id, i) => ({ id, tokens: replyTokens(TOKENS, i) }));
    const { result: wallMs, tasks } = await traced(p, () => p.page.evaluate(
      ({ streams, rate }) =>
        new Promise<number>((done) => {
          console.timeStamp('nt-render-from');
          const start = performance.now();
          const sent = streams.map(() => 0);
          const tick = () => {
            const due = Math.floor(((performance.now() - start) / 1000) * rate) + 1;
            let open = false;
            streams.forEach((s, i) => {
              const upTo = Math.min(s.tokens.length, due);
              if (upTo > sent[i]!) {
                window.postMessage({ type: 'chat/stream', conversationId: 'c1', messageId: s.id, content: s.tokens.slice(sent[i], upTo).join(''), reasoning: '' }, '*');
                sent[i] = upTo;
              }
              if (sent[i]! < s.tokens.length) open = true;
            });
            if (open) setTimeout(tick, 16);
            else
              setTimeout(
                () =>
                  requestAnimationFrame(() =>
                    setTimeout(() => {
                      console.timeStamp('nt-render-until');
                      done(performance.now() - start);
                    }, 50),
                  ),
                50,
              );
          };
          tick();
        }),
      { streams, rate: RATE },
    ));
    const after = await metric();
    await cdp.detach();
    const long = await p.page.evaluate(() => (window as unknown as { __long: { n: number; max: number } }).__long);
    if (withTable) {
      const counted = await p.page.locator('nt-compare td.status').allTextContents();
      if (!counted.every((t) => /ch/.test(t))) throw new Error(`the table did not count the streams: ${counted.join(' | ')}`);
    }
    return {
      taskMs: ((after.TaskDuration ?? 0) - (before.TaskDuration ?? 0)) * 1000,
      longTasks: long.n,
      longestMs: long.max,
      wallMs,
      cpuLongTasks: tasks.filter((t) => t.cpuMs > 50).length,
      over20: tasks.filter((t) => t.cpuMs > 20).length,
      longestCpuMs: longest(tasks, 'cpuMs'),
    };
  } finally {
    await p.close();
  }
}

class SkipHost extends Error {}

const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');

async function main(): Promise<void> {
  const { url, child } = await startFake();
  try {
    if (process.env.BENCH_WEBVIEW_ONLY === '1') throw new SkipHost();
    const { one, six } = await host(url);
    console.log(`fan-out bench — ${TOKENS} tokens per reply (host: the fake's own pacing; webview: ${RATE} tok/s per reply)`);
    console.log('\nhost event loop while replies stream (engine + store worker + the controller’s work)');
    const row = (name: string, f: HostFigures) =>
      `  ${name.padEnd(18)} delay p50 ${f.p50.toFixed(2)} ms  p99 ${f.p99.toFixed(2)} ms  max ${f.max.toFixed(1)} ms   longest gap ${f.gapMs.toFixed(0)} ms (CPU in it ${f.gapCpuMs.toFixed(1)} ms; CPU per gap p99 ${f.gapCpuP99.toFixed(2)} ms)   CPU ${f.cpuMs.toFixed(0)} ms over ${(f.wallMs / 1000).toFixed(1)} s`;
    console.log(row('1 stream (base)', one));
    console.log(row('6 streams at once', six));
    console.log(`  6 / 1: p99 ${ratio(six.p99, one.p99)}, CPU ${ratio(six.cpuMs, one.cpuMs)} for 6× the tokens   (goal p99 < 10 ms: ${six.p99 < 10 ? 'met' : 'NOT met'}; load average ${os.loadavg()[0]!.toFixed(1)})`);
    console.log('  (process CPU includes the history worker thread; the probe’s CPU figures are not inflated by a busy machine)');
  } catch (error) {
    if (!(error instanceof SkipHost)) throw error;
  } finally {
    child.kill();
  }
  if (process.env.BENCH_HOST_ONLY === '1') return;
  // Both bundles built alike (minified, as shipped); the cold one skips the markdown warm-up, so
  // the first frame of its first reply compiles marked and DOMPurify (the same-run baseline of
  // the warm-up).
  const warm = await webviewVariant('bench-fanout', {});
  const cold = await webviewVariant('bench-fanout-cold', { NT_BENCH_COLD_MARKDOWN: 'true' });
  console.log(`\nwebview main thread (chromium, the production page and CSP), ${ROUNDS} rounds of 1 stream, 6, and 6 without the markdown warm-up`);
  const prow = (name: string, f: PageFigures) =>
    `  ${name.padEnd(30)} ${f.taskMs.toFixed(0).padStart(6)} ms main thread  ${String(f.longTasks).padStart(3)} long tasks by wall${f.longTasks ? ` (max ${f.longestMs.toFixed(0)} ms)` : ''}; by CPU ${f.cpuLongTasks} over 50 ms, ${f.over20} over 20 ms, longest ${f.longestCpuMs.toFixed(1)} ms  over ${(f.wallMs / 1000).toFixed(1)} s`;
  const singles: PageFigures[] = [];
  const fans: PageFigures[] = [];
  const colds: PageFigures[] = [];
  const six = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'];
  for (let round = 0; round < ROUNDS; round++) {
    singles.push(await page(['r0'], false, warm));
    console.log(prow('1 stream (base)', singles.at(-1)!));
    fans.push(await page(six, true, warm));
    console.log(prow('6 streams + comparison table', fans.at(-1)!));
    colds.push(await page(six, true, cold));
    console.log(prow('6 streams, no warm-up', colds.at(-1)!));
  }
  // A long task of ours recurs in every round; a starved machine's occasional stall does not.
  const best = (runs: PageFigures[]) => runs.reduce((a, b) => (b.longestCpuMs < a.longestCpuMs ? b : a));
  const [single, fan, coldFan] = [best(singles), best(fans), best(colds)];
  const total = (runs: PageFigures[]) => runs.reduce((sum, f) => sum + f.taskMs, 0);
  console.log(
    `  6 / 1: ${ratio(total(fans), total(singles))} main-thread time; best round: longest task ${fan.longestCpuMs.toFixed(1)} / ${single.longestCpuMs.toFixed(1)} ms CPU (${ratio(fan.longestCpuMs, single.longestCpuMs)}), tasks over 20 ms CPU ${fan.over20} / ${single.over20}`,
  );
  console.log(`  warm-up: longest task of 6 streams ${fan.longestCpuMs.toFixed(1)} ms CPU with it, ${coldFan.longestCpuMs.toFixed(1)} ms without (${ratio(fan.longestCpuMs, coldFan.longestCpuMs)})`);
  console.log(`  goal, no task over 50 ms in the fan-out: by CPU ${fans.every((f) => f.cpuLongTasks === 0) ? 'met' : 'NOT met'}, by wall ${fans.every((f) => f.longTasks === 0) ? 'met' : 'NOT met'} in all ${ROUNDS} rounds (load average ${os.loadavg()[0]!.toFixed(1)})`);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => mochaHooks.afterAll());
