/**
 * Splits growing markdown into finished blocks and the open tail, so a streaming reply is
 * lexed once per block: text already committed is never lexed, parsed or sanitized again, and
 * every update costs about the size of what changed. Pure (no DOM): the view draws the blocks.
 *
 * A block is final when a later block has begun after a blank line and that later block's first
 * line is complete (a blank line ends every block except lists and indented code, and only a
 * complete next line proves it does not continue them: "1. a⏎⏎2" may still become item "2.").
 * A hard boundary from the guard (see guard.ts) makes everything before it final at once.
 *
 * Link definitions: a `[label]: url` anywhere in a reply changes earlier blocks that use the
 * label. Definitions are taken from marked's lexer (so `[INFO]: x` inside code is none, and those
 * in quotes and lists count); the blocks referencing a label whose definition appears, changes
 * or goes are listed as `stale` and drawn again — nothing else is.
 *
 * Bounded work: the text between two hard boundaries (a segment) is lexed only while it is at
 * most BLOCK_MAX; a larger one is shown as text (fenced code as growing code) and never lexed,
 * and one call lexes about `workLimit` characters of closed segments at most, beyond the first
 * (then `pending` asks for more).
 */
import type { Links, Token } from 'marked';
import type { BlockInput } from './blocks';
import { NestingGuard, type Guarded } from './guard';
import { BLOCK_MAX, lexRegion, referencedLabels, type LexedRegion, type Link } from './lexing';
import { partEnd, rowsTaken, tableHead, type TableMode, type TableOf } from './tableRows';
import { firstAfter, lastAtOrBefore } from './sortedSearch';

export { MARKDOWN_OPTIONS } from './lexing';

export interface CommittedBlock {
  /** Offset in the guarded text. */
  readonly start: number;
  readonly raw: string;
  input: BlockInput;
  readonly defs: ReadonlyMap<string, Link>;
  readonly refs: readonly string[];
  /** A part of a big table (tableRows.ts): the table's header lines, and whether it is the first part. */
  readonly table?: TableOf;
}

/** The open tail: ordinary blocks, or a segment too big to lex shown as growing text. */
export type OpenPart =
  | { readonly kind: 'blocks'; readonly blocks: readonly BlockInput[] }
  | { readonly kind: 'live'; readonly start: number; readonly end: number; readonly code: boolean; readonly language: string | undefined };

export interface SplitResult {
  /** True when earlier output is no longer valid and everything must be redrawn. */
  readonly reset: boolean;
  /** Committed blocks from this index on are gone (their segment became too big). */
  readonly dropFrom: number | undefined;
  /** Blocks that became final with this update, in order. */
  readonly committed: readonly CommittedBlock[];
  /** Earlier committed blocks drawn again (a definition they use changed); `input` is new. */
  readonly stale: readonly CommittedBlock[];
  readonly open: OpenPart;
  /** More text is waiting to be lexed: call `next` again (with the same text). */
  readonly pending: boolean;
}

/** A segment opening with a table is drawn in parts past this weight (about one part of rows). */
const TABLE_MIN = 4 * 1024;
const FENCE_LINE = /^ {0,3}(?:`{3,}|~{3,})[ \t]*([^\s`]*)/;

export class BlockSplitter {
  private guard = new NestingGuard();
  /** Length of the guarded text covered by committed blocks. */
  private committedLength = 0;
  /** Committed text past the guard's stable part (only after a final update), to check next time. */
  private unstable: { from: number; text: string } | undefined;
  private last: Guarded | undefined;
  private blocks: CommittedBlock[] = [];
  private committedDefs = new Map<string, Link>();
  private openDefs = new Map<string, Link>();
  private links = new Map<string, Link>();
  private table: TableMode | undefined;

  /** `incremental` false re-lexes everything on each update (the bench's naive baseline). */
  constructor(private readonly incremental = true) {}

