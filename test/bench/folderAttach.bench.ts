/**
 * `@folder` on a 5,000-file workspace: how long the host thread is held at a time while the
 * attachment is built (the issue's bound: 20 ms), and how long the picker's list takes to
 * compute (its bound: open in < 200 ms — the QuickPick itself is shown busy before listing).
 *
 * Real files in a temp folder, the real tokenizer, the production builder
 * (core/attachments/folder.ts reading with fs.promises and yielding), against a baseline
 * measured in the same run: the same build done synchronously (readFileSync, no yields),
 * which holds the thread for the whole build. Figures: the longest event-loop block
 * (monitorEventLoopDelay max and a 1 ms timer probe's longest gap), and the ratio of the
 * baseline's block to the production one's.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import { buildFolderDraft, treeSummary } from '../../src/extension/core/attachments/folder';
import { GitIgnore } from '../../src/extension/core/attachments/gitignore';
import { countWith, TokenCounter } from '../../src/extension/core/tokenCounter';

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

const encoder = new Tiktoken(cl100k);
const tokens = new TokenCounter(async () => encoder);

interface Blocks {
  ms: number;
  maxDelayMs: number;
  maxGapMs: number;
  /** Gaps of the 1 ms probe over 20 ms: each one a time the host was held past the bound. */
  over20: number;
  gaps: number;
  /** The most CPU time the process spent between two probe ticks: the work of the longest block, whatever the machine's load. */
  maxCpuGapMs: number;
  included: number;
}

async function measure(work: () => Promise<number>): Promise<Blocks> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let maxGap = 0;
  let over20 = 0;
  let gaps = 0;
  let lastCpu = process.cpuUsage();
  let maxCpuGap = 0;
  const probe = setInterval(() => {
    const cpu = process.cpuUsage(lastCpu);
    maxCpuGap = Math.max(maxCpuGap, (cpu.user + cpu.system) / 1000);
    lastCpu = process.cpuUsage();
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    if (now - last > 20) over20++;
    gaps++;
    last = now;
  }, 1);
  histogram.enable();
  await new Promise((r) => setTimeout(r, 20));
  last = performance.now();
  lastCpu = process.cpuUsage();
  maxCpuGap = 0;
  const start = performance.now();
  const included = await work();
  const ms = performance.now() - start;
  await new Promise((r) => setTimeout(r, 20));
  histogram.disable();
  clearInterval(probe);
  return { ms, maxDelayMs: histogram.max / 1e6, maxGapMs: maxGap, over20, gaps, maxCpuGapMs: maxCpuGap, included };
}

async function production(): Promise<number> {
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
async function baseline(): Promise<number> {
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
  await tokens.count(MODEL, 'warm up');
  const prod: Blocks[] = [];
  const base: Blocks[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    prod.push(await measure(production));
    base.push(await measure(baseline));
  }
  const pickerMs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    pickerItems();
    pickerMs.push(performance.now() - t);
  }
  const row = (name: string, b: Blocks[]): string =>
    `${name.padEnd(10)} build ${median(b.map((x) => x.ms)).toFixed(0).padStart(6)} ms · longest block ${median(b.map((x) => x.maxGapMs)).toFixed(1).padStart(7)} ms (loop delay max ${median(b.map((x) => x.maxDelayMs)).toFixed(1)} ms; CPU in it ${median(b.map((x) => x.maxCpuGapMs)).toFixed(1)} ms) · ticks over 20 ms ${b.map((x) => `${x.over20}/${x.gaps}`).join(', ')} · ${b[0]?.included} files included`;
  console.log(`${FILES} files, budget ${BUDGET} tokens, median of ${ROUNDS} rounds, load ${os.loadavg()[0]?.toFixed(1)}`);
  console.log(row('yielding', prod));
  console.log(row('sync', base));
  const ratio = median(base.map((x) => x.maxGapMs)) / median(prod.map((x) => x.maxGapMs));
  const cpuRatio = median(base.map((x) => x.maxCpuGapMs)) / median(prod.map((x) => x.maxCpuGapMs));
  console.log(`longest block, sync / yielding: ${ratio.toFixed(1)}× wall, ${cpuRatio.toFixed(1)}× CPU · build time, yielding / sync: ${(median(prod.map((x) => x.ms)) / median(base.map((x) => x.ms))).toFixed(2)}×`);
  console.log(`folder picker items from ${FILES} paths (gitignore + counts): median ${median(pickerMs).toFixed(1)} ms`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(root, { recursive: true, force: true }));
