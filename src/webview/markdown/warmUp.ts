/**
 * Warms the markdown pipeline while the view is idle. The first reply's first frame otherwise
 * pays for everything compiled on first use: marked's and DOMPurify's functions, and marked's
 * regular expressions (each compiled when first run, then again to machine code on a later
 * run), 20–35 ms in one task, the longest of a stream. Here the same work is done on small
 * texts, one per idle period, into a detached element (no style, layout or paint; nothing is
 * shown or kept). The highlighter's chunk is not loaded: a conversation without code never
 * needs it.
 */
import { MarkdownView } from './markdownView';

/**
 * Together these take the paths a reply's first frames take: every block kind, the inline
 * rules, a block still open while it streams, and the decorations of code and tables.
 */
export const WARM_UP_TEXTS: readonly string[] = [
  'A *short* answer with **bold**, `code`, ~~struck~~ text, a [link](https://example.com "title") and <https://example.org>.\n\nA second paragraph\nover two lines.\n',
  '# Heading\n\n## Sub-heading\n\nSetext heading\n---\n\n- first item\n- second *item*\n  - nested\n\n1. one\n2. two\n\n> quoted **text**\n\n***\n',
  '```ts\nconst x: number = 1;\n```\n\n    indented code\n\n| a | b |\n|:--|--:|\n| 1 | `2` |\n\n[ref]: https://example.com\n\nSee [ref] and <b>raw</b> &amp; escapes\\*.\n',
];

/** Each text is drawn this often: V8 compiles a regular expression to machine code on its second run. */
const ROUNDS = 2;

/** Runs `work` in the next idle period (a timer where the browser has no idle callbacks). */
export type IdleScheduler = (work: () => void) => void;

const whenIdle: IdleScheduler = (work) => {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => work(), { timeout: 5_000 });
  else setTimeout(work, 50);
};

/** Draws one text as a stream would: half of it open, then all of it final. */
export function warmUpOnce(text: string): HTMLElement {
  const root = document.createElement('div');
  const view = new MarkdownView(root, { highlight: false });
  try {
    view.update(text.slice(0, text.length >> 1), false);
    view.flush();
    view.update(text, true);
    view.flush();
  } finally {
    view.dispose();
  }
  return root;
}

/** Starts warming: one text per idle period, every text ROUNDS times. Resolves when done. */
export function warmUpMarkdown(idle: IdleScheduler = whenIdle): Promise<void> {
  const queue = Array.from({ length: ROUNDS }, () => WARM_UP_TEXTS).flat();
  return new Promise((done) => {
    const step = (): void => {
      const text = queue.shift();
      if (text === undefined) return done();
      try {
        warmUpOnce(text);
      } catch {
        // Best effort: a real reply that fails the same way shows its own fallback.
      }
      idle(step);
    };
    idle(step);
  });
}
