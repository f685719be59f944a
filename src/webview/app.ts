/**
 * <nt-app>: the root of the chat view and the only component that talks to the host.
 * It holds what the host sent (snapshot, conversation, telemetry, notices, archive, models),
 * folds streamed tokens into the streaming entry once per animation frame, forwards the
 * children's intents through the bridge, and keeps view state (drawer, draft, scroll,
 * filters) in getState/setState so a hidden or reloaded view comes back as it was.
 * Layout: container queries switch between the narrow sidebar (transcript + one-line strip +
 * drawers) and the wide bento grid (transcript | telemetry | model rail).
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import type { HostBridge } from './hostBridge';
import type {
  ConversationSummary,
  ConversationView,
  HostMessage,
  Mode,
  ModelView,
  Notice,
  SearchHit,
  StreamDelta,
  Telemetry,
  ViewSnapshot,
  WebviewMessage,
} from '../shared/protocol';
import { terminalTokens } from './styles/tokens';
import { sharedStyles } from './styles/shared';
import { INTENT, UI, type DrawerName, type IntentEvent, type UiEvent } from './components/events';
import { readViewState, type ViewState } from './viewState';
import type { Appended, NtTranscript } from './components/transcript';
import type { EstimateView, NtComposer } from './components/composer';
import type { ControlsState } from './components/controls';
import './components/transcript';
import './components/composer';
import './components/telemetry';
import './components/notices';
import './components/archive';
import './components/models';

const MODES: readonly Mode[] = ['compact', 'research', 'zen'];
const DRAWER_LABEL: Record<DrawerName, string> = { archive: 'History', models: 'Models', telemetry: 'Telemetry' };

@customElement('nt-app')
export class NtApp extends LitElement {
  static override styles = [
    terminalTokens,
    sharedStyles,
    css`
      :host {
        display: block;
        height: 100vh;
        color: var(--nt-fg);
        background: var(--nt-bg);
        font-family: var(--nt-font-data);
        font-size: var(--nt-font-size);
        container: app / inline-size;
      }
      :host([data-placement='editor']) {
        --nt-placement: editor;
      }
      .app {
        position: relative;
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        grid-template-rows: auto minmax(0, 1fr);
        grid-template-areas: 'bar' 'main';
        height: 100%;
        overflow: hidden;
      }
      /* Phosphor: faint scanlines over the whole terminal, only when motion is welcome. */
      @media (prefers-reduced-motion: no-preference) {
        :host([data-look='phosphor']) .app::after {
          content: '';
          position: absolute;
          inset: 0;
          pointer-events: none;
          background: repeating-linear-gradient(to bottom, transparent 0 2px, rgb(0 0 0 / 0.18) 2px 3px);
          z-index: 5;
        }
      }
      .bar {
        grid-area: bar;
        display: flex;
        align-items: center;
        gap: var(--nt-gap-sm);
        min-width: 0;
        padding: 3px var(--nt-gap-sm) 3px var(--nt-gap-md);
        border-bottom: 1px solid var(--nt-border);
      }
      .brand {
        flex: none;
        font-size: 0.82em;
        font-weight: 700;
        letter-spacing: 0.18em;
        color: var(--nt-accent);
        text-shadow: var(--nt-glow);
      }
      .title {
        min-width: 0;
        flex: 1;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        font-size: 0.86em;
        color: var(--nt-fg);
      }
      .title .slash {
        color: var(--nt-dim);
      }
      .local {
        flex: none;
        font-size: 0.75em;
        letter-spacing: 0.1em;
        color: var(--nt-warn);
        border: 1px solid currentColor;
        padding: 0 4px;
        border-radius: 2px;
      }
      .tools {
        flex: none;
        display: flex;
        gap: 1px;
      }
      .tools .tbtn {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        font-size: 0.82em;
        padding: 1px 5px;
        color: var(--nt-fg);
      }
      .tools .tbtn[aria-expanded='true'] {
        color: var(--nt-accent);
        background: var(--nt-surface);
        border-color: var(--nt-border);
      }
      vscode-icon {
        color: inherit;
      }
      @container app (max-width: 420px) {
        .tools .lbl {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip-path: inset(50%);
          white-space: nowrap;
        }
      }
      main {
        grid-area: main;
        display: flex;
        flex-direction: column;
        min-height: 0;
        min-width: 0;
      }
      nt-transcript {
        flex: 1;
      }
      .rail {
        display: none;
        min-height: 0;
        overflow-y: auto;
        border-left: 1px solid var(--nt-border);
        padding: var(--nt-gap-sm) var(--nt-gap-md);
      }
      .rail.telemetry {
        grid-area: tele;
      }
      .rail.model {
        grid-area: rail;
        font-size: 0.86em;
      }
      /* Wide: the seed's bento grid, ~70 / 20 / 10. */
      @container app (min-width: 900px) or style(--nt-placement: editor) {
        .app {
          grid-template-columns: minmax(0, 7fr) minmax(230px, 2fr) minmax(150px, 1fr);
          grid-template-areas: 'bar bar bar' 'main tele rail';
        }
        .rail {
          display: block;
        }
        .strip,
        .wide-hidden {
          display: none;
        }
      }
      /* Drawers overlay the body row (never the bar, whose buttons toggle them). */
      .drawer {
        grid-row: 2;
        grid-column: 1 / -1;
        justify-self: start;
        z-index: 10;
        width: min(400px, 92%);
        min-height: 0;
        display: flex;
        flex-direction: column;
        background: var(--nt-bg);
        border: 0 solid var(--nt-border);
        box-shadow: var(--nt-shadow);
        outline: 1px solid var(--nt-contrast-border);
      }
      .drawer:focus {
        outline: 1px solid var(--nt-focus);
      }
      .drawer.left {
        border-right-width: 1px;
      }
      .drawer.right {
        justify-self: end;
        border-left-width: 1px;
      }
      .drawer > * {
        flex: 1;
        min-height: 0;
      }
      .drawer .pad {
        padding: var(--nt-gap-sm) var(--nt-gap-md);
        overflow-y: auto;
      }
      .modes {
        display: flex;
        align-items: baseline;
        gap: var(--nt-gap-xs);
        padding-top: var(--nt-gap-md);
        font-size: 0.86em;
      }
      .rail h2 {
        margin: 0 0 var(--nt-gap-sm);
        font-size: 1em;
        font-weight: 700;
        letter-spacing: 0.16em;
        color: var(--nt-accent);
        text-shadow: var(--nt-glow);
      }
      .rail dl {
        margin: 0;
      }
      .rail dt {
        margin-top: var(--nt-gap-sm);
      }
      .rail dd {
        margin: 0;
        overflow-wrap: break-word;
        color: var(--nt-fg);
      }
      .rail .tbtn {
        margin-top: var(--nt-gap-xs);
        border-color: var(--nt-border);
      }
      .welcome {
        margin: 0;
        line-height: 1.7;
      }
      .welcome .prompt {
        color: var(--nt-accent);
        text-shadow: var(--nt-glow);
      }
      .welcome .key {
        display: inline-block;
        min-width: 9ch;
        color: var(--nt-dim);
      }
      .welcome .cursor {
        display: inline-block;
        width: 0.55em;
        height: 1.05em;
        vertical-align: text-bottom;
        background: var(--nt-accent);
        animation: nt-blink 1.06s steps(1) infinite;
      }
      .welcome vscode-button {
        margin-top: var(--nt-gap-md);
        --vscode-button-background: var(--nt-accent);
        --vscode-button-hoverBackground: color-mix(in oklab, var(--nt-accent) 88%, var(--nt-fg));
        --vscode-button-foreground: var(--nt-bg);
        --vscode-font-family: var(--nt-font-data);
      }
      @keyframes nt-blink {
        50% {
          opacity: 0;
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .welcome .cursor {
          animation: none;
        }
      }
    `,
  ];

  @state() private snapshot: ViewSnapshot | undefined;
  @state() private conversation: ConversationView | undefined;
  /**
   * Streamed text not yet in the host's conversation. Not reactive: a frame of tokens goes
   * straight to the transcript instead of re-rendering the whole app.
   */
  private appended: ReadonlyMap<string, Appended> = new Map();
  @state() private telemetry: Telemetry | undefined;
  @state() private notices: readonly Notice[] = [];
  @state() private mode: Mode = 'research';
  @state() private selectedModel = '';
  @state() private estimate: EstimateView | undefined;
  @state() private controls: ControlsState | undefined;
  @state() private conversations: readonly ConversationSummary[] = [];
  @state() private conversationTotal = 0;
  @state() private searchHits: readonly SearchHit[] | undefined;
  @state() private searchError: string | undefined;
  @state() private models: readonly ModelView[] | undefined;
  @state() private modelsStale = false;
  /** Not reactive: drafts and scroll offsets change often and do not affect rendering. */
  private view: ViewState = readViewState(undefined);
  @query('nt-transcript') private transcript!: NtTranscript;
  @query('nt-composer') private composer!: NtComposer;

  private hostBridge: HostBridge | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Streamed text received since the last frame, per message id. */
  private readonly pending = new Map<string, { content: string; reasoning: string }>();
  private frame: number | undefined;
  private frameFallback: ReturnType<typeof setTimeout> | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private restoredScroll = false;
  private drawerOpener: HTMLElement | undefined;

  constructor() {
    super();
    this.addEventListener(INTENT, (e: IntentEvent) => this.onIntent(e));
    this.addEventListener(UI, (e: UiEvent) => this.onUi(e));
    this.addEventListener('keydown', this.onKey);
  }

  get bridge(): HostBridge | undefined {
    return this.hostBridge;
  }

  /** Set once by main.ts; subscribing here (not in an update) catches the first host message. */
  set bridge(bridge: HostBridge | undefined) {
    this.unsubscribe?.();
    this.hostBridge = bridge;
    this.unsubscribe = bridge?.onMessage((m) => this.onHostMessage(m));
    this.view = readViewState(bridge?.getViewState());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    clearTimeout(this.frameFallback);
    clearTimeout(this.saveTimer);
  }

  override render(): TemplateResult {
    const s = this.snapshot;
    const c = this.conversation;
    const streaming = c?.streamingId !== undefined || (c?.entries.some((e) => e.status === 'streaming') ?? false);
    const drawer = this.view.drawer;
    // The sidebar's own title bar already has the view actions (package.json menus["view/title"]):
    // here only the conversation title and the two drawers remain.
    const sidebar = s?.placement !== 'editor';
    return html`
      <div class="app">
        <header class="bar">
          ${sidebar ? nothing : html`<span class="brand">NEURAL·TERMINAL</span>`}
          <span class="title" title=${c?.title || 'untitled'}>${c ? html`${sidebar ? nothing : html`<span class="slash">/</span> `}${c.title || 'untitled'}` : nothing}</span>
          ${s?.isDemoEndpoint ? html`<span class="local" title=${`Endpoint: ${s.endpointHost}`}>LOCAL</span>` : nothing}
          <nav class="tools" aria-label="Views">
            ${this.toolButton('archive', 'history', 'history', 'History: search, open and fork conversations')}
            ${this.toolButton('models', 'sparkle', 'models', 'Models: browse and pick a model')}
            ${sidebar
              ? nothing
              : html`<button type="button" class="tbtn" title="New conversation" @click=${() => this.send({ type: 'runCommand', command: 'newConversation' })}>
                  <vscode-icon name="add"></vscode-icon><span class="lbl">new</span>
                </button>`}
          </nav>
        </header>
        <main>
          <nt-transcript .entries=${c?.entries ?? []} .appended=${this.appended} .mode=${this.mode}>
            <div slot="empty">${this.renderWelcome(s)}</div>
          </nt-transcript>
          <nt-notices .notices=${this.notices}></nt-notices>
          <nt-telemetry class="strip" variant="strip" .telemetry=${this.telemetry} ?expanded=${drawer === 'telemetry'}></nt-telemetry>
          <nt-composer
            .model=${this.selectedModel}
            .conversationId=${c?.id}
            ?streaming=${streaming}
            .estimate=${this.estimate}
            .controls=${this.controls}
            .draft=${this.view.draft}
            .mode=${this.mode}
          ></nt-composer>
        </main>
        <aside class="rail telemetry" aria-label="Telemetry">
          <nt-telemetry .telemetry=${this.telemetry}></nt-telemetry>
          ${this.renderModes()}
        </aside>
        <aside class="rail model" aria-label="Model">${this.renderModelRail(s)}</aside>
        ${drawer ? this.renderDrawer(drawer) : nothing}
      </div>
    `;
  }

  private toolButton(drawer: DrawerName, icon: string, label: string, tip: string): TemplateResult {
    return html`<button
      type="button"
      title=${tip}
      class="tbtn"
      data-drawer=${drawer}
      aria-expanded=${this.view.drawer === drawer ? 'true' : 'false'}
      @click=${(e: Event) => this.toggleDrawer(drawer, e.currentTarget as HTMLElement)}
    >
      <vscode-icon name=${icon}></vscode-icon><span class="lbl">${label}</span>
    </button>`;
  }

  private renderDrawer(drawer: DrawerName): TemplateResult {
    const side = drawer === 'archive' ? 'left' : 'right';
    let body: TemplateResult;
    if (drawer === 'archive') {
      const f = this.view.archive;
      body = html`<nt-archive
        .items=${this.conversations}
        .total=${this.conversationTotal}
        .hits=${this.searchHits}
        .searchError=${this.searchError}
        .activeId=${this.conversation?.id}
        .query=${f.query}
        .showArchived=${f.showArchived}
        .tag=${f.tag}
      ></nt-archive>`;
    } else if (drawer === 'models') {
      const f = this.view.models;
      body = html`<nt-models
        .models=${this.models}
        .selected=${this.selectedModel}
        .stale=${this.modelsStale}
        .query=${f.query}
        .sort=${f.sort}
        .freeOnly=${f.freeOnly}
      ></nt-models>`;
    } else {
      body = html`<div class="pad">
        <button type="button" class="tbtn" aria-label="Close telemetry" @click=${() => this.closeDrawer()}>× close</button>
        <nt-telemetry .telemetry=${this.telemetry}></nt-telemetry>
        ${this.renderModes()}
      </div>`;
    }
    return html`<aside class="drawer ${side} ${drawer === 'telemetry' ? 'wide-hidden' : ''}" aria-label=${DRAWER_LABEL[drawer]} tabindex="-1">
      ${body}
    </aside>`;
  }

  private renderModes(): TemplateResult {
    return html`<div class="modes" role="group" aria-label="Display mode">
      <span class="label">mode</span>
      ${MODES.map(
        (m) =>
          html`<button type="button" class="tbtn" aria-pressed=${this.mode === m ? 'true' : 'false'} @click=${() => this.setMode(m)}>${m}</button>`,
      )}
    </div>`;
  }

  private renderModelRail(s: ViewSnapshot | undefined): TemplateResult {
    return html`<h2>MODEL</h2>
      <dl>
        <dt class="label">selected</dt>
        <dd>${this.selectedModel ? breakable(this.selectedModel) : '—'}</dd>
        <dt class="label">endpoint</dt>
        <dd>${s?.endpointHost ?? '—'}</dd>
        <dt class="label">api key</dt>
        <dd>${s ? (s.hasApiKey ? 'stored' : 'missing') : '—'}</dd>
      </dl>
      <button type="button" class="tbtn" data-drawer="models" @click=${(e: Event) => this.toggleDrawer('models', e.currentTarget as HTMLElement)}>
        browse models
      </button>
      <button type="button" class="tbtn" @click=${() => this.send({ type: 'runCommand', command: 'selectModel' })}>quick pick</button>`;
  }

  private renderWelcome(s: ViewSnapshot | undefined): TemplateResult {
    if (!s) return html`<p class="welcome"><span class="prompt">&gt;</span> connecting to the extension host…</p>`;
    if (!s.hasApiKey) {
      return html`<p class="welcome"><span class="prompt">&gt;</span> No OpenRouter API key is stored yet.</p>
        <p class="welcome">It lives in the editor's secret storage, never in settings or logs.</p>
        <vscode-button @click=${() => this.send({ type: 'runCommand', command: 'setApiKey' })}>Set API Key</vscode-button>`;
    }
    return html`<p class="welcome"><span class="prompt">&gt;</span> neural terminal ready</p>
      <p class="welcome"><span class="key">model</span>${this.selectedModel}</p>
      <p class="welcome"><span class="key">endpoint</span>${s.endpointHost}</p>
      <p class="welcome">Every token, cent and millisecond of a reply is logged here.<span class="cursor" aria-hidden="true"></span></p>`;
  }

  // ── host → view ─────────────────────────────────────────────────────────────

  private onHostMessage(message: HostMessage): void {
    switch (message.type) {
      case 'stream':
        this.onStream(message);
        return;
      case 'snapshot': {
        const s = message.snapshot;
        this.snapshot = s;
        this.mode = s.mode;
        this.selectedModel = s.selectedModel;
        this.telemetry = s.telemetry;
        this.notices = s.notices;
        this.dataset.look = s.look;
        this.dataset.placement = s.placement;
        this.setConversation(s.conversation);
        void this.restoreScroll();
        return;
      }
      case 'conversation':
        this.setConversation(message.conversation);
        return;
      case 'telemetry':
        this.telemetry = message.telemetry;
        return;
      case 'notices':
        this.notices = message.notices;
        return;
      case 'conversations':
        this.conversations = message.offset > 0 ? [...this.conversations.slice(0, message.offset), ...message.items] : message.items;
        this.conversationTotal = message.total;
        return;
      case 'searchResults':
        // A slow answer to an older query must not replace the current one's.
        if (message.query.trim() !== this.view.archive.query.trim()) return;
        this.searchHits = message.hits;
        this.searchError = message.error;
        return;
      case 'models':
        this.models = message.models;
        this.selectedModel = message.selected;
        this.modelsStale = message.stale;
        return;
      case 'controls':
        this.controls = message;
        return;
      case 'estimate':
        this.estimate = { promptTokens: message.promptTokens, varies: message.varies, ...(message.cost !== undefined ? { cost: message.cost } : {}) };
        return;
      case 'reveal':
        void this.updateComplete.then(() => this.transcript?.reveal(message.messageId));
        return;
    }
  }

  /** The host's conversation is the truth: text streamed before it is already in it. */
  private setConversation(conversation: ConversationView | undefined): void {
    this.conversation = conversation;
    const present = new Set(conversation?.entries.map((e) => e.id));
    for (const id of this.pending.keys()) if (present.has(id)) this.pending.delete(id);
    let changed = false;
    const next = new Map(this.appended);
    for (const id of next.keys()) {
      if (present.has(id) || !conversation) {
        next.delete(id);
        changed = true;
      }
    }
    if (changed) this.appended = next;
    // Rendered with the conversation (the app re-renders for it and passes `appended`).
  }

  /** Hot path: buffer the delta; the DOM is touched at most once per frame. */
  private onStream(delta: StreamDelta): void {
    if (this.conversation && delta.conversationId !== this.conversation.id) return;
    const p = this.pending.get(delta.messageId);
    if (p) {
      p.content += delta.content;
      p.reasoning += delta.reasoning;
    } else {
      this.pending.set(delta.messageId, { content: delta.content, reasoning: delta.reasoning });
    }
    if (this.frame === undefined) {
      this.frame = requestAnimationFrame(this.flushStream);
      // rAF pauses while the view is hidden; the timer keeps the text current anyway.
      this.frameFallback = setTimeout(this.flushStream, 100);
    }
  }

  private readonly flushStream = (): void => {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    clearTimeout(this.frameFallback);
    this.frame = undefined;
    if (this.pending.size === 0) return;
    const next = new Map(this.appended);
    for (const [id, p] of this.pending) {
      const had = next.get(id);
      next.set(id, had ? { content: had.content + p.content, reasoning: had.reasoning + p.reasoning } : p);
    }
    this.pending.clear();
    this.appended = next;
    if (this.transcript) this.transcript.appended = next;
    else this.requestUpdate();
  };

  private async restoreScroll(): Promise<void> {
    if (this.restoredScroll) return;
    this.restoredScroll = true;
    const saved = this.view.scroll;
    if (!saved || saved.following || saved.conversationId !== this.conversation?.id) return;
    await this.updateComplete;
    await this.transcript?.restoreScroll(saved.anchorId, saved.offset);
  }

  // ── view → host ─────────────────────────────────────────────────────────────

  private send(message: WebviewMessage): void {
    this.hostBridge?.send(message);
  }

  private onIntent(event: IntentEvent): void {
    event.stopPropagation();
    const m = event.message;
    if (m.type === 'setMode') this.mode = m.mode;
    if (m.type === 'selectModel') this.selectedModel = m.modelId;
    if (m.type === 'send') this.estimate = undefined;
    if (m.type === 'openConversation' && this.view.drawer) this.closeDrawer();
    this.send(m);
  }

  private onUi(event: UiEvent): void {
    event.stopPropagation();
    const r = event.request;
    switch (r.kind) {
      case 'toggleDrawer':
        this.toggleDrawer(r.drawer, event.composedPath()[0] instanceof HTMLElement ? (event.composedPath()[0] as HTMLElement) : undefined);
        return;
      case 'closeDrawer':
        this.closeDrawer();
        return;
      case 'draft':
        this.saveView({ ...this.view, draft: r.text }, false);
        return;
      case 'scrolled':
        if (this.conversation) {
          this.saveView({ ...this.view, scroll: { conversationId: this.conversation.id, anchorId: r.anchorId, offset: r.offset, following: r.following } }, false);
        }
        return;
      case 'archiveFilters':
        if (r.query.trim() !== this.view.archive.query.trim()) {
          this.searchHits = undefined;
          this.searchError = undefined;
        }
        this.saveView({ ...this.view, archive: { query: r.query, showArchived: r.showArchived, ...(r.tag ? { tag: r.tag } : {}) } });
        return;
      case 'modelFilters':
        this.saveView({ ...this.view, models: { query: r.query, sort: r.sort, freeOnly: r.freeOnly } });
        return;
    }
  }

  private setMode(mode: Mode): void {
    this.mode = mode;
    this.send({ type: 'setMode', mode });
  }

  private async toggleDrawer(drawer: DrawerName, opener?: HTMLElement): Promise<void> {
    if (this.view.drawer === drawer) {
      this.closeDrawer();
      return;
    }
    this.drawerOpener = opener;
    this.saveView({ ...this.view, drawer });
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('aside.drawer')?.focus();
  }

  private async closeDrawer(): Promise<void> {
    const was = this.view.drawer;
    if (!was) return;
    this.saveView({ ...this.view, drawer: null });
    await this.updateComplete;
    const back = this.drawerOpener?.isConnected
      ? this.drawerOpener
      : this.renderRoot.querySelector<HTMLElement>(`.tools [data-drawer="${was}"]`);
    (back ?? this.composer)?.focus();
    this.drawerOpener = undefined;
  }

  /** Esc closes an open drawer (the composer and editors stop it when they use Esc themselves). */
  private readonly onKey = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && this.view.drawer && !event.defaultPrevented) {
      event.preventDefault();
      void this.closeDrawer();
    }
  };

  /** Updates view state now (render) and persists it shortly after (setState is not free). */
  private saveView(next: ViewState, render = true): void {
    this.view = next;
    if (render) this.requestUpdate();
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.hostBridge?.setViewState(this.view), 150);
  }
}

/** A model id that wraps after its provider ("anthropic/<wbr>claude-sonnet-4"), not mid-word. */
function breakable(id: string): TemplateResult {
  const [provider, ...rest] = id.split('/');
  return rest.length > 0 ? html`${provider}/<wbr />${rest.join('/')}` : html`${id}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'nt-app': NtApp;
  }
}
