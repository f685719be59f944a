/**
 * Parts of <nt-app>'s template (app.ts) that need only what they are given: the
 * mode switch, the model rail of the wide layout and the welcome text.
 */
import { html, type TemplateResult } from 'lit';
import type { Mode, ViewSnapshot } from '../shared/protocol';

const MODES: readonly Mode[] = ['compact', 'research', 'zen'];

export function renderModes(mode: Mode, setMode: (mode: Mode) => void): TemplateResult {
  return html`<div class="modes" role="group" aria-label="Display mode">
    <span class="label">mode</span>
    ${MODES.map(
      (m) => html`<button type="button" class="tbtn" aria-pressed=${mode === m ? 'true' : 'false'} @click=${() => setMode(m)}>${m}</button>`,
    )}
  </div>`;
}

export function renderModelRail(
  s: ViewSnapshot | undefined,
  selectedModel: string,
  actions: { browse(opener: HTMLElement): void; quickPick(): void },
): TemplateResult {
  return html`<h2>MODEL</h2>
    <dl>
      <dt class="label">selected</dt>
      <dd>${selectedModel ? breakable(selectedModel) : '—'}</dd>
      <dt class="label">endpoint</dt>
      <dd>${s?.endpointHost ?? '—'}</dd>
      <dt class="label">api key</dt>
      <dd>${s ? (s.hasApiKey ? 'stored' : 'missing') : '—'}</dd>
    </dl>
    <button type="button" class="tbtn" data-drawer="models" @click=${(e: Event) => actions.browse(e.currentTarget as HTMLElement)}>
      browse models
    </button>
    <button type="button" class="tbtn" @click=${() => actions.quickPick()}>quick pick</button>`;
}

export function renderWelcome(s: ViewSnapshot | undefined, outdated: boolean, selectedModel: string, setApiKey: () => void): TemplateResult {
  if (outdated) return html`<p class="welcome" role="status"><span class="prompt">&gt;</span> this view is out of date; reloading it…</p>`;
  if (!s) return html`<p class="welcome"><span class="prompt">&gt;</span> connecting to the extension host…</p>`;
  if (!s.hasApiKey) {
    return html`<p class="welcome"><span class="prompt">&gt;</span> No OpenRouter API key is stored yet.</p>
      <p class="welcome">It lives in the editor's secret storage, never in settings or logs.</p>
      <vscode-button @click=${() => setApiKey()}>Set API Key</vscode-button>`;
  }
  return html`<p class="welcome"><span class="prompt">&gt;</span> neural terminal ready</p>
    <p class="welcome"><span class="key">model</span>${selectedModel}</p>
    <p class="welcome"><span class="key">endpoint</span>${s.endpointHost}</p>
    <p class="welcome">Every token, cent and millisecond of a reply is logged here.<span class="cursor" aria-hidden="true"></span></p>`;
}

/** A model id that wraps after its provider ("anthropic/<wbr>claude-sonnet-4"), not mid-word. */
function breakable(id: string): TemplateResult {
  const [provider, ...rest] = id.split('/');
  return rest.length > 0 ? html`${provider}/<wbr />${rest.join('/')}` : html`${id}`;
}

