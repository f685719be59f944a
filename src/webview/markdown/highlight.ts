/**
 * Syntax highlighting, loaded on first use: highlight.js and its languages live in a lazy
 * chunk (dynamic import), so a conversation without code never downloads or parses them.
 * Only finished code blocks are highlighted; the streaming one is redrawn too often.
 */
type Highlighter = typeof import('./languages');

let loading: Promise<Highlighter> | undefined;

/** Highlights every not yet highlighted `pre > code` inside `nodes` (asynchronously). */
export function highlightCode(nodes: readonly Node[]): void {
  const codes: HTMLElement[] = [];
  for (const node of nodes) {
    if (!(node instanceof Element)) continue;
    if (node.classList.contains('code-block')) {
      const code = node.querySelector<HTMLElement>('pre > code[class*="language-"]:not([data-highlighted])');
      if (code) codes.push(code);
      continue;
    }
    if (node.tagName === 'P' || node.tagName.startsWith('H')) continue; // prose holds no code blocks
    for (const code of node.querySelectorAll<HTMLElement>('pre > code[class*="language-"]:not([data-highlighted])')) codes.push(code);
  }
  if (codes.length === 0) return;
  loading ??= import('./languages');
  loading.then(
    (highlighter) => {
      for (const code of codes) if (code.isConnected) highlighter.highlightElement(code);
    },
    () => {
      // A failed chunk load leaves code readable, just uncoloured; try again next time.
      loading = undefined;
    },
  );
}
