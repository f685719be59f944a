/**
 * <nt-app>: the root of the chat view and the only component that talks to the host.
 * It holds what the host sent (snapshot, conversation, telemetry, notices, archive, models),
 * folds streamed tokens into the streaming entry once per animation frame, forwards the
 * children's intents through the bridge, and keeps view state (drawer, draft, scroll,
 * filters) in getState/setState so a hidden or reloaded view comes back as it was.
 * Layout: container queries switch between the narrow sidebar (transcript + one-line strip +
 * drawers) and the wide bento grid (transcript | telemetry | model rail).
 */
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import type { HostBridge } from './hostBridge';
import { appStyles } from './app.styles';
import { renderModelRail, renderModes, renderWelcome } from './app.parts';
import { StreamBuffer } from './controllers/streamBuffer';
import type { HostMessage, Mode, Notice, StreamDelta, ViewIntent, ViewSnapshot } from '../shared/protocol';
import { INITIAL_HOST_STATE, reduceHost, type HostState } from './hostState';
import { INTENT, UI, type DrawerName, type IntentEvent, type UiEvent } from './components/events';
import type { ViewState } from './viewState';
import { DrawerFocus } from './controllers/drawerFocus';
import { ViewFocus } from './controllers/viewFocus';
import { ViewStateStore } from './controllers/viewStateStore';
import type { NtTranscript } from './components/transcript';
import type { NtComposer } from './components/composer';
import type { NtCompare } from './components/compare';
import './components/transcript';
import './components/composer';
import './components/compare';
import './components/telemetry';
import './components/notices';
import './components/archive';
import { filterModels } from './components/models';
import './components/drawer';
import { base64Blob, makeThumbnail } from './thumbnails';

const DRAWER_LABEL: Record<DrawerName, string> = { archive: 'History', models: 'Models', telemetry: 'Telemetry' };

@customElement('nt-app')
export class NtApp extends LitElement {
  static override styles = appStyles;

  /** Everything the host has said, folded by `reduceHost` (hostState.ts). */
  @state() private host: HostState = INITIAL_HOST_STATE;
  /**
   * Streamed text not yet in the host's conversation. Not reactive: a frame of tokens goes
   * straight to the transcript instead of re-rendering the whole app.
   */
  private readonly stream = new StreamBuffer(this, (appended) => {
    if (this.transcript) this.transcript.appended = appended;
    else this.requestUpdate();
    // A comparison's rows count their streamed characters live.
    if (this.compareTable) this.compareTable.appended = appended;
  });
  /** Requests the host answered with `ok: false`, shown beside the host's notices until dismissed. */
  @state() private failures: readonly Notice[] = [];
  /** The host speaks another protocol version; the page is being reloaded. */
  @state() private outdated = false;
  /** Not reactive: drafts and scroll offsets change often and do not affect rendering. */
  private get view(): ViewState {
    return this.views.state;
  }
  @query('nt-transcript') private transcript!: NtTranscript;
  @query('nt-composer') private composer!: NtComposer;
  @query('nt-compare') private compareTable!: NtCompare | null;
  /** "Focus on Chat View" and a lost focus land in the message box. */
  private readonly viewFocus = new ViewFocus(this, () => this.composer ?? undefined);

  private hostBridge: HostBridge | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Id of the latest `archive/search`: results answering an older one are ignored. */
  private latestSearchId: string | undefined;
  private restoredScroll = false;
  private readonly views = new ViewStateStore(this, (state) => this.hostBridge?.setViewState(state));
  private readonly drawers = new DrawerFocus(this, this.views, () => this.composer);

  constructor() {
    super();
    this.addEventListener(INTENT, (e: IntentEvent) => this.onIntent(e));
    this.addEventListener(UI, (e: UiEvent) => this.onUi(e));
  }

  get bridge(): HostBridge | undefined {
    return this.hostBridge;
  }

