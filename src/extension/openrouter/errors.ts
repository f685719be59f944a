/**
 * Every way an OpenRouter call can fail, as a value: a kind, a message fit for
 * the user, a suggested action, and whether trying again may help. Owns the
 * mapping from HTTP status + error body (docs/openrouter.md's table) to those values.
 * Must never carry the API key in any text: every detail passes through `redactSecrets`.
 * No `vscode` import.
 */
import { redactSecrets } from '../base/redact';

export type OpenRouterErrorKind =
  | 'context_length'
  | 'bad_request'
  | 'missing_key'
  | 'unauthorized'
  | 'no_credits'
  | 'moderation'
  | 'timeout'
  | 'rate_limited'
  | 'provider'
  | 'unavailable'
  | 'server'
  | 'network'
  | 'stalled'
  | 'cut_off'
  | 'midstream'
  | 'cancelled'
  | 'circuit_open'
  | 'invalid_response'
  | 'not_found'
  | 'catalog_unavailable';

export type ActionId =
  | 'retry'
  | 'wait_and_retry'
  | 'set_key'
  | 'add_credits'
  | 'lower_max_tokens'
  | 'shorten_context'
  | 'use_fallback_model'
  | 'edit_prompt'
  | 'check_connection'
  | 'try_tomorrow'
  | 'none';

export interface SuggestedAction {
  readonly id: ActionId;
  readonly label: string;
}

const ACTIONS: Record<ActionId, SuggestedAction> = {
  retry: { id: 'retry', label: 'Retry' },
  wait_and_retry: { id: 'wait_and_retry', label: 'Retry later' },
  set_key: { id: 'set_key', label: 'Set API key' },
  add_credits: { id: 'add_credits', label: 'Add credits' },
  lower_max_tokens: { id: 'lower_max_tokens', label: 'Lower max tokens' },
  shorten_context: { id: 'shorten_context', label: 'Shorten the conversation' },
  use_fallback_model: { id: 'use_fallback_model', label: 'Use another model' },
  edit_prompt: { id: 'edit_prompt', label: 'Edit the message' },
  check_connection: { id: 'check_connection', label: 'Check connection and retry' },
  try_tomorrow: { id: 'try_tomorrow', label: 'Use a paid model or try tomorrow' },
  none: { id: 'none', label: '' },
};

export function action(id: ActionId): SuggestedAction {
  return ACTIONS[id];
}

/** What had reached the caller before the failure; a retry must never duplicate delivered text. */
export interface PartialInfo {
  readonly delivered: boolean;
  readonly contentChars: number;
  readonly reasoningChars: number;
}

export const NOTHING_DELIVERED: PartialInfo = { delivered: false, contentChars: 0, reasoningChars: 0 };

/** Kind-specific facts the UI can show; all optional. */
export interface ErrorDetails {
  /** The server's own message, scrubbed. */
  readonly serverMessage?: string;
  /** The `error.code` of the body or chunk (number or provider string). */
  readonly serverCode?: string | number;
  readonly moderationReasons?: readonly string[];
  readonly flaggedInput?: string;
  /** From 402 "You requested up to N tokens, but can only afford M". */
  readonly requestedTokens?: number;
  readonly affordableTokens?: number;
  /** 429 caused by the free-models-per-day quota: retrying today is pointless. */
  readonly dailyLimit?: boolean;
  readonly model?: string;
  readonly provider?: string;
  /** Circuit-breaker key that failed fast. */
  readonly circuitKey?: string;
}

export interface OpenRouterErrorInit {
  kind: OpenRouterErrorKind;
  userMessage: string;
  action: SuggestedAction;
  retryable: boolean;
  status?: number;
  retryAfterMs?: number;
  generationId?: string;
  partial?: PartialInfo;
  details?: ErrorDetails;
}

/**
 * Thrown (and only thrown) by the OpenRouter layer. `message` equals
 * `kind: userMessage` so a stray log of the exception is still readable and safe.
 */
export class OpenRouterError extends Error {
  readonly kind: OpenRouterErrorKind;
  readonly userMessage: string;
  readonly action: SuggestedAction;
  /** Sending the same request again may succeed (the client retries it itself only before any token). */
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly generationId: string | undefined;
  readonly partial: PartialInfo;
  readonly details: ErrorDetails;

  constructor(init: OpenRouterErrorInit) {
    super(`${init.kind}: ${init.userMessage}`);
    this.name = 'OpenRouterError';
    this.kind = init.kind;
    this.userMessage = init.userMessage;
    this.action = init.action;
    this.retryable = init.retryable;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.generationId = init.generationId;
    this.partial = init.partial ?? NOTHING_DELIVERED;
    this.details = init.details ?? {};
  }

