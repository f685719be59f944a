/**
 * The OpenRouter client's public shapes: what it needs injected, what a chat
 * request looks like and the typed events a stream yields. Types only.
 * No `vscode` import.
 */
import type { Usd } from '../../shared/money';
import type { CircuitOptions } from './circuitBreaker';
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import type { OpenRouterError } from './errors';
import type { RetryPolicy } from './retry';
import type { CacheStyle, ProviderRouting, ReasoningEffort } from './requestOptions';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface OpenRouterClientDeps {
  /** Read on every request so a settings change applies at once (e.g. https://openrouter.ai/api/v1). */
  readonly baseUrl: () => string;
  /** Read on every request, never cached, so a key change or removal applies at once. */
  readonly apiKey: () => Promise<string | undefined>;
  readonly fetch: FetchLike;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Uniform in [0, 1); for back-off jitter. */
  readonly random: () => number;
  /** Optional attribution headers (HTTP-Referer, X-OpenRouter-Title). */
  readonly app?: { readonly referer?: string; readonly title?: string };
  readonly timeouts?: Partial<Timeouts>;
  readonly retry?: Partial<RetryPolicy>;
  readonly circuit?: Partial<CircuitOptions>;
  readonly generationLookup?: Partial<GenerationLookupPolicy>;
}

export interface Timeouts {
  /** From sending the request until response headers arrive. */
  readonly connectMs: number;
  /** Longest silence (no bytes at all, keep-alive comments included) once streaming. */
  readonly stallMs: number;
  /** Whole-request bound for the small JSON GETs (/models, /key, /generation). */
  readonly requestMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 30_000, stallMs: 60_000, requestMs: 30_000 };

export interface GenerationLookupPolicy {
  /** Lookups in total while /generation still answers 404. */
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_GENERATION_LOOKUP: GenerationLookupPolicy = { maxAttempts: 6, initialDelayMs: 500, maxDelayMs: 4_000 };

export type ChatRole = 'system' | 'user' | 'assistant';

/** An image or PDF a user message carries; `data` is its bytes in base64. */
export interface MessageMedia {
  readonly mime: string;
  readonly data: string;
  readonly filename: string;
}

export interface ChatMessage {
  readonly role: ChatRole;
  readonly content: string;
  /** Sent as content parts after the text (images as `image_url`, PDFs as `file`). */
  readonly media?: readonly MessageMedia[];
}

export interface ReasoningOptions {
  readonly effort?: ReasoningEffort;
  readonly maxTokens?: number;
  readonly exclude?: boolean;
}

export interface ChatRequest {
  readonly model: string;
  /** Sent as OpenRouter's `models` list after `model`; the served model is reported by a `model` event. */
  readonly fallbackModels?: readonly string[];
  readonly messages: readonly ChatMessage[];
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly reasoning?: ReasoningOptions;
  /** OpenRouter provider routing preferences. */
  readonly provider?: ProviderRouting;
  /** Puts `cache_control` breakpoints on the messages when the style is explicit. */
  readonly cacheStyle?: CacheStyle;
  /** Web search via the web plugin, with this many results at most. */
  readonly webSearch?: { readonly maxResults: number };
  /**
   * How OpenRouter reads the PDFs of a model without native file input: asked for
   * explicitly, because its default engine for those models is the paid OCR one.
   */
  readonly pdfParser?: 'cloudflare-ai';
  /** An OpenRouter preset slug. */
  readonly preset?: string;
  /** Stable per conversation, so providers can keep its cache warm. */
  readonly sessionId?: string;
}

export interface StreamOptions {
  /** Aborting ends the stream at once with an `OpenRouterError` of kind `cancelled`. */
  readonly signal?: AbortSignal;
}

/** Clock readings for one successful attempt, on the client's clock. */
export interface StreamTiming {
  /** When `streamChat` was called. */
  readonly startedAt: number;
  /** When the successful attempt was sent. */
  readonly attemptStartedAt: number;
  readonly headersAt: number;
  /** First content or reasoning delta; undefined if the reply was empty. */
  readonly firstTokenAt: number | undefined;
  readonly endedAt: number;
  readonly attempts: number;
}

export type ChatStreamEvent =
  | { readonly type: 'generation'; readonly id: string }
  | { readonly type: 'model'; readonly model: string; readonly provider: string | undefined }
  | { readonly type: 'content'; readonly text: string }
  | { readonly type: 'reasoning'; readonly text: string }
  | {
      readonly type: 'usage';
      /** Already includes `cachedTokens`. */
      readonly promptTokens: number;
      /** Already includes `reasoningTokens`. */
      readonly completionTokens: number;
      readonly reasoningTokens: number;
      readonly cachedTokens: number;
      /** Prompt tokens written to the provider's cache on this request. */
      readonly cacheWriteTokens: number;
      /** `usage.cost` exactly: OpenRouter's charge (on a BYOK route only its fee). */
      readonly cost: Usd | undefined;
      /** The same amount as exact decimal text (no exponent). */
      readonly costText: string | undefined;
      /** BYOK only: what the user's own provider account is charged (`cost_details.upstream_inference_cost`). */
      readonly upstreamCost: Usd | undefined;
      readonly byok: boolean;
    }
  | { readonly type: 'citations'; readonly citations: readonly { readonly url: string; readonly title: string | undefined }[] }
  | { readonly type: 'finish'; readonly reason: string; readonly timing: StreamTiming }
  | {
      readonly type: 'retry';
      /** The attempt about to start (2 for the first retry). */
      readonly attempt: number;
      readonly delayMs: number;
      /** Why the previous attempt failed; its `generationId` may still be billed. */
      readonly error: OpenRouterError;
    };

export interface KeyInfo {
  readonly label: string | undefined;
  /** undefined = no limit on this key. */
  readonly limit: Usd | undefined;
  readonly limitRemaining: Usd | undefined;
  /** OpenRouter credit this key used, all time (BYOK provider charges not included). */
  readonly usage: Usd;
  /** This UTC day and month, when the server reports them. */
  readonly usageToday: Usd | undefined;
  readonly usageMonth: Usd | undefined;
  /** What providers billed the user's own keys through this key (BYOK). */
  readonly byokUsage: Usd | undefined;
  readonly isFreeTier: boolean;
}

export interface GenerationCost {
  readonly id: string;
  /** `total_cost`: OpenRouter's charge (on a BYOK route only its fee). */
  readonly cost: Usd;
  readonly costText: string;
  /** BYOK only: the provider's own charge (`upstream_inference_cost`). */
  readonly upstreamCost: Usd | undefined;
  readonly byok: boolean;
  readonly model: string | undefined;
  readonly provider: string | undefined;
  /** Native token counts (the model's tokenizer), as `usage` reports them. */
  readonly promptTokens: number | undefined;
  readonly completionTokens: number | undefined;
  readonly reasoningTokens: number | undefined;
  readonly cachedTokens: number | undefined;
  readonly cancelled: boolean | undefined;
  readonly finishReason: string | undefined;
}
