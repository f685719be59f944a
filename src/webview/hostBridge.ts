/**
 * The webview's only line to the extension host. Wraps `acquireVsCodeApi` (callable
 * once per page), validates every incoming message against the shared protocol and
 * drops what does not parse, reporting the drop to the host log — never into the UI.
 */
import {
  parseHostMessage,
  type HostMessage,
  type WebviewMessage,
} from '../shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export type HostListener = (message: HostMessage) => void;

export class HostBridge {
  private readonly api: VsCodeApi;
  private readonly listeners = new Set<HostListener>();
  private dropped = 0;

  constructor(private readonly win: Window) {
    this.api = acquireVsCodeApi();
    win.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
  }

  send(message: WebviewMessage): void {
    this.api.postMessage(message);
  }

  onMessage(listener: HostListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
    const parsed = parseHostMessage(raw);
    if (!parsed.ok) {
      this.dropped += 1;
      this.win.document.documentElement.dataset.droppedMessages = String(this.dropped);
      this.send({ type: 'webviewLog', level: 'warn', message: `Dropped a malformed host message: ${parsed.error}` });
      return;
    }
    for (const listener of this.listeners) listener(parsed.message);
  }
}
