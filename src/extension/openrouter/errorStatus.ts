/**
 * From an HTTP status and error body to a typed error (docs/openrouter.md, "Streams, errors
 * and retried attempts"): one table names the kind of each status; a few kinds then read
 * more facts from the body (the context-length rejection hiding in a 400, the affordable
 * token count of a 402, the moderation reasons of a 403, the wait of a 429).
 * Facts only: the words are core's. No `vscode` import.
 */
import { redactSecrets } from '../base/redact';
import { KIND_DEFAULTS, OpenRouterError, type ErrorDetails, type OpenRouterErrorInit, type OpenRouterErrorKind } from './errors';

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

/** The kind of each status OpenRouter documents; other 5xx are `server`, anything else an unknown `bad_request`. */
const STATUS_KINDS: ReadonlyMap<number, OpenRouterErrorKind> = new Map([
  [400, 'bad_request'],
  [413, 'bad_request'],
  [422, 'bad_request'],
  [401, 'unauthorized'],
  [402, 'no_credits'],
  [403, 'moderation'],
  [404, 'not_found'],
  [408, 'timeout'],
  [429, 'rate_limited'],
  [502, 'provider'],
  [503, 'unavailable'],
]);

function statusKind(status: number): OpenRouterErrorKind {
  return STATUS_KINDS.get(status) ?? (status >= 500 ? 'server' : 'bad_request');
}

/** What a kind reads from the body beyond the table's defaults. */
type Refinement = (input: HttpErrorInput, details: ErrorDetails) => Partial<OpenRouterErrorInit>;

const REFINEMENTS: Partial<Record<OpenRouterErrorKind, Refinement>> = {
  bad_request: (input) => {
    if (!STATUS_KINDS.has(input.status)) return { action: 'none' }; // a status nobody documents: no fix to suggest
    return isContextLengthError(input.status, input.body) ? { kind: 'context_length', ...KIND_DEFAULTS.context_length } : {};
  },
  no_credits: (_input, details) => {
    const text = details.serverMessage ?? '';
    const both = AFFORD.exec(text);
    const affordable = both?.[2] ?? AFFORD_ONLY.exec(text)?.[1];
    if (affordable === undefined) return {};
    return {
      action: 'lower_max_tokens',
      details: { ...details, ...(both?.[1] ? { requestedTokens: Number(both[1]) } : {}), affordableTokens: Number(affordable) },
    };
  },
  moderation: (input, details) => {
    const flagged = input.body?.metadata?.['flagged_input'];
    return {
      details: {
        ...details,
        moderationReasons: stringArray(input.body?.metadata?.['reasons']),
        ...(typeof flagged === 'string' ? { flaggedInput: redactSecrets(flagged, input.secrets).slice(0, 500) } : {}),
      },
    };
  },
  rate_limited: (input, details) => {
    const retryAfterMs = retryAfterFrom(input);
    const daily = DAILY.test(details.serverMessage ?? '');
    return {
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(daily ? { action: 'try_tomorrow', retryable: false, details: { ...details, dailyLimit: true } } : {}),
    };
  },
};

/** Maps a non-2xx response to its typed error. */
export function errorFromHttp(input: HttpErrorInput): OpenRouterError {
  const { status } = input;
  const serverMessage = input.body?.message ? redactSecrets(input.body.message, input.secrets).slice(0, 2000) : undefined;
  const details: ErrorDetails = {
    ...(serverMessage !== undefined ? { serverMessage } : {}),
    ...(input.body?.code !== undefined ? { serverCode: input.body.code } : {}),
    ...(input.model !== undefined ? { model: input.model } : {}),
  };
  const kind = statusKind(status);
  return new OpenRouterError({ kind, ...KIND_DEFAULTS[kind], status, details, ...REFINEMENTS[kind]?.(input, details) });
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
    action: 'retry',
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
