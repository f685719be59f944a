/**
 * The request controls a send carries — provider routing, reasoning effort, web
 * search, preset, session id and prompt-cache breakpoints — resolved from the
 * composer's choice, the conversation's last choice and the settings' defaults,
 * then turned into request fields and a pre-flight price. Routing and reasoning
 * stick to a conversation (stored with each user message); web search is per send.
 * No `vscode` import.
 */
import * as z from 'zod'; // namespace import: lets the bundler drop zod's unused locales (~360 KB)
import type { CatalogModel } from '../openrouter/catalog';
import {
  cacheStyleOf,
  PROVIDER_SORTS,
  REASONING_EFFORTS,
  WEB_SEARCH_DEFAULT_RESULTS,
  WEB_SEARCH_MAX_RESULTS,
  type ReasoningEffort,
} from '../openrouter/requestOptions';
import type { ChatRequest } from '../openrouter/types';
import type { JsonObject } from '../storage/types';
import { ZERO, add, parseUsd, sub, times, type Usd } from '../../shared/money';

/** The web plugin's price per result when the catalog names none ($4 per 1000 results). */
export const WEB_RESULT_PRICE_USD = '0.004';

const Slug = z.string().trim().min(1).max(100);
const Decimal = z.string().regex(/^\d+(\.\d+)?$/, 'a decimal amount');

export const RoutingSchema = z.object({
  sort: z.enum(PROVIDER_SORTS).optional(),
  order: z.array(Slug).max(20).optional(),
  only: z.array(Slug).max(20).optional(),
  ignore: z.array(Slug).max(20).optional(),
  allowFallbacks: z.boolean().optional(),
  denyDataCollection: z.boolean().optional(),
  zdr: z.boolean().optional(),
  maxPrice: z.object({ prompt: Decimal.optional(), completion: Decimal.optional() }).optional(),
});

export type Routing = z.infer<typeof RoutingSchema>;

export const ReasoningSchema = z.object({
  effort: z.enum(REASONING_EFFORTS).optional(),
  maxTokens: z.number().int().positive().max(1_000_000).optional(),
});
export type ReasoningChoice = z.infer<typeof ReasoningSchema>;

/** What the composer's picker sends with one send. */
export const SendControlsSchema = z.object({
  routing: RoutingSchema.optional(),
  reasoning: ReasoningSchema.optional(),
  webSearch: z.boolean().optional(),
});
export type SendControls = z.infer<typeof SendControlsSchema>;

/** Defaults from settings (machine or application scope: they touch money and privacy). */
export interface ControlSettings {
  routing: Routing;
  reasoning: ReasoningChoice | undefined;
  webSearchResults: number;
  preset: string | undefined;
  promptCaching: boolean;
  sessionId: boolean;
}

export const DEFAULT_CONTROL_SETTINGS: ControlSettings = {
  routing: {},
  reasoning: undefined,
  webSearchResults: WEB_SEARCH_DEFAULT_RESULTS,
  preset: undefined,
  promptCaching: true,
  sessionId: true,
};

/**
 * The controls for this send: the picker's choice when given, else the
 * conversation's last one, else the settings' defaults. Web search is never
 * inherited: each send asks for it (it costs per result).
 */
export function resolveControls(chosen: SendControls | undefined, previous: SendControls | undefined, defaults: ControlSettings): SendControls {
  return {
    routing: chosen?.routing ?? previous?.routing ?? defaults.routing,
    ...(chosen?.reasoning ?? previous?.reasoning ?? defaults.reasoning ? { reasoning: chosen?.reasoning ?? previous?.reasoning ?? defaults.reasoning } : {}),
    webSearch: chosen?.webSearch === true,
  };
}

/** The controls stored with a user message, or undefined when absent or unreadable. */
export function controlsFromMetadata(meta: JsonObject): SendControls | undefined {
  const parsed = SendControlsSchema.safeParse(meta['controls']);
  return parsed.success ? parsed.data : undefined;
}

export function controlsMetadata(c: SendControls): JsonObject {
  return JSON.parse(JSON.stringify(c)) as JsonObject;
}

/** Which reasoning controls a model takes, from the catalog's supported parameters (never a fixed list of models). */
export function reasoningSupport(model: CatalogModel | undefined): { efforts: readonly ReasoningEffort[]; maxTokens: number | undefined } | undefined {
  if (!model?.supportedParameters.includes('reasoning')) return undefined;
  return { efforts: REASONING_EFFORTS, maxTokens: model.maxCompletionTokens };
}

export type RequestFields = Pick<ChatRequest, 'provider' | 'reasoning' | 'cacheStyle' | 'webSearch' | 'preset' | 'sessionId'>;

