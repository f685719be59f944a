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
 * 2. Hostile replies (test/browser/hostileCorpus.ts): the longest synchronous update while
 *    streaming, the one-shot render's first task, and long tasks (≥ 50 ms, PerformanceObserver)
 *    over the whole run. Goal: no update over 50 ms.
 *
 * Nothing here asserts a time: `npx tsx test/bench/markdownCurve.bench.ts` (BENCH_SIZES=1000,5000 to
 * shorten, BENCH_ONLY=curve or hostile for one part, BENCH_HOSTILE=<regex> for some hostile replies).
 */
import { loadavg } from 'node:os';
import { WebviewPage, mochaHooks } from '../browser/harness';
import { markdownProbe } from '../browser/probe';
import { evenCuts, hostileCorpus } from '../browser/hostileCorpus';
import type { HostileResult, PairedCurve } from '../browser/probe/markdownProbe';
import { shapeText, type Shape } from './markdownShapes';

const SIZES = (process.env.BENCH_SIZES ?? '1000,5000,20000,50000').split(',').map(Number);
const ONLY = process.env.BENCH_ONLY;
const HOSTILE_FILTER = new RegExp(process.env.BENCH_HOSTILE ?? '');
const SHAPES: Shape[] = ['readme', 'single-line', 'reference-like in code'];
const TOKEN_CHARS = 4;
const PER_UPDATE = 4;
/** The naive baseline is quadratic: only run it where it finishes in reasonable time. */
const NAIVE_MAX_TOKENS = 1000;

type Md = {
  curvePaired(text: string, tokenChars: number, perUpdate: number, incremental: boolean): PairedCurve;
  hostile(text: string, cuts: number[]): Promise<HostileResult>;
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
    if (ONLY !== 'hostile') await curves(curve);
    if (ONLY !== 'curve') await hostiles(p);
  } finally {
    await p.close();
  }
}

async function curves(curve: (text: string, incremental: boolean) => Promise<PairedCurve>): Promise<void> {
  // Warm-up: compile the renderer's code before anything is measured.
  await curve(shapeText('readme', 20_000), true);

  console.log(`markdown streaming cost curve — chromium, ${PER_UPDATE} tokens (${PER_UPDATE * TOKEN_CHARS} chars) per update, load average ${loadavg()[0]!.toFixed(1)}`);
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
  for (const shape of SHAPES) {
    for (const tokens of SIZES) {
      const text = shapeText(shape, tokens * TOKEN_CHARS);
      row(shape, tokens, await curve(text, true));
      if (tokens <= NAIVE_MAX_TOKENS) row('  naive re-render', tokens, await curve(text, false));
    }
  }
}

async function hostiles(p: WebviewPage): Promise<void> {
    console.log(`\nhostile replies — streamed in ~120 updates, then one-shot (slices continue in later tasks), load average ${loadavg()[0]!.toFixed(1)}`);
    await p.page.evaluate(() => {
      const w = window as unknown as { __long: [number, number][] };
      w.__long = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (e.name === 'self') w.__long.push([e.startTime, e.duration]);
      }).observe({ type: 'longtask', buffered: false });
    });
    let worst = 0;
    for (const { name, text } of hostileCorpus().filter((c) => HOSTILE_FILTER.test(c.name))) {
      await p.page.evaluate(() => ((window as unknown as { __long: [number, number][] }).__long.length = 0));
      const r = await p.page.evaluate(({ text, cuts }) => (window as unknown as { __md: Md }).__md.hostile(text, cuts), { text, cuts: evenCuts(text.length, 120) });
      await p.page.waitForTimeout(50);
      // Only tasks from the renderer's first update to its last slice: the one that carries the
    // 2 MB argument into the page, and the probe reading the DOM back afterwards, are not its.
    const long = (await p.page.evaluate(() => (window as unknown as { __long: [number, number][] }).__long.slice()))
      .filter(([start]) => start >= r.renderedFrom && start < r.renderedUntil)
      .map(([, duration]) => duration);
      const longest = Math.max(r.maxUpdateMs, r.onceFirstSliceMs, ...long);
      worst = Math.max(worst, longest);
      console.log(
        `  ${name.padEnd(40)} ${`${(text.length / 1024).toFixed(0)} KB`.padStart(8)}  max update ${r.maxUpdateMs.toFixed(1).padStart(6)} ms  one-shot first task ${r.onceFirstSliceMs.toFixed(1).padStart(6)} ms  long tasks ${String(long.length).padStart(2)}${long.length ? ` (max ${Math.max(...long).toFixed(0)} ms)` : ''}${r.fallbacks ? `  ${r.fallbacks} block(s) as text` : ''}${r.error ? `  ERROR ${r.error}` : ''}`,
      );
    }
    console.log(`  longest main-thread task over the corpus: ${worst.toFixed(1)} ms (goal ≤ 50 ms)`);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => mochaHooks.afterAll());
