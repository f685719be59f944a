/**
 * Markdown renderer bench in chromium (the browser-test harness: real page, real CSP).
 *
 * 1. The streaming cost curve: replies of 1k/5k/20k/50k tokens (4 characters each) of three
 *    shapes (markdownShapes.ts) streamed 4 tokens per update; CPU of update() per token over
 *    the first and the last 10% of the reply, the two tenths timed in alternating batches so a
 *    busy machine loads both alike, and the characters given to marked per token (work that does
 *    not depend on the load). Linear rendering keeps last/first near 1 (goal ≤ 1.3); a renderer
 *    that redraws the whole reply grows with its length — the naive re-render, measured in the
 *    same run for the shorter replies, is the baseline.
 *    A full run (no BENCH_SIZES) draws the ratios into docs/markdown-cost-curve.svg.
 * 2. Hostile replies (test/browser/hostileCorpus.ts), one-shot then streamed: every main-thread
 *    task of the page between the renderer's first update and its last slice, from a DevTools
 *    trace, with its wall time and its CPU time (which a loaded machine does not stretch).
 *    Goal: no task over 50 ms. Each reply runs in two rounds (BENCH_REPEAT) and the round with the
 *    shorter longest task counts: a long task of the renderer's recurs in every round, while on
 *    a starved machine a task doing next to nothing (a 0.1 ms timer callback) now and then
 *    reports ~100 ms of thread CPU at a random place.
 * 3. "show all" on a long reply of prose, lists, code and tables (collapsed to 40 k characters
 *    first): busy until idle and main-thread CPU, against the same render without block groups
 *    (blockGroups.ts) in the same run.
 *
 * Nothing here asserts a time: `npx tsx test/bench/markdownCurve.bench.ts` (BENCH_SIZES=1000,5000 to
 * shorten, BENCH_ONLY=curve, hostile or long for one part, BENCH_HOSTILE=<regex> for some hostile
 * replies, BENCH_LONG_MB=0.25,1 for the "show all" sizes and BENCH_LONG_BASE_MB=1 for the baseline up to 1 MB, BENCH_DEBUG=1 to list the longest tasks).
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { WebviewPage, mochaHooks } from '../browser/harness';
import { markdownProbe } from '../browser/probe';
import { evenCuts, hostileCorpus } from '../browser/hostileCorpus';
import type { HostileResult, LongReplyResult, PairedCurve } from '../browser/probe/markdownProbe';
import { hugeReply, shapeText, type Shape } from './markdownShapes';
import { costCurveSvg, type CurvePoint } from './costCurveSvg';
import { longest, traced } from './pageTrace';

const SIZES = (process.env.BENCH_SIZES ?? '1000,5000,20000,50000').split(',').map(Number);
const ONLY = process.env.BENCH_ONLY;
const HOSTILE_FILTER = new RegExp(process.env.BENCH_HOSTILE ?? '');
/** Rounds per hostile reply (BENCH_REPEAT). */
const HOSTILE_REPEAT = Number(process.env.BENCH_REPEAT ?? 2);
const SHAPES: Shape[] = ['readme', 'single-line', 'reference-like in code'];
const TOKEN_CHARS = 4;
const PER_UPDATE = 4;
/** The naive baseline is quadratic: only run it where it finishes in reasonable time. */
const NAIVE_MAX_TOKENS = 1000;
/** "show all" sizes (MB); the ungrouped baseline is quadratic, so only measured up to LONG_BASE_MAX. */
const LONG_SIZES = (process.env.BENCH_LONG_MB ?? '0.25,1').split(',').map(Number);
const LONG_BASE_MAX = Number(process.env.BENCH_LONG_BASE_MB ?? 0.25);
const SVG_PATH = join(__dirname, '..', '..', 'docs', 'markdown-cost-curve.svg');

type Md = {
  curvePaired(text: string, tokenChars: number, perUpdate: number, incremental: boolean): PairedCurve;
  hostile(text: string, cuts: number[], highlight: boolean): Promise<HostileResult>;
  longReply(text: string, preview: number, groups: boolean): Promise<LongReplyResult>;
};

