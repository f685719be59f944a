/**
 * Every way an OpenRouter call can fail, as a value: a kind, the facts of the failure,
 * a suggested action and whether trying again may help. The words a person reads are
 * not here: the transport layer states facts, `core/failureText.ts` decides the text.
 * Must never carry the API key: every detail from the server passes through
 * `redactSecrets` before it is stored. No `vscode` import.
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

/** What would fix the failure; the view layer names it. */
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

/** The usual action and retry verdict of each kind; a mapping refines them from the facts (a 402 with an affordable count, the daily 429). */
export const KIND_DEFAULTS: Readonly<Record<OpenRouterErrorKind, { readonly action: ActionId; readonly retryable: boolean }>> = {
  context_length: { action: 'shorten_context', retryable: false },
  bad_request: { action: 'edit_prompt', retryable: false },
  missing_key: { action: 'set_key', retryable: false },
  unauthorized: { action: 'set_key', retryable: false },
  no_credits: { action: 'add_credits', retryable: false },
  moderation: { action: 'edit_prompt', retryable: false },
  timeout: { action: 'retry', retryable: true },
  rate_limited: { action: 'wait_and_retry', retryable: true },
  provider: { action: 'use_fallback_model', retryable: true },
  unavailable: { action: 'use_fallback_model', retryable: true },
  server: { action: 'retry', retryable: true },
  network: { action: 'check_connection', retryable: true },
  stalled: { action: 'retry', retryable: true },
  cut_off: { action: 'retry', retryable: true },
  midstream: { action: 'retry', retryable: true },
  cancelled: { action: 'retry', retryable: true },
  circuit_open: { action: 'wait_and_retry', retryable: true },
  invalid_response: { action: 'retry', retryable: true },
  not_found: { action: 'none', retryable: false },
  catalog_unavailable: { action: 'check_connection', retryable: true },
};

/** What had reached the caller before the failure; a retry must never duplicate delivered text. */
export interface PartialInfo {
  readonly delivered: boolean;
  readonly contentChars: number;
  readonly reasoningChars: number;
}

export const NOTHING_DELIVERED: PartialInfo = { delivered: false, contentChars: 0, reasoningChars: 0 };

/** Kind-specific facts the text and the UI read; all optional. */
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
  /** The limit that ran out, for a timeout or a stall. */
  readonly timeoutMs?: number;
  /** What was unexpected, for `invalid_response` ("model list", "key usage"). */
  readonly what?: string;
  /** A `not_found` from the `/generation` lookup: the cost is not recorded yet. */
  readonly costNotRecorded?: boolean;
  /** The management key (for /credits and /activity) was refused, not the API key. */
  readonly managementKey?: boolean;
  /** The kind of the failure underneath (a `catalog_unavailable` after a network error). */
  readonly causeKind?: OpenRouterErrorKind;
}

export interface OpenRouterErrorInit {
  kind: OpenRouterErrorKind;
  action: ActionId;
  retryable: boolean;
  status?: number;
  retryAfterMs?: number;
  generationId?: string;
  partial?: PartialInfo;
  details?: ErrorDetails;
}

/**
 * Thrown (and only thrown) by the OpenRouter layer. `message` is for logs: the kind,
 * the status and the scrubbed server message, never words meant for the user.
 */
export class OpenRouterError extends Error {
  readonly kind: OpenRouterErrorKind;
  readonly action: ActionId;
  /** Sending the same request again may succeed (the client retries it itself only before any token). */
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly generationId: string | undefined;
  readonly partial: PartialInfo;
  readonly details: ErrorDetails;

  constructor(init: OpenRouterErrorInit) {
    const server = init.details?.serverMessage;
    super(`${init.kind}${init.status !== undefined ? ` (HTTP ${init.status})` : ''}${server ? `: ${server}` : ''}`);
    this.name = 'OpenRouterError';
    this.kind = init.kind;
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

/** An error of `kind` with that kind's action and retry verdict, unless `init` says otherwise. */
export function openRouterError(kind: OpenRouterErrorKind, init: Partial<Omit<OpenRouterErrorInit, 'kind'>> = {}): OpenRouterError {
  return new OpenRouterError({ kind, ...KIND_DEFAULTS[kind], ...init });
}

export const cancelledError = (): OpenRouterError => openRouterError('cancelled');
/** No answer (headers) within `timeoutMs`. */
export const connectTimeoutError = (timeoutMs: number): OpenRouterError =>
  openRouterError('timeout', { action: 'check_connection', details: { timeoutMs } });
export const stalledError = (timeoutMs: number): OpenRouterError => openRouterError('stalled', { details: { timeoutMs } });
export const cutOffError = (): OpenRouterError => openRouterError('cut_off');
export const missingKeyError = (): OpenRouterError => openRouterError('missing_key');
export const invalidResponseError = (what: string): OpenRouterError => openRouterError('invalid_response', { details: { what } });
export const circuitOpenError = (key: string, retryInMs: number): OpenRouterError =>
  openRouterError('circuit_open', { retryAfterMs: retryInMs, details: { circuitKey: key } });

export function networkError(cause: unknown, secrets: Iterable<string>): OpenRouterError {
  return openRouterError('network', { details: { serverMessage: redactSecrets(describeCause(cause), secrets).slice(0, 500) } });
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
