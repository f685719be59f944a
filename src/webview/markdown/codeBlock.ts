/**
 * Code blocks: the toolbar around every `pre > code`, and long code drawn straight from its
 * token. marked's output for a code block is `<pre><code class="language-x">escaped text</code></pre>`;
 * for 200 KB of code, parsing that markup (sanitizing it) and laying one 200 KB text node out
 * were two long tasks when a long fence closed. A long one is built here instead: text nodes
 * only (nothing to sanitize), in the same chunks as the streaming fence (textChunks.ts), so
 * only the chunks on screen are laid out. The text and the language class are what the
 * markup path would have kept.
 */
import type { Tokens } from 'marked';
import { CHUNK, appendText } from './textChunks';

/** Code longer than this is built from its token (see the module comment). */
export const LONG_CODE = CHUNK;

/** What the sanitizer keeps as a code element's class (sanitize.ts): its language only. */
const LANGUAGE_CLASS = /^language-[\w+#.-]{1,30}$/;

export interface CodeActionRequest {
  readonly action: 'copy' | 'insert' | 'newFile';
  readonly code: string;
  readonly language: string | undefined;
}

const CODE_BUTTONS: readonly [CodeActionRequest['action'], string, string][] = [
  ['copy', 'copy', 'Copy code'],
  ['insert', 'insert', 'Insert at cursor'],
  ['newFile', 'new file', 'Open as new file'],
];

/** The language a code element was fenced with (`language-ts` → "ts"). */
export function codeLanguage(code: Element): string | undefined {
  return /(?:^|\s)language-([\w+#.-]+)/.exec(code.className)?.[1];
}

/** Puts a `pre` (holding `code`) in a code block with its toolbar (trusted DOM). */
export function codeBox(pre: HTMLElement, code: HTMLElement): HTMLElement {
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
  box.append(bar, pre);
  return box;
}

/**
 * A long code token as the nodes the markup path gives: the code block, then the newline marked
 * writes after `</pre>`. Text as marked renders it (one final newline) and as the HTML parser
 * would have stored it (it drops NUL characters).
 */
export function longCodeNodes(token: Tokens.Code): ChildNode[] {
  const code = document.createElement('code');
  const lang = /^\S*/.exec(token.lang ?? '')?.[0];
  if (lang && LANGUAGE_CLASS.test(`language-${lang}`)) code.className = `language-${lang}`;
  const text = token.text ? `${token.text.replace(/\n$/, '')}\n` : '';
  appendText(code, text.replace(/\0/g, ''));
  const pre = document.createElement('pre');
  pre.append(code);
  return [codeBox(pre, code), document.createTextNode('\n')];
}