async function main(): Promise<void> {
  const p = await WebviewPage.open({ width: 900, height: 900 });
  try {
    await p.goto({ script: await markdownProbe() });
    await p.page.waitForFunction(() => '__md' in window);
    const curve = (text: string, incremental: boolean) =>
      p.page.evaluate(
        ({ text, tokenChars, perUpdate, incremental }) => (window as unknown as { __md: Md }).__md.curvePaired(text, tokenChars, perUpdate, incremental),
        { text, tokenChars: TOKEN_CHARS, perUpdate: PER_UPDATE, incremental },
      );
    if (ONLY === undefined || ONLY === 'curve') await curves(curve);
    if (ONLY === undefined || ONLY === 'hostile') await hostiles(p);
    if (ONLY === undefined || ONLY === 'long') await longReplies(p);
  } finally {
    await p.close();
  }
}

async function curves(curve: (text: string, incremental: boolean) => Promise<PairedCurve>): Promise<void> {
  // Warm-up: compile the renderer's code before anything is measured.
  await curve(shapeText('readme', 20_000), true);

  const load = loadavg()[0]!;
  console.log(`markdown streaming cost curve — chromium, ${PER_UPDATE} tokens (${PER_UPDATE * TOKEN_CHARS} chars) per update, load average ${load.toFixed(1)}`);
  console.log('  time: update() µs per token, first and last 10% timed in alternating batches (the same load for both)');
  console.log('  work: characters given to marked per token (does not depend on the load)');
  const head = ['shape', 'tokens', 'first µs', 'last µs', 'time l/f', 'first ch', 'last ch', 'work l/f', 'max update'];
  const widths = [24, 7, 10, 10, 9, 9, 9, 9, 11];
  const line = (cells: string[]) => console.log(`  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' ')}`);
  line(head);
  const row = (label: string, tokens: number, r: PairedCurve) =>
    line([
      label,
      String(tokens),
      r.firstUsPerToken.toFixed(1),
      r.lastUsPerToken.toFixed(1),
      `${(r.lastUsPerToken / r.firstUsPerToken).toFixed(2)}×`,
      r.firstLexedPerToken.toFixed(1),
      r.lastLexedPerToken.toFixed(1),
      `${(r.lastLexedPerToken / r.firstLexedPerToken).toFixed(2)}×`,
      `${r.maxUpdateMs.toFixed(1)} ms`,
    ]);
  const points: CurvePoint[] = [];
  const ratios = (r: PairedCurve) => ({ work: r.lastLexedPerToken / r.firstLexedPerToken, time: r.lastUsPerToken / r.firstUsPerToken });
  for (const shape of SHAPES) {
    for (const tokens of SIZES) {
      const text = shapeText(shape, tokens * TOKEN_CHARS);
      const r = await curve(text, true);
      row(shape, tokens, r);
      let naive: PairedCurve | undefined;
      if (tokens <= NAIVE_MAX_TOKENS) {
        naive = await curve(text, false);
        row('  naive re-render', tokens, naive);
      }
      points.push({ shape, tokens, ...ratios(r), ...(naive ? { naive: ratios(naive) } : {}) });
    }
  }
  // The plot in docs/ is drawn from a full run only (all four lengths).
  if (!process.env.BENCH_SIZES) {
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    writeFileSync(SVG_PATH, costCurveSvg(points, `run of ${when} UTC\nload average ${load.toFixed(1)} at start\n(2-core shared machine)`));
    console.log(`  plot written to ${SVG_PATH}`);
  }
}

