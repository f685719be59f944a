/**
 * Long text (a block shown as its source, a streaming code fence) in block-level chunks of a few
 * KB instead of one text node. The browser lays a text node out as one paragraph: appending to a
 * 2 MB node re-measured all of it on every streamed update (0.7 s a frame), and a 2 MB node
 * drawn at once was one long layout. Chunks are separate blocks with `content-visibility: auto`
 * (see markdownStyles.ts), so a chunk off screen is not laid out at all and a growing text only
 * re-measures its last chunk.
 *
 * Where a text is cut depends only on the text, never on how it arrived, so a text grown by
 * `ChunkedText.append` has the same chunks as one drawn whole: at the first line end at least
 * CHUNK characters into the chunk, else at a space, else at 2×CHUNK (never inside a surrogate
 * pair). Lines are rarely cut, and a cut at a space only ends a wrapped line early.
 */
export const CHUNK = 4 * 1024;

/** The chunks' tag: a span made a block by CSS, so chunks can also sit inside `<code>`. */
export const CHUNK_CLASS = 'md-chunk';

/** Where the chunk starting at `start` ends, or -1 when `text` is too short to know yet. */
export function chunkEnd(text: string, start: number): number {
  const cut = cutAfter(text, start);
  // A cut at the very end is not one yet: an empty last chunk would follow it.
  return cut < text.length ? cut : -1;
}

function cutAfter(text: string, start: number): number {
  const min = start + CHUNK;
  const max = start + 2 * CHUNK;
  if (text.length <= min) return -1;
  // Searches stay inside [min - 1, max): scanning on past it would make chunking quadratic.
  const window = text.slice(min - 1, max);
  const line = window.indexOf('\n');
  if (line >= 0) return min + line;
  if (text.length < max) return -1;
  const space = window.lastIndexOf(' ');
  if (space >= 0) return min + space;
  const code = text.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}

/** The cut points of a whole text (see the module comment). */
export function chunkOffsets(text: string): number[] {
  const cuts: number[] = [];
  for (let at = chunkEnd(text, 0); at >= 0; at = chunkEnd(text, at)) cuts.push(at);
  return cuts;
}

function chunk(text: string): HTMLElement {
  const span = document.createElement('span');
  span.className = CHUNK_CLASS;
  span.append(document.createTextNode(text));
  return span;
}

/** Fills `parent` with `text`: one text node when short, block chunks when long. */
export function appendText(parent: Element, text: string): void {
  if (text.length <= CHUNK) {
    parent.append(document.createTextNode(text));
    return;
  }
  let from = 0;
  for (const cut of chunkOffsets(text)) {
    parent.append(chunk(text.slice(from, cut)));
    from = cut;
  }
  parent.append(chunk(text.slice(from)));
}

/** A growing text inside `parent` (which it owns): appends cost the new text, not the whole. */
export class ChunkedText {
  /** The last chunk's text node (the one that grows) and where that chunk starts. */
  private last: Text;
  private lastStart = 0;
  private length = 0;
  private chunked = false;

  constructor(private readonly parent: Element) {
    this.last = document.createTextNode('');
    parent.append(this.last);
  }

  append(text: string): void {
    if (!text) return;
    this.last.appendData(text);
    this.length += text.length;
    if (this.length - this.lastStart <= CHUNK) return;
    if (!this.chunked) {
      // Past one chunk: from now on every part is a block of its own.
      const first = chunk('');
      this.last.replaceWith(first);
      first.append(this.last);
      this.chunked = true;
    }
    for (;;) {
      const data = this.last.data;
      const cut = chunkEnd(data, 0);
      if (cut < 0) return;
      const rest = data.slice(cut);
      this.last.deleteData(cut, data.length - cut);
      const next = chunk(rest);
      this.parent.append(next);
      this.last = next.firstChild as Text;
      this.lastStart += cut;
    }
  }
}
