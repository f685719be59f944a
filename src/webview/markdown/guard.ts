/**
 * The guard every reply passes before marked sees it (pure, no DOM). It runs line by line, so a
 * growing text costs only its new lines:
 *  - normalises line endings (marked would, but the offsets below must match what marked lexes);
 *  - bounds nesting: marked recurses once per container level, so ">"×2000, "- "×2000 or
 *    "1. "×5000 on one line overflow the call stack and a 1,000-deep indented list takes seconds.
 *    After MAX_DEPTH containers on a line, or a container marker past MAX_MARKER_COLUMN, the
 *    marker is escaped with a backslash and the rest of the line is plain text;
 *  - finds hard boundaries: lines that start a new top-level block whatever came before (a
 *    blank line, then a line at column 0 that is not a list item and not inside a fence). No
 *    block spans one, so the text between two can be lexed alone and measured before lexing.
 * Top-level fenced code is left untouched (its lines are content, not markdown).
 */
export const MAX_DEPTH = 16;
export const MAX_MARKER_COLUMN = 64;

export interface Guarded {
  /** Length of the normalised, nesting-bounded text. */
  readonly length: number;
  /** Length of the part of the text that no longer changes while the input only grows. */
  readonly stable: number;
  /** True when the input was not an extension of the previous one (everything was redone). */
  readonly reset: boolean;
  /** Offsets of hard boundaries (line starts), increasing; 0 is implied. */
  readonly boundaries: readonly number[];
  /**
   * Estimated lexing cost of the text from hard boundary `from` (an offset in `boundaries`, or 0)
   * to `to` (another one, or the end): characters plus a charge per line and per container
   * marker, where marked's work grows fastest (deep quotes, many one-line blocks).
   */
  weight(from: number, to?: number): number;
  /**
   * A part of the text. The text is kept in pieces and never joined whole: joining a long reply
   * on every token would copy all of it each time.
   */
  slice(from: number, to?: number): string;
}

interface Fence {
  readonly char: string;
  readonly length: number;
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
const LIST_ITEM = /^(?:[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$))/;

/** Incremental guard: feed it the whole text each time (normally the previous text plus more). */
export class NestingGuard {
  /** Raw input covered by `pieces` (always ends after a line break). */
  private doneRaw = '';
  /** The guarded complete lines, one piece per update, and where each starts. */
  private pieces: string[] = [];
  private starts: number[] = [];
  private doneLength = 0;
  private doneBoundaries: number[] = [];
  /** Cumulative weight before each boundary line, and of all complete lines. */
  private doneWeights: number[] = [];
  private doneWeight = 0;
  private fence: Fence | undefined;
  private prevBlank = true;
  /** The last input: a view working through one long text in slices passes the same string again. */
  private lastInput = '';

  /** `exact` compares the whole previous input (otherwise samples of it; see `extendsText`). */
  apply(raw: string, exact = true): Guarded {
    // The same string again is checked in O(1) (identity first): comparing 1 MB exactly on every
    // slice of a "show all" made it quadratic.
    const reset = raw !== this.lastInput && !extendsText(this.doneRaw, raw, exact);
    this.lastInput = raw;
    if (reset) this.reset();
    // Complete lines are guarded once; a trailing '\r' may still pair with a coming '\n'.
    let end = raw.lastIndexOf('\n') + 1;
    if (end <= this.doneRaw.length) end = this.doneRaw.length;
    if (end > this.doneRaw.length) {
      const chunk = raw.slice(this.doneRaw.length, end).replace(/\r\n?/g, '\n');
      const state = this.run(chunk.slice(0, -1).split('\n'), this.doneLength, this.fence, this.prevBlank, this.doneBoundaries, false, this.doneWeight, this.doneWeights);
      this.doneWeight = state.weight;
      const piece = `${state.lines.join('\n')}\n`;
      this.pieces.push(piece);
      this.starts.push(this.doneLength);
      this.doneLength += piece.length;
      this.fence = state.fence;
      this.prevBlank = state.prevBlank;
      this.doneRaw = raw.slice(0, end);
    }
    const tailRaw = raw.slice(end);
    let tail = '';
    let boundaries: readonly number[] = this.doneBoundaries;
    let weights: readonly number[] = this.doneWeights;
    let total = this.doneWeight;
    if (tailRaw) {
      const more: number[] = [];
      const moreWeights: number[] = [];
      const state = this.run(tailRaw.replace(/\r\n?/g, '\n').split('\n'), this.doneLength, this.fence, this.prevBlank, more, true, this.doneWeight, moreWeights);
      tail = state.lines.join('\n');
      total = state.weight;
      if (more.length > 0) {
        boundaries = this.doneBoundaries.concat(more);
        weights = this.doneWeights.concat(moreWeights);
      }
    }
    const { pieces, starts, doneLength } = this;
    const weightAt = (offset: number): number => {
      if (offset <= 0) return 0;
      const i = pieceAt(boundaries as number[], offset);
      return boundaries[i] === offset ? weights[i]! : total;
    };
    return {
      length: doneLength + tail.length,
      stable: doneLength,
      reset,
      boundaries,
      weight: (from, to) => (to === undefined ? total : weightAt(to)) - weightAt(from),
      slice(from: number, to = doneLength + tail.length): string {
        if (from >= doneLength) return tail.slice(from - doneLength, to - doneLength);
        let i = pieceAt(starts, from);
        let out = pieces[i]!.slice(from - starts[i]!, to - starts[i]!);
        for (i++; i < pieces.length && starts[i]! < to; i++) out += pieces[i]!.slice(0, to - starts[i]!);
        if (to > doneLength) out += tail.slice(0, to - doneLength);
        return out;
      },
    };
  }