/** The OpenRouter fields of one request. Reasoning is sent only to models that take it. */
export function requestFields(args: {
  modelId: string;
  model: CatalogModel | undefined;
  controls: SendControls;
  settings: ControlSettings;
  conversationId: string;
}): RequestFields {
  const { controls, settings } = args;
  const out: { -readonly [K in keyof RequestFields]: RequestFields[K] } = {};
  if (controls.routing && Object.keys(controls.routing).length) out.provider = controls.routing;
  const support = reasoningSupport(args.model);
  const r = controls.reasoning;
  if (support && r) {
    // OpenRouter takes an effort or a token budget, not both; the effort wins.
    if (r.effort) out.reasoning = { effort: r.effort };
    else if (r.maxTokens) out.reasoning = { maxTokens: support.maxTokens ? Math.min(r.maxTokens, support.maxTokens) : r.maxTokens };
  }
  if (settings.promptCaching) {
    const style = cacheStyleOf(args.modelId);
    if (style === 'explicit-all' || style === 'explicit-last') out.cacheStyle = style;
  }
  if (controls.webSearch) out.webSearch = { maxResults: Math.min(WEB_SEARCH_MAX_RESULTS, Math.max(1, settings.webSearchResults)) };
  if (settings.preset) out.preset = settings.preset;
  if (settings.sessionId) out.sessionId = `nt-${args.conversationId}`;
  return out;
}

/** The controls in words, for the entry ("sort price · only fastlane · effort high · web ×5"). */
export function describeFields(f: RequestFields): string | undefined {
  const parts: string[] = [];
  const p = f.provider;
  if (p?.sort) parts.push(`sort ${p.sort}`);
  if (p?.order?.length) parts.push(`order ${p.order.join('>')}`);
  if (p?.only?.length) parts.push(`only ${p.only.join(',')}`);
  if (p?.ignore?.length) parts.push(`ignore ${p.ignore.join(',')}`);
  if (p?.allowFallbacks === false) parts.push('no fallbacks');
  if (p?.denyDataCollection) parts.push('no data collection');
  if (p?.zdr) parts.push('ZDR');
  if (p?.maxPrice) parts.push(`max $${p.maxPrice.prompt ?? '∞'}/$${p.maxPrice.completion ?? '∞'} per 1M`);
  if (f.reasoning?.effort) parts.push(`effort ${f.reasoning.effort}`);
  if (f.reasoning?.maxTokens) parts.push(`reasoning ≤${f.reasoning.maxTokens} tok`);
  if (f.cacheStyle) parts.push('cache breakpoints');
  if (f.webSearch) parts.push(`web ×${f.webSearch.maxResults}`);
  if (f.preset) parts.push(`preset ${f.preset}`);
  return parts.length ? parts.join(' · ') : undefined;
}

/** Price of one web result: the catalog's when it names one, else the plugin's documented price. */
export function webResultPrice(model: CatalogModel | undefined): Usd {
  const p = model?.pricing.webSearch;
  if (p?.kind === 'fixed' && p.perUnit.atto > 0n) return p.perUnit;
  return parseUsd(WEB_RESULT_PRICE_USD) ?? ZERO;
}

/**
 * What the controls add to (or take off) a send's pre-flight estimate: web
 * results at their price; expected cache reads at the read price instead of the
 * prompt price; on explicit-cache families the newly written part at the write
 * premium. Exact; may be negative (a warm cache makes the send cheaper).
 */
export function preflightAdjustment(args: {
  model: CatalogModel | undefined;
  fields: RequestFields;
  promptTokens: number;
  expectedCachedTokens: number;
}): { adjustment: Usd; cachedTokens: number; webSearch: Usd } {
  const { model, fields } = args;
  let adjustment = ZERO;
  let webSearch = ZERO;
  if (fields.webSearch) {
    webSearch = times(webResultPrice(model), fields.webSearch.maxResults);
    adjustment = add(adjustment, webSearch);
  }
  const cachedTokens = Math.max(0, Math.min(args.expectedCachedTokens, args.promptTokens));
  const prompt = model?.pricing.prompt;
  if (prompt?.kind === 'fixed') {
    const read = model?.pricing.inputCacheRead;
    if (cachedTokens > 0 && read?.kind === 'fixed') adjustment = add(adjustment, times(sub(read.perUnit, prompt.perUnit), cachedTokens));
    const write = model?.pricing.inputCacheWrite;
    if (fields.cacheStyle && write?.kind === 'fixed') adjustment = add(adjustment, times(sub(write.perUnit, prompt.perUnit), args.promptTokens - cachedTokens));
  }
  return { adjustment, cachedTokens, webSearch };
}

/** OpenAI's automatic cache starts at this many prompt tokens; shorter prefixes are never read back. */
export const AUTOMATIC_CACHE_MIN_TOKENS = 1024;
/** Providers keep a cache entry about five minutes after its last use. */
export const CACHE_TTL_MS = 5 * 60_000;

/**
 * Cache reads to expect: the previous request's prompt is a prefix of this one,
 * so if it was sent recently to the same model family it is likely read back.
 */
export function expectedCacheReads(args: {
  modelId: string;
  promptCachingOn: boolean;
  previous: { promptTokens: number | null; createdAt: number; modelId: string | null } | undefined;
  now: number;
}): number {
  const prev = args.previous;
  if (!prev?.promptTokens || prev.modelId !== args.modelId || args.now - prev.createdAt > CACHE_TTL_MS) return 0;
  const style = cacheStyleOf(args.modelId);
  if (style === 'automatic') return prev.promptTokens >= AUTOMATIC_CACHE_MIN_TOKENS ? prev.promptTokens : 0;
  if ((style === 'explicit-all' || style === 'explicit-last') && args.promptCachingOn) return prev.promptTokens;
  return 0;
}
