/**
 * Turns whatever the user typed into a safe FTS4 MATCH expression. No user
 * character ever reaches FTS syntax: input is cut into words (letters, digits,
 * marks — what the unicode61 tokenizer keeps) and each word or "quoted phrase"
 * becomes a double-quoted phrase, so NEAR, AND/OR/NOT, `-`, `:` column filters,
 * parentheses and stray quotes are all just text. A trailing `*` on a word of
 * three or more characters keeps its prefix meaning. All parts must match.
 * No `vscode` import.
 */

export const MAX_QUERY_CHARS = 2_000;
export const MAX_QUERY_WORDS = 64;
/** Shorter prefixes expand to thousands of terms; they are searched as whole words. */
export const MIN_PREFIX_CHARS = 3;

export interface SearchTerm {
  /** Normalised (case-folded, diacritics removed) word, as the index stores it. */
  readonly word: string;
  readonly prefix: boolean;
}

export type ParsedSearch =
  | { readonly ok: true; readonly match: string; readonly terms: readonly SearchTerm[] }
  | { readonly ok: false; readonly message: string; readonly action: string };

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

export function parseSearchText(text: string): ParsedSearch {
  if (typeof text !== 'string') return refuse('Search text must be text.', 'Type a word to search for.');
  if (text.length > MAX_QUERY_CHARS) {
    return refuse(
      `That search is too long (${text.length} characters; at most ${MAX_QUERY_CHARS}).`,
      'Search for a few distinctive words instead.',
    );
  }
  const phrases: string[] = [];
  const terms: SearchTerm[] = [];
  let words = 0;
  for (const chunk of chunks(text)) {
    const tokens = [...chunk.text.matchAll(WORD)].map((m) => m[0]);
    if (tokens.length === 0) continue;
    words += tokens.length;
    const last = tokens.length - 1;
    const prefix = chunk.prefix && [...(tokens[last] ?? '')].length >= MIN_PREFIX_CHARS;
    tokens.forEach((token, i) => terms.push({ word: normalizeWord(token), prefix: prefix && i === last }));
    phrases.push(`"${tokens.join(' ')}${prefix ? '*' : ''}"`);
  }
  if (words > MAX_QUERY_WORDS) {
    return refuse(`That search has too many words (${words}; at most ${MAX_QUERY_WORDS}).`, 'Search for a few distinctive words instead.');
  }
  if (phrases.length === 0) {
    return refuse('There is nothing to search for in that text.', 'Type at least one letter or number.');
  }
  return { ok: true, match: phrases.join(' '), terms };
}

/** Case-folded, diacritics removed: how unicode61 indexes a word. */
export function normalizeWord(word: string): string {
  return word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

interface Chunk {
  readonly text: string;
  /** The chunk ended with `*` right after a word. */
  readonly prefix: boolean;
}

/** Splits on whitespace, keeping balanced "double-quoted phrases" whole; an unbalanced quote is just a separator. */
function chunks(text: string): Chunk[] {
  const result: Chunk[] = [];
  let rest = text;
  while (rest.length > 0) {
    rest = rest.replace(/^\s+/u, '');
    if (rest === '') break;
    if (rest.startsWith('"')) {
      const close = rest.indexOf('"', 1);
      if (close > 0) {
        const after = rest.slice(close + 1);
        result.push({ text: rest.slice(1, close), prefix: after.startsWith('*') });
        rest = after.replace(/^\*+/, '');
        continue;
      }
      rest = rest.slice(1);
      continue;
    }
    const end = rest.search(/[\s"]/u);
    const word = end < 0 ? rest : rest.slice(0, end);
    rest = end < 0 ? '' : rest.slice(end);
    result.push({ text: word, prefix: /[\p{L}\p{N}\p{M}]\*+$/u.test(word) });
  }
  return result;
}

function refuse(message: string, action: string): ParsedSearch {
  return { ok: false, message, action };
}
