/**
 * Where focus really is inside the webview, through its shadow roots — shared by the browser
 * tests (test/browser/keyboard.test.ts) and the keyboard-only E2E in the real workbench
 * (test/e2e/keyboard.e2e.ts): `frameOrPage.evaluate(focusedElement)`.
 *
 * Runs in the page: self-contained, no named inner functions (see layout.ts).
 */

export interface FocusReport {
  /** Local name of the innermost focused element ('textarea', 'article', 'button', …). */
  tag: string;
  /** Its aria-label, else its text. */
  label: string;
  /** Id of the transcript entry it is in (or is), if any. */
  entry: string | null;
  /** 'user' or 'assistant' for an entry, else null. */
  role: string | null;
  inTranscript: boolean;
  inDrawer: boolean;
  /** The webview's document has the keyboard (not the workbench around it). */
  hasFocus: boolean;
}

export function focusedElement(): FocusReport {
  let el: Element | null = document.activeElement;
  const hosts: Element[] = [];
  while (el?.shadowRoot?.activeElement) {
    hosts.push(el);
    el = el.shadowRoot.activeElement;
  }
  const entryHost = hosts.find((h) => h.localName === 'nt-entry') ?? (el?.localName === 'nt-entry' ? el : null);
  const article = el?.closest('article') ?? entryHost?.shadowRoot?.querySelector('article') ?? null;
  return {
    tag: el?.localName ?? '',
    label: (el?.getAttribute('aria-label') ?? el?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    entry: article?.getAttribute('data-id') ?? null,
    role: article?.classList.contains('user') ? 'user' : article?.classList.contains('assistant') ? 'assistant' : null,
    inTranscript: hosts.some((h) => h.localName === 'nt-transcript'),
    inDrawer: [...hosts, el].some((h) => h?.closest('nt-drawer')),
    hasFocus: document.hasFocus(),
  };
}
