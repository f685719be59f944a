/**
 * The narrow-sidebar layout checks, shared by the browser harness (test/browser/sidebar.test.ts)
 * and the real workbench (test/e2e/sidebar.e2e.ts): `frameOrPage.evaluate(measureLayout)`.
 *
 * `measureLayout` runs in the page, so it must be self-contained: no imports, and no named inner
 * functions (tsx compiles with esbuild's keepNames, which wraps them in a `__name` helper that the
 * webview inside code-server does not define).
 */

export interface LayoutReport {
  /** Elements that scroll (or would scroll) sideways: selector-ish label and excess pixels. */
  overflow: string[];
  /** Text cut by an `overflow: hidden` box without an ellipsis. */
  clipped: string[];
  /** Elements scrolled sideways (a focus moved them). */
  shifted: string[];
  /** Words of a control or a figure split across two lines ("inser / t", "$0.00 / 0782"). */
  broken: string[];
}

export const NO_LAYOUT_FAULTS: LayoutReport = { overflow: [], clipped: [], shifted: [], broken: [] };

/** Walks the document through every open shadow root and reports horizontal overflow and cut text. */
export function measureLayout(): LayoutReport {
  const report: LayoutReport = { overflow: [], clipped: [], shifted: [], broken: [] };
  // Where a word must never be split across lines: controls, and the figures of the view's and an
  // entry's header and of the telemetry strip. Prose may wrap anywhere (a long URL has to). A
  // break after a hyphen or a slash is a normal one ("openai/ gpt- 4o-mini"): the parts count.
  const unbreakable = 'button, summary, a, label, select, [role="button"], [role="tab"], [role="option"], .tbtn, .code-lang, header, .meta';
  const root = document.scrollingElement!;
  if (root.scrollWidth > root.clientWidth) report.overflow.push(`document +${root.scrollWidth - root.clientWidth}px`);
  if (root.scrollLeft > 0) report.shifted.push(`document scrollLeft ${root.scrollLeft}`);
  const stack: (Element | ShadowRoot)[] = [document.body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const child of node.children) stack.push(child);
    if (!(node instanceof HTMLElement)) continue;
    if (node.shadowRoot) stack.push(node.shadowRoot);
    const cs = getComputedStyle(node);
    if (cs.display === 'none' || cs.visibility === 'hidden' || node.getClientRects().length === 0) continue;
    // Screen-reader-only text is clipped to nothing on purpose.
    if (cs.clipPath !== 'none' || node.classList.contains('sr-only')) continue;
    // Code blocks scroll sideways on purpose; everything else must fit.
    const code = node.closest('pre') !== null || node.tagName === 'PRE';
    const excess = node.scrollWidth - node.clientWidth;
    const where =
      `${node.tagName.toLowerCase()}${node.id ? `#${node.id}` : ''}${node.classList.length ? `.${[...node.classList].join('.')}` : ''}` +
      ` "${(node.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40)}"`;
    if (node.scrollLeft > 0 && !code) report.shifted.push(`${where} scrollLeft ${node.scrollLeft}`);
    const inTelemetry = (node.getRootNode() as ShadowRoot).host?.localName === 'nt-telemetry';
    if (!code && (inTelemetry || node.closest(unbreakable))) {
      for (const text of node.childNodes) {
        if (text.nodeType !== Node.TEXT_NODE) continue;
        for (const word of (text.textContent ?? '').matchAll(/[^\s/-]+[/-]?/g)) {
          const range = document.createRange();
          range.setStart(text, word.index);
          range.setEnd(text, word.index + word[0].length);
          const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (lines.size > 1) report.broken.push(`${where}: "${word[0]}" on ${lines.size} lines`);
        }
      }
    }
    if (excess <= 1 || code) continue;
    if (cs.overflowX === 'auto' || cs.overflowX === 'scroll') report.overflow.push(`${where} +${excess}px`);
    else if (cs.overflowX === 'hidden' || cs.overflowX === 'clip') {
      // An ellipsis is fine when the whole text is a hover away (a title on it or around it).
      if (cs.textOverflow !== 'ellipsis') report.clipped.push(`${where} +${excess}px`);
      else if (!node.closest('[title]') && !node.getAttribute('aria-label')) report.clipped.push(`${where} cut with an ellipsis and no tooltip`);
    }
  }
  return report;
}
