import * as assert from 'node:assert/strict';

import { PersistScheduler, type PersistTarget } from '../../../src/extension/storage/persistScheduler';

/** A fake persist target counting writes; `fail` makes the next writes reject. */
class FakeTarget implements PersistTarget {
  changes = 0;
  persisted = 0;
  writes = 0;
  fail = 0;
  readonly errors: unknown[] = [];
  async persist(): Promise<void> {
    this.writes++;
    const exported = this.changes;
    await new Promise((resolve) => setTimeout(resolve, 2));
    if (this.fail > 0) {
      this.fail--;
      throw new Error('disk full');
    }
    this.persisted = exported;
  }
  changeSeq(): number {
    return this.changes;
  }
  persistedSeq(): number {
    return this.persisted;
  }
  onError(error: unknown): void {
    this.errors.push(error);
  }
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail('condition never became true');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('storage/persistScheduler', () => {
  it('coalesces a burst of debounced changes into one write', async () => {
    const target = new FakeTarget();
    const scheduler = new PersistScheduler(target, { debounceMs: 30, maxWaitMs: 10_000 });
    for (let i = 0; i < 20; i++) {
      target.changes++;
      scheduler.request('debounced');
    }
    await until(() => target.persisted === 20);
    assert.equal(target.writes, 1);
    await scheduler.dispose();
  });

  it('writes an urgent change without waiting for the debounce', async () => {
    const target = new FakeTarget();
    const scheduler = new PersistScheduler(target, { debounceMs: 60_000, maxWaitMs: 60_000 });
    target.changes++;
    scheduler.request('now');
    await until(() => target.persisted === 1);
    await scheduler.dispose();
  });

  it('writes within the max wait even while changes keep coming', async () => {
    const target = new FakeTarget();
    const scheduler = new PersistScheduler(target, { debounceMs: 50, maxWaitMs: 100 });
    const stopAt = Date.now() + 2_000;
    while (target.writes === 0 && Date.now() < stopAt) {
      target.changes++;
      scheduler.request('debounced');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.ok(target.writes > 0, 'a write happened although the debounce never went quiet');
    await scheduler.dispose();
  });

  it('flush resolves only when every earlier change is written', async () => {
    const target = new FakeTarget();
    const scheduler = new PersistScheduler(target, { debounceMs: 60_000, maxWaitMs: 60_000 });
    target.changes = 5;
    scheduler.request('debounced');
    await scheduler.flush();
    assert.equal(target.persisted, 5);
    await scheduler.dispose();
  });

  it('retries a failed write and reports the failure', async () => {
    const target = new FakeTarget();
    const scheduler = new PersistScheduler(target, { debounceMs: 1, maxWaitMs: 10, retryMs: 5 });
    target.fail = 2;
    target.changes++;
    scheduler.request('now');
    await until(() => target.persisted === 1);
    assert.equal(target.errors.length, 2);
    await scheduler.dispose();
  });

  it('flush rejects when the write fails', async () => {
    const target = new FakeTarget();
    const scheduler = new PersistScheduler(target, { debounceMs: 60_000, maxWaitMs: 60_000, retryMs: 60_000 });
    target.fail = 1;
    target.changes++;
    await assert.rejects(scheduler.flush(), /disk full/);
    await scheduler.dispose();
  });

  it('writes again for changes made while a write was in flight', async () => {
    const target = new FakeTarget();
    const scheduler = new PersistScheduler(target, { debounceMs: 5, maxWaitMs: 50 });
    target.changes++;
    scheduler.request('now');
    await until(() => target.writes === 1);
    target.changes++;
    scheduler.request('debounced');
    await until(() => target.persisted === 2);
    await scheduler.dispose();
  });
});
