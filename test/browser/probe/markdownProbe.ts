/**
 * Test-only entry: exposes the markdown renderer to the browser tests, which bundle it on the
 * fly (probe.ts) and load it in the same CSP'd shell as the app. Runs the random-document
 * comparisons inside the page so 200 documents cost one round trip.
 */
import { Lexer } from 'marked';
import { renderTokens } from '../../../src/webview/markdown/blocks';
import { MARKDOWN_OPTIONS, lexedCharacters } from '../../../src/webview/markdown/lexing';
import { MarkdownView, renderMarkdownOnce } from '../../../src/webview/markdown/markdownView';
import { markdownStyles } from '../../../src/webview/markdown/markdownStyles';
import { onlyPlainTags, purifyToFragment, sanitizeToFragment } from '../../../src/webview/markdown/sanitize';
import { WARM_UP_TEXTS, warmUpMarkdown, warmUpOnce } from '../../../src/webview/markdown/warmUp';
import { highlightedCode, longCode, prepareSteps, spanCheck } from './codeProbe';
import { highlighterLoaded, idle } from './idle';

// The app's markdown styles (wrapping, chunk layout), so timings include the real layout work.
if (markdownStyles.styleSheet) document.adoptedStyleSheets = [...document.adoptedStyleSheets, markdownStyles.styleSheet];

/** A container styled as the app's markdown root, in the page (so it is laid out). */
function shownRoot(): HTMLElement {
  const root = document.createElement('div');
  root.className = 'md';
  document.body.append(root);
  return root;
}

export interface ProbeCase {
  readonly text: string;
  /** Prefix lengths at which the incremental renderer is updated (the last is text.length). */
  readonly cuts: readonly number[];
}

export interface ProbeMismatch {
  readonly doc: number;
  readonly at: number;
  readonly expected: string;
  readonly actual: string;
}

function once(text: string): string {
  const root = document.createElement('div');
  renderMarkdownOnce(root, text);
  return root.innerHTML;
}

function compare(cases: readonly ProbeCase[]): { mismatches: ProbeMismatch[]; updates: number } {
  const mismatches: ProbeMismatch[] = [];
  let updates = 0;
  cases.forEach(({ text, cuts }, doc) => {
    const root = document.createElement('div');
    const view = new MarkdownView(root, { highlight: false });
    for (const at of cuts) {
      const final = at === text.length;
      view.update(text.slice(0, at), final);
      view.flush();
      updates++;
      const expected = once(text.slice(0, at));
      if (root.innerHTML !== expected) {
        mismatches.push({ doc, at, expected, actual: root.innerHTML });
        return;
      }
    }
  });
  return { mismatches, updates };
}

/** marked alone on the whole text (one lexer, no guard, no splitting), through the same renderer and sanitizer. */
function plainMarked(text: string): string {
  const root = document.createElement('div');
  root.append(renderTokens(new Lexer(MARKDOWN_OPTIONS).lex(text)));
  return root.innerHTML;
}

/** The final DOM after streaming `text` through `cuts` (no comparison on the way). */
function streamed(text: string, cuts: readonly number[]): string {
  const root = document.createElement('div');
  const view = new MarkdownView(root, { highlight: false });
  for (const at of cuts) view.update(text.slice(0, at), at === text.length);
  view.flush();
  view.dispose();
  return root.innerHTML;
}

export interface SpecCase {
  readonly number: number;
  readonly markdown: string;
  /** Several ways to cut the example; each must end in the one-shot DOM. */
  readonly splits: readonly (readonly number[])[];
  /** Also compare the one-shot render with plain marked. */
  readonly againstMarked: boolean;
}

export interface SpecReport {
  readonly streamedMismatches: { number: number; split: number; expected: string; actual: string }[];
  readonly markedMismatches: { number: number; expected: string; actual: string }[];
  streams: number;
  markedCompared: number;
}

function spec(cases: readonly SpecCase[]): SpecReport {
  const report: SpecReport = { streamedMismatches: [], markedMismatches: [], streams: 0, markedCompared: 0 };
  for (const c of cases) {
    const expected = once(c.markdown);
    c.splits.forEach((cuts, split) => {
      report.streams++;
      const actual = streamed(c.markdown, cuts);
      if (actual !== expected) report.streamedMismatches.push({ number: c.number, split, expected, actual });
    });
    if (c.againstMarked) {
      report.markedCompared++;
      const reference = plainMarked(c.markdown);
      if (reference !== expected) report.markedMismatches.push({ number: c.number, expected: reference, actual: expected });
    }
  }
  return report;
}

