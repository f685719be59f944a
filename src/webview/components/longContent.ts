/**
 * Bounds what one entry renders. A reply (or a pasted message) longer than COLLAPSE_AT
 * characters opens collapsed: only its first PREVIEW_CHARS, cut at a paragraph or line
 * end, are drawn, with a "show all" button naming what is left. "show all" hands the
 * rest to the markdown view as more text after the preview — the same incremental,
 * time-sliced path a streaming reply takes — so the view stays responsive while it draws.
 * A reply that was streaming when the entry first saw it is never collapsed: it has been
 * drawn as it arrived, and hiding it at the end would only redraw it.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';

/** Longer than this (characters), an entry opens collapsed. */
export const COLLAPSE_AT = 100_000;
/** How much of a collapsed entry is drawn. */
export const PREVIEW_CHARS = 40_000;

export class LongContent implements ReactiveController {
  private expanded = false;
  private sawStreaming = false;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Call on each render: an entry seen streaming stays whole. */
  observe(streaming: boolean): void {
    if (streaming) this.sawStreaming = true;
  }

  get collapsed(): boolean {
    return !this.expanded && !this.sawStreaming;
  }

  /** The part of `text` to draw now. */
  visible(text: string): string {
    if (!this.collapsed || text.length <= COLLAPSE_AT) return text;
    return text.slice(0, previewEnd(text));
  }

  /** The "show all" row under a collapsed entry, or nothing. */
  renderToggle(text: string): TemplateResult | typeof nothing {
    if (!this.collapsed || text.length <= COLLAPSE_AT) return nothing;
    const rest = text.length - previewEnd(text);
    return html`<div class="collapsed-note">
      <span class="dim">${formatSize(rest)} more not shown</span>
      <button type="button" class="tbtn show-all" @click=${() => this.expand()}>show all</button>
    </div>`;
  }

  expand(): void {
    this.expanded = true;
    this.host.requestUpdate();
  }
}

/** Where the preview ends: the last paragraph break before PREVIEW_CHARS, else a line end, else the limit. */
export function previewEnd(text: string): number {
  const paragraph = text.lastIndexOf('\n\n', PREVIEW_CHARS);
  if (paragraph > PREVIEW_CHARS / 2) return paragraph + 2;
  const line = text.lastIndexOf('\n', PREVIEW_CHARS);
  if (line > PREVIEW_CHARS / 2) return line + 1;
  // Never split a surrogate pair.
  const code = text.charCodeAt(PREVIEW_CHARS - 1);
  return code >= 0xd800 && code <= 0xdbff ? PREVIEW_CHARS - 1 : PREVIEW_CHARS;
}

function formatSize(chars: number): string {
  if (chars >= 1_000_000) return `${(chars / 1_000_000).toFixed(1)} M characters`;
  if (chars >= 1_000) return `${Math.round(chars / 1_000)} k characters`;
  return `${chars} characters`;
}
