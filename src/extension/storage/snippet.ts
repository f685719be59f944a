/**
 * Builds a search snippet: a short plain-text window of a message around its
 * first matching word, with highlight ranges instead of markup, so the UI never
 * parses stored text as HTML and no in-band marker can collide with content.
 * FTS has already decided that the row matches; this only finds where, using
 * the same word rules and normalisation as the query (searchQuery.ts).
 * No `vscode` import.
 */
import { normalizeWord, type SearchTerm } from './searchQuery';
import type { Highlight, Snippet } from './types';

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const CONTEXT_BEFORE = 60;
const SNIPPET_LENGTH = 240;
const ELLIPSIS = '…';

export function buildSnippet(text: string, terms: readonly SearchTerm[], maxLength = SNIPPET_LENGTH): Snippet {
  const exact = new Set(terms.filter((t) => !t.prefix).map((t) => t.word));
  const prefixes = terms.filter((t) => t.prefix).map((t) => t.word);
  const matches = (word: string): boolean => {
    const normal = normalizeWord(word);
    return exact.has(normal) || prefixes.some((p) => normal.startsWith(p));
  };

  // Find the first matching word; scanning stops once the window is covered.
  let windowStart = 0;
  let windowEnd = Math.min(text.length, maxLength);
  if (/[\uD800-\uDBFF]/.test(text[windowEnd - 1] ?? '')) windowEnd--;
  const ranges: Highlight[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (ranges.length === 0) {
      if (!matches(m[0])) continue;
      windowStart = wordBoundaryBefore(text, Math.max(0, start - CONTEXT_BEFORE));
      windowEnd = Math.min(text.length, windowStart + maxLength);
      if (/[\uD800-\uDBFF]/.test(text[windowEnd - 1] ?? '')) windowEnd--;
    }
    if (start >= windowEnd) break;
    if (matches(m[0])) ranges.push({ start, end: Math.min(end, windowEnd) });
  }

  const prefix = windowStart > 0 ? ELLIPSIS : '';
  const suffix = windowEnd < text.length ? ELLIPSIS : '';
  // One whitespace character for one space keeps every offset valid while
  // turning newlines and tabs into a single readable line.
  const body = text.slice(windowStart, windowEnd).replace(/\s/gu, ' ');
  const shift = prefix.length - windowStart;
  return {
    text: `${prefix}${body}${suffix}`,
    highlights: ranges.map((r) => ({ start: r.start + shift, end: r.end + shift })),
  };
}

/** Moves `index` back to the start of the word it falls in, so a snippet never opens mid-word. */
function wordBoundaryBefore(text: string, index: number): number {
  let i = index;
  while (i > 0 && /[\p{L}\p{N}\p{M}]/u.test(text[i - 1] ?? '')) i--;
  // Don't split a surrogate pair.
  if (i > 0 && /[\uDC00-\uDFFF]/.test(text[i] ?? '')) i--;
  return i;
}