export interface HostileResult {
  readonly error: string | undefined;
  readonly onceText: string;
  readonly streamedText: string;
  readonly equal: boolean;
  /** Longest synchronous update() while streaming, and for the one-shot render's first slice. */
  readonly maxUpdateMs: number;
  readonly onceFirstSliceMs: number;
  readonly fallbacks: number;
  /** When the renderer's work began and ended (page clock): long tasks outside are the probe's. */
  readonly renderedFrom: number;
  readonly renderedUntil: number;
}

/** Waits until the view has finished its pending slices (each runs in its own task). */
async function settled(view: MarkdownView): Promise<void> {
  while (view.busy) await new Promise((ok) => setTimeout(ok, 0));
}

/**
 * One hostile reply, one-shot and streamed through `cuts`, with nothing flushed by force;
 * `highlight` also colours code (each render then waits until highlighting is done too).
 */
async function hostile(text: string, cuts: readonly number[], highlight = false): Promise<HostileResult> {
  try {
    if (highlight) await highlighterLoaded();
    const onceRoot = shownRoot();
    const oneShot = new MarkdownView(onceRoot, { highlight });
    // Marks for the bench's trace: tasks between them are the renderer's.
    console.timeStamp('nt-render-from');
    // The task that carried the text in is the probe's: the renderer starts in a task of its own.
    await new Promise((ok) => setTimeout(ok, 0));
    const renderedFrom = performance.now();
    let t0 = renderedFrom;
    oneShot.update(text, true);
    const onceFirstSliceMs = performance.now() - t0;
    await settled(oneShot);
    if (highlight) await idle();
    const root = shownRoot();
    const view = new MarkdownView(root, { highlight });
    let maxUpdateMs = 0;
    for (const at of cuts) {
      t0 = performance.now();
      view.update(text.slice(0, at), at === text.length);
      maxUpdateMs = Math.max(maxUpdateMs, performance.now() - t0);
      await new Promise((ok) => setTimeout(ok, 0));
    }
    await settled(view);
    if (highlight) await idle();
    const renderedUntil = performance.now();
    console.timeStamp('nt-render-until');
    // Reading 2 MB of DOM back is the probe's work, not the renderer's: a task of its own.
    await new Promise((ok) => setTimeout(ok, 0));
    const result = {
      renderedFrom,
      renderedUntil,
      error: undefined,
      onceText: onceRoot.textContent ?? '',
      streamedText: root.textContent ?? '',
      equal: onceRoot.innerHTML === root.innerHTML,
      maxUpdateMs,
      onceFirstSliceMs,
      fallbacks: root.querySelectorAll('.md-raw').length,
    };
    onceRoot.remove();
    root.remove();
    return result;
  } catch (err) {
    return { error: String(err), onceText: '', streamedText: '', equal: false, maxUpdateMs: 0, onceFirstSliceMs: 0, fallbacks: 0, renderedFrom: 0, renderedUntil: 0 };
  }
}

export interface LongReplyResult {
  /** From "show all" (the whole text after the preview) until the page is idle, and the text drawn. */
  readonly busyMs: number;
  readonly shownChars: number;
  readonly groups: number;
}

/**
 * A long reply opened collapsed (its first `preview` characters) and then shown whole, as the
 * entry's "show all" does; `groups` false is the layout before grouping (the baseline).
 */
async function longReply(text: string, preview: number, groups: boolean): Promise<LongReplyResult> {
  const root = shownRoot();
  const view = new MarkdownView(root, { groups });
  view.update(text.slice(0, preview), true);
  await settled(view);
  await idle();
  console.timeStamp('nt-render-from');
  await new Promise((ok) => setTimeout(ok, 0));
  const t0 = performance.now();
  view.update(text, true);
  await settled(view);
  await idle();
  const busyMs = performance.now() - t0;
  console.timeStamp('nt-render-until');
  const result = { busyMs, shownChars: root.textContent?.length ?? 0, groups: root.querySelectorAll(':scope > .md-group').length };
  view.dispose();
  root.remove();
  return result;
}

export interface CurveResult {
  /** µs of update() per token over the first and the last 10% of the tokens (sums). */
  readonly firstUsPerToken: number;
  readonly lastUsPerToken: number;
  /** The same from the median update of each tenth (robust to a loaded machine's pauses). */
  readonly firstMedianUs: number;
  readonly lastMedianUs: number;
  readonly totalMs: number;
  readonly maxUpdateMs: number;
}

