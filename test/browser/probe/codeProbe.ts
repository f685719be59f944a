/**
 * Long code blocks are built from their token (codeBlock.ts) instead of marked's markup and the
 * sanitizer. This checks, in the page, that both ways give the same code element: its text and
 * its class (the sanitizer keeps only a plausible language), and that the long way is chunked.
 */
import { Lexer, Parser, type Tokens } from 'marked';
import { MARKDOWN_OPTIONS } from '../../../src/webview/markdown/lexing';
import { longCodeNodes } from '../../../src/webview/markdown/codeBlock';
import { MarkdownView } from '../../../src/webview/markdown/markdownView';
import { highlighterLoaded, idle } from './idle';
import { sanitizeToFragment } from '../../../src/webview/markdown/sanitize';

export interface LongCodeReport {
  readonly markdown: string;
  readonly built: { text: string; className: string; chunks: number[]; buttons: number };
  readonly markup: { text: string; className: string };
}

export function longCode(documents: readonly string[]): LongCodeReport[] {
  return documents.map((markdown) => {
    const token = new Lexer(MARKDOWN_OPTIONS).lex(markdown).find((t): t is Tokens.Code => t.type === 'code');
    if (!token) throw new Error('no code block');
    const holder = document.createElement('div');
    holder.append(...longCodeNodes(token));
    const code = holder.querySelector('pre > code')!;
    const chunks = [...code.querySelectorAll('.md-chunk')].map((c) => c.textContent?.length ?? 0);
    const reference = sanitizeToFragment(new Parser(MARKDOWN_OPTIONS).parse([token])).querySelector('pre > code')!;
    return {
      markdown: markdown.slice(0, 80),
      built: { text: code.textContent ?? '', className: code.className, chunks, buttons: holder.querySelectorAll('.code-bar button').length },
      markup: { text: reference.textContent ?? '', className: reference.className },
    };
  });
}

export interface HighlightReport {
  /** The code element's children: chunks only, and how many hold highlighted spans. */
  readonly chunks: number;
  readonly otherChildren: number;
  readonly coloured: number;
  readonly keywords: number;
  readonly text: string;
}

/** A long fence streamed into a shown view with highlighting on, read once the page is idle. */
export async function highlightedCode(text: string, cuts: readonly number[]): Promise<HighlightReport> {
  await highlighterLoaded();
  const root = document.createElement('div');
  root.className = 'md';
  document.body.append(root);
  const view = new MarkdownView(root, { highlight: true });
  for (const at of cuts) {
    view.update(text.slice(0, at), at === text.length);
    await new Promise((ok) => setTimeout(ok, 0));
  }
  while (view.busy) await new Promise((ok) => setTimeout(ok, 0));
  await idle();
  const code = root.querySelector('pre > code')!;
  const children = [...code.children];
  const chunks = children.filter((c) => c.classList.contains('md-chunk'));
  const report = {
    chunks: chunks.length,
    otherChildren: code.childNodes.length - chunks.length,
    coloured: chunks.filter((c) => c.querySelector('[class^="hljs-"]')).length,
    keywords: code.querySelectorAll('.hljs-keyword').length,
    text: code.textContent ?? '',
  };
  view.dispose();
  root.remove();
  return report;
}

/** The highlighter's markup check on each sample, and what highlighting each sample as HTML leaves in the DOM. */
export async function spanCheck(samples: readonly string[]): Promise<{ accepted: boolean[]; tags: string[][] }> {
  const { onlySpans, highlightPiece } = await import('../../../src/webview/markdown/languages');
  const tags = samples.map((sample) => [...new Set([...highlightPiece(sample, 'xml').querySelectorAll('*')].map((el) => `${el.tagName.toLowerCase()}${[...el.attributes].map((a) => ` ${a.name}`).join('')}`))]);
  return { accepted: samples.map(onlySpans), tags };
}

/** Steps a language's first use by hand: whether it was prepared before each step that did work. */
export async function prepareSteps(language: string): Promise<{ preparedBefore: boolean[]; preparedAfter: boolean; keyword: string }> {
  const { prepare, isPrepared, highlightPiece } = await import('../../../src/webview/markdown/languages');
  const preparedBefore: boolean[] = [];
  for (let step = 0; step < 10; step++) {
    const before = isPrepared(language);
    if (!prepare(language)) break;
    preparedBefore.push(before);
  }
  const keyword = highlightPiece('fn main() {}', language).querySelector('.hljs-keyword')?.textContent ?? '';
  return { preparedBefore, preparedAfter: isPrepared(language), keyword };
}
