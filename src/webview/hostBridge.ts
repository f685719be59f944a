/**
 * The webview's only line to the extension host. Wraps `acquireVsCodeApi` (callable
 * once per page), gives every request a `requestId` and returns a promise of the host's
 * `host/reply` for it, validates every incoming message against the shared protocol and
 * drops what does not parse, reporting the drop to the host log — never into the UI.
 * A snapshot from a host that speaks another protocol version makes the page ask to be
 * reloaded, rather than wait for a snapshot it could never read.
 */
import {
  announcedProtocolVersion,
  parseHostMessage,
  PROTOCOL_VERSION,
  type HostMessage,
  type HostReply,
  type ViewIntent,
} from '../shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export type HostListener = (message: HostMessage) => void;

/** Replies the page still waits for; a hidden view can miss some, so the oldest are given up. */
const MAX_PENDING = 200;

export class HostBridge {
  private readonly api: VsCodeApi;
  private readonly listeners = new Set<HostListener>();
  private readonly outdatedListeners = new Set<() => void>();
  private readonly pending = new Map<string, (reply: HostReply) => void>();
  /** Distinguishes this page's ids from a previous page's replies arriving late. */
  private readonly page = Math.random().toString(36).slice(2, 8);
  private sequence = 0;
  private dropped = 0;
  private reloadAsked = false;

  constructor(private readonly win: Window) {
    this.api = acquireVsCodeApi();
    win.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
  }

  /** A fresh id, for callers that must know it before the reply (to match data the request causes). */
  nextRequestId(): string {
    this.sequence += 1;
    return `${this.page}-${this.sequence}`;
  }

  /** Sends a request; resolves with the host's reply (never rejects: a failure is `ok: false`). */
  request(intent: ViewIntent, requestId = this.nextRequestId()): Promise<HostReply> {
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      if (this.pending.size > MAX_PENDING) {
        const [oldest, settle] = this.pending.entries().next().value as [string, (reply: HostReply) => void];
        this.pending.delete(oldest);
        settle({ type: 'host/reply', requestId: oldest, ok: false, error: 'No answer from the extension.' });
      }
      this.api.postMessage({ ...intent, requestId });
    });
  }

  onMessage(listener: HostListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called once when the host turns out to speak another protocol version (the page is being reloaded). */
  onOutdated(listener: () => void): () => void {
    this.outdatedListeners.add(listener);
    return () => this.outdatedListeners.delete(listener);
  }

  /** View state that survives the view being hidden (not the host's data: that is re-sent). */
  getViewState(): unknown {
    return this.api.getState();
  }

  setViewState(state: unknown): void {
    this.api.setState(state);
  }

  /** How many malformed messages were dropped; shown in the page's data attributes for tests. */
  get droppedCount(): number {
    return this.dropped;
  }

  private receive(raw: unknown): void {
    const version = announcedProtocolVersion(raw);
    if (version !== undefined && version !== PROTOCOL_VERSION) {
      this.askReload(`the extension speaks protocol ${version}, this view ${PROTOCOL_VERSION}`);
      return;
    }
    const parsed = parseHostMessage(raw);
    if (!parsed.ok) {
      this.dropped += 1;
      this.win.document.documentElement.dataset.droppedMessages = String(this.dropped);
      void this.request({ type: 'view/log', level: 'warn', message: `Dropped a malformed host message: ${parsed.error}` });
      return;
    }
    const message = parsed.message;
    if (message.type === 'host/reply') {
      const settle = this.pending.get(message.requestId);
      this.pending.delete(message.requestId);
      settle?.(message);
      return;
    }
    for (const listener of this.listeners) listener(message);
  }

  private askReload(reason: string): void {
    this.win.document.documentElement.dataset.protocol = 'outdated';
    if (this.reloadAsked) return;
    this.reloadAsked = true;
    for (const listener of this.outdatedListeners) listener();
    void this.request({ type: 'view/reload', reason: reason.slice(0, 200) });
  }
}