  private reset(): void {
    this.doneRaw = '';
    this.pieces = [];
    this.starts = [];
    this.doneLength = 0;
    this.doneBoundaries = [];
    this.doneWeights = [];
    this.doneWeight = 0;
    this.fence = undefined;
    this.prevBlank = true;
  }

  private run(
    lines: string[],
    offset: number,
    fence: Fence | undefined,
    prevBlank: boolean,
    boundaries: number[],
    partialLast: boolean,
    weight: number,
    weights: number[],
  ): { lines: string[]; fence: Fence | undefined; prevBlank: boolean; weight: number } {
    let at = offset;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const blank = line.trim() === '';
      if (fence) {
        const close = FENCE_CLOSE.exec(line);
        if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length) fence = undefined;
      } else {
        // Only a complete line is known not to become a list item ("2" may grow into "2.").
        const complete = i < lines.length - 1 || !partialLast;
        if (complete && prevBlank && at > 0 && !blank && !/^[ \t]/.test(line) && !LIST_ITEM.test(line)) {
          boundaries.push(at);
          weights.push(weight);
        }
        const open = FENCE_OPEN.exec(line);
        if (open && !(open[1]![0] === '`' && open[2]!.includes('`'))) fence = { char: open[1]![0]!, length: open[1]!.length };
        else {
          lines[i] = boundNesting(line);
          weight += MARKER_WEIGHT * containerDepth(lines[i]!);
        }
      }
      weight += lines[i]!.length + LINE_WEIGHT;
      prevBlank = blank;
      at += lines[i]!.length + 1;
    }
    return { lines, fence, prevBlank, weight };
  }
}

/** Weight charged per line and per container marker (see Guarded.weight). */
const LINE_WEIGHT = 32;
const MARKER_WEIGHT = 48;

/** How many container markers (">", list markers) open a line, up to the cap. */
function containerDepth(line: string): number {
  let depth = 0;
  let i = 0;
  const n = line.length;
  while (depth <= MAX_DEPTH) {
    while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
    const c = line[i];
    if (c === '>') i++;
    else if ((c === '-' || c === '+' || c === '*') && (i + 1 >= n || line[i + 1] === ' ' || line[i + 1] === '\t')) i++;
    else {
      const m = /^\d{1,9}[.)](?=[ \t]|$)/.exec(line.slice(i, i + 11));
      if (!m) return depth;
      i += m[0].length;
    }
    depth++;
  }
  return depth;
}

/** Escapes the container marker that would nest too deep (see the module comment). */
export function boundNesting(line: string): string {
  let i = 0;
  let depth = 0;
  const n = line.length;
  for (;;) {
    while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= n) return line;
    const c = line[i]!;
    let markerEnd: number;
    let escapeAt = i;
    if (c === '>') markerEnd = i + 1;
    else if ((c === '-' || c === '+' || c === '*') && (i + 1 >= n || line[i + 1] === ' ' || line[i + 1] === '\t')) markerEnd = i + 1;
    else if (c >= '0' && c <= '9') {
      let j = i;
      while (j < n && j - i < 9 && line[j]! >= '0' && line[j]! <= '9') j++;
      if (j >= n || (line[j] !== '.' && line[j] !== ')') || !(j + 1 >= n || line[j + 1] === ' ' || line[j + 1] === '\t')) return line;
      escapeAt = j;
      markerEnd = j + 1;
    } else return line;
    depth++;
    if (depth > MAX_DEPTH || i > MAX_MARKER_COLUMN) return `${line.slice(0, escapeAt)}\\${line.slice(escapeAt)}`;
    i = markerEnd;
  }
}

/**
 * Whether `next` starts with `prev`. Comparing a whole reply on every streamed token would make
 * streaming quadratic, so unless `exact`, only the ends and evenly spaced samples are compared:
 * a stream only appends, and a replaced text (another reply, an edit) differs almost anywhere.
 * The final render of a reply is always checked exactly.
 */
export function extendsText(prev: string, next: string, exact: boolean): boolean {
  if (next.length < prev.length) return false;
  if (exact || prev.length <= 4096) return next.startsWith(prev);
  const n = prev.length;
  if (!next.startsWith(prev.slice(0, 256)) || !next.startsWith(prev.slice(n - 1024), n - 1024)) return false;
  for (let k = 1; k < 16; k++) {
    const at = Math.floor((n * k) / 16);
    if (!next.startsWith(prev.slice(at, at + 32), at)) return false;
  }
  return true;
}

/** The index of the piece holding offset `at` (starts are increasing, starts[0] = 0). */
function pieceAt(starts: readonly number[], at: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** One-shot guard (the same rules, for a whole text). */
export function guardText(raw: string): string {
  return new NestingGuard().apply(raw).slice(0);
}