  /** Set once by main.ts; subscribing here (not in an update) catches the first host message. */
  set bridge(bridge: HostBridge | undefined) {
    this.unsubscribe?.();
    this.hostBridge = bridge;
    const offMessage = bridge?.onMessage((m) => this.onHostMessage(m));
    const offOutdated = bridge?.onOutdated(() => (this.outdated = true));
    this.unsubscribe = () => {
      offMessage?.();
      offOutdated?.();
    };
    this.views.load(bridge?.getViewState());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  override render(): TemplateResult {
    const s = this.host.snapshot;
    const c = this.host.conversation;
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
              : html`<button type="button" class="tbtn" title="New conversation" @click=${() => this.send({ type: 'view/runCommand', command: 'newConversation' })}>
                  <vscode-icon name="add"></vscode-icon><span class="lbl">new</span>
                </button>`}
          </nav>
        </header>
        <main>
          <nt-transcript .entries=${c?.entries ?? []} .conversationId=${c?.id} .earlier=${c?.earlier ?? 0} .appended=${this.stream.appended} .mode=${this.host.mode}>
            <div slot="empty">${renderWelcome(s, this.outdated, this.host.selectedModel, () => this.send({ type: 'view/runCommand', command: 'setApiKey' }))}</div>
          </nt-transcript>
          ${c?.comparison ? html`<nt-compare .comparison=${c.comparison} .conversationId=${c.id} .appended=${this.stream.appended}></nt-compare>` : nothing}
          <nt-notices .notices=${this.failures.length > 0 ? [...this.host.notices, ...this.failures] : this.host.notices}></nt-notices>
          <nt-telemetry class="strip" variant="strip" .telemetry=${this.host.telemetry} ?expanded=${drawer === 'telemetry'}></nt-telemetry>
          <nt-composer
            .model=${this.host.selectedModel}
            .conversationId=${c?.id}
            ?streaming=${streaming}
            .estimate=${this.host.estimate}
            .attachments=${this.host.attachments}
            .controls=${this.host.controls}
            .draft=${this.view.draft}
            .mode=${this.host.mode}
          ></nt-composer>
        </main>
        <aside class="rail telemetry" aria-label="Telemetry">
          <nt-telemetry .telemetry=${this.host.telemetry}></nt-telemetry>
          ${renderModes(this.host.mode, (m) => this.setMode(m))}
        </aside>
        <aside class="rail model" aria-label="Model">${renderModelRail(s, this.host.selectedModel, { browse: (opener) => this.drawers.toggle('models', opener), quickPick: () => this.send({ type: 'view/runCommand', command: 'selectModel' }) })}</aside>
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
      @click=${(e: Event) => this.drawers.toggle(drawer, e.currentTarget as HTMLElement)}
    >
      <vscode-icon name=${icon}></vscode-icon><span class="lbl">${label}</span>
    </button>`;
  }

  /** Every drawer opens in the same frame, from the same side; only its contents differ. */
  private renderDrawer(drawer: DrawerName): TemplateResult {
    let body: TemplateResult;
    let count = '';
    if (drawer === 'archive') {
      const f = this.view.archive;
      count = f.query.trim() ? (this.host.searchHits ? `${this.host.searchHits.length} hits` : '') : `${this.host.conversationTotal} conversations`;
      body = html`<nt-archive
        .items=${this.host.conversations}
        .total=${this.host.conversationTotal}
        .hits=${this.host.searchHits}
        .searchError=${this.host.searchError}
        .activeId=${this.host.conversation?.id}
        .query=${f.query}
        .showArchived=${f.showArchived}
        .tag=${f.tag}
      ></nt-archive>`;
    } else if (drawer === 'models') {
      const f = this.view.models;
      const models = this.host.models;
      count = models ? `${filterModels(models, f.query, f.freeOnly).length} of ${models.length}` : '';
      body = html`<nt-models
        .models=${models}
        .selected=${this.host.selectedModel}
        .stale=${this.host.modelsStale}
        .query=${f.query}
        .sort=${f.sort}
        .freeOnly=${f.freeOnly}
      ></nt-models>`;
    } else {
      body = html`<div class="pad">
        <nt-telemetry .telemetry=${this.host.telemetry}></nt-telemetry>
        ${renderModes(this.host.mode, (m) => this.setMode(m))}
      </div>`;
    }
    const label = DRAWER_LABEL[drawer];
    return html`<nt-drawer
      class="drawer ${drawer === 'telemetry' ? 'wide-hidden' : ''}"
      role="complementary"
      aria-label=${label}
      tabindex="-1"
      heading=${label.toUpperCase()}
      count=${count}
      closes=${label.toLowerCase()}
      >${body}</nt-drawer
    >`;
  }

  // ── host → view ─────────────────────────────────────────────────────────────

  private thumbs: Promise<void> = Promise.resolve();

  private onHostMessage(message: HostMessage): void {
    if (message.type === 'chat/stream') {
      this.onStream(message);
      return;
    }
    if (message.type === 'host/reply') return;
    this.host = reduceHost(this.host, message, { latestSearchId: this.latestSearchId });
    switch (message.type) {
      case 'view/snapshot':
        this.dataset.look = message.snapshot.look;
        this.dataset.placement = message.snapshot.placement;
        this.applyProse(message.snapshot.prose);
        this.settleStream();
        void this.restoreScroll();
        return;
      case 'chat/conversation':
        this.settleStream();
        return;
      case 'chat/reveal':
        void this.updateComplete.then(() => this.transcript?.reveal(message.messageId));
        return;
      case 'attach/thumbWanted':
        this.thumbs = this.thumbs.then(() => this.makeThumb(message.id, message.mime, message.data));
        return;
    }
  }

  /** One image at a time: decode, scale down, answer the host (which keeps the thumbnail, not the view). */
  private async makeThumb(id: string, mime: string, data: string): Promise<void> {
    const thumb = await makeThumbnail(await base64Blob(data, mime));
    if (thumb) this.send({ type: 'attach/thumb', id, thumb });
  }

  /** The prose font and size settings, as custom properties the entries read (set through the CSSOM, which the CSP allows). */
  private applyProse(prose: ViewSnapshot['prose']): void {
    this.dataset.prose = prose?.font ?? 'editor';
    if (prose?.size) this.style.setProperty('--nt-prose-size', `${prose.size}px`);
    else this.style.removeProperty('--nt-prose-size');
  }

  /** The host's conversation is the truth: text streamed before it is already in it. */
  private settleStream(): void {
    const conversation = this.host.conversation;
    // Rendered with the conversation (the app re-renders for it and passes `appended`).
    this.stream.settle(conversation ? new Set(conversation.entries.map((e) => e.id)) : undefined);
  }

  /** A delta of another conversation than the open one is not shown. */
  private onStream(delta: StreamDelta): void {
    if (this.host.conversation && delta.conversationId !== this.host.conversation.id) return;
    this.stream.push(delta);
  }

  private async restoreScroll(): Promise<void> {
    if (this.restoredScroll) return;
    this.restoredScroll = true;
    const saved = this.view.scroll;
    if (!saved || saved.following || saved.conversationId !== this.host.conversation?.id) return;
    await this.updateComplete;
    await this.transcript?.restoreScroll(saved.anchorId, saved.offset);
  }

  // ── view → host ─────────────────────────────────────────────────────────────

  /** Sends a request; a failure the host reports becomes a notice the user can dismiss. */
  private send(intent: ViewIntent, requestId?: string): void {
    const bridge = this.hostBridge;
    if (!bridge) return;
    void bridge.request(intent, requestId).then((reply) => {
      // The composer keeps a comparison's text until it has started (picking the models may be cancelled).
      if (intent.type === 'compare/start' && reply.ok) this.composer?.sentElsewhere();
      if (reply.ok) return;
      // Refused and already told (a notice): a send's text goes back to the composer, nothing shown twice.
      if (reply.refused) {
        if (intent.type === 'chat/send') this.composer?.giveBack(intent.text);
        return;
      }
      const failure: Notice = {
        id: `request-${reply.requestId}`,
        severity: 'error',
        kind: 'request_failed',
        message: reply.error ?? 'The extension could not do that.',
      };
      this.failures = [...this.failures, failure].slice(-3);
    });
  }

  private onIntent(event: IntentEvent): void {
    event.stopPropagation();
    const m = event.message;
    if (m.type === 'notice/dismiss' && this.failures.some((f) => f.id === m.noticeId)) {
      this.failures = this.failures.filter((f) => f.id !== m.noticeId);
      return;
    }
    if (m.type === 'archive/search' && this.hostBridge) {
      this.latestSearchId = this.hostBridge.nextRequestId();
      this.send(m, this.latestSearchId);
      return;
    }
    // What the view already knows it asked for shows at once; the host's next message confirms it.
    if (m.type === 'view/setMode') this.host = { ...this.host, mode: m.mode };
    if (m.type === 'models/select') this.host = { ...this.host, selectedModel: m.modelId };
    if (m.type === 'chat/send') this.host = { ...this.host, estimate: undefined };
    if (m.type === 'archive/open' && this.view.drawer) this.drawers.close();
    this.send(m);
  }

  private onUi(event: UiEvent): void {
    event.stopPropagation();
    const r = event.request;
    switch (r.kind) {
      case 'toggleDrawer':
        this.drawers.toggle(r.drawer, event.composedPath()[0] instanceof HTMLElement ? (event.composedPath()[0] as HTMLElement) : undefined);
        return;
      case 'closeDrawer':
        this.drawers.close();
        return;
      case 'draft':
        this.views.save({ ...this.view, draft: r.text }, false);
        return;
      case 'scrolled':
        if (this.host.conversation) {
          this.views.save({ ...this.view, scroll: { conversationId: this.host.conversation.id, anchorId: r.anchorId, offset: r.offset, following: r.following } }, false);
        }
        return;
      case 'archiveFilters':
        if (r.query.trim() !== this.view.archive.query.trim()) {
          this.host = { ...this.host, searchHits: undefined, searchError: undefined };
        }
        this.views.save({ ...this.view, archive: { query: r.query, showArchived: r.showArchived, ...(r.tag ? { tag: r.tag } : {}) } });
        return;
      case 'modelFilters':
        this.views.save({ ...this.view, models: { query: r.query, sort: r.sort, freeOnly: r.freeOnly } });
        return;
    }
  }

  private setMode(mode: Mode): void {
    this.host = { ...this.host, mode };
    this.send({ type: 'view/setMode', mode });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'nt-app': NtApp;
  }
}