/** Streams `text` in `tokenChars`-character tokens, `perUpdate` tokens per update, timing each update. */
function curve(text: string, tokenChars: number, perUpdate: number, incremental = true): CurveResult {
  const root = shownRoot();
  const view = new MarkdownView(root, { highlight: false, incremental });
  const tokens = Math.ceil(text.length / tokenChars);
  const tenth = tokens / 10;
  let first = 0;
  let last = 0;
  const firsts: number[] = [];
  const lasts: number[] = [];
  let total = 0;
  let max = 0;
  for (let t = perUpdate; t - perUpdate < tokens; t += perUpdate) {
    const upTo = Math.min(tokens, t);
    const t0 = performance.now();
    view.update(text.slice(0, upTo * tokenChars), upTo === tokens);
    view.flush();
    const ms = performance.now() - t0;
    total += ms;
    max = Math.max(max, ms);
    if (upTo <= tenth) {
      first += ms;
      firsts.push(ms);
    }
    if (upTo - perUpdate >= tokens - tenth) {
      last += ms;
      lasts.push(ms);
    }
  }
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  view.dispose();
  root.remove();
  return {
    firstUsPerToken: (first * 1000) / tenth,
    lastUsPerToken: (last * 1000) / tenth,
    firstMedianUs: (median(firsts) * 1000) / perUpdate,
    lastMedianUs: (median(lasts) * 1000) / perUpdate,
    totalMs: total,
    maxUpdateMs: max,
  };
}

export interface PairedCurve {
  /** µs of update() per token over the first and the last 10% of the reply (interleaved, see below). */
  readonly firstUsPerToken: number;
  readonly lastUsPerToken: number;
  /** Characters given to marked per token, first and last 10% (independent of the machine's load). */
  readonly firstLexedPerToken: number;
  readonly lastLexedPerToken: number;
  readonly maxUpdateMs: number;
}

/**
 * The cost curve measured so a busy machine cannot tilt it: one view streams the first 10% of the
 * reply, another (fed the first 90% untimed) the last 10%, and their updates are timed in
 * alternating batches, so both tenths see the same load. Each batch is timed as a whole (many
 * updates per clock reading: the page clock is coarse). Which view goes first alternates, and a
 * short reply is measured in several rounds (fresh views each time).
 */
function curvePaired(text: string, tokenChars: number, perUpdate: number, incremental = true, batches = 25): PairedCurve {
  // Short replies are measured several times over: a tenth of a 1k-token reply is 25 updates.
  const rounds = Math.max(1, Math.ceil(20_000 / Math.ceil(text.length / tokenChars)));
  const tokens = Math.ceil(text.length / tokenChars);
  const tenth = tokens / 10;
  const ends: number[] = [];
  for (let t = perUpdate; t - perUpdate < tokens; t += perUpdate) ends.push(Math.min(tokens, t));
  const firstEnds = ends.filter((t) => t <= tenth);
  const lastEnds = ends.filter((t) => t - perUpdate >= tokens - tenth);
  let max = 0;
  const run = (view: MarkdownView, list: number[]): { ms: number; lexed: number } => {
    const lexed0 = lexedCharacters.count;
    const t0 = performance.now();
    for (const t of list) {
      const u0 = performance.now();
      view.update(text.slice(0, t * tokenChars), t === tokens);
      view.flush();
      max = Math.max(max, performance.now() - u0);
    }
    return { ms: performance.now() - t0, lexed: lexedCharacters.count - lexed0 };
  };
  const slice = (list: number[], b: number) => list.slice(Math.floor((list.length * b) / batches), Math.floor((list.length * (b + 1)) / batches));
  const first = { ms: 0, lexed: 0 };
  const last = { ms: 0, lexed: 0 };
  const add = (sum: { ms: number; lexed: number }, r: { ms: number; lexed: number }) => {
    sum.ms += r.ms;
    sum.lexed += r.lexed;
  };
  for (let round = 0; round < rounds; round++) {
    const early = new MarkdownView(shownRoot(), { highlight: false, incremental });
    const late = new MarkdownView(shownRoot(), { highlight: false, incremental });
    late.update(text.slice(0, ((lastEnds[0] ?? tokens) - perUpdate) * tokenChars), false);
    late.flush();
    for (let b = 0; b < batches; b++) {
      if ((b + round) % 2 === 0) {
        add(first, run(early, slice(firstEnds, b)));
        add(last, run(late, slice(lastEnds, b)));
      } else {
        add(last, run(late, slice(lastEnds, b)));
        add(first, run(early, slice(firstEnds, b)));
      }
    }
    for (const view of [early, late]) {
      view.dispose();
      view.root.remove();
    }
  }
  const firstTokens = firstEnds.length * perUpdate * rounds;
  const lastTokens = lastEnds.length * perUpdate * rounds;
  return {
    firstUsPerToken: (first.ms * 1000) / firstTokens,
    lastUsPerToken: (last.ms * 1000) / lastTokens,
    firstLexedPerToken: first.lexed / firstTokens,
    lastLexedPerToken: last.lexed / lastTokens,
    maxUpdateMs: max,
  };
}

