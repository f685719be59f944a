/**
 * <nt-drawer>: the one frame every drawer (history, models, telemetry) opens in. The same
 * header — title, a count, the close button always at its right end — over a body that
 * scrolls only vertically. Where it sits (full width in the sidebar, a left panel in the wide
 * tab) is the app's layout; what it holds is slotted in. The host element itself is the
 * landmark <nt-app> gives a role, name and tabindex, so focus can move onto the frame.
 */
import { LitElement, html, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { drawerFrameStyles } from './drawer.styles';
import { emitUi } from './events';

@customElement('nt-drawer')
export class NtDrawer extends LitElement {
  static override styles = drawerFrameStyles;

  /** The visible title, in the terminal's capitals ("HISTORY"). */
  @property() heading = '';
  /** A short figure beside the title ("12 conversations"). */
  @property() count = '';
  /** What the close button closes, for its accessible name ("Close history"). */
  @property() closes = '';

  override render(): TemplateResult {
    return html`<header class="drawer-head">
        <h2>${this.heading}</h2>
        <span class="count">${this.count}</span>
        <button type="button" class="tbtn close" title="Close (Esc)" aria-label=${`Close ${this.closes}`} @click=${() => emitUi(this, { kind: 'closeDrawer' })}>
          ×
        </button>
      </header>
      <div class="content"><slot></slot></div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'nt-drawer': NtDrawer;
  }
}
