import assert from 'node:assert/strict';
import { errorText, failureText } from '../../../src/extension/core/failureText';
import { circuitOpenError, connectTimeoutError, KIND_DEFAULTS, openRouterError, stalledError, type OpenRouterErrorKind } from '../../../src/extension/openrouter/errors';
import { errorFromHttp } from '../../../src/extension/openrouter/errorStatus';

const http = (status: number, message?: string) =>
  errorFromHttp({ status, body: message === undefined ? undefined : { message }, retryAfterHeader: null, rateLimitResetHeader: null, now: 0, secrets: [] });

describe('failureText (the words for the facts the transport layer reports)', () => {
  it('gives every kind a sentence', () => {
    for (const kind of Object.keys(KIND_DEFAULTS) as OpenRouterErrorKind[]) {
      const text = failureText(openRouterError(kind));
      assert.match(text, /^[A-Z].{8,}[.]$/, `${kind}: ${text}`);
    }
  });

  it('names the limit that ran out and the wait of a paused circuit', () => {
    assert.equal(failureText(connectTimeoutError(30_000)), 'OpenRouter did not answer within 30 s.');
    assert.equal(failureText(stalledError(45_000)), 'The reply stalled: nothing arrived for 45 s.');
    assert.equal(failureText(circuitOpenError('model:x', 1_200)), 'Paused after repeated failures; trying again in 2 s.');
  });

  it('quotes the server for a rejected request and reports an undocumented status by its number', () => {
    assert.equal(failureText(http(400, 'messages: required')), 'OpenRouter rejected the request: messages: required');
    assert.equal(failureText(http(418)), 'OpenRouter answered with HTTP 418.');
    assert.equal(http(418).action, 'none');
    assert.equal(failureText(http(500)), 'OpenRouter had a server error (500).');
  });

  it('says the cost stays estimated when the generation is not recorded yet', () => {
    const e = openRouterError('not_found', { details: { costNotRecorded: true } });
    assert.match(failureText(e), /stays estimated/);
    assert.match(failureText(openRouterError('not_found')), /does not know this resource/);
  });

  it('reads any other error by its message', () => {
    assert.equal(errorText(new Error('disk full')), 'disk full');
    assert.equal(errorText('plain'), 'plain');
    assert.equal(errorText(http(401)), 'The OpenRouter API key is missing or invalid.');
  });
});
