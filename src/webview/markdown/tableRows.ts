/**
 * A big table, row by row (pure, no DOM). A segment over the lexing budget that opens with a
 * table is not shown as text: its rows are lexed in batches, each batch after the table's header
 * and delimiter lines, so a streamed update lexes only its new rows and a 10k-row history entry is
 * drawn over several tasks. The first batch renders as the table; later batches add their `<tr>`s
 * to its body (markdownView.ts).
 *
 * Exact: in GFM a row depends only on the header (columns, alignment) and its own line, and the
 * table ends at a line that is blank or opens another block — all visible in that line alone.
 */
import type { Token } from 'marked';
import { lexRegion } from './lexing';

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

/** The offset after the last line end in [from, to) of `text`, or `from` when there is none. */
export function lastLineEnd(text: { slice(from: number, to?: number): string }, from: number, to: number): number {
  const at = text.slice(from, to).lastIndexOf('\n');
  return at < 0 ? from : from + at + 1;
}
