/**
 * Syntax highlighting, loaded on first use: highlight.js and its languages live in a lazy
 * chunk (dynamic import), so a conversation without code never downloads or parses them.
 * Only finished code blocks are highlighted; the streaming one is redrawn too often.
 *
 * highlight.js takes ~6 ms per KB (and more on a loaded machine), so a 200 KB block would hold
 * the thread for over a second.
 * Code is cut into pieces of about PIECE characters at line ends (at a blank line when one is
 * near, where a multi-line construct is least likely to be open) and each task highlights pieces
 * for at most SLICE_MS (long code is already in chunks of a few KB, textChunks.ts: pieces are cut
 * inside each chunk). The price: a string or comment spanning a cut is coloured from the cut on
 * as code; the text itself is never changed.
 *
 * Once the chunk is loaded and the language compiled, a block of one piece is highlighted at
 * once, in the task that drew it: the browser then lays out and paints it once, coloured,
 * instead of plain in one frame and again when a later task replaced its text (a frame of
 * style, layout and paint per finished block of a streaming reply).
 */
import { CHUNK_CLASS } from './textChunks';

type Highlighter = typeof import('./languages');

const PIECE = 2 * 1024;
const SLICE_MS = 8;
/** At most this long highlighting in the drawing task; later blocks go to the queue. */
const NOW_MS = 4;

interface Piece {
  readonly node: Text;
  readonly language: string;
}

let loading: Promise<Highlighter> | undefined;
/** The chunk, once loaded. */
let loaded: Highlighter | undefined;
const queue: Piece[] = [];
let scheduled = false;

/** Highlights every not yet highlighted `pre > code` inside `nodes` (asynchronously). */
export function highlightCode(nodes: readonly Node[]): void {
  const codes: HTMLElement[] = [];
  const selector = 'pre > code[class*="language-"]:not([data-highlighted])';
  for (const node of nodes) {
    if (!(node instanceof Element)) continue;
    if (node.classList.contains('code-block')) {
      const code = node.querySelector<HTMLElement>(selector);
      if (code) codes.push(code);
      continue;
    }
    if (node.tagName === 'P' || node.tagName.startsWith('H')) continue; // prose holds no code blocks
    for (const code of node.querySelectorAll<HTMLElement>(selector)) codes.push(code);
  }
  if (codes.length === 0) return;
  if (loaded) {
    const until = performance.now() + NOW_MS;
    for (const code of codes) enqueue(loaded, code, performance.now() < until);
    schedule(loaded);
    return;
  }
  loading ??= import('./languages');
  loading.then(
    (highlighter) => {
      loaded = highlighter;
      for (const code of codes) enqueue(highlighter, code, false);
      schedule(highlighter);
    },
    () => {
      // A failed chunk load leaves code readable, just uncoloured; try again next time.
      loading = undefined;
    },
  );
}

/** Queues a block's pieces; `now`: a block of one piece is highlighted in this task instead. */
function enqueue(highlighter: Highlighter, code: HTMLElement, now: boolean): void {
  if (!code.isConnected || code.dataset.highlighted !== undefined) return;
  const language = /(?:^|\s)language-([\w+#.-]+)/.exec(code.className)?.[1];
  code.dataset.highlighted = language ?? '';
  if (!language || !highlighter.hasLanguage(language)) return;
  if (now && highlighter.isPrepared(language) && code.childElementCount === 0 && (code.textContent ?? '').length <= PIECE) {
    try {
      code.replaceChildren(highlighter.highlightPiece(code.textContent ?? '', language));
    } catch {
      // Left plain, like a piece that fails in the queue.
    }
    return;
  }
  // Long code comes in block chunks (textChunks.ts) that skip layout off screen: it is cut
  // into pieces inside each chunk, so the chunks stay.
  const chunks = [...code.children].filter((el) => el.classList.contains(CHUNK_CLASS));
  const holders = chunks.length > 0 && chunks.length === code.childNodes.length ? chunks : [code];
  for (const holder of holders) {
    // The same text, in one node per piece: what each task will replace with its spans.
    const nodes = cutPieces(holder.textContent ?? '').map((piece) => document.createTextNode(piece));
    holder.replaceChildren(...nodes);
    for (const node of nodes) queue.push({ node, language });
  }
}

function schedule(highlighter: Highlighter): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(() => {
    scheduled = false;
    const deadline = performance.now() + SLICE_MS;
    while (queue.length > 0 && performance.now() < deadline) {
      const { node, language } = queue[0]!;
      // A language's first use (the highlighter warmed, its grammar compiled): in tasks of their own.
      if (highlighter.prepare(language)) break;
      queue.shift();
      if (!node.isConnected) continue;
      try {
        node.replaceWith(highlighter.highlightPiece(node.data, language));
      } catch {
        // Leave this piece plain: the code is still all there.
      }
    }
    if (queue.length > 0) schedule(highlighter);
  }, 0);
}

/** Splits code into pieces of about PIECE characters at line ends (see the module comment). */
export function cutPieces(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (text.length - start > PIECE * 1.5) {
    const blank = text.indexOf('\n\n', start + PIECE);
    let end = blank >= 0 && blank < start + PIECE * 1.5 ? blank + 2 : text.indexOf('\n', start + PIECE) + 1;
    if (end <= start) end = start + PIECE;
    pieces.push(text.slice(start, end));
    start = end;
  }
  pieces.push(text.slice(start));
  return pieces;
}
