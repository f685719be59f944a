/**
 * Small HTTP helpers shared by the streaming and JSON calls: URLs, headers,
 * reading an error body into a typed error, and a logger that scrubs secrets.
 * The API key enters only the `Authorization` header built here and is never
 * logged, echoed or put into an error. No `vscode` import.
 */
import { errorBodySchema } from './schemas';
import { mapLogger, type Logger } from '../base/logger';
import { redactSecrets } from '../base/redact';
import type { OpenRouterError } from './errors';
import { errorFromHttp, type ServerErrorBody } from './errorStatus';
import type { OpenRouterClientDeps } from './types';

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Headers of a request; without a key (the public `/models`), no Authorization header at all. */
export function requestHeaders(apiKey: string | undefined, app: OpenRouterClientDeps['app'], accept: string): Record<string, string> {
  const headers: Record<string, string> = { Accept: accept };
  if (apiKey !== undefined) headers['Authorization'] = `Bearer ${apiKey}`;
  if (app?.referer) headers['HTTP-Referer'] = app.referer;
  if (app?.title) headers['X-OpenRouter-Title'] = app.title;
  return headers;
}

// Error bodies are small; a proxy's HTML page need not be read whole.
const MAX_ERROR_BODY_CHARS = 64 * 1024;

/** Parses `{error: {code, message, metadata}}` if the text holds it; anything else gives undefined. */
export function parseErrorBody(text: string): ServerErrorBody | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { code, message, metadata } = parsed.data.error;
  return {
    ...(code !== undefined && code !== null ? { code } : {}),
    ...(message !== undefined && message !== null ? { message } : {}),
    ...(metadata !== undefined && metadata !== null ? { metadata } : {}),
  };
}

/** Reads a non-2xx response into its typed error. Body read failures still yield the status's error. */
export async function errorFromResponse(
  response: Response,
  context: { now: number; secrets: Iterable<string>; model?: string },
): Promise<OpenRouterError> {
  let text = '';
  try {
    text = (await response.text()).slice(0, MAX_ERROR_BODY_CHARS);
  } catch {
    // The status alone still classifies the error.
  }
  return errorFromHttp({
    status: response.status,
    body: parseErrorBody(text),
    retryAfterHeader: response.headers.get('retry-after'),
    rateLimitResetHeader: response.headers.get('x-ratelimit-reset'),
    now: context.now,
    secrets: context.secrets,
    ...(context.model !== undefined ? { model: context.model } : {}),
  });
}

/** Wraps a logger so no line can carry a known key or anything shaped like one. */
export function scrubbingLogger(logger: Logger, secrets: ReadonlySet<string>): Logger {
  return mapLogger(logger, (line) => redactSecrets(line, secrets));
}
