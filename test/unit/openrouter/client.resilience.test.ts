/**
 * Circuit breakers and timeouts as the client applies them: which failures
 * trip which breaker, failing fast while open, recovering through a trial,
 * and the connect timeout (driven by a manual clock).
 */
import assert from 'node:assert/strict';
import type { CircuitChange } from '../../../src/extension/openrouter/circuitBreaker';
import { ManualClock } from '../../../src/extension/base/clock';
import { startFakeOpenRouter, type FakeServer } from '../../fixtures/fakeOpenRouter';
import { chatRequests, drain, makeClient, ofType, userRequest } from './harness';

const NO_RETRY = { maxAttempts: 1 };
const TRIP_AT_3 = { failureThreshold: 3, cooldownMs: 30_000 };

describe('OpenRouterClient resilience', () => {
  let fake: FakeServer;
  before(async () => {
    fake = await startFakeOpenRouter({ latencyScale: 0, errorBurstLength: 3 });
  });
  beforeEach(() => fake.reset());
  after(() => fake.close());

  describe('circuit breakers', () => {
    it('opens the chat circuit after consecutive server errors and then fails fast without a request', async () => {
      const { client } = makeClient(fake, { retry: NO_RETRY, circuit: TRIP_AT_3 });
      fake.setScenarios(['server_error_burst']);
      for (let i = 0; i < 3; i++) await drain(client.streamChat(userRequest('hi')));
      const { error } = await drain(client.streamChat(userRequest('hi')));
      assert.equal(error?.kind, 'circuit_open');
      assert.equal(error?.details.circuitKey, 'chat');
      assert.equal(chatRequests(fake).length, 3);
    });

    it('tells how long until the circuit lets a request through', async () => {
      const clock = new ManualClock(0);
      const { client } = makeClient(fake, { retry: NO_RETRY, circuit: TRIP_AT_3 }, clock);
      fake.setScenarios(['server_error_burst']);
      for (let i = 0; i < 3; i++) await drain(client.streamChat(userRequest('hi')));
      await clock.advance(12_000);
      const { error } = await drain(client.streamChat(userRequest('hi')));
      assert.equal(error?.retryAfterMs, 18_000);
    });

    it('lets one trial through after the cool-down and closes when it succeeds', async () => {
      const clock = new ManualClock(0);
      const { client } = makeClient(fake, { retry: NO_RETRY, circuit: TRIP_AT_3 }, clock);
      fake.setScenarios(['server_error_burst']);
      for (let i = 0; i < 3; i++) await drain(client.streamChat(userRequest('hi')));
      await clock.advance(30_000);
      const { error } = await drain(client.streamChat(userRequest('hi')));
      assert.equal(error, undefined);
      assert.equal(client.circuits.get('chat').state, 'closed');
    });

    it('charges provider errors to the model’s circuit, not the chat endpoint', async () => {
      const { client } = makeClient(fake, { retry: NO_RETRY, circuit: TRIP_AT_3 });
      for (let i = 0; i < 3; i++) await drain(client.streamChat(userRequest('hi [[scenario:provider_error]]')));
      assert.equal(client.circuits.get('model:openai/gpt-4o-mini').state, 'open');
      assert.equal(client.circuits.get('chat').state, 'closed');
      const other = await drain(client.streamChat(userRequest('hi', { model: 'anthropic/claude-sonnet-4' })));
      assert.equal(other.error, undefined);
    });

    it('skips a model whose circuit is open and uses the next fallback', async () => {
      const { client } = makeClient(fake, { retry: NO_RETRY, circuit: TRIP_AT_3 });
      for (let i = 0; i < 3; i++) await drain(client.streamChat(userRequest('hi [[scenario:provider_error]]')));
      fake.reset();
      const { events, error } = await drain(client.streamChat(userRequest('hi', { fallbackModels: ['anthropic/claude-sonnet-4'] })));
      assert.equal(error, undefined);
      assert.equal((chatRequests(fake)[0]?.body as { model?: string }).model, 'anthropic/claude-sonnet-4');
      assert.equal(ofType(events, 'model')[0]?.model, 'anthropic/claude-sonnet-4');
    });

    it('never trips on user errors (400, 401, 402, 403)', async () => {
      const { client } = makeClient(fake, { retry: NO_RETRY, circuit: { failureThreshold: 2, cooldownMs: 30_000 } });
      for (const scenario of ['context_length', 'unauthorized', 'no_credits', 'moderation', 'context_length', 'unauthorized']) {
        await drain(client.streamChat(userRequest(`hi [[scenario:${scenario}]]`)));
      }
      assert.deepEqual(
        client.circuits.snapshot().map((c) => c.state),
        client.circuits.snapshot().map(() => 'closed'),
      );
      assert.equal((await drain(client.streamChat(userRequest('hi')))).error, undefined);
    });

    it('does not count a cut-off stream that had delivered tokens as success', async () => {
      const { client } = makeClient(fake, { retry: NO_RETRY, circuit: TRIP_AT_3 });
      for (let i = 0; i < 3; i++) await drain(client.streamChat(userRequest('bye [[scenario:disconnect]]')));
      assert.equal(client.circuits.get('chat').state, 'open');
    });

    it('announces each state change to subscribers', async () => {
      const clock = new ManualClock(0);
      const { client } = makeClient(fake, { retry: NO_RETRY, circuit: TRIP_AT_3 }, clock);
      const changes: CircuitChange[] = [];
      client.circuits.onChange((c) => changes.push(c));
      fake.setScenarios(['server_error_burst']);
      for (let i = 0; i < 3; i++) await drain(client.streamChat(userRequest('hi')));
      await clock.advance(30_000);
      await drain(client.streamChat(userRequest('hi')));
      assert.deepEqual(changes.map((c) => `${c.key}:${c.to}`), ['chat:open', 'chat:half_open', 'chat:closed']);
    });

    it('frees the half-open trial when the consumer stops reading early', async () => {
      const clock = new ManualClock(0);
      const { client } = makeClient(fake, { retry: NO_RETRY, circuit: TRIP_AT_3 }, clock);
      fake.setScenarios(['server_error_burst']);
      for (let i = 0; i < 3; i++) await drain(client.streamChat(userRequest('hi')));
      await clock.advance(30_000);
      for await (const event of client.streamChat(userRequest('hi'))) {
        if (event.type === 'content') break;
      }
      assert.equal((await drain(client.streamChat(userRequest('hi')))).error, undefined);
    });
  });

  describe('timeouts', () => {
    it('ends a request whose response headers never come with a timeout error', async () => {
      const clock = new ManualClock(0);
      const hanging = (_url: string, init: RequestInit): Promise<Response> =>
        new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
      const { client } = makeClient(fake, { fetch: hanging, retry: NO_RETRY, timeouts: { connectMs: 30_000, stallMs: 60_000, requestMs: 30_000 } }, clock);
      const result = drain(client.streamChat(userRequest('hi')));
      await clock.advance(29_999);
      let settled = false;
      void result.then(() => (settled = true));
      await clock.advance(0);
      assert.equal(settled, false);
      await clock.advance(1);
      const { error } = await result;
      assert.equal(error?.kind, 'timeout');
      assert.equal(clock.pendingTimers, 0);
    });

    it('counts a connect timeout against the chat circuit', async () => {
      const clock = new ManualClock(0);
      const hanging = (_url: string, init: RequestInit): Promise<Response> =>
        new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
      const { client } = makeClient(fake, { fetch: hanging, retry: NO_RETRY, circuit: { failureThreshold: 1, cooldownMs: 30_000 } }, clock);
      const result = drain(client.streamChat(userRequest('hi')));
      await clock.advance(5_000); // the harness's connect timeout
      assert.equal((await result).error?.kind, 'timeout');
      assert.equal(client.circuits.get('chat').state, 'open');
    });

    it('maps a refused connection to a retryable network error', async () => {
      const closed = await startFakeOpenRouter({ latencyScale: 0 });
      await closed.close();
      const { client } = makeClient(closed, { retry: NO_RETRY });
      const { error } = await drain(client.streamChat(userRequest('hi')));
      assert.equal(error?.kind, 'network');
      assert.equal(error?.retryable, true);
    });
  });
});