/** Renders `text` through the cuts with no comparison (for timing by hand). */
function stream(text: string, cuts: readonly number[], incremental = true): number {
  const root = document.createElement('div');
  document.body.append(root);
  const view = new MarkdownView(root, { highlight: false, incremental });
  const t0 = performance.now();
  for (const at of cuts) view.update(text.slice(0, at), at === text.length);
  const ms = performance.now() - t0;
  root.remove();
  return ms;
}

export interface ChunkReport {
  /** Text lengths of the `.md-chunk` blocks: one-shot, while streaming (before the end), streamed. */
  readonly once: number[];
  readonly live: number[];
  readonly streamed: number[];
  /** The shown text equals the source text (one-shot and streamed). */
  readonly textKept: boolean;
}

/** How a long text shown as text is cut into blocks, one-shot and streamed through `cuts`. */
function chunking(text: string, cuts: readonly number[]): ChunkReport {
  const lengths = (root: Element) => [...root.querySelectorAll('.md-chunk')].map((c) => c.textContent?.length ?? 0);
  const onceRoot = shownRoot();
  renderMarkdownOnce(onceRoot, text);
  const root = shownRoot();
  const view = new MarkdownView(root, { highlight: false });
  let live: number[] = [];
  for (const at of cuts) {
    view.update(text.slice(0, at), at === text.length);
    view.flush();
    if (at < text.length) live = lengths(root);
  }
  const shown = (r: Element) => [...r.querySelectorAll('pre')].map((pre) => pre.textContent).join('');
  const report = { once: lengths(onceRoot), live, streamed: lengths(root), textKept: shown(onceRoot) === text.replace(/\n+$/, '') && shown(root) === text.replace(/\n+$/, '') };
  view.dispose();
  onceRoot.remove();
  root.remove();
  return report;
}

export interface TableReport {
  /** Body rows of the one-shot render, and after each streamed update. */
  readonly onceRows: number;
  readonly rowsAt: number[];
  /** Blocks shown as text (one-shot, streamed). */
  readonly textBlocks: number;
  /** Body row 5000, once drawn while streaming, is still the same node at the end (never redrawn). */
  readonly laterRowKept: boolean;
  readonly equal: boolean;
  /** Tables in the one-shot render, headers, and the most body rows in one. */
  readonly tables: number;
  readonly heads: number;
  readonly maxRowsPerTable: number;
}

/** A table streamed through `cuts`: how many rows are drawn as it grows, and whether drawn rows stay. */
function tableStream(text: string, cuts: readonly number[]): TableReport {
  const onceRoot = shownRoot();
  renderMarkdownOnce(onceRoot, text);
  const root = shownRoot();
  const view = new MarkdownView(root, { highlight: false });
  const rowsAt: number[] = [];
  let later: Element | undefined;
  for (const at of cuts) {
    view.update(text.slice(0, at), at === text.length);
    view.flush();
    const rows = root.querySelectorAll('tbody > tr');
    rowsAt.push(rows.length);
    // Row 5000 once its part is finished (the part still filling is drawn again on each update).
    if (rows.length > 5200) later ??= rows[5000];
  }
  const report = {
    onceRows: onceRoot.querySelectorAll('tbody > tr').length,
    rowsAt,
    textBlocks: onceRoot.querySelectorAll('.md-raw').length + root.querySelectorAll('.md-raw').length,
    laterRowKept: later !== undefined && root.querySelectorAll('tbody > tr')[5000] === later,
    equal: onceRoot.innerHTML === root.innerHTML,
    tables: onceRoot.querySelectorAll('table').length,
    heads: onceRoot.querySelectorAll('thead').length,
    maxRowsPerTable: Math.max(...[...onceRoot.querySelectorAll('tbody')].map((b) => b.rows.length)),
  };
  view.dispose();
  onceRoot.remove();
  root.remove();
  return report;
}

