/**
 * Draws a (possibly still growing) markdown text into a container element. Finished blocks
 * are rendered once and their nodes kept; only the open tail is replaced on each update.
 * Clicks are intercepted here: links never navigate the webview, they become `openLink`
 * requests; code-block buttons become code actions. Both are reported through callbacks.
 */
import { BlockSplitter } from './blockSplitter';
import { renderTokens, codeLanguage, type CodeActionRequest } from './blocks';
import { highlightCode } from './highlight';

export interface MarkdownViewOptions {
  /** False re-renders everything on each update (the bench's naive baseline). */
  readonly incremental?: boolean;
  /** False skips syntax highlighting (tests comparing DOM output). */
  readonly highlight?: boolean;
  readonly onLink?: (url: string) => void;
  readonly onCodeAction?: (request: CodeActionRequest) => void;
}

export class MarkdownView {
  private readonly splitter: BlockSplitter;
  private tailNodes: ChildNode[] = [];
  private text: string | undefined;
  private final = false;

  constructor(
    readonly root: HTMLElement,
    private readonly options: MarkdownViewOptions = {},
  ) {
    this.splitter = new BlockSplitter(options.incremental ?? true);
    root.addEventListener('click', this.onClick);
    // Middle-click would open a link in a new window of the webview host: never.
    root.addEventListener('auxclick', this.onClick);
  }

  /** Renders `text`; `final` marks it complete (every block becomes final and is highlighted). */
  update(text: string, final: boolean): void {
    if (text === this.text && final === this.final) return;
    this.text = text;
    this.final = final;
    const { reset, committed, open } = this.splitter.next(text, final);
    if (reset) {
      this.root.replaceChildren();
    } else {
      for (const node of this.tailNodes) node.remove();
    }
    const finished = renderTokens(committed);
    const finishedNodes = [...finished.childNodes];
    this.root.append(finished);
    const tail = renderTokens(open);
    this.tailNodes = [...tail.childNodes];
    this.root.append(tail);
    if (this.options.highlight ?? true) {
      const done = final ? [...finishedNodes, ...this.tailNodes] : finishedNodes;
      if (done.length > 0) highlightCode(done);
    }
  }

  dispose(): void {
    this.root.removeEventListener('click', this.onClick);
    this.root.removeEventListener('auxclick', this.onClick);
  }

  private readonly onClick = (event: MouseEvent): void => {
    const target = event.target instanceof Element ? event.target : null;
    const button = target?.closest<HTMLButtonElement>('button[data-code-action]');
    if (button && this.root.contains(button)) {
      event.preventDefault();
      const code = button.closest('.code-block')?.querySelector('pre > code');
      const action = button.dataset.codeAction;
      if (code && (action === 'copy' || action === 'insert' || action === 'newFile')) {
        // marked ends fenced code with a newline the author did not write.
        this.options.onCodeAction?.({ action, code: (code.textContent ?? '').replace(/\n$/, ''), language: codeLanguage(code) });
      }
      return;
    }
    const link = target?.closest('a');
    if (link && this.root.contains(link)) {
      event.preventDefault();
      const href = link.getAttribute('href');
      if (href && event.type === 'click') this.options.onLink?.(href);
    }
  };
}

/** One-shot render of a whole text (history entries, and the reference for tests). */
export function renderMarkdownOnce(root: HTMLElement, text: string): void {
  const { committed, open } = new BlockSplitter(true).next(text, true);
  root.replaceChildren(renderTokens([...committed, ...open]));
}
