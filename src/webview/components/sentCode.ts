/**
 * <nt-sent-code>: code a user message sent from the editor (a selection chip, or "Send
 * Selection" sent at once), drawn as a highlighted code block with its language, under a
 * `path:lines` link. The link only asks (`editor/openLocation`); the host decides whether this
 * message really carried that location and whether the file is in the workspace.
 */
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { MarkdownView } from '../markdown/markdownView';
import { sentCodeStyles } from './sentCode.styles';
import { emitIntent } from './events';
import type { SentCode } from '../../shared/sentSelection';

/** A fence longer than any backtick run in the code, so code holding ``` stays one block. */
export function fenced(code: string, language: string): string {
  let longest = 2;
  for (const m of code.matchAll(/`{3,}/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${code}\n${fence}`;
}

@customElement('nt-sent-code')
export class NtSentCode extends LitElement {
  static override styles = sentCodeStyles;

  @property({ attribute: false }) code: SentCode | undefined;
  @property() messageId = '';
  private view: MarkdownView | undefined;

  override render(): TemplateResult {
    const c = this.code;
    if (!c) return html``;
    const where = c.location;
    const lines = where ? (where.startLine === where.endLine ? `line ${where.startLine}` : `lines ${where.startLine}–${where.endLine}`) : '';
    return html`<figure>
      <figcaption>
        ${where
          ? html`<a href="#" class="loc" title=${`Open ${where.path} at ${lines}`} @click=${this.open}>${c.label}</a>`
          : html`<span class="loc">${c.label}</span>`}
        ${c.language ? html`<span class="lang">${c.language}</span>` : nothing}
      </figcaption>
      <div class="md"></div>
    </figure>`;
  }

  protected override updated(): void {
    const root = this.renderRoot.querySelector<HTMLElement>('.md');
    if (!root || !this.code) return;
    if (this.view?.root !== root) {
      this.view?.dispose();
      this.view = new MarkdownView(root, {
        onCodeAction: ({ action, code, language }) => emitIntent(this, { type: 'editor/codeAction', action, code, ...(language ? { language } : {}) }),
      });
    }
    this.view.update(fenced(this.code.code, this.code.language), true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.view?.dispose();
    this.view = undefined;
  }

  private readonly open = (event: Event): void => {
    event.preventDefault();
    const where = this.code?.location;
    if (!where || !this.messageId) return;
    emitIntent(this, { type: 'editor/openLocation', messageId: this.messageId, path: where.path, startLine: where.startLine, endLine: where.endLine });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'nt-sent-code': NtSentCode;
  }
}