async function hostiles(p: WebviewPage): Promise<void> {
  console.log(`\nhostile replies — one-shot, then streamed in ~120 updates (slices continue in later tasks), ${HOSTILE_REPEAT} rounds, load average ${loadavg()[0]!.toFixed(1)}`);
  console.log('  longest main-thread task from the first update to the last slice: CPU time (load-independent) and wall time;');
  console.log('  the round with the shorter longest task counts (work of ours recurs in every round; a starved machine’s stall does not)');
  let worstCpu = 0;
  let worstWall = 0;
  // Code is also measured coloured, as the app draws it (highlighting runs in tasks of its own).
  const cases = hostileCorpus().flatMap((c) => [{ ...c, highlight: false }, ...(/fence/.test(c.name) ? [{ ...c, name: `${c.name}, highlighted`, highlight: true }] : [])]);
  for (const { name, text, highlight } of cases.filter((c) => HOSTILE_FILTER.test(c.name))) {
    const rounds = [];
    for (let round = 0; round < HOSTILE_REPEAT; round++) {
      const { result, tasks } = await traced(p, () =>
        p.page.evaluate(({ text, cuts, highlight }) => (window as unknown as { __md: Md }).__md.hostile(text, cuts, highlight), { text, cuts: evenCuts(text.length, 120), highlight }),
      );
      rounds.push({ r: result, tasks, cpu: longest(tasks, 'cpuMs'), wall: longest(tasks, 'ms'), over: tasks.filter((t) => t.cpuMs > 50).length });
    }
    const best = rounds.reduce((a, b) => (b.cpu < a.cpu ? b : a));
    const { r, tasks, cpu, wall } = best;
    worstCpu = Math.max(worstCpu, cpu);
    worstWall = Math.max(worstWall, wall);
    console.log(
      `  ${name.padEnd(52)} ${`${(text.length / 1024).toFixed(0)} KB`.padStart(8)}  longest task CPU ${cpu.toFixed(1).padStart(6)} ms  wall ${wall.toFixed(1).padStart(6)} ms  tasks ${String(tasks.length).padStart(5)}, over 50 ms CPU ${rounds.map((x) => x.over).join('/')} (rounds: ${rounds.map((x) => x.cpu.toFixed(0)).join('/')} ms)${r.fallbacks ? `  ${r.fallbacks} block(s) as text` : ''}${r.error ? `  ERROR ${r.error}` : ''}`,
    );
  }
  console.log(`  longest task over the corpus: CPU ${worstCpu.toFixed(1)} ms, wall ${worstWall.toFixed(1)} ms (goal ≤ 50 ms)`);
}

/** "show all" on a long reply (collapsed to 40 k characters first): grouped against ungrouped, same run. */
async function longReplies(p: WebviewPage): Promise<void> {
  console.log(`\n"show all" on a long reply (prose, lists, code, tables; 40 k characters shown first) — busy until idle, load average ${loadavg()[0]!.toFixed(1)}`);
  const run = async (mb: number, groups: boolean) => {
    const text = hugeReply(mb * 2 ** 20);
    const { result, tasks } = await traced(p, () =>
      p.page.evaluate(({ text, groups }) => (window as unknown as { __md: Md }).__md.longReply(text, 40_000, groups), { text, groups }),
    );
    const cpu = tasks.reduce((sum, t) => sum + t.cpuMs, 0);
    console.log(
      `  ${`${mb} MB`.padStart(7)} ${groups ? 'grouped (now)   ' : 'ungrouped (base)'}  busy ${result.busyMs.toFixed(0).padStart(7)} ms  main-thread CPU ${cpu.toFixed(0).padStart(7)} ms  longest task CPU ${longest(tasks, 'cpuMs').toFixed(1).padStart(6)} ms  wall ${longest(tasks, 'ms').toFixed(1).padStart(6)} ms  ${result.groups} groups`,
    );
    return { busy: result.busyMs, cpu };
  };
  for (const mb of LONG_SIZES) {
    const now = await run(mb, true);
    if (mb > LONG_BASE_MAX) continue;
    const base = await run(mb, false);
    console.log(`  ${`${mb} MB`.padStart(7)} grouped / ungrouped: ×${(now.busy / base.busy).toFixed(3)} busy, ×${(now.cpu / base.cpu).toFixed(3)} main-thread CPU`);
  }
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => mochaHooks.afterAll());
