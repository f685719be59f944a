/**
 * <nt-transcript>: the conversation as a terminal log (`role="log"`, name "Transcript").
 * Entries are keyed by id and immutable, so only changed ones re-render; a streaming reply's
 * tokens arrive as `appended` text and touch only that entry. Long conversations render the
 * newest entries and page older ones in as the reader scrolls up (plus `content-visibility`),
 * so thousands of messages open quickly; the host too sends only a window of them (`earlier`
 * more are on the host), and once the held entries are all drawn the next page is asked of it. Finished replies — not tokens — are announced once
 * through a polite live region.
 */
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { transcriptStyles } from './transcript.styles';
import { repeat } from 'lit/directives/repeat.js';
import { live } from 'lit/directives/live.js';
import type { EntryView, Mode } from '../../shared/protocol';
import { emitIntent, emitUi } from './events';
import type { NtEntry } from './entry';
import './entry';
import { TranscriptKeys } from '../controllers/transcriptKeys';
import { ReplyAnnouncer } from '../controllers/replyAnnouncer';
import { backToOldestEntry, isNewTurn, moveBetweenEntries } from './transcriptNav';

/** Text streamed for an entry since the host last sent it whole. */
export interface Appended {
  readonly content: string;
  readonly reasoning: string;
}

const FIRST_WINDOW = 30;
const PAGE = 50;
/** Within this many pixels of the end, the log follows new output. */
const STICK_SLACK = 32;
/** Scrolled within this many pixels of the top, older entries are paged in. */
const PAGE_IN_SLACK = 400;
/** A page asked of the host and not answered within this is asked again on the next scroll or click. */
const EARLIER_RETRY_MS = 2000;
/** A scroll this soon after the reader's own input (wheel, touch, keys, scrollbar) is theirs. */
const USER_SCROLL_MS = 700;
const SCROLL_KEYS = new Set(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End', ' ']);

@customElement('nt-transcript')
export class NtTranscript extends LitElement {
  static override styles = transcriptStyles;

  @property({ attribute: false }) entries: readonly EntryView[] = [];
  /** The open conversation: another id means another conversation (start at its end). */
  @property({ attribute: false }) conversationId: string | undefined;
  /** How many older entries of the branch the host holds that `entries` does not. */
  @property({ attribute: false }) earlier = 0;
  @property({ attribute: false }) appended: ReadonlyMap<string, Appended> = new Map();
  @property({ reflect: true }) mode: Mode = 'research';
  @state() private windowSize = FIRST_WINDOW;
  @state() private following = true;
  @state() private announcement = '';
  @query('.scroller') private scroller!: HTMLElement;
  @query('.list') private list!: HTMLElement;

  /** One Tab stop for the log, toolbar arrows, focus kept when its entry is replaced. */
  readonly keys = new TranscriptKeys(this);
  /** Finished replies, said once through the polite live region. */
  private readonly announcer = new ReplyAnnouncer((text) => (this.announcement = text));
  private resizeObserver: ResizeObserver | undefined;
  /** True while older entries are being added above (their scroll shift must not page again). */
  private paging = false;
  private revealTimer: ReturnType<typeof setTimeout> | undefined;
  private scrollReport: ReturnType<typeof setTimeout> | undefined;
  /** When the reader last touched the scroller, and whether a pointer (scrollbar drag) is down. */
  private userInputAt = -Infinity;
  private pointerDown = false;
  private lastScrollTop = 0;
  /** A new turn arrived: bring it into view once it has rendered. */
  private pinAfterUpdate = false;
  /**
   * The entry elements of the last full render, by message id: a frame of tokens goes straight
   * to them (which is why the template binds their text with `live`, against what they hold).
   */
  private renderedEntries = new Map<string, NtEntry>();
  /** The oldest entry held when older ones were last asked of the host, and when. */
  private earlierAsked: { beforeId: string; at: number } | undefined;
  /** The entry at the top of the log before older ones went in above it, put back after. */
  private keepPlace: { id: string; offset: number } | undefined;

  override render(): TemplateResult {
    const start = Math.max(0, this.entries.length - this.windowSize);
    const visible = start > 0 ? this.entries.slice(start) : this.entries;
    const lastIndex = visible.length - 1;
    const hidden = start + this.earlier;
    return html`
      <div
        class="scroller"
        role="log"
        aria-label="Transcript"
        aria-live="off"
        tabindex="0"
        @scroll=${this.onScroll}
        @keydown=${this.onKey}
        @wheel=${this.onUserInput}
        @touchstart=${this.onUserInput}
        @pointerdown=${this.onPointerDown}
      >
        ${hidden > 0
          ? html`<div class="more">
              <button type="button" class="tbtn" @click=${this.showMore} @keydown=${this.onMoreKey}>show ${hidden} earlier ${hidden === 1 ? 'entry' : 'entries'}</button>
            </div>`
          : nothing}
        <div class="list">
          ${repeat(
            visible,
            (e) => e.id,
            (e, i) => {
              const extra = this.appended.get(e.id);
              return html`<nt-entry
                .entry=${e}
                .content=${live(extra ? e.content + extra.content : e.content)}
                .reasoning=${live(extra ? (e.reasoning ?? '') + extra.reasoning : (e.reasoning ?? ''))}
                .mode=${this.mode}
                ?last=${i === lastIndex}
              ></nt-entry>`;
            },
          )}
        </div>
        ${this.entries.length === 0 ? html`<slot name="empty"></slot>` : nothing}
      </div>
      ${this.following
        ? nothing
        : html`<button type="button" class="tbtn jump" @click=${() => this.scrollToEnd()}>↓ latest</button>`}
      <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    `;
  }

  protected override firstUpdated(): void {
    // The list grows with tokens; the scroller shrinks when a notice or the strip grows below it.
    this.resizeObserver = new ResizeObserver(() => {
      if (this.following) this.pin();
    });
    this.resizeObserver.observe(this.list);
    this.resizeObserver.observe(this.scroller);
    window.addEventListener('pointerup', this.onPointerUp);
  }

  /**
   * A frame of streamed tokens changes only `appended`: the streaming entries get their new text
   * directly, without re-rendering the list (every other entry and the template are unchanged).
   */
  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    if (changed.size !== 1 || !changed.has('appended')) return true;
    const previous = changed.get('appended') as ReadonlyMap<string, Appended> | undefined;
    if (!previous) return true;
    for (const id of previous.keys()) if (!this.appended.has(id)) return true;
    const targets: [NtEntry, EntryView, Appended][] = [];
    for (const [id, extra] of this.appended) {
      if (previous.get(id) === extra) continue;
      const el = this.renderedEntries.get(id);
      // Not an entry of this log (a comparison's reply, a stream ahead of its conversation): a
      // full render would draw nothing more.
      if (!el && !this.entries.some((e) => e.id === id)) continue;
      if (!el || !el.isConnected || el.entry.id !== id) return true;
      targets.push([el, el.entry, extra]);
    }
    for (const [el, e, extra] of targets) {
      el.content = e.content + extra.content;
      el.reasoning = (e.reasoning ?? '') + extra.reasoning;
    }
    return false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const before = changed.has('entries') ? ((changed.get('entries') as readonly EntryView[] | undefined) ?? []) : this.entries;
    // `windowSize` is private state: PropertyValues<this> does not list it.
    const all = changed as ReadonlyMap<PropertyKey, unknown>;
    const shown = Math.min(all.has('windowSize') ? (all.get('windowSize') as number) : this.windowSize, before.length);
    this.willUpdateEntries(changed);
    // Entries go in above: the reader's entry must stay where it is. The browser's scroll anchoring
    // does that, except at scroll offset 0 (where a reader waiting for a page is): so, by hand.
    const grows = Math.min(this.windowSize, this.entries.length) > shown && shown > 0 && !this.following;
    this.keepPlace = grows && this.hasUpdated ? this.topEntry() : undefined;
  }

  private willUpdateEntries(changed: PropertyValues<this>): void {
    if (changed.has('entries')) {
      const previous = changed.get('entries') as readonly EntryView[] | undefined;
      const before = changed.has('conversationId') ? (changed.get('conversationId') as string | undefined) : this.conversationId;
      if (previous && previous.length > 0 && this.entries.length > 0 && before !== this.conversationId) {
        // Another conversation: start at its end with the first window.
        this.windowSize = FIRST_WINDOW;
        this.following = true;
        this.pinAfterUpdate = true;
        this.earlierAsked = undefined;
      } else if (this.earlierAsked && previous?.[0]?.id === this.earlierAsked.beforeId && this.entries[0]?.id !== previous[0].id) {
        // The host's older page went in front: draw it (anchoring keeps the reader's entry in place).
        const added = this.entries.findIndex((e) => e.id === previous[0]?.id);
        if (added > 0) this.windowSize = Math.max(this.windowSize, previous.length) + added;
        this.earlierAsked = undefined;
      } else if (isNewTurn(previous, this.entries)) {
        // A send (typed, Send Selection, regenerate) starts a new turn: the reader wants to see it,
        // wherever a notice or layout shift left the scroll position.
        this.following = true;
        this.pinAfterUpdate = true;
      }
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.renderedEntries = new Map([...this.renderRoot.querySelectorAll<NtEntry>('nt-entry')].map((el) => [el.entry.id, el]));
    if (changed.has('entries')) this.announcer.seen(this.entries, (id) => this.findEntry(id));
    const place = this.keepPlace;
    this.keepPlace = undefined;
    const el = place ? this.findEntry(place.id) : null;
    if (place && el) this.scroller.scrollTop += el.getBoundingClientRect().top - this.scroller.getBoundingClientRect().top + place.offset;
    if (this.pinAfterUpdate) {
      this.pinAfterUpdate = false;
      this.pin();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    window.removeEventListener('pointerup', this.onPointerUp);
    clearTimeout(this.revealTimer);
    clearTimeout(this.scrollReport);
  }

  /** Scrolls to and highlights an entry, paging it in if it is older than the window. */
  async reveal(messageId: string): Promise<boolean> {
    const index = this.entries.findIndex((e) => e.id === messageId);
    if (index < 0) return false;
    const needed = this.entries.length - index + 10;
    if (needed > this.windowSize) this.windowSize = needed;
    this.following = false;
    await this.updateComplete;
    const el = this.findEntry(messageId);
    if (!el) return false;
    el.scrollIntoView({ block: 'center' });
    el.setAttribute('revealed', '');
    el.focus();
    clearTimeout(this.revealTimer);
    this.revealTimer = setTimeout(() => el.removeAttribute('revealed'), 2400);
    return true;
  }

  /** Puts `anchorId` back at the top of the log, `offset` pixels scrolled past (after a reload). */
  async restoreScroll(anchorId: string, offset: number): Promise<boolean> {
    const index = this.entries.findIndex((e) => e.id === anchorId);
    if (index < 0) return false;
    const needed = this.entries.length - index;
    if (needed > this.windowSize) this.windowSize = needed;
    this.following = false;
    await this.updateComplete;
    const el = this.findEntry(anchorId);
    if (!el) return false;
    this.paging = true;
    const align = () => {
      this.scroller.scrollTop += el.getBoundingClientRect().top - this.scroller.getBoundingClientRect().top + offset;
    };
    align();
    // Entries scrolled into view lay out at their real height (content-visibility); align again.
    await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
    align();
    this.updateFollowing();
    this.paging = false;
    return true;
  }

  /** The conversation shown: another key means another conversation opened. */
  conversationKey(): string | undefined {
    return this.conversationId ?? this.entries[0]?.id;
  }

  scrollToEnd(): void {
    this.following = true;
    this.pin();
  }

  /** Keeps the end of the log in view (no layout read beyond the one scrollHeight). */
  private pin(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  private findEntry(id: string): NtEntry | null {
    for (const el of this.renderRoot.querySelectorAll<NtEntry>('nt-entry')) if (el.entry.id === id) return el;
    return null;
  }

  /**
   * Pages older entries in above; the browser's scroll anchoring keeps the reader's entry in place.
   * Once every held entry is drawn, the next page is asked of the host.
   */
  private readonly showMore = (): void => {
    if (this.paging) return;
    if (this.windowSize >= this.entries.length) {
      this.askEarlier();
      return;
    }
    this.paging = true;
    this.windowSize += PAGE;
    void this.updateComplete.then(() =>
      requestAnimationFrame(() => {
        this.paging = false;
      }),
    );
  };

  private askEarlier(): void {
    const oldest = this.entries[0];
    if (this.earlier <= 0 || !oldest || !this.conversationId) return;
    const asked = this.earlierAsked;
    if (asked && asked.beforeId === oldest.id && performance.now() - asked.at < EARLIER_RETRY_MS) return;
    this.earlierAsked = { beforeId: oldest.id, at: performance.now() };
    emitIntent(this, { type: 'chat/loadEarlier', conversationId: this.conversationId, beforeId: oldest.id });
  }

  /** From the "show earlier" button, ArrowDown goes back to the oldest entry drawn. */
  private readonly onMoreKey = (event: KeyboardEvent): void => backToOldestEntry(this.renderRoot, event);

  private readonly onUserInput = (): void => {
    this.userInputAt = performance.now();
  };

  private readonly onPointerDown = (): void => {
    this.pointerDown = true;
    this.onUserInput();
  };

  private readonly onPointerUp = (): void => {
    this.pointerDown = false;
  };

  private readonly onScroll = (): void => {
    const top = this.scroller.scrollTop;
    const movedUp = top < this.lastScrollTop - 1;
    this.lastScrollTop = top;
    const byReader = this.pointerDown || performance.now() - this.userInputAt < USER_SCROLL_MS;
    if (byReader || movedUp || !this.following) this.updateFollowing();
    // Layout moved the end further down (an entry laid out late, anchoring): still following.
    else if (!this.atEnd()) this.pin();
    // Near the top of what is rendered: page older entries in before the reader gets there.
    if (this.scroller.scrollTop < PAGE_IN_SLACK && (this.entries.length > this.windowSize || this.earlier > 0) && !this.following) this.showMore();
    clearTimeout(this.scrollReport);
    this.scrollReport = setTimeout(() => {
      const anchor = this.topEntry();
      if (anchor) emitUi(this, { kind: 'scrolled', anchorId: anchor.id, offset: anchor.offset, following: this.following });
    }, 250);
  };

  /** The first entry still visible at the top of the log, and how far it is scrolled past. */
  private topEntry(): { id: string; offset: number } | undefined {
    const top = this.scroller.getBoundingClientRect().top;
    for (const el of this.renderRoot.querySelectorAll<NtEntry>('nt-entry')) {
      const r = el.getBoundingClientRect();
      if (r.bottom > top) return { id: el.entry.id, offset: top - r.top };
    }
    return undefined;
  }

  private updateFollowing(): void {
    this.following = this.atEnd();
  }

  private atEnd(): boolean {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight <= STICK_SLACK;
  }

  /** Up/Down move between entries, Home/End to the first/last one (when an entry or the log has focus). */
  private readonly onKey = (event: KeyboardEvent): void => {
    if (SCROLL_KEYS.has(event.key)) this.onUserInput();
    moveBetweenEntries(this.renderRoot, event);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'nt-transcript': NtTranscript;
  }
}
