/**
 * The chat request body and the OpenRouter-only fields on it: provider
 * routing, prompt-cache breakpoints, web search, preset and session id. Field
 * names and meanings are described in docs/openrouter.md. Pure functions; no
 * `vscode` import.
 */
import type { ChatMessage, ChatRequest, MessageMedia } from './types';

export const PROVIDER_SORTS = ['price', 'throughput', 'latency'] as const;
export type ProviderSort = (typeof PROVIDER_SORTS)[number];

/** Reasoning effort levels the picker offers; `none` turns reasoning off where the model allows it. */
export const REASONING_EFFORTS = ['none', 'low', 'medium', 'high'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/** Provider routing preferences (OpenRouter's `provider` object). */
export interface ProviderRouting {
  readonly sort?: ProviderSort;
  /** Provider slugs to try first, in this order. */
  readonly order?: readonly string[];
  /** Only these providers may serve. */
  readonly only?: readonly string[];
  /** These providers never serve. */
  readonly ignore?: readonly string[];
  /** false: fail rather than use a provider outside `order`. */
  readonly allowFallbacks?: boolean;
  /** Only providers that do not store or train on prompts. */
  readonly denyDataCollection?: boolean;
  /** Only zero-data-retention endpoints. */
  readonly zdr?: boolean;
  /** Highest acceptable price, USD per million tokens, as exact decimal text. */
  readonly maxPrice?: { readonly prompt?: string; readonly completion?: string };
}

/** How a model family takes prompt caching. */
export type CacheStyle = 'explicit-all' | 'explicit-last' | 'automatic' | 'none';

/**
 * Anthropic caches only up to `cache_control` breakpoints (several allowed);
 * Gemini takes explicit breakpoints too but uses only the last one; OpenAI and
 * DeepSeek cache long prefixes by themselves, so nothing is sent.
 */
export function cacheStyleOf(modelId: string): CacheStyle {
  const id = modelId.toLowerCase();
  if (id.startsWith('anthropic/')) return 'explicit-all';
  if (id.startsWith('google/gemini')) return 'explicit-last';
  if (id.startsWith('openai/') || id.startsWith('deepseek/')) return 'automatic';
  return 'none';
}

export const WEB_SEARCH_DEFAULT_RESULTS = 5;
export const WEB_SEARCH_MAX_RESULTS = 10;

/** The `provider` object, or undefined when every preference is at OpenRouter's default. */
export function providerBody(r: ProviderRouting | undefined): Record<string, unknown> | undefined {
  if (!r) return undefined;
  const out: Record<string, unknown> = {};
  if (r.sort) out['sort'] = r.sort;
  if (r.order?.length) out['order'] = [...r.order];
  if (r.only?.length) out['only'] = [...r.only];
  if (r.ignore?.length) out['ignore'] = [...r.ignore];
  if (r.allowFallbacks === false) out['allow_fallbacks'] = false;
  if (r.denyDataCollection) out['data_collection'] = 'deny';
  if (r.zdr) out['zdr'] = true;
  const max: Record<string, number> = {};
  // Decimal text with few significant digits: its JSON number is the same decimal on the wire.
  if (r.maxPrice?.prompt !== undefined) max['prompt'] = Number(r.maxPrice.prompt);
  if (r.maxPrice?.completion !== undefined) max['completion'] = Number(r.maxPrice.completion);
  if (Object.keys(max).length) out['max_price'] = max;
  return Object.keys(out).length ? out : undefined;
}

type WireMessage = { role: string; content: string | Array<Record<string, unknown>> };

/**
 * Messages as sent, with `cache_control` breakpoints where the family needs
 * them: explicit-all marks the system prompt and the last two user turns (so
 * the previous request's prefix is read back and the new one written);
 * explicit-last marks only the last user turn.
 */
export function wireMessages(messages: readonly ChatMessage[], style: CacheStyle | undefined): WireMessage[] {
  const marks = new Set<number>();
  if (style === 'explicit-all' || style === 'explicit-last') {
    const users = messages.flatMap((m, i) => (m.role === 'user' ? [i] : []));
    if (style === 'explicit-all') {
      if (messages[0]?.role === 'system') marks.add(0);
      for (const i of users.slice(-2)) marks.add(i);
    } else {
      const last = users.at(-1);
      if (last !== undefined) marks.add(last);
    }
  }
  return messages.map((m, i) => {
    const text: Record<string, unknown> = { type: 'text', text: m.content, ...(marks.has(i) ? { cache_control: { type: 'ephemeral' } } : {}) };
    if (m.media?.length) return { role: m.role, content: [...(m.content ? [text] : []), ...m.media.map(mediaPart)] };
    return marks.has(i) && m.content ? { role: m.role, content: [text] } : { role: m.role, content: m.content };
  });
}

/** An image as an `image_url` part, a PDF as a `file` part; both carry a base64 `data:` URL. */
function mediaPart(m: MessageMedia): Record<string, unknown> {
  const url = `data:${m.mime};base64,${m.data}`;
  if (m.mime.startsWith('image/')) return { type: 'image_url', image_url: { url } };
  return { type: 'file', file: { filename: m.filename, file_data: url } };
}

/** The OpenAI-compatible body; `models` only when there is a fallback to fall back to. */
export function chatBody(request: ChatRequest, models: readonly string[]): string {
  const body: Record<string, unknown> = {
    model: models[0] ?? request.model,
    messages: wireMessages(request.messages, request.cacheStyle),
    stream: true,
  };
  if (models.length > 1) body['models'] = models;
  if (request.maxTokens !== undefined) body['max_tokens'] = request.maxTokens;
  if (request.temperature !== undefined) body['temperature'] = request.temperature;
  if (request.topP !== undefined) body['top_p'] = request.topP;
  if (request.reasoning) {
    const r = request.reasoning;
    body['reasoning'] = {
      ...(r.effort !== undefined ? { effort: r.effort } : {}),
      ...(r.maxTokens !== undefined ? { max_tokens: r.maxTokens } : {}),
      ...(r.exclude !== undefined ? { exclude: r.exclude } : {}),
    };
  }
  const provider = providerBody(request.provider);
  if (provider) body['provider'] = provider;
  const plugins: Record<string, unknown>[] = [];
  if (request.webSearch) plugins.push({ id: 'web', max_results: request.webSearch.maxResults });
  if (request.pdfParser) plugins.push({ id: 'file-parser', pdf: { engine: request.pdfParser } });
  if (plugins.length) body['plugins'] = plugins;
  if (request.preset) body['preset'] = request.preset;
  if (request.sessionId) body['session_id'] = request.sessionId;
  return JSON.stringify(body);
}
