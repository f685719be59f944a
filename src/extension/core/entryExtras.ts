/**
 * The OpenRouter controls' part of an entry's view: served provider, the BYOK
 * split, prompt-cache figures, web citations and the controls the request was
 * sent with — all read from the message's metadata, defensively (a hand-edited
 * or imported file may hold anything). No `vscode` import.
 */
import type { EntryView } from '../../shared/protocol';
import type { JsonObject } from '../storage/types';
import { readBilling } from './billing';
import { ZERO, add, parseUsd, toDecimalString } from '../../shared/money';

type Extras = Pick<EntryView, 'provider' | 'billing' | 'cache' | 'citations' | 'controls'>;

const SAFE_URL = /^https?:\/\//i;

export function entryExtras(meta: JsonObject): Extras {
  const out: Extras = {};
  if (typeof meta['provider'] === 'string' && meta['provider']) out.provider = meta['provider'].slice(0, 200);
  const billing = readBilling(meta);
  if (billing) out.billing = { fee: toDecimalString(billing.fee), upstream: toDecimalString(billing.upstream) };
  const cache = readCache(meta);
  if (cache) out.cache = { readTokens: cache.readTokens, writeTokens: cache.writeTokens, saving: cache.saving };
  const citations = meta['citations'];
  if (Array.isArray(citations)) {
    const list: NonNullable<EntryView['citations']> = [];
    for (const c of citations.slice(0, 50)) {
      if (typeof c !== 'object' || c === null || Array.isArray(c)) continue;
      const url = c['url'];
      if (typeof url !== 'string' || !SAFE_URL.test(url) || url.length > 2000) continue;
      const title = c['title'];
      list.push({ url, ...(typeof title === 'string' && title ? { title: title.slice(0, 500) } : {}) });
    }
    if (list.length) out.citations = list;
  }
  if (typeof meta['controls'] === 'string' && meta['controls']) out.controls = meta['controls'].slice(0, 300);
  return out;
}

/** The exact sum of the cache savings of the given messages; omitted when none used the cache. */
export function conversationCacheSaving(metas: readonly JsonObject[]): { cacheSaving?: string } {
  let total = ZERO;
  let any = false;
  for (const meta of metas) {
    const cache = readCache(meta);
    if (!cache) continue;
    any = true;
    total = add(total, parseUsd(cache.saving) ?? ZERO);
  }
  return any ? { cacheSaving: toDecimalString(total) } : {};
}

function readCache(meta: JsonObject): { readTokens: number; writeTokens: number; saving: string } | undefined {
  const c = meta['cache'];
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return undefined;
  const readTokens = c['readTokens'];
  const writeTokens = c['writeTokens'];
  const saving = c['saving'];
  if (typeof readTokens !== 'number' || typeof writeTokens !== 'number' || typeof saving !== 'string') return undefined;
  if (!Number.isSafeInteger(readTokens) || !Number.isSafeInteger(writeTokens) || readTokens < 0 || writeTokens < 0) return undefined;
  const exact = parseUsd(saving);
  return exact ? { readTokens, writeTokens, saving: toDecimalString(exact) } : undefined;
}
