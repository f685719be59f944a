/**
 * Draws a (possibly still growing) markdown text into a container element. Finished blocks
 * are rendered once and their nodes kept; only the open tail is replaced on each update, and a
 * segment too big to format grows by appending text. Work beyond one slice (a long history
 * entry arriving at once) continues in later tasks, so no update holds the main thread long.
 * Clicks are intercepted here: links never navigate the webview, they become `openLink`
 * requests; code-block buttons become code actions; "render anyway" formats a held-back block.
 */
import { BlockGroups, type PlacedBlock } from './blockGroups';
import { BlockSplitter, type CommittedBlock, type OpenPart, type SplitResult } from './blockSplitter';
import { renderBlocks, codeLanguage, fallbackNode, type CodeActionRequest } from './blocks';
import { highlightCode } from './highlight';
import { renderAnyway } from './renderAnyway';
import { ChunkedText } from './textChunks';

export interface MarkdownViewOptions {
  /** False re-renders everything on each update (the bench's naive baseline). */
  readonly incremental?: boolean;
  /** False skips syntax highlighting (tests comparing DOM output). */
  readonly highlight?: boolean;
  /** False never groups a long reply's blocks (the bench's baseline for long replies). */
  readonly groups?: boolean;
  readonly onLink?: (url: string) => void;
  readonly onCodeAction?: (request: CodeActionRequest) => void;
}

/** Main-thread time one task may spend on an update before yielding. */
const SLICE_MS = 12;
/** A text growing by more than this at once (a history entry) is fed in parts, as if streamed. */
const FEED = 48 * 1024;
/**
 * Characters lexed per splitter call before the deadline is checked again: small enough that
 * one call (lex, parse, sanitize, insert) stays well inside a slice on a slow machine.
 */
const CALL_WORK = 2 * 1024;
/** Past this many characters a reply is long: its finished blocks are drawn in groups (blockGroups.ts). */
const LONG_TEXT = 32 * 1024;

type LivePart = Extract<OpenPart, { kind: 'live' }>;

interface Drawn extends PlacedBlock {
  readonly block: CommittedBlock;
}

interface LiveNodes {
  readonly part: LivePart;
  readonly text: ChunkedText;
  /** The last characters shown (to check the text still extends them without reading the node). */
  readonly shownTail: string;
}

export class MarkdownView {
  private splitter: BlockSplitter;
  private committed: Drawn[] = [];
  private readonly groups: BlockGroups;
  private tailNodes: ChildNode[] = [];
  private live: LiveNodes | undefined;
  private text: string | undefined;
  private final = false;
  private scheduled: ReturnType<typeof setTimeout> | undefined;
  private pending = false;
  /** How much of `text` the splitter has been given. */
  private fed = 0;

  constructor(
    readonly root: HTMLElement,
    private readonly options: MarkdownViewOptions = {},
  ) {
    this.splitter = new BlockSplitter(options.incremental ?? true);
    this.groups = new BlockGroups(root);
    root.addEventListener('click', this.onClick);
    // Middle-click would open a link in a new window of the webview host: never.
    root.addEventListener('auxclick', this.onClick);
  }

  /** Renders `text`; `final` marks it complete (every block becomes final and is highlighted). */
  update(text: string, final: boolean): void {
    if (text === this.text && final === this.final && !this.pending) return;
    this.text = text;
    this.final = final;
    this.groups.set(text.length > LONG_TEXT && (this.options.groups ?? true), this.committed, this.tailNodes[0] ?? null);
    this.run(performance.now() + SLICE_MS);
  }

  /** True while part of the last update is still waiting for a later task. */
  get busy(): boolean {
    return this.pending;
  }

  /** Finishes all pending work now (tests and one-shot renders). */
  flush(): void {
    this.run(Number.POSITIVE_INFINITY);
  }

  dispose(): void {
    if (this.scheduled !== undefined) clearTimeout(this.scheduled);
    this.scheduled = undefined;
    this.root.removeEventListener('click', this.onClick);
    this.root.removeEventListener('auxclick', this.onClick);
  }

