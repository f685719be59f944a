/**
 * A big table, part by part (pure, no DOM). A segment over the lexing budget that opens with a
 * table is not shown as text: its rows are lexed in parts of ROWS_PER_PART rows (or fewer when
 * they are long), each part after the table's header and delimiter lines, and each part is drawn
 * as a table of its own with fixed, equal columns so the parts line up (markdownStyles.ts). A
 * streamed update lexes only the part still filling; a finished part is never lexed or drawn
 * again. Parts, not one table: the browser lays a table out whole (its columns depend on every
 * row), so a 10k-row table grown row by row cost a full layout per frame; parts off screen are
 * skipped (`content-visibility`).
 *
 * Exact: in GFM a row depends only on the header (columns, alignment) and its own line, and the
 * table ends at a line that is blank or opens another block — all visible in that line alone.
 * Where a part ends depends only on the text, so streamed and one-shot renders cut alike.
 */
import type { Token } from 'marked';
import { BLOCK_MAX, lexRegion } from './lexing';

/** A big segment that opens with a table, and where the table ended once that is known. */
export interface TableMode {
  /** Offset of the segment (and the table) in the guarded text. */
  readonly start: number;
  /** The header and delimiter lines, or undefined when the segment does not open with a table. */
  head: string | undefined;
  /** Offset where the table's rows stopped inside the segment, once seen. */
  end: number | undefined;
  /** The table's first block (header and first rows) has been committed. */
  started: boolean;
}

/** The header and delimiter lines when `start` (the beginning of a segment) opens a table. */
export function tableHead(start: string): string | undefined {
  const first = start.indexOf('\n');
  const second = first < 0 ? -1 : start.indexOf('\n', first + 1);
  if (second < 0 || !start.slice(0, first).includes('|')) return undefined;
  const head = start.slice(0, second + 1);
  try {
    const token = lexRegion(head, { budget: false }).blocks[0]?.token;
    return token?.type === 'table' && token.raw === head ? head : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How many characters of `rows` (lexed after `head`) the table takes, and whether it ended there:
 * marked also takes the blank lines after a table, and a blank line always ends one.
 */
export function rowsTaken(table: Token, head: string, rows: string): { taken: number; ended: boolean } {
  const taken = Math.max(0, table.raw.length - head.length);
  return { taken, ended: taken < rows.length || (taken > 0 && table.raw.endsWith('\n\n')) };
}

export const ROWS_PER_PART = 50;

/** How a table part's block is drawn: the table's header lines, and whether it is the first part. */
export interface TableOf {
  readonly head: string;
  readonly first: boolean;
}

/**
 * Where the part whose rows start at `from` ends: after ROWS_PER_PART rows, or at the last line
 * end within BLOCK_MAX characters, or at the end of a closed segment. Until one of those is
 * reached (`decided` false), `end` is the last complete row so far.
 */
export function partEnd(text: { slice(from: number, to?: number): string }, from: number, to: number, closed: boolean): { end: number; decided: boolean } {
  const limit = Math.min(to, from + BLOCK_MAX);
  const window = text.slice(from, limit);
  let pos = 0;
  for (let rows = 0; rows < ROWS_PER_PART; rows++) {
    const nl = window.indexOf('\n', pos);
    if (nl < 0) break;
    pos = nl + 1;
    if (rows === ROWS_PER_PART - 1) return { end: from + pos, decided: true };
  }
  if (limit === from + BLOCK_MAX && limit < to) {
    if (pos > 0) return { end: from + pos, decided: true };
    // One row longer than the budget: a part alone, once its line is complete.
    const nl = text.slice(from, to).indexOf('\n');
    if (nl >= 0) return { end: from + nl + 1, decided: true };
  }
  if (closed) return { end: to, decided: true };
  return { end: from + pos, decided: false };
}