  /**
   * Takes the full current text (normally the previous text plus appended tokens). Once more
   * than `workLimit` characters were lexed, further closed segments wait for the next call.
   */
  next(raw: string, final = false, workLimit = BLOCK_MAX): SplitResult {
    const guarded = this.guard.apply(raw, final);
    this.last = guarded;
    const { boundaries } = guarded;
    const text = { length: guarded.length, slice: guarded.slice };
    // Committed text lies within the guard's stable part unless the input was replaced.
    const u = this.unstable;
    const kept = !guarded.reset && (this.committedLength <= guarded.stable || (u !== undefined && this.committedLength <= guarded.length && guarded.slice(u.from, u.from + u.text.length) === u.text));
    let reset = false;
    if (!this.incremental || !kept) {
      reset = this.committedLength > 0 || !this.incremental;
      this.committedLength = 0;
      this.blocks = [];
      this.committedDefs.clear();
      this.table = undefined;
    }
    /** Blocks the view already has (from earlier calls) that are still valid. */
    let viewCount = this.blocks.length;
    let dropFrom: number | undefined;
    const dropped: string[] = [];
    const committed: CommittedBlock[] = [];
    const jobs: InlineJob[] = [];
    const openDefs = new Map<string, Link>();
    let open: OpenPart = { kind: 'blocks', blocks: [] };
    let openJob: InlineJob | undefined;
    let work = 0;
    let pending = false;
    while (this.committedLength < text.length) {
      const at = this.committedLength;
      const segStart = lastAtOrBefore(boundaries, at);
      const segEnd = firstAfter(boundaries, at);
      const end = segEnd ?? text.length;
      const closed = segEnd !== undefined || final || !this.incremental;
      const weight = this.incremental ? guarded.weight(segStart, segEnd) : 0;
      const heavy = weight > BLOCK_MAX;
      // Tables go into parts early: an open table was laid out and sanitized whole per update.
      const tableFirst = this.incremental && !heavy && weight > TABLE_MIN ? this.tableAt(segStart, text) : undefined;
      const big = heavy || tableFirst?.head !== undefined;
      const fence = heavy ? FENCE_LINE.exec(firstLine(text.slice(segStart, Math.min(end, segStart + 1000)))) : null;
      /** Forgets committed blocks from offset `from` on (their text is shown another way now). */
      const dropAt = (from: number): boolean => {
        const first = this.blocks.findIndex((b) => b.start >= from);
        if (first < 0) return false;
        if (first < viewCount) {
          dropFrom = Math.min(dropFrom ?? first, first);
          viewCount = first;
        }
        dropped.push(...this.dropFrom(first, committed));
        return true;
      };
      let lexHere = !big;
      const table = tableFirst ?? (big && !fence ? this.tableAt(segStart, text) : undefined);
      if (table?.head !== undefined) {
        const { head } = table;
        if (table.end !== undefined && at >= table.end) {
          // After the table, still in its segment: lexed as usual when small, else text below.
          if (end - table.end <= BLOCK_MAX / 2 || !heavy) lexHere = true;
          else dropAt(table.end);
        } else {
          if (work > workLimit) {
            pending = true;
            break;
          }
          // The segment just outgrew the budget: its blocks so far are drawn again as the table.
          if (!table.started && at > segStart && dropAt(segStart)) continue;
          table.started = true;
          const first = at === segStart;
          const rowStart = first ? segStart + head.length : at;
          const part = partEnd(text, rowStart, end, closed);
          const rowsEnd = part.end;
          if (rowsEnd <= rowStart && !first) break; // only a partial row: drawn once complete
          const rows = text.slice(rowStart, rowsEnd);
          work += head.length + rows.length;
          let region: LexedRegion | undefined;
          try {
            region = lexRegion(head + rows);
          } catch {
            region = undefined;
          }
          const lexed = region?.blocks[0];
          if (region && lexed?.token.type === 'table' && !(first && lexed.tooComplex)) {
            const { taken, ended } = rowsTaken(lexed.token, head, rows);
            if (ended) table.end = rowStart + taken;
            const raw = first ? head + rows.slice(0, taken) : rows.slice(0, taken);
            const tableOf = { head, first };
            if (!part.decided && !ended) {
              // The part is still filling: drawn with the rows so far, lexed again next time.
              openJob = { region, from: 0, to: 1, blocks: [], table: tableOf };
              break;
            }
            if (raw.length > 0) {
              const block: CommittedBlock = { start: at, raw, input: PLACEHOLDER, defs: new Map(), refs: referencedLabels(raw), table: tableOf };
              this.commit(committed, block);
              jobs.push({ region, from: 0, to: 1, blocks: [block] });
            }
            continue;
          }
          // Not a table after all (or its header is too costly): the segment is text, as below,
          // unless it is small enough to lex.
          table.head = undefined;
          lexHere = !heavy;
        }
      }
      if (!lexHere && !fence) {
        const from = table?.head !== undefined && table.end !== undefined ? table.end : segStart;
        // Too big to lex: the whole segment is text, including blocks already committed from it.
        dropAt(from);
        if (!closed) {
          open = { kind: 'live', start: from, end, code: false, language: undefined };
          break;
        }
        const segment = text.slice(from, end);
        this.commit(committed, { start: from, raw: segment, input: { kind: 'text', raw: segment, reason: 'budget' }, defs: new Map(), refs: [] });
        continue;
      }
      if (fence && !closed) {
        // A long fence still streaming: its lines are shown as they come, lexed once it closes.
        const body = at > segStart ? at : Math.min(end, segStart + firstLine(text.slice(segStart, Math.min(end, segStart + 1000))).length + 1);
        open = { kind: 'live', start: body, end, code: true, language: fence[1] || undefined };
        break;
      }
      if (work > workLimit && this.incremental) {
        pending = true;
        break;
      }
      const source = text.slice(at, end);
      work += source.length;
      let region: LexedRegion;
      try {
        region = lexRegion(source);
      } catch {
        // marked failed on this region: its text, escaped, stands in for it.
        const input: BlockInput = { kind: 'text', raw: source, reason: 'failed' };
        if (!closed) {
          open = { kind: 'blocks', blocks: [input] };
          break;
        }
        this.commit(committed, { start: at, raw: source, input, defs: new Map(), refs: [] });
        continue;
      }
      const tokens = region.blocks.map((b) => b.token);
      const count = closed ? tokens.length : finishedCount(tokens, source);
      const job: InlineJob = { region, from: 0, to: count, blocks: [] };
      let offset = at;
      tokens.forEach((token, i) => {
        const defs = new Map<string, Link>();
        collectDefs(token as WithDefs, defs);
        if (i < count) {
          // Committed definitions precede the open ones (the first definition of a label wins).
          for (const [k, v] of defs) if (!this.committedDefs.has(k)) this.committedDefs.set(k, v);
          const block: CommittedBlock = { start: offset, raw: token.raw, input: PLACEHOLDER, defs, refs: referencedLabels(token.raw) };
          this.commit(committed, block);
          job.blocks.push(block);
        } else {
          for (const [k, v] of defs) if (!openDefs.has(k)) openDefs.set(k, v);
        }
        offset += token.raw.length;
      });
      jobs.push(job);
      if (closed) continue;
      openJob = { region, from: count, to: tokens.length, blocks: [] };
      break;
    }
    // Inline lexing last, when every definition of this update is known.
    const links = this.effectiveLinks(openDefs);
    for (const job of jobs) {
      const failed = job.region.inline(job.from, job.to, links);
      job.blocks.forEach((block, i) => {
        const lexed = job.region.blocks[job.from + i]!;
        const input = toInput(lexed.token, lexed.tooComplex, failed.has(job.from + i));
        block.input = block.table ? asPart(block.table, input) : input;
      });
    }
    if (openJob) {
      const { region, from, to } = openJob;
      const failed = region.inline(from, to, links);
      const inputs = region.blocks.slice(from, to).map((b, i) => toInput(b.token, b.tooComplex, failed.has(from + i)));
      open = { kind: 'blocks', blocks: openJob.table ? inputs.map((input) => asPart(openJob!.table!, input)) : inputs };
    }
    const stale = this.refresh(links, openDefs, dropped, committed, viewCount);
    this.unstable = this.committedLength > guarded.stable ? { from: guarded.stable, text: guarded.slice(guarded.stable, this.committedLength) } : undefined;
    return { reset, dropFrom, committed, stale, open, pending };
  }

