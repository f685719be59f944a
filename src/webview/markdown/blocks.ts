/**
 * Markdown tokens → sanitized, decorated DOM. Raw HTML in model output is escaped (shown as
 * text), so a finished block's nodes can be kept while the open one is redrawn. A block that
 * could not be lexed, parsed or sanitized, or was too costly to try, is shown as its source text
 * (escaped, monospace) — never as nothing.
 */
import { Parser, Renderer, type Token, type Tokens } from 'marked';
import { MARKDOWN_OPTIONS } from './lexing';
import { sanitizeToFragment } from './sanitize';
import { appendText } from './textChunks';
import { LONG_CODE, codeBox, longCodeNodes } from './codeBlock';

export { codeLanguage, type CodeActionRequest } from './codeBlock';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const renderer = new Renderer(MARKDOWN_OPTIONS);
// Images become links: loading remote images would leak the reader's IP and break the CSP.
renderer.image = ({ href, text }: Tokens.Image): string =>
  `<a href="${escapeHtml(href)}">[image: ${escapeHtml(text || 'untitled')}]</a>`;
// Raw HTML in a reply is shown as text, never parsed: in technical answers "<div>" outside
// backticks is usually meant literally, and hostile markup never reaches a parser (even an inert
// parse reports CSP violations for handlers and styles). DOMPurify still gates what marked emits.
renderer.html = ({ text, block }: Tokens.HTML | Tokens.Tag): string =>
  block ? `<p>${escapeHtml(text.trimEnd())}</p>` : escapeHtml(text);
// Task-list boxes as text: a disabled checkbox is an unlabeled form control to a screen reader.
renderer.checkbox = ({ checked }: Tokens.Checkbox): string => (checked ? '[x] ' : '[ ] ');

const parser = new Parser({ ...MARKDOWN_OPTIONS, renderer });

/** One top-level block to draw: its tokens, or its source shown as text. */
export type BlockInput =
  | { readonly kind: 'token'; readonly token: Token; readonly raw: string }
  | { readonly kind: 'text'; readonly raw: string; readonly reason: FallbackReason }
  /** A part of a big table (tableRows.ts): a table of its own, with the header only when first. */
  | { readonly kind: 'rows'; readonly token: Token | undefined; readonly raw: string; readonly first: boolean };

/** Why a block is shown as text: too big or costly to render at once (offer to), or it failed. */
export type FallbackReason = 'budget' | 'failed';

/** Marks where one block's markup ends; a top-level <b> never comes out of marked. */
const SEPARATOR = '<b>\uE000</b>';

/**
 * Renders blocks into their DOM nodes (one list per block, in order). The blocks are sanitized
 * together: every sanitize call builds a fresh inert document, the dominant cost of a streaming
 * update, and marked's output is balanced markup (raw HTML is escaped), so one block cannot leak
 * into the next.
 */
export function renderBlocks(blocks: readonly BlockInput[]): ChildNode[][] {
  const out: ChildNode[][] = blocks.map(() => []);
  const html: string[] = [];
  const drawn: number[] = [];
  blocks.forEach((block, i) => {
    if (block.kind === 'text' || !block.token) return;
    if (block.token.type === 'space' || block.token.type === 'def') return;
    if (block.token.type === 'code' && (block.token as Tokens.Code).text.length > LONG_CODE) {
      out[i] = longCodeNodes(block.token as Tokens.Code);
      return;
    }
    try {
      html.push(parser.parse([block.token]));
      drawn.push(i);
    } catch {
      out[i] = [fallbackNode(block.raw, 'failed')];
    }
  });
  if (drawn.length > 0) {
    const joined = html.join(SEPARATOR);
    let nodes: ChildNode[] | undefined;
    try {
      const fragment = sanitizeToFragment(joined);
      // Most updates are prose: skip the tree walks when there is nothing to decorate.
      if (joined.includes('<pre') || joined.includes('<table')) decorate(fragment);
      nodes = [...fragment.childNodes];
    } catch {
      nodes = undefined;
    }
    let k = 0;
    for (const node of nodes ?? []) {
      if (node.nodeName === 'B' && node.textContent === '\uE000') k++;
      else out[drawn[k]!]!.push(node);
    }
    if (!nodes) for (const i of drawn) out[i] = [fallbackNode(blocks[i]!.raw, 'failed')];
  }
  blocks.forEach((block, i) => {
    if (block.kind === 'text') out[i] = [fallbackNode(block.raw, block.reason)];
    if (block.kind === 'rows') out[i] = tablePart(out[i]!, block.raw, block.first);
  });
  return out;
}

/** A rendered table as one part of a big table: fixed columns, the header only on the first part. */
function tablePart(nodes: readonly ChildNode[], raw: string, first: boolean): ChildNode[] {
  const scroller = nodes.find((node): node is HTMLElement => node instanceof HTMLElement && node.classList.contains('table-scroll'));
  if (!scroller) return nodes.length > 0 ? [...nodes] : [fallbackNode(raw, 'failed')];
  scroller.classList.add('md-table-part');
  if (!first) scroller.querySelector('thead')?.remove();
  return [...nodes];
}

/** Renders tokens into one fragment (all blocks of a text). */
export function renderTokens(tokens: readonly Token[]): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const nodes of renderBlocks(tokens.map((token) => ({ kind: 'token', token, raw: token.raw })))) fragment.append(...nodes);
  return fragment;
}

/**
 * A block's source as escaped monospace text (trusted DOM: text nodes only). Blocks held back
 * for their size or cost get a "render anyway" button (handled by the markdown view).
 */
export function fallbackNode(raw: string, reason: FallbackReason): HTMLElement {
  const box = document.createElement('div');
  box.className = 'md-raw';
  const pre = document.createElement('pre');
  pre.className = 'md-raw-text';
  appendText(pre, raw.replace(/\n+$/, ''));
  box.append(pre);
  if (reason === 'budget') {
    const bar = document.createElement('div');
    bar.className = 'md-raw-bar';
    const note = document.createElement('span');
    note.textContent = `shown as text: ${Math.ceil(raw.length / 1024)} KB too large or complex to format without freezing the view`;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'md-render-anyway';
    button.dataset.mdRender = '';
    button.textContent = 'render anyway';
    bar.append(note, button);
    box.append(bar);
  }
  return box;
}

/** Adds the code-block toolbar and keyboard-reachable wide tables (trusted DOM, built after sanitizing). */
function decorate(fragment: DocumentFragment): void {
  for (const pre of fragment.querySelectorAll('pre')) {
    const code = pre.querySelector('code');
    if (!code) continue;
    const { parentNode, nextSibling } = pre;
    parentNode?.insertBefore(codeBox(pre, code), nextSibling);
  }
  for (const table of fragment.querySelectorAll('table')) {
    // A wide table scrolls sideways; the scroller must be focusable to be scrolled by keyboard.
    const scroller = document.createElement('div');
    scroller.className = 'table-scroll';
    scroller.tabIndex = 0;
    scroller.setAttribute('role', 'region');
    scroller.setAttribute('aria-label', 'Table');
    table.replaceWith(scroller);
    scroller.append(table);
  }
}
