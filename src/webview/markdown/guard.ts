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
  /** The normalised, nesting-bounded text. */
  readonly text: string;
  /** Offsets in `text` of hard boundaries (line starts), increasing; 0 is implied. */
  readonly boundaries: readonly number[];
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
  /** Raw input covered by `doneText` (always ends after a line break). */
  private doneRaw = '';
  private doneText = '';
  private doneBoundaries: number[] = [];
  private fence: Fence | undefined;
  private prevBlank = true;

  apply(raw: string): Guarded {
    if (!raw.startsWith(this.doneRaw)) this.reset();
    // Complete lines are guarded once; a trailing '\r' may still pair with a coming '\n'.
    let end = raw.lastIndexOf('\n') + 1;
    if (end <= this.doneRaw.length) end = this.doneRaw.length;
    if (end > this.doneRaw.length) {
      const chunk = raw.slice(this.doneRaw.length, end).replace(/\r\n?/g, '\n');
      const state = this.run(chunk.slice(0, -1).split('\n'), this.doneText.length, this.fence, this.prevBlank, this.doneBoundaries, false);
      this.doneText += `${state.lines.join('\n')}\n`;
      this.fence = state.fence;
      this.prevBlank = state.prevBlank;
      this.doneRaw = raw.slice(0, end);
    }
    const tailRaw = raw.slice(end);
    if (!tailRaw) return { text: this.doneText, boundaries: this.doneBoundaries };
    const boundaries = [...this.doneBoundaries];
    const tail = this.run(tailRaw.replace(/\r\n?/g, '\n').split('\n'), this.doneText.length, this.fence, this.prevBlank, boundaries, true);
    return { text: this.doneText + tail.lines.join('\n'), boundaries };
  }

  private reset(): void {
    this.doneRaw = '';
    this.doneText = '';
    this.doneBoundaries = [];
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
  ): { lines: string[]; fence: Fence | undefined; prevBlank: boolean } {
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
        if (complete && prevBlank && at > 0 && !blank && !/^[ \t]/.test(line) && !LIST_ITEM.test(line)) boundaries.push(at);
        const open = FENCE_OPEN.exec(line);
        if (open && !(open[1]![0] === '`' && open[2]!.includes('`'))) fence = { char: open[1]![0]!, length: open[1]!.length };
        else lines[i] = boundNesting(line);
      }
      prevBlank = blank;
      at += lines[i]!.length + 1;
    }
    return { lines, fence, prevBlank };
  }
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

/** One-shot guard (the same rules, for a whole text). */
export function guardText(raw: string): Guarded {
  return new NestingGuard().apply(raw);
}
