import assert from 'node:assert/strict';
import { errorFromHttp, errorFromMidstream, type HttpErrorInput } from '../../../src/extension/openrouter/errorStatus';
import { failureText } from '../../../src/extension/core/failureText';
import { redactSecrets } from '../../../src/extension/base/redact';

const KEY = `sk-or-v1-${'a1'.repeat(32)}`;

function http(status: number, message?: string, extra: Partial<HttpErrorInput> = {}) {
  return errorFromHttp({
    status,
    body: message === undefined ? undefined : { code: status, message },
    retryAfterHeader: null,
    rateLimitResetHeader: null,
    now: 1_000_000,
    secrets: [KEY],
    ...extra,
  });
}

describe('errorFromHttp', () => {
  it('tells a context-length 400 apart from other bad requests', () => {
    assert.equal(http(400, "This endpoint's maximum context length is 8192 tokens.").kind, 'context_length');
    assert.equal(http(400, 'messages: required').kind, 'bad_request');
  });

  it('classifies context-length by code and structure, not by any "context_length" in a message', () => {
    // A different 400 that merely names the identifier (the fake's unknown-scenario error) is a bad request with the server's words.
    const unknown = http(400, 'Unknown fake scenario(s): nope. Known: ok, context_length, rate_limit');
    assert.equal(unknown.kind, 'bad_request');
    assert.match(failureText(unknown), /Unknown fake scenario\(s\): nope/);
    assert.equal(http(400, 'Invalid parameter: context_length must be an integer').kind, 'bad_request');
    // Codes in the body or in the provider's raw error.
    const coded = (code: string | number, message: string, metadata?: Record<string, unknown>) =>
      errorFromHttp({ status: 400, body: { code, message, ...(metadata ? { metadata } : {}) }, retryAfterHeader: null, rateLimitResetHeader: null, now: 0, secrets: [] });
    assert.equal(coded('context_length_exceeded', 'Bad request').kind, 'context_length');
    assert.equal(coded(400, 'Provider returned error', { raw: '{"error":{"code":"context_length_exceeded","message":"…"}}' }).kind, 'context_length');
    assert.equal(coded(400, 'Provider returned error', { raw: { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' } } }).kind, 'context_length');
    assert.equal(coded(400, 'Provider returned error', { raw: '{"error":{"code":"invalid_value"}}' }).kind, 'bad_request');
    assert.equal(http(413, 'Payload Too Large').kind, 'context_length');
    assert.equal(http(400, 'The input exceeds the maximum context length of the model').kind, 'context_length');
  });

  it('keeps no stale "retry in N s" in a rate-limit message (the notice counts down itself)', () => {
    const e = http(429, 'Rate limit exceeded', { retryAfterHeader: '2' });
    assert.equal(e.retryAfterMs, 2000);
    assert.equal(failureText(e), 'Rate limited by OpenRouter.');
  });

  it('suggests shortening the conversation for context-length errors', () => {
    assert.equal(http(400, 'maximum context length exceeded').action, 'shorten_context');
  });

  it('maps 401 to an unretryable error that asks for the key', () => {
    const e = http(401, 'No auth credentials found');
    assert.equal(e.kind, 'unauthorized');
    assert.equal(e.retryable, false);
    assert.equal(e.action, 'set_key');
  });

  it('reads the requested and affordable token counts from a 402', () => {
    const e = http(402, 'You requested up to 4096 tokens, but can only afford 1234. To increase…');
    assert.equal(e.kind, 'no_credits');
    assert.equal(e.details.requestedTokens, 4096);
    assert.equal(e.details.affordableTokens, 1234);
    assert.equal(e.action, 'lower_max_tokens');
  });

  it('suggests adding credits for a 402 without an affordable count', () => {
    assert.equal(http(402, 'Insufficient credits').action, 'add_credits');
  });

  it('lists the moderation reasons of a 403', () => {
    const e = errorFromHttp({
      status: 403,
      body: { code: 403, message: 'flagged', metadata: { reasons: ['violence', 'hate'], flagged_input: 'some text' } },
      retryAfterHeader: null,
      rateLimitResetHeader: null,
      now: 0,
      secrets: [],
    });
    assert.equal(e.kind, 'moderation');
    assert.deepEqual(e.details.moderationReasons, ['violence', 'hate']);
    assert.equal(e.details.flaggedInput, 'some text');
    assert.match(failureText(e), /violence, hate/);
  });

  it('marks 408 as a retryable timeout', () => {
    const e = http(408, 'Request timed out');
    assert.equal(e.kind, 'timeout');
    assert.equal(e.retryable, true);
  });

  it('takes the wait of a 429 from Retry-After seconds', () => {
    assert.equal(http(429, 'Rate limit exceeded', { retryAfterHeader: '2' }).retryAfterMs, 2_000);
  });

  it('falls back to X-RateLimit-Reset (epoch ms) when there is no Retry-After', () => {
    assert.equal(http(429, 'Rate limit exceeded', { rateLimitResetHeader: '1004500' }).retryAfterMs, 4_500);
  });

  it('reads X-RateLimit-Reset from the body metadata when only the body has it', () => {
    const e = errorFromHttp({
      status: 429,
      body: { code: 429, message: 'Rate limit exceeded', metadata: { headers: { 'X-RateLimit-Reset': '1003000' } } },
      retryAfterHeader: null,
      rateLimitResetHeader: null,
      now: 1_000_000,
      secrets: [],
    });
    assert.equal(e.retryAfterMs, 3_000);
  });

  it('marks the free-models-per-day 429 as not worth retrying today', () => {
    const e = http(429, 'Rate limit exceeded: free-models-per-day. Add 10 credits…', { rateLimitResetHeader: '2000000' });
    assert.equal(e.retryable, false);
    assert.equal(e.details.dailyLimit, true);
    assert.equal(e.action, 'try_tomorrow');
  });

  it('suggests a fallback model for 502 and 503', () => {
    assert.deepEqual([http(502).kind, http(502).action], ['provider', 'use_fallback_model']);
    assert.deepEqual([http(503).kind, http(503).action], ['unavailable', 'use_fallback_model']);
  });

  it('maps other 5xx to a retryable server error', () => {
    const e = http(500, 'Internal Server Error');
    assert.equal(e.kind, 'server');
    assert.equal(e.retryable, true);
  });

  it('never carries the key a server echoed back', () => {
    const e = http(400, `bad key ${KEY} and header Bearer ${KEY}`);
    const text = `${e.message} ${failureText(e)} ${JSON.stringify(e)}`;
    assert.equal(text.includes(KEY), false);
  });
});

describe('errorFromMidstream', () => {
  it('keeps the provider message and code of an error chunk', () => {
    const e = errorFromMidstream({ code: 502, message: 'Provider disconnected' }, [], { model: 'm', provider: 'p' });
    assert.equal(e.kind, 'midstream');
    assert.equal(e.details.serverMessage, 'Provider disconnected');
    assert.equal(e.details.provider, 'p');
    assert.equal(e.retryable, true);
  });

  it('treats a 4xx code inside the chunk as not retryable', () => {
    assert.equal(errorFromMidstream({ code: 400, message: 'bad' }, [], {}).retryable, false);
  });
});

describe('redactSecrets', () => {
  it('removes a known secret wherever it appears', () => {
    assert.equal(redactSecrets('a secret-value b', ['secret-value']), 'a [REDACTED] b');
  });

  it('removes anything shaped like an OpenRouter key even when it is not known', () => {
    assert.equal(redactSecrets(`key=sk-or-v1-${'f'.repeat(64)}`), 'key=[REDACTED]');
  });

  it('removes bearer tokens', () => {
    assert.equal(redactSecrets('Authorization: Bearer abc.def'), 'Authorization: Bearer [REDACTED]');
  });
});
