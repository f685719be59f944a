/**
 * The chat's webviews: the sidebar view and any number of "Open in Editor" panels.
 * Each surface renders the same shell, validates every incoming message against the
 * protocol (invalid → dropped and logged), and answers the page's `ready` with a
 * snapshot. Host messages are broadcast to every loaded surface. Messages posted
 * while a view is hidden are lost, so state is re-sent on `ready`, never assumed.
 */
import * as vscode from 'vscode';
import {
  parseWebviewMessage,
  PROTOCOL_VERSION,
  type HostMessage,
  type ViewSnapshot,
  type WebviewMessage,
} from '../../shared/protocol';
import type { Logger } from '../base/logger';
import { sanitizeLogLine } from '../core/intentGuards';
import { renderShell, webviewRoots } from './webviewHtml';

export const CHAT_VIEW_ID = 'neuralTerminal.chat';
export const CHAT_PANEL_TYPE = 'neuralTerminal.chatPanel';

export type Placement = ViewSnapshot['placement'];

export interface ChatViewDeps {
  extensionUri: vscode.Uri;
  log: Logger;
  snapshot(placement: Placement): Promise<ViewSnapshot>;
  /** Every intent other than the handshake and webview logs goes to the controller. */
  onIntent(message: Exclude<WebviewMessage, { type: 'ready' | 'webviewLog' }>): Promise<void>;
}

interface Surface {
  webview: vscode.Webview;
  placement: Placement;
  ready: boolean;
  disposables: vscode.Disposable[];
}

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
   * Handles one raw message from a page. Returns whether it was accepted; public so
   * the integration tests can prove malformed input is dropped, not thrown.
   */
  async receive(raw: unknown, surface?: Surface): Promise<boolean> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.deps.log.warn(`Dropped a malformed message from the webview: ${parsed.error}`);
      return false;
    }
    try {
      await this.handle(parsed.message, surface);
    } catch (err) {
      this.deps.log.error(`Handling webview message '${parsed.message.type}' failed: ${String(err)}`);
    }
    return true;
  }

  /** Sends fresh snapshots to every loaded surface. */
  async refresh(): Promise<void> {
    for (const surface of this.surfaces) {
      if (surface.ready) await this.send(surface, { type: 'snapshot', snapshot: await this.deps.snapshot(surface.placement) });
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
    const surface: Surface = { webview, placement, ready: false, disposables: [] };
    webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: webviewRoots(this.deps.extensionUri),
    };
    webview.html = renderShell({ webview, extensionUri: this.deps.extensionUri, title: 'Neural Terminal' });
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
      case 'ready': {
        if (message.protocolVersion !== PROTOCOL_VERSION) {
          this.deps.log.warn(`Webview speaks protocol ${message.protocolVersion}, host speaks ${PROTOCOL_VERSION}.`);
        }
        const target = surface ?? [...this.surfaces][0];
        if (!target) return;
        target.ready = true;
        await this.send(target, { type: 'snapshot', snapshot: await this.deps.snapshot(target.placement) });
        this.readyEmitter.fire(target.placement);
        return;
      }
      case 'webviewLog':
        // One line, no controls: the view cannot forge lines of the host's log.
        this.deps.log[message.level](`[webview] ${sanitizeLogLine(message.message)}`);
        return;
      default:
        await this.deps.onIntent(message);
    }
  }

  private async send(surface: Surface, message: HostMessage): Promise<void> {
    // Resolves false when the view is hidden; the next `ready` resends state.
    await surface.webview.postMessage(message);
  }
}
