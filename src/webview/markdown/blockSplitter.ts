/**
 * Splits growing markdown into finished blocks and the open tail, so a streaming reply is
 * lexed once per block: text already committed is never lexed, parsed or sanitized again.
 * Pure (no DOM): the markdown view turns the tokens into HTML.
 *
 * A block is final only when a later block has begun after a blank line and that later
 * block's first line is complete. Both conditions matter: a blank line ends every block
 * except lists and indented code, and only a complete next line proves it does not
 * continue them ("1. a⏎⏎2" may still become item "2."; "# x⏎#" may still become "#y"
 * and join a paragraph). Reference definitions ("[x]: url") change earlier blocks, so a
 * text containing one is re-lexed whole on every update (models rarely write them).
 */
import { Lexer, type MarkedOptions, type Token } from 'marked';

export const MARKDOWN_OPTIONS: MarkedOptions = { gfm: true, breaks: false, async: false };

const REFERENCE_DEFINITION = /^ {0,3}\[[^\]\n]+\]:/m;

export interface SplitResult {
  /** True when earlier output is no longer valid and everything must be redrawn. */
  readonly reset: boolean;
  /** Blocks that became final with this update, in order. */
  readonly committed: readonly Token[];
  /** Blocks after the last final one (rendered again next time). */
  readonly open: readonly Token[];
}

export class BlockSplitter {
  /** Source text covered by committed blocks. */
  private committedSource = '';
  private wholeMode = false;

  constructor(private readonly incremental = true) {}

  /** Takes the full current text (normally the previous text plus appended tokens). */
  next(text: string, final = false): SplitResult {
    const normalized = text.replace(/\r\n?/g, '\n');
    let reset = false;
    if (!normalized.startsWith(this.committedSource) || this.wholeMode) {
      reset = this.committedSource.length > 0 || this.wholeMode;
      this.committedSource = '';
    }
    const rest = normalized.slice(this.committedSource.length);
    if (!this.incremental || REFERENCE_DEFINITION.test(rest)) {
      // Everything is drawn again; nothing is cached.
      this.wholeMode = true;
      return { reset: true, committed: [], open: lex(normalized) };
    }
    const tokens = lex(rest);
    const count = final ? tokens.length : finishedCount(tokens);
    const committed = tokens.slice(0, count);
    for (const t of committed) this.committedSource += t.raw;
    return { reset, committed, open: tokens.slice(count) };
  }
}

function lex(text: string): Token[] {
  return new Lexer(MARKDOWN_OPTIONS).lex(text);
}

/** How many leading tokens are final (see the module comment). */
function finishedCount(tokens: readonly Token[]): number {
  let count = 0;
  for (let j = 1; j < tokens.length; j++) {
    const token = tokens[j]!;
    if (token.type === 'space') continue;
    const before = tokens[j - 1]!;
    const blankLineBefore = before.type === 'space' || before.raw.endsWith('\n\n');
    if (blankLineBefore && token.raw.includes('\n')) count = j;
  }
  return count;
}
