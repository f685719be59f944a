/**
 * The chat's webviews: the sidebar view and any number of "Open in Editor" panels.
 * Each surface renders the same shell, validates every incoming message against the
 * protocol (invalid → dropped and logged), answers the page's `view/ready` with a
 * snapshot, and answers every request with one `host/reply` — `ok: false` with the
 * reason when it was malformed or its handler failed. A page that speaks another
 * protocol version is loaded afresh. Host messages are broadcast to every loaded
 * surface. Messages posted while a view is hidden are lost, so state is re-sent on
 * `view/ready`, never assumed.
 */
import * as vscode from 'vscode';
import {
  PROTOCOL_VERSION,
  type HostMessage,
  type HostReply,
  type ViewSnapshot,
  type WebviewMessage,
} from '../../shared/protocol';
import type { Logger } from '../base/logger';
import { sanitizeLogLine } from '../core/intentGuards';
import { answerRequest } from './requestReplies';
import { renderShell, webviewRoots } from './webviewHtml';

export const CHAT_VIEW_ID = 'neuralTerminal.chat';
export const CHAT_PANEL_TYPE = 'neuralTerminal.chatPanel';

export type Placement = ViewSnapshot['placement'];

export interface ChatViewDeps {
  extensionUri: vscode.Uri;
  log: Logger;
  snapshot(placement: Placement): Promise<ViewSnapshot>;
  /**
   * Every request other than the handshake, reloads and webview logs goes to the
   * controller; a rejection becomes the request's `ok: false` reply.
   */
  onIntent(message: Exclude<WebviewMessage, { type: 'view/ready' | 'view/reload' | 'view/log' }>): Promise<void>;
}

interface Surface {
  webview: vscode.Webview;
  placement: Placement;
  ready: boolean;
  /** Times this page was loaded afresh for a protocol mismatch; bounded so a stale bundle cannot loop. */
  reloads: number;
  disposables: vscode.Disposable[];
}

/** A page is reloaded at most this often for a version mismatch before we give up and say so. */
const MAX_RELOADS = 2;

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private readonly surfaces = new Set<Surface>();
  private readonly readyEmitter = new vscode.EventEmitter<Placement>();
  /** Fires each time a page (re)loads and completes the handshake. */
  readonly onDidBecomeReady = this.readyEmitter.event;
  private sidebar: vscode.WebviewView | undefined;

  constructor(private readonly deps: ChatViewDeps) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.sidebar = view;
    const surface = this.attach(view.webview, 'sidebar');
    surface.disposables.push(
      view.onDidDispose(() => {
        this.sidebar = undefined;
        this.detach(surface);
      }),
    );
  }

  /** Opens the chat as a wide editor tab (the bento layout). */
  openPanel(): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(CHAT_PANEL_TYPE, 'Neural Terminal', vscode.ViewColumn.Active, {
      enableFindWidget: true,
    });
    this.adoptPanel(panel);
    return panel;
  }

  /** Takes over a panel (a new one, or one VS Code restored after a reload). */
  adoptPanel(panel: vscode.WebviewPanel): void {
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'activity.svg');
    const surface = this.attach(panel.webview, 'editor');
    surface.disposables.push(panel.onDidDispose(() => this.detach(surface)));
  }

  /** Reveals the sidebar view (opening its container). */
  async reveal(): Promise<void> {
    if (this.sidebar) this.sidebar.show(true);
    else await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  }

  get isReady(): boolean {
    return [...this.surfaces].some((s) => s.ready);
  }

  /**
   * Handles one raw message from a page and answers it. Returns whether it was accepted;
   * public so the integration tests can prove malformed input is dropped, not thrown.
   */
  async receive(raw: unknown, surface?: Surface): Promise<boolean> {
    return answerRequest(raw, {
      log: this.deps.log,
      handle: (message) => this.handle(message, surface),
      reply: (reply) => this.reply(surface, reply),
      reload: (reason) => this.reload(surface, reason),
    });
  }

  /** Sends fresh snapshots to every loaded surface. */
  async refresh(): Promise<void> {
    for (const surface of this.surfaces) {
      if (surface.ready) await this.send(surface, { type: 'view/snapshot', snapshot: await this.deps.snapshot(surface.placement) });
    }
  }

  /** Broadcasts to every loaded surface; hidden ones drop it and resync on `ready`. */
  async post(message: HostMessage): Promise<void> {
    await Promise.all([...this.surfaces].filter((s) => s.ready).map((s) => this.send(s, message)));
  }

  dispose(): void {
    for (const surface of [...this.surfaces]) this.detach(surface);
    this.readyEmitter.dispose();
  }

  private attach(webview: vscode.Webview, placement: Placement): Surface {
    const surface: Surface = { webview, placement, ready: false, reloads: 0, disposables: [] };
    webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: webviewRoots(this.deps.extensionUri),
    };
    this.load(surface);
    surface.disposables.push(webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw, surface)));
    this.surfaces.add(surface);
    this.deps.log.debug(`Chat ${placement} surface resolved.`);
    return surface;
  }

  private detach(surface: Surface): void {
    for (const d of surface.disposables.splice(0)) d.dispose();
    this.surfaces.delete(surface);
  }

  private async handle(message: WebviewMessage, surface: Surface | undefined): Promise<void> {
    switch (message.type) {
      case 'view/ready': {
        if (message.protocolVersion !== PROTOCOL_VERSION) {
          this.reload(surface, `the page speaks protocol ${message.protocolVersion}`);
          throw new Error('This view is out of date and is being reloaded.');
        }
        const target = surface ?? [...this.surfaces][0];
        if (!target) return;
        target.ready = true;
        target.reloads = 0;
        await this.send(target, { type: 'view/snapshot', snapshot: await this.deps.snapshot(target.placement) });
        this.readyEmitter.fire(target.placement);
        return;
      }
      case 'view/reload':
        this.reload(surface, message.reason);
        return;
      case 'view/log':
        // One line, no controls: the view cannot forge lines of the host's log.
        this.deps.log[message.level](`[webview] ${sanitizeLogLine(message.message)}`);
        return;
      default:
        await this.deps.onIntent(message);
    }
  }

  private load(surface: Surface): void {
    surface.webview.html = renderShell({ webview: surface.webview, extensionUri: this.deps.extensionUri, title: 'Neural Terminal' });
  }

  /** Loads a page afresh (new bundle, new handshake) when it and the host disagree on the protocol. */
  private reload(surface: Surface | undefined, reason: string): void {
    if (!surface) return;
    if (surface.reloads >= MAX_RELOADS) {
      this.deps.log.error(`The chat view still disagrees with the extension after ${MAX_RELOADS} reloads (${reason}); reload the window.`);
      return;
    }
    surface.reloads += 1;
    surface.ready = false;
    this.deps.log.warn(`Reloading the chat ${surface.placement} view: ${reason}, the extension speaks protocol ${PROTOCOL_VERSION}.`);
    this.load(surface);
  }

  /** Answers a request on the page that sent it (or, for injected test input, on every page). */
  private async reply(surface: Surface | undefined, reply: HostReply): Promise<void> {
    const targets = surface ? [surface] : [...this.surfaces];
    await Promise.all(targets.map((s) => this.send(s, reply)));
  }

  private async send(surface: Surface, message: HostMessage): Promise<void> {
    // Resolves false when the view is hidden; the next `ready` resends state.
    await surface.webview.postMessage(message);
  }
}

