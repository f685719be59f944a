/**
 * The words a person reads for an OpenRouter failure. The transport layer reports facts
 * (kind, status, the server's scrubbed message, counts); this table turns them into a
 * sentence, so changing what the user sees never touches the HTTP code.
 */
import { isOpenRouterError, type OpenRouterError, type OpenRouterErrorKind } from '../openrouter/errors';

const seconds = (ms: number | undefined): number => Math.round((ms ?? 0) / 1000);
/** ": <server words>" when the server said something, else a full stop. */
const said = (e: OpenRouterError): string => (e.details.serverMessage ? `: ${e.details.serverMessage}` : '.');
/** The statuses OpenRouter documents for a rejected request; any other 4xx is reported by its number. */
const REJECTED = new Set([400, 413, 422]);

const TEXT: Readonly<Record<OpenRouterErrorKind, (e: OpenRouterError) => string>> = {
  context_length: () => 'The conversation is longer than this model’s context window.',
  bad_request: (e) =>
    e.status === undefined || REJECTED.has(e.status) ? `OpenRouter rejected the request${said(e)}` : `OpenRouter answered with HTTP ${e.status}${said(e)}`,
  missing_key: () => 'No OpenRouter API key is set.',
  unauthorized: (e) =>
    e.details.managementKey
      ? 'OpenRouter refused the management key: set a management key (not an API key) to read credits and activity.'
      : 'The OpenRouter API key is missing or invalid.',
  no_credits: (e) =>
    e.details.affordableTokens !== undefined
      ? `Not enough credits for this reply: the balance covers about ${e.details.affordableTokens} tokens.`
      : 'Your OpenRouter credits are used up.',
  moderation: (e) => {
    const reasons = e.details.moderationReasons ?? [];
    return reasons.length > 0 ? `The message was flagged by moderation: ${reasons.join(', ')}.` : 'The message was flagged by moderation.';
  },
  timeout: (e) =>
    e.details.timeoutMs !== undefined ? `OpenRouter did not answer within ${seconds(e.details.timeoutMs)} s.` : 'OpenRouter timed out waiting for the model.',
  // No "retry in N s": the text outlives the wait (the final 429 is shown after it), and the
  // notice counts down from retryAfterMs itself.
  rate_limited: (e) => (e.details.dailyLimit ? 'The daily limit for free models is used up; it resets tomorrow.' : 'Rate limited by OpenRouter.'),
  provider: () => 'The model’s provider returned an error or is down.',
  unavailable: () => 'No provider can serve this model right now.',
  server: (e) => `OpenRouter had a server error (${e.status ?? 'unknown status'}).`,
  network: () => 'Could not reach OpenRouter.',
  stalled: (e) => `The reply stalled: nothing arrived for ${seconds(e.details.timeoutMs)} s.`,
  cut_off: () => 'The connection closed before the reply finished.',
  midstream: (e) => `The model stopped with an error mid-reply${said(e)}`,
  cancelled: () => 'Cancelled.',
  circuit_open: (e) => `Paused after repeated failures; trying again in ${Math.max(1, Math.ceil((e.retryAfterMs ?? 0) / 1000))} s.`,
  invalid_response: (e) => `OpenRouter sent an unexpected ${e.details.what ?? 'response'}.`,
  not_found: (e) =>
    e.details.costNotRecorded ? 'OpenRouter has not recorded this reply’s cost yet; it stays estimated.' : `OpenRouter does not know this resource${said(e)}`,
  catalog_unavailable: () => 'The model list could not be loaded and there is no saved copy. Check the connection and the API key.',
};

/** The sentence shown for an OpenRouter failure. */
export function failureText(error: OpenRouterError): string {
  return TEXT[error.kind](error);
}

/** Any error as one line a person can read: an OpenRouter failure in its words, else the exception's message. */
export function errorText(error: unknown): string {
  if (isOpenRouterError(error)) return failureText(error);
  return error instanceof Error ? error.message : String(error);
}
