/**
 * marked's lexer, split in its two passes so each can be bounded (pure, no DOM):
 *  - block lexing of a region, with the link definitions known so far passed in (a definition
 *    anywhere in a reply changes how earlier `[label]` references render);
 *  - inline lexing per top-level block, after a cheap linear estimate of its cost: marked's
 *    emphasis and e-mail autolink paths are quadratic (2 KB of `**a_` takes ~150 ms, 100 KB of
 *    letters before an `@` takes seconds), so a block over budget is not inline-lexed at all and
 *    is shown as text with "render anyway".
 * Inline state (inside `<a>`, inside `<pre>`) is reset for every inline run, so one block cannot
 * change how a later one lexes — streamed blocks are lexed apart and must render the same.
 */
import { Lexer, type Links, type MarkedOptions, type Token } from 'marked';

export const MARKDOWN_OPTIONS: MarkedOptions = { gfm: true, breaks: false, async: false };

/**
 * A non-fence region larger than this is shown as text, never lexed: marked takes 1–3 µs per
 * character of nested lists or tables, and an open region is lexed again on every update.
 */
export const BLOCK_MAX = 16 * 1024;
/**
 * Σ (delimiters in one whitespace-free word)²: marked's emphasis matching backtracks over the
 * delimiters it cannot pair, and that only happens inside long runs without spaces ("**a_"×200
 * takes ~50 ms; ordinary prose has a handful of delimiters per word).
 */
const WORD_DELIMITER_BUDGET = 40_000;
/** n × (all delimiters) of one inline run: the spread-out case, far cheaper per pair. */
const EMPHASIS_BUDGET = 4_000_000;
/** Σ (length of e-mail-like runs)² of one inline run containing "@". */
const EMAIL_BUDGET = 4_000_000;

export type Link = Links[string];

interface InlineRun {
  src: string;
  tokens: Token[];
}

export interface LexedBlock {
  readonly token: Token;
  /** Why the block is shown as text instead (it is then not inline-lexed). */
  readonly tooComplex: boolean;
}

export interface LexedRegion {
  readonly blocks: LexedBlock[];
  /** Inline-lexes the blocks in [from, to) with `links`; returns the indexes that failed. */
  inline(from: number, to: number, links: Links): Set<number>;
}

/**
 * Characters given to marked so far (block and inline passes): the renderer's work in units that
 * do not depend on the machine's load, read by the bench to show the cost per token stays flat.
 */
export const lexedCharacters = { count: 0 };

/** Block-lexes `src` (a region that starts a block). Throws when marked does. */
export function lexRegion(src: string, { budget = true }: { budget?: boolean } = {}): LexedRegion {
  lexedCharacters.count += src.length;
  const lexer = new Lexer(MARKDOWN_OPTIONS);
  const tokens = lexer.blockTokens(src, []);
  const runs = new Map<Token[], InlineRun>();
  for (const run of lexer.inlineQueue) runs.set(run.tokens, run);
  lexer.inlineQueue = [];
  const blocks: LexedBlock[] = [];
  const blockRuns: InlineRun[][] = [];
  for (const token of tokens) {
    const own: InlineRun[] = [];
    collectRuns(token as Walkable, runs, own);
    blocks.push({ token, tooComplex: budget && own.some((r) => tooComplex(r.src)) });
    blockRuns.push(own);
  }
  return {
    blocks,
    inline(from, to, links) {
      const failed = new Set<number>();
      lexer.tokens.links = links;
      for (let i = from; i < to; i++) {
        if (blocks[i]!.tooComplex) continue;
        try {
          for (const run of blockRuns[i]!) {
            lexer.state.inLink = false;
            lexer.state.inRawBlock = false;
            run.tokens.length = 0;
            lexedCharacters.count += run.src.length;
            lexer.inlineTokens(run.src, run.tokens);
          }
        } catch {
          failed.add(i);
        }
      }
      return failed;
    },
  };
}

type Walkable = { tokens?: unknown; items?: unknown; header?: unknown; rows?: unknown };

/** The inline runs inside one block, in document order. */
function collectRuns(token: Walkable, runs: Map<Token[], InlineRun>, out: InlineRun[]): void {
  // Only arrays: a table cell's `header` is a boolean.
  if (Array.isArray(token.tokens)) {
    const run = runs.get(token.tokens as Token[]);
    if (run) out.push(run);
    else for (const child of token.tokens) collectRuns(child as Walkable, runs, out);
  }
  if (Array.isArray(token.items)) for (const item of token.items) collectRuns(item as Walkable, runs, out);
  if (Array.isArray(token.header)) for (const cell of token.header) collectRuns(cell as Walkable, runs, out);
  if (Array.isArray(token.rows)) for (const row of token.rows as unknown[][]) for (const cell of row) collectRuns(cell as Walkable, runs, out);
}

const EMAIL_CHAR = /[a-zA-Z0-9.!#$%&'*+/=?_`{|}~-]/;

/** A linear estimate of marked's worst cases for one inline run (see the module comment). */
export function tooComplex(src: string): boolean {
  const n = src.length;
  if (n > BLOCK_MAX) return true;
  let emphasis = 0;
  let other = 0;
  let inWord = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const c = src.charCodeAt(i);
    if (c === 42 || c === 95 || c === 126) {
      emphasis++; // * _ ~
      inWord++;
    } else if (c === 91 || c === 93 || c === 60 || c === 96) {
      other++; // [ ] < `
      inWord++;
    } else if (c === 32 || c === 10 || c === 9) {
      squares += inWord * inWord;
      inWord = 0;
    }
  }
  squares += inWord * inWord;
  if (squares > WORD_DELIMITER_BUDGET || n * (emphasis + other / 16) > EMPHASIS_BUDGET) return true;
  if (!src.includes('@')) return false;
  let sum = 0;
  let run = 0;
  for (let i = 0; i <= n; i++) {
    if (i < n && EMAIL_CHAR.test(src[i]!)) run++;
    else {
      sum += run * run;
      run = 0;
    }
  }
  return sum > EMAIL_BUDGET;
}

/** marked's label normalisation (see its reflink lookup). */
export function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase().toUpperCase().toLowerCase();
}

/**
 * Labels a block may reference: every `[…]` without nested brackets (a superset — it only
 * decides which blocks are drawn again when a definition appears or changes).
 */
export function referencedLabels(raw: string): string[] {
  if (!raw.includes('[') || !raw.includes(']')) return [];
  const labels = new Set<string>();
  for (const m of raw.matchAll(/\[((?:[^[\]\\]|\\.){1,999})\]/g)) labels.add(normalizeLabel(m[1]!));
  return [...labels];
}