  /** A part of the current guarded text (what a live open part shows). */
  slice(from: number, to: number): string {
    return this.last?.slice(from, to) ?? '';
  }

  /** The definitions in force now (for "render anyway"). */
  currentLinks(): Links {
    const links: Links = Object.create(null) as Links;
    for (const [k, v] of this.links) links[k] = v;
    return links;
  }

  /** The table mode of the big segment at `start` (whether it opens with a table is found once). */
  private tableAt(start: number, text: { length: number; slice(from: number, to?: number): string }): TableMode {
    if (this.table?.start !== start) this.table = { start, head: tableHead(text.slice(start, Math.min(text.length, start + 8192))), end: undefined, started: false };
    return this.table;
  }

  private commit(out: CommittedBlock[], block: CommittedBlock): void {
    this.blocks.push(block);
    this.committedLength += block.raw.length;
    out.push(block);
  }

  /** Forgets committed blocks from `first` on; returns the labels they defined. */
  private dropFrom(first: number, committedNow: CommittedBlock[]): string[] {
    const gone = this.blocks.splice(first);
    const goneSet = new Set(gone);
    for (let i = committedNow.length - 1; i >= 0; i--) if (goneSet.has(committedNow[i]!)) committedNow.splice(i, 1);
    this.committedLength = gone[0]!.start;
    const labels = gone.flatMap((b) => [...b.defs.keys()]);
    if (labels.length > 0) {
      this.committedDefs.clear();
      for (const b of this.blocks) for (const [k, v] of b.defs) if (!this.committedDefs.has(k)) this.committedDefs.set(k, v);
    }
    return labels;
  }

