import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/extension/base/clock';
import { OpenRouterError, type OpenRouterErrorInit } from '../../../src/extension/openrouter/errors';
import { backoffDelay, decideRetry, withRetry, type RetryNotice, type RetryPolicy } from '../../../src/extension/openrouter/retry';

const POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 8_000, maxTotalMs: 60_000, retryAfterJitterMs: 1_000 };

function error(init: Partial<OpenRouterErrorInit> = {}): OpenRouterError {
  return new OpenRouterError({ kind: 'server', action: 'retry', retryable: true, ...init });
}

const decide = (e: OpenRouterError, attempts = 1, elapsedMs = 0, random = () => 0.5) =>
  decideRetry({ error: e, attempts, elapsedMs, policy: POLICY, random });

describe('backoffDelay', () => {
  it('doubles the ceiling with each retry', () => {
    const top = () => 0.999999;
    assert.deepEqual([1, 2, 3].map((n) => backoffDelay(n, POLICY, top)), [999, 1999, 3999]);
  });

  it('never exceeds the maximum delay', () => {
    assert.equal(backoffDelay(20, POLICY, () => 0.999999), 7999);
  });

  it('uses full jitter: anywhere from zero up to the ceiling', () => {
    assert.equal(backoffDelay(3, POLICY, () => 0), 0);
    assert.equal(backoffDelay(3, POLICY, () => 0.25), 1000);
  });
});

describe('decideRetry', () => {
  it('retries a retryable error with a jittered back-off', () => {
    assert.deepEqual(decide(error(), 2), { retry: true, delayMs: 1000 });
  });

  it('waits for Retry-After plus a little jitter when the server gave one', () => {
    assert.deepEqual(decide(error({ kind: 'rate_limited', retryAfterMs: 4_000 })), { retry: true, delayMs: 4_500 });
  });

  it('never retries once tokens were delivered', () => {
    const partial = { delivered: true, contentChars: 12, reasoningChars: 0 };
    assert.deepEqual(decide(error({ partial })), { retry: false, reason: 'delivered' });
  });

  it('does not retry errors that are not retryable', () => {
    assert.deepEqual(decide(error({ kind: 'bad_request', retryable: false })), { retry: false, reason: 'not_retryable' });
  });

  it('does not retry an open circuit even though it is retryable later', () => {
    assert.deepEqual(decide(error({ kind: 'circuit_open', retryAfterMs: 1 })), { retry: false, reason: 'not_retryable' });
  });

  it('stops after the maximum number of attempts', () => {
    assert.deepEqual(decide(error(), 4), { retry: false, reason: 'attempts' });
  });

  it('does not start a retry that would end past the total time budget', () => {
    assert.deepEqual(decide(error({ retryAfterMs: 30_000 }), 1, 40_000), { retry: false, reason: 'time_budget' });
  });
});

describe('withRetry', () => {
  it('returns the first success after sleeping the decided delays on the clock', async () => {
    const clock = new ManualClock();
    const notices: RetryNotice[] = [];
    let calls = 0;
    const result = withRetry(
      async () => {
        calls++;
        if (calls < 3) throw error();
        return 'ok';
      },
      { policy: POLICY, clock, random: () => 0.5, onRetry: (n) => notices.push(n) },
    );
    await clock.advance(10_000);
    assert.equal(await result, 'ok');
    assert.deepEqual(notices.map((n) => [n.attempt, n.delayMs]), [[2, 500], [3, 1000]]);
  });

  it('does not call again before the back-off has elapsed', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const result = withRetry(
      async () => {
        calls++;
        throw error();
      },
      { policy: { ...POLICY, maxAttempts: 2 }, clock, random: () => 0.5 },
    ).catch((e: unknown) => e);
    await clock.advance(499);
    assert.equal(calls, 1);
    await clock.advance(1);
    assert.equal(calls, 2);
    assert.equal(((await result) as OpenRouterError).kind, 'server');
  });

  it('rethrows the last error when attempts run out', async () => {
    const clock = new ManualClock();
    const result = withRetry(async () => {
      throw error({ kind: 'provider' });
    }, { policy: POLICY, clock, random: () => 0 });
    const settled = result.catch((e: unknown) => e);
    await clock.advance(60_000);
    const e = (await settled) as OpenRouterError;
    assert.equal(e.kind, 'provider');
  });

  it('ends a back-off wait at once with a cancelled error when the signal aborts', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const settled = withRetry(async () => {
      throw error();
    }, { policy: POLICY, clock, random: () => 0.5, signal: controller.signal }).catch((e: unknown) => e);
    await clock.advance(100);
    controller.abort();
    const e = (await settled) as OpenRouterError;
    assert.equal(e.kind, 'cancelled');
    assert.equal(clock.pendingTimers, 0);
  });

  it('rethrows unexpected (non-OpenRouter) exceptions unchanged without retrying', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const bug = new TypeError('bug');
    await assert.rejects(
      withRetry(async () => {
        calls++;
        throw bug;
      }, { policy: POLICY, clock, random: () => 0.5 }),
      (e) => e === bug,
    );
    assert.equal(calls, 1);
  });
});
