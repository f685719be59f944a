/**
 * `@folder` on a 5,000-file workspace: how long the host thread is held at a time while the
 * attachment is built (the issue's bound: 20 ms), and how long the picker's list takes to
 * compute (its bound: open in < 200 ms — the QuickPick itself is shown busy before listing).
 *
 * Real files in a temp folder, the real tokenizer, the production builder
 * (core/attachments/folder.ts reading with fs.promises and yielding). Three builds, each in
 * its own phase so one's heap does not land in another's rounds:
 *  - production: the tokenizer in its worker thread (dist/countWorker.js, bundled here with
 *    esbuild as the extension ships it), started by the first round's first count;
 *  - host tokenizer: the same yielding build with the encoder built and run on the host, on
 *    its first count (what the extension did before the worker);
 *  - sync: the same result computed synchronously (readFileSync, no yields), the baseline.
 * The first round of each is its cold round (the first `@folder` of a session: nothing
 * loaded, nothing compiled); the setup's garbage is collected before it (--expose-gc).
 * Figures: the longest gap of a 1 ms timer probe (wall), the most CPU time the host's thread
 * spent between two ticks (which the machine's load does not inflate; the worker's CPU is
 * not in it), and monitorEventLoopDelay's max.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { build } from 'esbuild';
import { buildFolderDraft, treeSummary } from '../../src/extension/core/attachments/folder';
import { GitIgnore } from '../../src/extension/core/attachments/gitignore';
import { CountWorkerClient, workerEncoderLoader } from '../../src/extension/core/encoders/countClient';
import { countWith, TokenCounter, type Encoder } from '../../src/extension/core/tokenCounter';

const FILES = Number(process.env.BENCH_FILES ?? 5000);
const BUDGET = Number(process.env.BENCH_BUDGET ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MODEL = 'anthropic/claude-sonnet-4';

const root = mkdtempSync(path.join(os.tmpdir(), 'nt-folder-bench-'));
const files: { path: string; size: number }[] = [];
for (let i = 0; i < FILES; i++) {
  const rel = `pkg${i % 50}/src/mod${i % 7}/file${i}.ts`;
  // Sizes from a few hundred bytes to ~40 KB, like a real repository.
  const lines = 10 + ((i * 7919) % 1000);
  const text = Array.from({ length: lines }, (_, j) => `export const value${j} = computeSomething(${j}, "file ${i}");`).join('\n');
  mkdirSync(path.join(root, path.dirname(rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
  files.push({ path: rel, size: Buffer.byteLength(text) });
}

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** The tokenizer worker and the encoders' bundles, built as esbuild.mjs builds them for dist/. */
async function bundleTokenizer(outdir: string): Promise<CountWorkerClient> {
  const src = path.resolve(__dirname, '../../src/extension/core/encoders');
  await build({
    entryPoints: {
      countWorker: path.join(src, 'countWorker.ts'),
      'encoders/cl100k_base': path.join(src, 'cl100k_base.ts'),
      'encoders/o200k_base': path.join(src, 'o200k_base.ts'),
    },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outdir,
    logLevel: 'error',
  });
  const encoders = { cl100k_base: path.join(outdir, 'encoders/cl100k_base.js'), o200k_base: path.join(outdir, 'encoders/o200k_base.js') };
  return new CountWorkerClient(path.join(outdir, 'countWorker.js'), { encoders });
}

interface Blocks {
  ms: number;
  maxDelayMs: number;
  maxGapMs: number;
  /** Gaps of the 1 ms probe over 20 ms: each one a time the host was held past the bound. */
  over20: number;
  gaps: number;
  /** The most CPU time the host's thread spent between two probe ticks: the work of the longest block, whatever the machine's load. */
  maxCpuGapMs: number;
  included: number;
}

/**
 * CPU time of the host's thread alone, in ms: the scheduler's nanosecond count for the main
 * thread (Linux); the whole process's CPU elsewhere (then the worker's work counts too).
 */
const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
function threadCpuMs(): number {
  try {
    return Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    const cpu = process.cpuUsage();
    return (cpu.user + cpu.system) / 1000;
  }
}

async function measure(work: () => Promise<number>): Promise<Blocks> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let maxGap = 0;
  let over20 = 0;
  let gaps = 0;
  let lastCpu = threadCpuMs();
  let maxCpuGap = 0;
  const probe = setInterval(() => {
    const cpu = threadCpuMs();
    maxCpuGap = Math.max(maxCpuGap, cpu - lastCpu);
    lastCpu = cpu;
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    if (now - last > 20) over20++;
    gaps++;
    last = now;
  }, 1);
  histogram.enable();
  await new Promise((r) => setTimeout(r, 20));
  last = performance.now();
  lastCpu = threadCpuMs();
  maxCpuGap = 0;
  const start = performance.now();
  const included = await work();
  const ms = performance.now() - start;
  await new Promise((r) => setTimeout(r, 20));
  histogram.disable();
  clearInterval(probe);
  return { ms, maxDelayMs: histogram.max / 1e6, maxGapMs: maxGap, over20, gaps, maxCpuGapMs: maxCpuGap, included };
}

