/**
 * <nt-app>: the root of the chat view. The only component that talks to the host;
 * children get data by property and report intent by events.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { HostBridge } from './hostBridge';
import type { HostMessage, ViewSnapshot } from '../shared/protocol';
import { terminalTokens } from './styles/tokens';

@customElement('nt-app')
export class NtApp extends LitElement {
  static override styles = [
    terminalTokens,
    css`
      :host {
        display: grid;
        grid-template-rows: auto 1fr;
        height: 100vh;
        min-height: 0;
        color: var(--nt-fg);
        background: var(--nt-bg);
        font-family: var(--nt-font-data);
        font-size: var(--nt-font-size);
        font-variant-numeric: tabular-nums;
        container-type: inline-size;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 0 var(--nt-gap-sm);
        padding: var(--nt-gap-sm) var(--nt-gap-md);
        border-bottom: 1px solid var(--nt-border);
      }
      h1 {
        margin: 0;
        font-size: 1em;
        font-weight: 700;
        letter-spacing: 0.12em;
        color: var(--nt-accent);
      }
      .status {
        color: var(--nt-dim);
      }
      .badge {
        color: var(--nt-warn);
      }
      [role='log'] {
        overflow-y: auto;
        padding: var(--nt-gap-md);
        min-height: 0;
      }
      .line {
        margin: 0 0 var(--nt-gap-sm);
        white-space: pre-wrap;
      }
      .prompt {
        color: var(--nt-accent);
      }
      .cursor {
        display: inline-block;
        width: 0.6em;
        height: 1.1em;
        vertical-align: text-bottom;
        background: var(--nt-accent);
        animation: blink 1.1s steps(1) infinite;
      }
      @keyframes blink {
        50% {
          opacity: 0;
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .cursor {
          animation: none;
        }
      }
    `,
  ];

  @property({ attribute: false }) bridge: HostBridge | undefined;
  @state() private snapshot: ViewSnapshot | undefined;
  private unsubscribe: (() => void) | undefined;

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('bridge')) {
      this.unsubscribe?.();
      this.unsubscribe = this.bridge?.onMessage((m) => this.onHostMessage(m));
    }
    if (this.snapshot) this.dataset.look = this.snapshot.look;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  override render() {
    const s = this.snapshot;
    return html`
      <header>
        <h1>NEURAL TERMINAL</h1>
        <span class="status" aria-live="polite">${s ? this.statusText(s) : 'connecting to host…'}</span>
        ${s?.isDemoEndpoint ? html`<span class="badge">LOCAL ENDPOINT</span>` : nothing}
      </header>
      <section role="log" aria-label="Transcript" aria-live="off">
        ${s ? this.emptyState(s) : html`<p class="line">Loading…</p>`}
      </section>
    `;
  }

  private statusText(s: ViewSnapshot): string {
    return `v${s.extensionVersion} · ${s.endpointHost} · ${s.hasApiKey ? 'key set' : 'no key'}`;
  }

  private emptyState(s: ViewSnapshot) {
    if (!s.hasApiKey) {
      return html`
        <p class="line"><span class="prompt">&gt;</span> No OpenRouter API key is stored yet.</p>
        <p class="line">It lives in the editor's secret storage, never in settings or logs.</p>
        <vscode-button @click=${() => this.run('setApiKey')}>Set API Key</vscode-button>
      `;
    }
    return html`<p class="line">
      <span class="prompt">&gt;</span> Ready. Conversations will appear here.<span class="cursor" aria-hidden="true"></span>
    </p>`;
  }

  private run(command: 'setApiKey' | 'showLogs'): void {
    this.bridge?.send({ type: 'runCommand', command });
  }

  private onHostMessage(message: HostMessage): void {
    switch (message.type) {
      case 'snapshot':
        this.snapshot = message.snapshot;
        return;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'nt-app': NtApp;
  }
}
