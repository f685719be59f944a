import assert from 'node:assert/strict';
import {
  CircuitBreaker,
  CircuitBreakers,
  failureScope,
  type CircuitChange,
} from '../../../src/extension/openrouter/circuitBreaker';
import { ManualClock } from '../../../src/extension/base/clock';

const OPTIONS = { failureThreshold: 3, cooldownMs: 30_000 };

function breaker(clock = new ManualClock(), changes: CircuitChange[] = []): CircuitBreaker {
  return new CircuitBreaker('chat', OPTIONS, clock, (c) => changes.push(c));
}

function fail(b: CircuitBreaker, times: number): void {
  for (let i = 0; i < times; i++) {
    assert.equal(b.tryAcquire().ok, true);
    b.recordFailure();
  }
}

describe('CircuitBreaker', () => {
  it('stays closed while failures are below the threshold', () => {
    const b = breaker();
    fail(b, 2);
    assert.equal(b.state, 'closed');
    assert.equal(b.tryAcquire().ok, true);
  });

  it('opens after the threshold of consecutive failures', () => {
    const b = breaker();
    fail(b, 3);
    assert.equal(b.state, 'open');
  });

  it('counts only consecutive failures: a success in between resets the count', () => {
    const b = breaker();
    fail(b, 2);
    b.tryAcquire();
    b.recordSuccess();
    fail(b, 2);
    assert.equal(b.state, 'closed');
  });

  it('fails fast while open and tells how long until the trial', async () => {
    const clock = new ManualClock();
    const b = breaker(clock);
    fail(b, 3);
    await clock.advance(10_000);
    const permit = b.tryAcquire();
    assert.deepEqual(permit, { ok: false, retryInMs: 20_000 });
  });

  it('turns half-open once the cool-down has passed', async () => {
    const clock = new ManualClock();
    const b = breaker(clock);
    fail(b, 3);
    await clock.advance(30_000);
    assert.equal(b.state, 'half_open');
  });

  it('admits exactly one trial request while half-open', async () => {
    const clock = new ManualClock();
    const b = breaker(clock);
    fail(b, 3);
    await clock.advance(30_000);
    assert.equal(b.tryAcquire().ok, true);
    assert.equal(b.tryAcquire().ok, false);
  });

  it('closes when the trial succeeds', async () => {
    const clock = new ManualClock();
    const b = breaker(clock);
    fail(b, 3);
    await clock.advance(30_000);
    b.tryAcquire();
    b.recordSuccess();
    assert.equal(b.state, 'closed');
    assert.equal(b.consecutiveFailures, 0);
  });

  it('reopens for a full cool-down when the trial fails', async () => {
    const clock = new ManualClock();
    const b = breaker(clock);
    fail(b, 3);
    await clock.advance(30_000);
    b.tryAcquire();
    b.recordFailure();
    assert.equal(b.state, 'open');
    assert.deepEqual(b.tryAcquire(), { ok: false, retryInMs: 30_000 });
  });

  it('lets another trial through when the trial is released without a verdict', async () => {
    const clock = new ManualClock();
    const b = breaker(clock);
    fail(b, 3);
    await clock.advance(30_000);
    b.tryAcquire();
    b.release();
    assert.equal(b.tryAcquire().ok, true);
  });

  it('reports each state change with the time the trial becomes possible', async () => {
    const clock = new ManualClock(1_000);
    const changes: CircuitChange[] = [];
    const b = breaker(clock, changes);
    fail(b, 3);
    await clock.advance(30_000);
    b.tryAcquire();
    b.recordSuccess();
    assert.deepEqual(
      changes.map((c) => [c.from, c.to, c.retryAt]),
      [
        ['closed', 'open', 31_000],
        ['open', 'half_open', undefined],
        ['half_open', 'closed', undefined],
      ],
    );
  });
});

describe('CircuitBreakers', () => {
  it('keeps one independent breaker per key', () => {
    const breakers = new CircuitBreakers(OPTIONS, new ManualClock());
    fail(breakers.get('model:a'), 3);
    assert.equal(breakers.get('model:a').state, 'open');
    assert.equal(breakers.get('model:b').state, 'closed');
  });

  it('forwards every breaker’s changes to its subscribers until they unsubscribe', () => {
    const breakers = new CircuitBreakers(OPTIONS, new ManualClock());
    const seen: string[] = [];
    const unsubscribe = breakers.onChange((c) => seen.push(`${c.key}:${c.to}`));
    fail(breakers.get('chat'), 3);
    unsubscribe();
    fail(breakers.get('models'), 3);
    assert.deepEqual(seen, ['chat:open']);
  });

  it('applies a new threshold and cool-down to breakers that already exist', () => {
    const clock = new ManualClock();
    const breakers = new CircuitBreakers(OPTIONS, clock);
    const chat = breakers.get('chat');
    breakers.configure({ failureThreshold: 1, cooldownMs: 500 });
    fail(chat, 1);
    assert.equal(chat.state, 'open', 'one failure is enough now');
    assert.equal(chat.retryAt, clock.now() + 500);
    breakers.configure({ cooldownMs: 100 });
    assert.equal(chat.retryAt, clock.now() + 100, 'an open circuit waits the new cool-down');
  });

  it('survives a subscriber that throws', () => {
    const breakers = new CircuitBreakers(OPTIONS, new ManualClock());
    breakers.onChange(() => {
      throw new Error('bad subscriber');
    });
    fail(breakers.get('chat'), 3);
    assert.equal(breakers.get('chat').state, 'open');
  });
});

describe('failureScope', () => {
  it('never charges user errors to a breaker', () => {
    for (const kind of ['bad_request', 'context_length', 'unauthorized', 'no_credits', 'moderation', 'missing_key'] as const) {
      assert.equal(failureScope(kind), 'none', kind);
    }
  });

  it('charges provider failures to the model and transport failures to the endpoint', () => {
    assert.equal(failureScope('provider'), 'model');
    assert.equal(failureScope('unavailable'), 'model');
    assert.equal(failureScope('server'), 'endpoint');
    assert.equal(failureScope('network'), 'endpoint');
    assert.equal(failureScope('stalled'), 'endpoint');
  });

  it('does not count cancels or rate limits as failures', () => {
    assert.equal(failureScope('cancelled'), 'none');
    assert.equal(failureScope('rate_limited'), 'none');
  });
});