  private effectiveLinks(openDefs: ReadonlyMap<string, Link>): Links {
    const links: Links = Object.create(null) as Links;
    for (const [k, v] of this.committedDefs) links[k] = v;
    for (const [k, v] of openDefs) if (!(k in links)) links[k] = v;
    return links;
  }

  /** Committed blocks (from before this update) that use a label whose definition changed. */
  private refresh(links: Links, openDefs: Map<string, Link>, dropped: string[], fresh: CommittedBlock[], viewCount: number): CommittedBlock[] {
    const candidates = new Set<string>([...this.openDefs.keys(), ...openDefs.keys(), ...dropped]);
    for (const b of fresh) for (const k of b.defs.keys()) candidates.add(k);
    const changed = new Set<string>();
    for (const label of candidates) {
      const before = this.links.get(label);
      const now = links[label];
      if (before?.href !== now?.href || before?.title !== now?.title) changed.add(label);
    }
    this.openDefs = openDefs;
    this.links = new Map(Object.entries(links));
    if (changed.size === 0) return [];
    const stale: CommittedBlock[] = [];
    for (const block of this.blocks.slice(0, viewCount)) {
      if (block.input.kind === 'text' || !block.refs.some((r) => changed.has(r))) continue;
      const { table } = block;
      block.input = table ? asPart(table, relex(table.first ? block.raw : table.head + block.raw, links)) : relex(block.raw, links);
      stale.push(block);
    }
    return stale;
  }
}

interface InlineJob {
  readonly table?: TableOf;
  readonly region: LexedRegion;
  readonly from: number;
  readonly to: number;
  readonly blocks: CommittedBlock[];
}

const PLACEHOLDER: BlockInput = { kind: 'text', raw: '', reason: 'failed' };

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end < 0 ? text : text.slice(0, end);
}

function toInput(token: Token, tooComplex: boolean, failed: boolean): BlockInput {
  if (tooComplex) return { kind: 'text', raw: token.raw, reason: 'budget' };
  if (failed) return { kind: 'text', raw: token.raw, reason: 'failed' };
  return { kind: 'token', token, raw: token.raw };
}

/** A part of a big table is drawn as a table of its own (see tableRows.ts). */
function asPart(table: TableOf, input: BlockInput): BlockInput {
  const token = input.kind === 'token' ? input.token : undefined;
  return { kind: 'rows', token, raw: input.raw, first: table.first };
}

/** One committed block lexed again alone, with the current definitions. */
function relex(raw: string, links: Links): BlockInput {
  try {
    const region = lexRegion(raw);
    const failed = region.inline(0, region.blocks.length, links);
    const [first] = region.blocks;
    if (region.blocks.length !== 1 || !first) return { kind: 'text', raw, reason: 'failed' };
    return toInput(first.token, first.tooComplex, failed.has(0));
  } catch {
    return { kind: 'text', raw, reason: 'failed' };
  }
}

type WithDefs = { type?: string; tag?: string; href?: string; title?: string | null; tokens?: Token[]; items?: WithDefs[] };

function collectDefs(token: WithDefs, out: Map<string, Link>): void {
  if (token.type === 'def' && token.tag !== undefined && !out.has(token.tag)) out.set(token.tag, { href: token.href ?? '', title: token.title ?? '' });
  if (token.type === 'blockquote' && token.tokens) for (const t of token.tokens) collectDefs(t as WithDefs, out);
  if (token.type === 'list' && token.items) for (const item of token.items) for (const t of item.tokens ?? []) collectDefs(t as WithDefs, out);
}

/** How many leading tokens are final (see the module comment). */
function finishedCount(tokens: readonly Token[], source: string): number {
  let count = 0;
  let offset = 0;
  for (let j = 0; j < tokens.length; j++) {
    const token = tokens[j]!;
    const start = offset;
    offset += token.raw.length;
    if (j === 0 || token.type === 'space') continue;
    const before = tokens[j - 1]!;
    const blankLineBefore = before.type === 'space' || before.raw.endsWith('\n\n');
    // marked 18 leaves a single-line block's newline out of its raw: look at the source.
    if (blankLineBefore && source.indexOf('\n', start) !== -1) count = j;
  }
  return count;
}