export interface GroupReport {
  /** `.md-group` elements, and the longest source text one holds (characters of its text content). */
  readonly groups: number;
  readonly maxGroupText: number;
  /** Top-level children that are not groups (the open tail). */
  readonly outside: number;
  /** The last group is laid out; the first one, scrolled far out of view, is not (content-visibility). */
  readonly lastShown: boolean;
  readonly firstSkipped: boolean;
  readonly equal: boolean;
  readonly textKept: boolean;
}

/** A long reply streamed through `cuts` (it grows past the grouping threshold) against one-shot. */
async function grouping(text: string, cuts: readonly number[]): Promise<GroupReport> {
  const onceRoot = shownRoot();
  renderMarkdownOnce(onceRoot, text);
  const root = shownRoot();
  const view = new MarkdownView(root, { highlight: false });
  for (const at of cuts) {
    view.update(text.slice(0, at), at === text.length);
    view.flush();
  }
  onceRoot.remove();
  const groups = [...root.querySelectorAll(':scope > .md-group')];
  root.lastElementChild?.scrollIntoView();
  // Which groups are skipped is decided while the page renders a frame.
  for (let i = 0; i < 3; i++) await new Promise((ok) => requestAnimationFrame(ok));
  const report = {
    groups: groups.length,
    maxGroupText: Math.max(0, ...groups.map((g) => g.textContent?.length ?? 0)),
    outside: root.children.length - groups.length,
    lastShown: groups.at(-1)?.firstElementChild?.checkVisibility({ contentVisibilityAuto: true }) ?? false,
    firstSkipped: groups[0]?.firstElementChild?.checkVisibility({ contentVisibilityAuto: true }) === false,
    equal: onceRoot.innerHTML === root.innerHTML,
    textKept: onceRoot.textContent === root.textContent,
  };
  view.dispose();
  root.remove();
  return report;
}

export interface WarmUpReport {
  /** Each warm-up text as drawn by the warm-up (half open, then final), and one-shot. */
  readonly drawn: { readonly warm: string; readonly once: string }[];
  /** Per idle period the warm-up asked for: 1 when it drew (lexed) a text in it, else 0. */
  readonly perPeriod: number[];
  readonly lexed: number;
  readonly bodyUnchanged: boolean;
}

/** Runs the warm-up with a scheduler the probe steps by hand. */
async function warmUp(): Promise<WarmUpReport> {
  const drawn = WARM_UP_TEXTS.map((text) => ({ warm: warmUpOnce(text).innerHTML, once: once(text) }));
  const body = document.body.innerHTML;
  const queued: (() => void)[] = [];
  const perPeriod: number[] = [];
  const lexed0 = lexedCharacters.count;
  let finished = false;
  const done = warmUpMarkdown((work) => queued.push(work)).then(() => (finished = true));
  while (queued.length > 0) {
    const before = lexedCharacters.count;
    queued.shift()!();
    perPeriod.push(lexedCharacters.count > before ? 1 : 0);
    await Promise.resolve();
  }
  await done;
  return { drawn, perPeriod, lexed: finished ? lexedCharacters.count - lexed0 : -1, bodyUnchanged: document.body.innerHTML === body };
}

export interface PlainReport {
  readonly accepted: boolean[];
  /** Accepted markup whose fragment differs from the sanitizer's: [markup, fast, sanitizer]. */
  readonly differ: [string, string, string][];
}

/** Which markup skips the sanitizer, and whether what it gives then equals the sanitizer's output. */
function plainTags(htmls: readonly string[]): PlainReport {
  const serial = (f: DocumentFragment) => {
    const box = document.createElement('div');
    box.append(f);
    return box.innerHTML;
  };
  const accepted = htmls.map(onlyPlainTags);
  const differ: [string, string, string][] = [];
  htmls.forEach((html, i) => {
    if (!accepted[i]) return;
    const fast = serial(sanitizeToFragment(html));
    const sanitized = serial(purifyToFragment(html));
    if (fast !== sanitized) differ.push([html, fast, sanitized]);
  });
  return { accepted, differ };
}

(window as unknown as { __md: unknown }).__md = { once, compare, stream, spec, streamed, hostile, curve, curvePaired, chunking, tableStream, grouping, longReply, longCode, highlightedCode, spanCheck, prepareSteps, warmUp, plainTags };
