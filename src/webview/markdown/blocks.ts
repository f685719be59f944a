/**
 * Markdown tokens → sanitized, decorated DOM. Raw HTML in model output is escaped (shown as
 * text), so a finished block's nodes can be kept while the open one is redrawn.
 */
import { Parser, Renderer, type Token, type Tokens } from 'marked';
import { MARKDOWN_OPTIONS } from './blockSplitter';
import { sanitizeToFragment } from './sanitize';

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

export interface CodeActionRequest {
  readonly action: 'copy' | 'insert' | 'newFile';
  readonly code: string;
  readonly language: string | undefined;
}

/**
 * Renders tokens into one fragment. The blocks are sanitized together: every sanitize call
 * builds a fresh inert document, the dominant cost of a streaming update, and marked's output
 * is balanced markup (raw HTML is escaped), so one block cannot leak into the next.
 */
export function renderTokens(tokens: readonly Token[]): DocumentFragment {
  let html = '';
  for (const token of tokens) if (token.type !== 'space') html += parser.parse([token]);
  if (!html) return document.createDocumentFragment();
  const fragment = sanitizeToFragment(html);
  // Most updates are prose: skip the tree walks when there is nothing to decorate.
  if (html.includes('<pre') || html.includes('<table')) decorate(fragment);
  return fragment;
}

/** The language a code element was fenced with (`language-ts` → "ts"). */
export function codeLanguage(code: Element): string | undefined {
  return /(?:^|\s)language-([\w+#.-]+)/.exec(code.className)?.[1];
}

const CODE_BUTTONS: readonly [CodeActionRequest['action'], string, string][] = [
  ['copy', 'copy', 'Copy code'],
  ['insert', 'insert', 'Insert at cursor'],
  ['newFile', 'new file', 'Open as new file'],
];

/** Adds the code-block toolbar and keyboard-reachable wide tables (trusted DOM, built after sanitizing). */
function decorate(fragment: DocumentFragment): void {
  for (const pre of fragment.querySelectorAll('pre')) {
    const code = pre.querySelector('code');
    if (!code) continue;
    const box = document.createElement('div');
    box.className = 'code-block';
    const bar = document.createElement('div');
    bar.className = 'code-bar';
    const lang = document.createElement('span');
    lang.className = 'code-lang';
    lang.textContent = codeLanguage(code) ?? 'text';
    bar.append(lang);
    for (const [action, text, label] of CODE_BUTTONS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'code-action';
      button.dataset.codeAction = action;
      button.textContent = text;
      button.setAttribute('aria-label', label);
      bar.append(button);
    }
    pre.replaceWith(box);
    box.append(bar, pre);
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
