/**
 * The OpenRouter-control parts of an entry, kept beside entry.ts: the served
 * provider, the BYOK split (OpenRouter fee + provider charge), what the prompt
 * cache saved, the controls the request carried, and web citations as links
 * under the reply. Links open through the host (`openLink` intent), which
 * checks them again; only http(s) URLs are ever drawn.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { EntryView } from '../../shared/protocol';
import { formatCount, formatUsd } from '../format';

/** Extra metadata-line items for a finished assistant entry. */
export function extraStats(e: EntryView, research: boolean): [cls: string, value: unknown][] {
  const items: [string, unknown][] = [];
  if (e.provider && research) items.push(['provider', `via ${e.provider}`]);
  if (e.billing) items.push(['byok', `fee ${formatUsd(e.billing.fee)} + provider ${formatUsd(e.billing.upstream)}`]);
  if (e.cache) {
    const parts = [
      e.cache.readTokens ? `${formatCount(e.cache.readTokens)} read` : '',
      e.cache.writeTokens ? `${formatCount(e.cache.writeTokens)} written` : '',
    ].filter(Boolean);
    const saving = e.cache.saving.startsWith('-') ? `cache cost ${formatUsd(e.cache.saving.slice(1))} extra` : `cache saved ${formatUsd(e.cache.saving)}`;
    items.push(['saving', research && parts.length ? `${saving} (${parts.join(', ')})` : saving]);
  }
  if (e.controls && research) items.push(['controls', e.controls]);
  return items;
}

export function renderCitations(e: EntryView, open: (url: string) => void): TemplateResult | typeof nothing {
  if (!e.citations?.length) return nothing;
  return html`<ol class="citations" aria-label="Sources">
    ${e.citations.map(
      (c, i) =>
        html`<li>
          [${i + 1}]
          <a
            href=${c.url}
            title=${c.url}
            @click=${(ev: Event) => {
              ev.preventDefault();
              open(c.url);
            }}
            >${c.title ?? hostOf(c.url)}</a
          >
        </li>`,
    )}
  </ol>`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}