  private run(deadline: number): void {
    if (this.scheduled !== undefined) clearTimeout(this.scheduled);
    this.scheduled = undefined;
    const text = this.text ?? '';
    for (;;) {
      if (this.fed > text.length) this.fed = 0;
      let upTo = text.length;
      if (upTo - this.fed > FEED) {
        const cut = text.lastIndexOf('\n', this.fed + FEED);
        upTo = cut > this.fed ? cut + 1 : this.fed + FEED;
      }
      let result: SplitResult;
      try {
        result = this.splitter.next(upTo === text.length ? text : text.slice(0, upTo), this.final && upTo === text.length, CALL_WORK);
      } catch {
        this.showWhole(text);
        return;
      }
      this.fed = upTo;
      this.pending = result.pending || upTo < text.length;
      this.apply(result);
      if (!this.pending) return;
      if (performance.now() >= deadline) break;
    }
    this.scheduled = setTimeout(() => this.run(performance.now() + SLICE_MS), 0);
  }

  /** The last resort: something unexpected failed, the text is still shown. */
  private showWhole(text: string): void {
    this.splitter = new BlockSplitter(this.options.incremental ?? true);
    this.committed = [];
    this.tailNodes = [];
    this.live = undefined;
    this.pending = false;
    this.root.replaceChildren(fallbackNode(text, 'failed'));
    this.groups.cleared();
  }

  private apply({ reset, dropFrom, committed, stale, open }: SplitResult): void {
    if (reset) {
      this.root.replaceChildren();
      this.groups.cleared();
      this.committed = [];
      this.tailNodes = [];
      this.live = undefined;
    }
    if (dropFrom !== undefined) {
      for (const gone of this.committed.splice(dropFrom).reverse()) {
        for (const node of gone.nodes) node.remove();
        this.groups.removed(gone);
      }
    }
    const keepLive = open.kind === 'live' && !reset && dropFrom === undefined && committed.length === 0 && this.live && this.sameLive(this.live, open) ? this.live : undefined;
    if (!keepLive) {
      for (const node of this.tailNodes) node.remove();
      this.tailNodes = [];
      this.live = undefined;
    }
    const fresh = renderBlocks(committed.map((b) => b.input));
    const finishedNodes: ChildNode[] = [];
    const anchor = this.tailNodes[0] ?? null;
    committed.forEach((block, i) => {
      const drawn: Drawn = { block, chars: block.raw.length, nodes: fresh[i]!, group: undefined };
      this.committed.push(drawn);
      this.groups.insert(drawn, anchor);
      finishedNodes.push(...drawn.nodes);
    });
    if (stale.length > 0) finishedNodes.push(...this.redraw(stale));
    if (keepLive && open.kind === 'live') {
      const added = this.splitter.slice(keepLive.part.end, open.end);
      keepLive.text.append(added);
      this.live = { part: open, text: keepLive.text, shownTail: (keepLive.shownTail + added).slice(-64) };
    } else if (open.kind === 'live') {
      const text = this.splitter.slice(open.start, open.end);
      const { box, chunks } = liveBox(open, text);
      this.tailNodes = [box];
      this.live = { part: open, text: chunks, shownTail: text.slice(-64) };
      this.root.append(box);
    } else {
      this.tailNodes = renderBlocks(open.blocks).flat();
      this.root.append(...this.tailNodes);
    }
    if (this.options.highlight ?? true) {
      const done = this.final && !this.pending ? [...finishedNodes, ...this.tailNodes] : finishedNodes;
      if (done.length > 0) highlightCode(done);
    }
  }

  /** The same live part, grown: the last characters shown are still where they were. */
  private sameLive(live: LiveNodes, next: LivePart): boolean {
    const { part, shownTail } = live;
    if (part.start !== next.start || part.code !== next.code || next.end < part.end) return false;
    return this.splitter.slice(part.end - shownTail.length, part.end) === shownTail;
  }

