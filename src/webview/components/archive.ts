/**
 * <nt-archive>: the history drawer. Lists conversations (forks under their source), searches
 * message text through the host's full-text index, filters by tag, shows archived ones on
 * request, and renames, tags, archives or deletes (the host asks before deleting, in its own dialog). Search snippets are
 * plain text plus [start, end) ranges; matches become <mark> elements built by the template
 * engine, so snippet text can never inject markup.
 */
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { archiveStyles } from './archive.styles';
import { repeat } from 'lit/directives/repeat.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import type { ConversationSummary, SearchHit } from '../../shared/protocol';
import { formatDate, formatUsd } from '../format';
import { emitIntent, emitUi } from './events';
import { plainText } from '../../shared/plainText';
import { highlightParts, withLineage } from './archiveItems';

const SEARCH_DELAY_MS = 200;

type Editing = { readonly id: string; readonly field: 'title' | 'tags' };

@customElement('nt-archive')
export class NtArchive extends LitElement {
  static override styles = archiveStyles;

  @property({ attribute: false }) items: readonly ConversationSummary[] = [];
  @property({ type: Number }) total = 0;
  @property({ attribute: false }) hits: readonly SearchHit[] | undefined;
  @property() searchError: string | undefined;
  @property() activeId: string | undefined;
  @property() query = '';
  @property({ type: Boolean }) showArchived = false;
  @property() tag: string | undefined;
  @state() private editing: Editing | undefined;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
  }

  override render(): TemplateResult {
    const tags = [...new Set(this.items.flatMap((c) => c.tags).concat(this.tag ? [this.tag] : []))].sort();
    const searching = this.query.trim().length > 0;
    return html`
      <div class="filters">
        <vscode-textfield
          type="search"
          .label=${'Search history'}
          placeholder="search messages and titles"
          .value=${this.query}
          @input=${this.onQuery}
        ></vscode-textfield>
        <vscode-checkbox .checked=${this.showArchived} @change=${this.onArchivedToggle}>Show archived</vscode-checkbox>
        ${tags.length > 0
          ? html`<div class="tags" role="group" aria-label="Filter by tag">
              ${tags.map(
                (t) =>
                  html`<button type="button" class="tbtn" aria-pressed=${this.tag === t ? 'true' : 'false'} @click=${() => this.setTag(this.tag === t ? undefined : t)}>
                    #${t}
                  </button>`,
              )}
            </div>`
          : nothing}
      </div>
      <div class="drawer-body">${searching ? this.renderHits() : this.renderList()}</div>
    `;
  }

  /** Asks the host for the list (or the search) matching the current filters. */
  refresh(): void {
    if (this.query.trim()) this.runSearch();
    else emitIntent(this, { type: 'archive/list', archived: this.showArchived, ...(this.tag ? { tag: this.tag } : {}) });
  }

  private renderHits(): TemplateResult {
    if (this.searchError) return html`<p class="empty error">${this.searchError}</p>`;
    if (!this.hits) return html`<p class="empty">searching…</p>`;
    if (this.hits.length === 0) return html`<p class="empty">No matches.</p>`;
    return html`<ul class="list" aria-label="Search results">
      ${this.hits.map(
        (h) => html`<li>
          <button type="button" class="tbtn hit" @click=${() => this.open(h.conversationId, h.messageId)}>
            <span class="title">${h.title}</span>
            <span class="snippet">${highlightParts(h.snippet, h.highlights).map((p) =>
              // Plain words, no markdown markers: each piece alone, so the highlights stay where they were.
              typeof p === 'string' ? plainText(p, { trim: false }) : html`<mark>${plainText(p.mark, { trim: false })}</mark>`,
            )}</span>
          </button>
        </li>`,
      )}
    </ul>`;
  }

  private renderList(): TemplateResult {
    if (this.items.length === 0) return html`<p class="empty">${this.showArchived ? 'No archived conversations.' : 'No conversations yet.'}</p>`;
    const titles = new Map(this.items.map((c) => [c.id, c.title]));
    return html`<ul class="list" aria-label="Conversations">
        ${repeat(
          withLineage(this.items),
          ({ item }) => item.id,
          ({ item, depth }) => this.renderConversation(item, depth, titles),
        )}
      </ul>
      ${this.items.length < this.total
        ? html`<div class="more"><button type="button" class="tbtn" @click=${this.loadMore}>load more (${this.total - this.items.length})</button></div>`
        : nothing}`;
  }

  private renderConversation(c: ConversationSummary, depth: number, titles: Map<string, string>): TemplateResult {
    const editing = this.editing?.id === c.id ? this.editing.field : undefined;
    const parentTitle = c.parentConversationId ? titles.get(c.parentConversationId) : undefined;
    return html`<li class="conv depth-${depth}" data-id=${c.id}>
      ${editing === 'title'
        ? this.renderInlineEdit(c, 'Title', c.title, (v) => emitIntent(this, { type: 'archive/rename', conversationId: c.id, title: v.slice(0, 200) }))
        : html`<button type="button" class="tbtn open" aria-current=${c.id === this.activeId ? 'true' : 'false'} @click=${() => this.open(c.id)}>
            ${c.title || 'Untitled'}
          </button>`}
      <div class="meta">
        ${formatDate(c.updatedAt)} · ${breakableModel(c.modelId)} · ${c.messageCount} msg · <span class="cost">${formatUsd(c.totalCost)}</span>
        ${c.archived ? html` · <span class="archived-tag">archived</span>` : nothing}
      </div>
      ${c.parentConversationId
        ? html`<div class="lineage">
            <vscode-icon name="repo-forked" size="12"></vscode-icon> fork of
            ${parentTitle !== undefined
              ? html`<button type="button" class="tbtn" @click=${() => this.open(c.parentConversationId!)}>${parentTitle || 'Untitled'}</button>`
              : html`<button type="button" class="tbtn" @click=${() => this.open(c.parentConversationId!)}>its source</button>`}
          </div>`
        : nothing}
      ${c.tags.length > 0 && editing !== 'tags' ? html`<div class="tagline">${c.tags.map((t) => `#${t}`).join(' ')}</div>` : nothing}
      ${editing === 'tags'
        ? this.renderInlineEdit(c, 'Tags, comma separated', c.tags.join(', '), (v) =>
            emitIntent(this, {
              type: 'archive/tag',
              conversationId: c.id,
              tags: [...new Set(v.split(',').map((t) => t.trim().replace(/^#/, '').slice(0, 40)).filter(Boolean))],
            }),
          )
        : nothing}
      ${editing
        ? nothing
        : html`<div class="row-actions" role="toolbar" aria-label=${`Actions for ${c.title || 'Untitled'}`}>
            <button type="button" class="tbtn" @click=${() => this.startEditing(c.id, 'title')}>rename</button>
            <button type="button" class="tbtn" @click=${() => this.startEditing(c.id, 'tags')}>tags</button>
            <button
              type="button"
              class="tbtn"
              @click=${() => emitIntent(this, { type: 'archive/setArchived', conversationId: c.id, archived: !c.archived })}
            >
              ${c.archived ? 'unarchive' : 'archive'}
            </button>
            <button type="button" class="tbtn" @click=${() => this.requestDelete(c.id)}>delete…</button>
          </div>`}
    </li>`;
  }

  private renderInlineEdit(c: ConversationSummary, label: string, value: string, save: (v: string) => void): TemplateResult {
    const commit = () => {
      const input = this.renderRoot.querySelector<HTMLInputElement>(`li[data-id="${CSS.escape(c.id)}"] .inline-edit input`);
      const v = input?.value.trim() ?? '';
      if (label === 'Title' && !v) return;
      save(v);
      this.stopEditing(c.id);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        commit();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        this.stopEditing(c.id);
      }
    };
    return html`<div class="inline-edit">
      <input type="text" aria-label=${label} .value=${value} @keydown=${onKey} />
      <button type="button" class="tbtn" @click=${commit}>Save</button>
      <button type="button" class="tbtn" @click=${() => this.stopEditing(c.id)}>Cancel</button>
    </div>`;
  }

  private async startEditing(id: string, field: Editing['field']): Promise<void> {
    this.editing = { id, field };
    await this.updateComplete;
    const li = this.renderRoot.querySelector(`li[data-id="${CSS.escape(id)}"]`);
    li?.querySelector<HTMLElement>('input')?.focus();
  }

  private async stopEditing(id: string): Promise<void> {
    this.editing = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`li[data-id="${CSS.escape(id)}"] .open`)?.focus();
  }

  /** Only a request: the host asks the user in a modal dialog it shows itself. */
  private requestDelete(id: string): void {
    emitIntent(this, { type: 'archive/delete', conversationId: id });
  }

  private open(conversationId: string, messageId?: string): void {
    emitIntent(this, { type: 'archive/open', conversationId, ...(messageId ? { messageId } : {}) });
  }

  private readonly onQuery = (event: Event): void => {
    this.query = (event.target as HTMLInputElement).value;
    this.saveFilters();
    clearTimeout(this.searchTimer);
    if (!this.query.trim()) {
      this.refresh();
      return;
    }
    this.searchTimer = setTimeout(() => this.runSearch(), SEARCH_DELAY_MS);
  };

  private runSearch(): void {
    emitIntent(this, { type: 'archive/search', query: this.query.trim().slice(0, 500), ...(this.tag ? { tag: this.tag } : {}) });
  }

  private readonly onArchivedToggle = (event: Event): void => {
    this.showArchived = (event.target as HTMLInputElement).checked;
    this.saveFilters();
    this.refresh();
  };

  private setTag(tag: string | undefined): void {
    this.tag = tag;
    this.saveFilters();
    this.refresh();
  }

  private readonly loadMore = (): void => {
    emitIntent(this, {
      type: 'archive/list',
      archived: this.showArchived,
      offset: this.items.length,
      ...(this.tag ? { tag: this.tag } : {}),
    });
  };

  private saveFilters(): void {
    emitUi(this, { kind: 'archiveFilters', query: this.query, showArchived: this.showArchived, tag: this.tag });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'nt-archive': NtArchive;
  }
}

/** A model id that may wrap after its provider ("openai/<wbr>gpt-4o-mini"), never mid-name. */
function breakableModel(id: string): TemplateResult {
  const slash = id.indexOf('/');
  return slash < 0 ? html`${id}` : html`${id.slice(0, slash + 1)}<wbr />${id.slice(slash + 1)}`;
}