/** The production build with this counter (the worker's, or one with the encoder on the host). */
async function yielding(tokens: TokenCounter): Promise<number> {
  const draft = await buildFolderDraft(
    { label: 'workspace/', files, budgetTokens: BUDGET },
    {
      read: async (p) => readFile(path.join(root, p), 'utf8'),
      count: (text) => tokens.count(MODEL, text),
      now: () => performance.now(),
      yieldNow: () => new Promise<void>((r) => setImmediate(r)),
    },
  );
  return draft.included.length;
}

/** The same result computed in one synchronous run: what a naive build holds the thread for. */
async function baseline(encoder: Encoder): Promise<number> {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : 1));
  let used = countWith(encoder, treeSummary(sorted.map((f) => f.path)));
  let included = 0;
  for (const f of sorted) {
    if (included >= 200 || used >= BUDGET) break;
    if (f.size > (BUDGET - used) * 8) continue;
    const section = `\n\n=== ${f.path} ===\n${readFileSync(path.join(root, f.path), 'utf8')}`;
    const n = countWith(encoder, section);
    if (n > BUDGET - used) continue;
    used += n;
    included++;
  }
  return included;
}

/** What the folder picker computes from the listing: the folders with their file counts. */
function pickerItems(): number {
  const ignore = new GitIgnore();
  ignore.add('', 'node_modules/\n*.log\ndist/\n');
  const kept = files.filter((f) => !ignore.ignores(f.path));
  const counts = new Map<string, number>();
  for (const f of kept) {
    for (let cut = f.path.indexOf('/'); cut >= 0; cut = f.path.indexOf('/', cut + 1)) {
      const dir = f.path.slice(0, cut);
      counts.set(dir, (counts.get(dir) ?? 0) + 1);
    }
  }
  return [...counts.keys()].sort().length;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const worker = await bundleTokenizer(path.join(root, '.dist'));
  const workerTokens = new TokenCounter(workerEncoderLoader(worker));
  // The host-side encoder as the extension loaded it before: its own bundle, required on first count.
  const hostTokens = new TokenCounter(async (name) => (await import(`../../src/extension/core/encoders/${name}`)).createEncoder() as Encoder);
  const rounds = async (work: () => Promise<number>): Promise<Blocks[]> => {
    gc();
    const out: Blocks[] = [];
    for (let r = 0; r < ROUNDS; r++) out.push(await measure(work));
    return out;
  };
  const prod = await rounds(() => yielding(workerTokens));
  const host = await rounds(() => yielding(hostTokens));
  const encoder = (await hostTokens.encoderFor(MODEL)) as Encoder;
  const base = await rounds(() => baseline(encoder));
  await worker.dispose();
  const pickerMs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    pickerItems();
    pickerMs.push(performance.now() - t);
  }
  const fmt = (b: Blocks[]): string =>
    `build ${median(b.map((x) => x.ms)).toFixed(0).padStart(5)} ms · longest block ${median(b.map((x) => x.maxGapMs)).toFixed(1).padStart(6)} ms (CPU in it ${median(b.map((x) => x.maxCpuGapMs)).toFixed(1)} ms; loop delay max ${median(b.map((x) => x.maxDelayMs)).toFixed(1)} ms) · over 20 ms ${b.map((x) => `${x.over20}/${x.gaps}`).join(', ')}`;
  const row = (name: string, b: Blocks[]): string => {
    const lines = [`${name.padEnd(15)} cold  ${fmt(b.slice(0, 1))} · ${b[0]?.included} files included`];
    if (b.length > 1) lines.push(`${''.padEnd(15)} warm  ${fmt(b.slice(1))}`);
    return lines.join('\n');
  };
  console.log(`${FILES} files, budget ${BUDGET} tokens, ${ROUNDS} round(s) each (first cold, then the median of the rest), load ${os.loadavg()[0]?.toFixed(1)}`);
  console.log(row('worker (prod)', prod));
  console.log(row('host tokenizer', host));
  console.log(row('sync', base));
  const ratios = (phase: string, pick: (b: Blocks[]) => Blocks[]): string => {
    const wall = (b: Blocks[]): number => median(pick(b).map((x) => x.maxGapMs));
    const cpu = (b: Blocks[]): number => median(pick(b).map((x) => x.maxCpuGapMs));
    return `${phase}: longest block, sync / worker ${(wall(base) / wall(prod)).toFixed(1)}× wall, ${(cpu(base) / cpu(prod)).toFixed(1)}× CPU; host tokenizer / worker ${(wall(host) / wall(prod)).toFixed(1)}× wall`;
  };
  console.log(ratios('cold', (b) => b.slice(0, 1)));
  if (ROUNDS > 1) console.log(ratios('warm', (b) => b.slice(1)));
  console.log(`folder picker items from ${FILES} paths (gitignore + counts): median ${median(pickerMs).toFixed(1)} ms`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(root, { recursive: true, force: true }));
