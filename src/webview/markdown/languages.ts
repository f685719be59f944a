/**
 * The lazy highlighting chunk: highlight.js core with the languages models write most.
 * Its output is escaped spans, checked to be only that before it touches the DOM.
 * Long code is highlighted piece by piece (see highlight.ts), so no piece holds the thread long.
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import DOMPurify from 'dompurify';

hljs.registerLanguage('bash', bash);
hljs.registerLanguage('css', css);
hljs.registerLanguage('diff', diff);
hljs.registerLanguage('go', go);
hljs.registerLanguage('javascript', javascript);
hljs.registerLanguage('json', json);
hljs.registerLanguage('markdown', markdown);
hljs.registerLanguage('python', python);
hljs.registerLanguage('rust', rust);
hljs.registerLanguage('typescript', typescript);
hljs.registerLanguage('xml', xml); // also html, svg
hljs.registerAliases(['sh', 'shell', 'zsh', 'console'], { languageName: 'bash' });

const spansOnly = DOMPurify(window);

/** True when the language is known (otherwise the code stays plain text). */
export function hasLanguage(language: string): boolean {
  return hljs.getLanguage(language) !== undefined;
}

const prepared = new Set<string>();
/** Languages whose grammar is compiled (their sample not yet highlighted). */
const compiled = new Set<string>();
let engineRun = false;

/** True once the language's grammar is compiled (highlighting it is then cheap). */
export function isPrepared(language: string): boolean {
  return prepared.has(language);
}

/**
 * A language's first use, one step per call (each in a task of its own); false once there is
 * nothing left to do. The highlighter's own code runs first on a small grammar, then the
 * language's grammar is compiled, then a sample runs its main regular expressions: done at
 * once, a TypeScript grammar's first use held the thread 17–27 ms.
 */
export function prepare(language: string): boolean {
  if (prepared.has(language)) return false;
  if (!engineRun) {
    engineRun = true;
    hljs.highlight('+ a\n- b', { language: 'diff', ignoreIllegals: true });
    return true;
  }
  if (!compiled.has(language)) {
    compiled.add(language);
    hljs.highlight('', { language, ignoreIllegals: true });
    return true;
  }
  prepared.add(language);
  hljs.highlight('let x = "a"; // b', { language, ignoreIllegals: true });
  return true;
}

/** The only markup highlight.js writes around its escaped text. */
const SPAN_TAG = /<span class="[\w -]{1,80}">|<\/span>/g;

/** True when `html` is text with no markup but `<span class="…">` and `</span>`. */
export function onlySpans(html: string): boolean {
  return !html.replace(SPAN_TAG, '').includes('<');
}

/**
 * Highlighted spans for one piece of code. highlight.js escapes the text and writes only spans
 * with classes: output that is exactly that (checked, not assumed) is parsed inert in a template,
 * which gives the page's garbage collector no wrapper per node to trace (a sanitizer visits, and
 * wraps, every span: 200 KB of code is ~60,000 of them, and the GC pauses grew with them). Anything
 * else goes through the span-only sanitizer.
 */
export function highlightPiece(text: string, language: string): DocumentFragment {
  const { value } = hljs.highlight(text, { language, ignoreIllegals: true });
  if (!onlySpans(value)) return spansOnly.sanitize(value, { ALLOWED_TAGS: ['span'], ALLOWED_ATTR: ['class'], RETURN_DOM_FRAGMENT: true });
  const template = document.createElement('template');
  template.innerHTML = value;
  return template.content;
}
