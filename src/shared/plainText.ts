/**
 * Markdown as the plain words a reader sees, for one-line surfaces that do not render markdown:
 * history search hits, the fork picker, fork titles. Drops fence lines, emphasis and code
 * markers, heading/quote/list prefixes and link targets; keeps the text. Pure, no DOM.
 */

/** `trim: false` keeps edge whitespace (a piece of a highlighted snippet joins its neighbours). */
export function plainText(markdown: string, options: { trim?: boolean } = {}): string {
  const out = markdown
    .replace(/^[ \t]*(?:`{3,}|~{3,})[^\n]*$/gm, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)\s]*\)/g, '$1')
    .replace(/^[ \t]{0,3}#{1,6}[ \t]+/gm, '')
    .replace(/^[ \t]{0,3}(?:>[ \t]?)+/gm, '')
    .replace(/^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?/gm, '')
    .replace(/(^|\s)(?:\*{2,3}|_{2,3}|~~)(?=\s|$)/g, '$1')
    // Emphasis runs only where they open or close a word: snake_case and __proto__ keep theirs.
    .replace(/(^|[\s(["'])(?:\*{1,3}|_{1,3}|~~)(?=\S)/g, '$1')
    .replace(/(\S)(?:\*{1,3}|_{1,3}|~~)(?=$|[\s)\]"'.,;:!?])/g, '$1')
    .replace(/`+/g, '')
    .replace(/\s+/g, ' ');
  return options.trim === false ? out : out.trim();
}

/** The first words of a text as plain text, cut at a word boundary with an ellipsis. */
export function firstWords(markdown: string, maxChars: number): string {
  const flat = plainText(markdown);
  if (flat.length <= maxChars) return flat;
  const cut = flat.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxChars / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:·-]+$/, '')}…`;
}

/** "14:02" (or "14:02:11"), local time, 24-hour: the one clock format of every surface. */
export function clockTime(epochMs: number, withSeconds = false): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}${withSeconds ? `:${two(d.getSeconds())}` : ''}`;
}

/** A fork's title, after its fork point: "fork at 14:02 · how do I parse…". */
export function forkTitle(forkPointAt: number, forkPointText: string): string {
  const words = firstWords(forkPointText, 40);
  return `fork at ${clockTime(forkPointAt)}${words ? ` · ${words}` : ''}`;
}