  /** A copy that knows what had been streamed and which generation failed. */
  withContext(context: { partial?: PartialInfo; generationId?: string | undefined }): OpenRouterError {
    return new OpenRouterError({
      ...this.toInit(),
      partial: context.partial ?? this.partial,
      generationId: this.generationId ?? context.generationId,
    });
  }

  toInit(): OpenRouterErrorInit {
    return {
      kind: this.kind,
      userMessage: this.userMessage,
      action: this.action,
      retryable: this.retryable,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      generationId: this.generationId,
      partial: this.partial,
      details: this.details,
    };
  }
}

export function isOpenRouterError(value: unknown): value is OpenRouterError {
  return value instanceof OpenRouterError;
}

/** The parts of an error body (`{error: {code, message, metadata}}`) the mapping reads. */
export interface ServerErrorBody {
  readonly code?: string | number;
  readonly message?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface HttpErrorInput {
  readonly status: number;
  readonly body: ServerErrorBody | undefined;
  /** `Retry-After` header as sent (seconds or HTTP date). */
  readonly retryAfterHeader: string | null;
  /** `X-RateLimit-Reset` header as sent (epoch ms). */
  readonly rateLimitResetHeader: string | null;
  readonly now: number;
  readonly secrets: Iterable<string>;
  readonly model?: string;
}

/** Error codes that mean "the prompt is longer than the context window" (OpenAI-style providers). */
const CONTEXT_CODES = new Set(['context_length_exceeded', 'context_window_exceeded', 'string_above_max_length', 'prompt_too_long']);
/**
 * The sentences providers use for it, as whole phrases: a bare identifier such as
 * `context_length` inside some other message (a scenario list, a parameter name) is not one.
 */
const CONTEXT_SENTENCES = [
  /maximum context length (?:is \d|of \d|exceeded|has been exceeded)/i, // OpenAI, OpenRouter, vLLM
  /prompt is too long/i, // Anthropic
  /(?:exceeds?|exceeded|larger than|longer than) (?:the |this )?(?:model'?s? |model’s )?(?:maximum )?context (?:length|window|size)/i,
  /context (?:length|window) (?:of \d+ tokens )?(?:was |is |has been )?exceeded/i,
  /too many (?:input |prompt )?tokens/i,
  /input (?:token count|tokens?) (?:of \d+ )?exceeds/i,
];

/**
 * A context-window rejection, read from the structure first: HTTP 413, a known error code in
 * the body or in the provider's raw error OpenRouter passes on (`metadata.raw`), then one of the
 * known sentences in a message.
 */
export function isContextLengthError(status: number, body: ServerErrorBody | undefined): boolean {
  if (status === 413) return true;
  if (typeof body?.code === 'string' && CONTEXT_CODES.has(body.code)) return true;
  const raw = body?.metadata?.['raw'];
  const rawText = typeof raw === 'string' ? raw : raw !== undefined ? safeJson(raw) : '';
  for (const code of CONTEXT_CODES) if (rawText.includes(`"${code}"`)) return true;
  const texts = [body?.message ?? '', rawText];
  return texts.some((t) => CONTEXT_SENTENCES.some((re) => re.test(t)));
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}
const AFFORD = /requested up to (\d+)[^\d]+(?:can only afford|afford) (\d+)/i;
const AFFORD_ONLY = /can only afford (\d+)/i;
const DAILY = /free-models-per-day|per[-\s]day/i;

/** Maps a non-2xx response to its typed error (docs/openrouter.md, "Streams, errors and retried attempts"). */
export function errorFromHttp(input: HttpErrorInput): OpenRouterError {
  const { status } = input;
  const serverMessage = input.body?.message ? redactSecrets(input.body.message, input.secrets).slice(0, 2000) : undefined;
  const base: ErrorDetails = {
    ...(serverMessage !== undefined ? { serverMessage } : {}),
    ...(input.body?.code !== undefined ? { serverCode: input.body.code } : {}),
    ...(input.model !== undefined ? { model: input.model } : {}),
  };
  const text = serverMessage ?? '';

  if (status === 400 || status === 413 || status === 422) {
    if (isContextLengthError(status, input.body)) {
      return new OpenRouterError({
        kind: 'context_length',
        userMessage: 'The conversation is longer than this model’s context window.',
        action: action('shorten_context'),
        retryable: false,
        status,
        details: base,
      });
    }
    return new OpenRouterError({
      kind: 'bad_request',
      userMessage: `OpenRouter rejected the request${serverMessage ? `: ${serverMessage}` : '.'}`,
      action: action('edit_prompt'),
      retryable: false,
      status,
      details: base,
    });
  }
  if (status === 401) {
    return new OpenRouterError({
      kind: 'unauthorized',
      userMessage: 'The OpenRouter API key is missing or invalid.',
      action: action('set_key'),
      retryable: false,
      status,
      details: base,
    });
  }
  if (status === 402) {
    const both = AFFORD.exec(text);
    const only = both ? undefined : AFFORD_ONLY.exec(text);
    const affordable = both?.[2] ?? only?.[1];
    const details: ErrorDetails = {
      ...base,
      ...(both?.[1] ? { requestedTokens: Number(both[1]) } : {}),
      ...(affordable ? { affordableTokens: Number(affordable) } : {}),
    };
    return new OpenRouterError({
      kind: 'no_credits',
      userMessage:
        affordable !== undefined
          ? `Not enough credits for this reply: the balance covers about ${affordable} tokens.`
          : 'Your OpenRouter credits are used up.',
      action: action(affordable !== undefined ? 'lower_max_tokens' : 'add_credits'),
      retryable: false,
      status,
      details,
    });
  }
  if (status === 403) {
    const reasons = stringArray(input.body?.metadata?.['reasons']);
    const flagged = input.body?.metadata?.['flagged_input'];
    return new OpenRouterError({
      kind: 'moderation',
      userMessage:
        reasons.length > 0
          ? `The message was flagged by moderation: ${reasons.join(', ')}.`
          : 'The message was flagged by moderation.',
      action: action('edit_prompt'),
      retryable: false,
      status,
      details: {
        ...base,
        moderationReasons: reasons,
        ...(typeof flagged === 'string' ? { flaggedInput: redactSecrets(flagged, input.secrets).slice(0, 500) } : {}),
      },
    });
  }
  if (status === 408) {
    return new OpenRouterError({
      kind: 'timeout',
      userMessage: 'OpenRouter timed out waiting for the model.',
      action: action('retry'),
      retryable: true,
      status,
      details: base,
    });
  }
  if (status === 429) {
    const retryAfterMs = retryAfterFrom(input);
    const daily = DAILY.test(text);
    return new OpenRouterError({
      kind: 'rate_limited',
      userMessage: daily
        ? 'The daily limit for free models is used up; it resets tomorrow.'
        : // No "retry in N s" here: the text outlives the wait (the final 429 is shown after it), and
          // the notice counts down from retryAfterMs itself.
          'Rate limited by OpenRouter.',
      action: action(daily ? 'try_tomorrow' : 'wait_and_retry'),
      retryable: !daily,
      status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      details: { ...base, ...(daily ? { dailyLimit: true } : {}) },
    });
  }
  if (status === 502) {
    return new OpenRouterError({
      kind: 'provider',
      userMessage: 'The model’s provider returned an error or is down.',
      action: action('use_fallback_model'),
      retryable: true,
      status,
      details: base,
    });
  }
  if (status === 503) {
    return new OpenRouterError({
      kind: 'unavailable',
      userMessage: 'No provider can serve this model right now.',
      action: action('use_fallback_model'),
      retryable: true,
      status,
      details: base,
    });
  }
  if (status === 404) {
    return new OpenRouterError({
      kind: 'not_found',
      userMessage: `OpenRouter does not know this resource${serverMessage ? `: ${serverMessage}` : '.'}`,
      action: action('none'),
      retryable: false,
      status,
      details: base,
    });
  }
  if (status >= 500) {
    return new OpenRouterError({
      kind: 'server',
      userMessage: `OpenRouter had a server error (${status}).`,
      action: action('retry'),
      retryable: true,
      status,
      details: base,
    });
  }
  return new OpenRouterError({
    kind: 'bad_request',
    userMessage: `OpenRouter answered with HTTP ${status}${serverMessage ? `: ${serverMessage}` : '.'}`,
    action: action('none'),
    retryable: false,
    status,
    details: base,
  });
}

/**
 * Seconds in `Retry-After` win; then `X-RateLimit-Reset` (epoch ms) from the
 * header or, as OpenRouter also sends it, from `metadata.headers` of the body.
 */
function retryAfterFrom(input: HttpErrorInput): number | undefined {
  const header = input.retryAfterHeader?.trim();
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
    const date = Date.parse(header);
    if (Number.isFinite(date)) return Math.max(0, date - input.now);
  }
  const metaHeaders = input.body?.metadata?.['headers'];
  const fromBody =
    metaHeaders && typeof metaHeaders === 'object'
      ? (metaHeaders as Record<string, unknown>)['X-RateLimit-Reset']
      : undefined;
  const reset = input.rateLimitResetHeader ?? (typeof fromBody === 'string' || typeof fromBody === 'number' ? String(fromBody) : null);
  if (reset) {
    const epochMs = Number(reset);
    if (Number.isFinite(epochMs) && epochMs > 0) return Math.max(0, epochMs - input.now);
  }
  return undefined;
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A chunk with a top-level `error` after HTTP 200, or `finish_reason: "error"` without one. */
export function errorFromMidstream(
  body: ServerErrorBody | undefined,
  secrets: Iterable<string>,
  context: { model?: string; provider?: string },
): OpenRouterError {
  const serverMessage = body?.message ? redactSecrets(body.message, secrets).slice(0, 2000) : undefined;
  const code = body?.code;
  const status = typeof code === 'number' ? code : undefined;
  return new OpenRouterError({
    kind: 'midstream',
    userMessage: `The model stopped with an error mid-reply${serverMessage ? `: ${serverMessage}` : '.'}`,
    action: action('retry'),
    // A provider hiccup mid-stream is usually transient; a 4xx code inside the chunk is not.
    retryable: status === undefined || status >= 500 || status === 408 || status === 429,
    ...(status !== undefined ? { status } : {}),
    details: {
      ...(serverMessage !== undefined ? { serverMessage } : {}),
      ...(code !== undefined ? { serverCode: code } : {}),
      ...(context.model !== undefined ? { model: context.model } : {}),
      ...(context.provider !== undefined ? { provider: context.provider } : {}),
    },
  });
}

export function cancelledError(): OpenRouterError {
  return new OpenRouterError({
    kind: 'cancelled',
    userMessage: 'Cancelled.',
    action: action('retry'),
    retryable: true,
  });
}

export function connectTimeoutError(timeoutMs: number): OpenRouterError {
  return new OpenRouterError({
    kind: 'timeout',
    userMessage: `OpenRouter did not answer within ${Math.round(timeoutMs / 1000)} s.`,
    action: action('check_connection'),
    retryable: true,
  });
}

export function stalledError(timeoutMs: number): OpenRouterError {
  return new OpenRouterError({
    kind: 'stalled',
    userMessage: `The reply stalled: nothing arrived for ${Math.round(timeoutMs / 1000)} s.`,
    action: action('retry'),
    retryable: true,
  });
}

export function cutOffError(): OpenRouterError {
  return new OpenRouterError({
    kind: 'cut_off',
    userMessage: 'The connection closed before the reply finished.',
    action: action('retry'),
    retryable: true,
  });
}

export function networkError(cause: unknown, secrets: Iterable<string>): OpenRouterError {
  return new OpenRouterError({
    kind: 'network',
    userMessage: 'Could not reach OpenRouter.',
    action: action('check_connection'),
    retryable: true,
    details: { serverMessage: redactSecrets(describeCause(cause), secrets).slice(0, 500) },
  });
}

export function missingKeyError(): OpenRouterError {
  return new OpenRouterError({
    kind: 'missing_key',
    userMessage: 'No OpenRouter API key is set.',
    action: action('set_key'),
    retryable: false,
  });
}

export function invalidResponseError(what: string): OpenRouterError {
  return new OpenRouterError({
    kind: 'invalid_response',
    userMessage: `OpenRouter sent an unexpected ${what}.`,
    action: action('retry'),
    retryable: true,
  });
}

export function circuitOpenError(key: string, retryInMs: number): OpenRouterError {
  return new OpenRouterError({
    kind: 'circuit_open',
    userMessage: `Paused after repeated failures; trying again in ${Math.max(1, Math.ceil(retryInMs / 1000))} s.`,
    action: action('wait_and_retry'),
    retryable: true,
    retryAfterMs: retryInMs,
    details: { circuitKey: key },
  });
}

/** The message of an exception and of its `cause` chain (undici hides the real reason there). */
function describeCause(cause: unknown): string {
  const parts: string[] = [];
  let current: unknown = cause;
  for (let depth = 0; depth < 4 && current; depth++) {
    if (current instanceof Error) {
      parts.push(`${current.name}: ${current.message}`);
      current = (current as { cause?: unknown }).cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(' ← ');
}