  /** Draws committed blocks again in place (a definition they use changed). */
  private redraw(stale: readonly CommittedBlock[]): ChildNode[] {
    const drawn = renderBlocks(stale.map((b) => b.input));
    const out: ChildNode[] = [];
    stale.forEach((block, i) => {
      const entry = this.committed.find((c) => c.block === block);
      if (!entry) return;
      const nodes = drawn[i]!;
      const after = entry.nodes.at(-1)?.nextSibling ?? this.nextAnchor(entry);
      const parent = entry.group?.el ?? this.root;
      for (const node of entry.nodes) node.remove();
      for (const node of nodes) parent.insertBefore(node, after);
      entry.nodes = nodes;
      out.push(...nodes);
    });
    return out;
  }

  /** The first node after a block that drew no nodes (a definition), in the same parent. */
  private nextAnchor(entry: Drawn): ChildNode | null {
    const at = this.committed.indexOf(entry);
    for (let i = at + 1; i < this.committed.length && this.committed[i]!.group === entry.group; i++) {
      if (this.committed[i]!.nodes[0]) return this.committed[i]!.nodes[0]!;
    }
    return entry.group ? null : (this.tailNodes[0] ?? null);
  }

  private readonly onClick = (event: MouseEvent): void => {
    const target = event.target instanceof Element ? event.target : null;
    const anyway = target?.closest<HTMLButtonElement>('button[data-md-render]');
    if (anyway && this.root.contains(anyway)) {
      event.preventDefault();
      const box = anyway.closest('.md-raw');
      const entry = this.committed.find((c) => c.nodes.includes(box as ChildNode));
      if (box && entry && event.type === 'click') {
        const nodes = renderAnyway(entry.block.raw, this.splitter.currentLinks());
        box.replaceWith(...nodes);
        entry.nodes = nodes;
        if (this.options.highlight ?? true) highlightCode(nodes);
      }
      return;
    }
    const button = target?.closest<HTMLButtonElement>('button[data-code-action]');
    if (button && this.root.contains(button)) {
      event.preventDefault();
      const code = button.closest('.code-block')?.querySelector('pre > code');
      const action = button.dataset.codeAction;
      // Writing into the user's editor needs a real click, not a script-dispatched one.
      if (action === 'insert' && !event.isTrusted) return;
      if (code && (action === 'copy' || action === 'insert' || action === 'newFile')) {
        // marked ends fenced code with a newline the author did not write.
        this.options.onCodeAction?.({ action, code: (code.textContent ?? '').replace(/\n$/, ''), language: codeLanguage(code) });
      }
      return;
    }
    const link = target?.closest('a');
    if (link && this.root.contains(link)) {
      event.preventDefault();
      const href = link.getAttribute('href');
      if (href && event.type === 'click') this.options.onLink?.(href);
    }
  };
}

/** A segment too big to format while it streams: its text, appended to as it grows. */
function liveBox(part: LivePart, text: string): { box: HTMLElement; chunks: ChunkedText } {
  const pre = document.createElement('pre');
  const box = document.createElement('div');
  let holder: HTMLElement = pre;
  if (part.code) {
    const code = document.createElement('code');
    if (part.language) code.className = `language-${part.language.replace(/[^\w+#.-]/g, '')}`;
    pre.append(code);
    holder = code;
    box.className = 'code-block live';
  } else {
    pre.className = 'md-raw-text';
    box.className = 'md-raw live';
  }
  box.append(pre);
  const chunks = new ChunkedText(holder);
  chunks.append(text);
  return { box, chunks };
}

/**
 * One-shot render of a whole text (history entries, and the reference for tests): the same
 * engine given the whole text at once, run to the end in this task.
 */
export function renderMarkdownOnce(root: HTMLElement, text: string): void {
  const view = new MarkdownView(root, { highlight: false });
  view.update(text, true);
  view.flush();
  view.dispose();
}
