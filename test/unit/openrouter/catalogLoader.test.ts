import assert from 'node:assert/strict';
import { ManualClock, flushMicrotasks } from '../../../src/extension/base/clock';
import { ModelCatalog, type CacheStore, type ModelsSource } from '../../../src/extension/openrouter/catalog';
import { CatalogLoader } from '../../../src/extension/openrouter/catalogLoader';
import { catalogResponse } from '../../fixtures/catalog';
import { captureLogger } from './harness';

const TEXT = JSON.stringify(catalogResponse({ includeMalformed: false }));

class EmptyStore implements CacheStore {
  async read() {
    return undefined;
  }
  async write() {}
}

/** Fails the first `failures` calls (no network yet), then answers. */
class FlakySource implements ModelsSource {
  calls = 0;
  constructor(private failures: number) {}
  async fetchModelsText(): Promise<string> {
    this.calls++;
    if (this.failures-- > 0) throw new Error('ECONNREFUSED');
    return TEXT;
  }
}

function setup(failures: number) {
  const clock = new ManualClock(1_000_000);
  const source = new FlakySource(failures);
  const catalog = new ModelCatalog({ source, store: new EmptyStore(), clock, logger: captureLogger() });
  const loader = new CatalogLoader(catalog, clock, captureLogger(), [1_000, 5_000, 30_000]);
  return { clock, source, catalog, loader };
}

describe('CatalogLoader', () => {
  it('retries a failed first load with growing delays until the list is there', async () => {
    const { clock, source, catalog, loader } = setup(3);
    loader.start();
    await flushMicrotasks();
    assert.equal(catalog.current(), undefined);
    assert.equal(source.calls, 1);
    await clock.advance(999);
    assert.equal(source.calls, 1, 'waits the first delay');
    await clock.advance(1);
    assert.equal(source.calls, 2);
    await clock.advance(5_000);
    assert.equal(source.calls, 3);
    await clock.advance(29_999);
    assert.equal(source.calls, 3, 'then the longer delay');
    await clock.advance(1);
    assert.equal(source.calls, 4);
    assert.ok(catalog.current(), 'loaded at last');
    assert.equal(loader.failedAttempts, 0);
    assert.equal(clock.pendingTimers, 0, 'no retry left scheduled');
    loader.dispose();
  });

  it('keeps the last delay once the schedule is used up', async () => {
    const { clock, source, loader } = setup(100);
    loader.start();
    await clock.advance(1_000 + 5_000 + 30_000 + 30_000 + 30_000);
    assert.equal(source.calls, 6);
    loader.dispose();
    assert.equal(clock.pendingTimers, 0);
  });

  it('reloads at once when asked (the key changed), cancelling the pending retry', async () => {
    const { clock, source, catalog, loader } = setup(1);
    loader.start();
    await flushMicrotasks();
    assert.equal(source.calls, 1);
    loader.reload();
    await flushMicrotasks();
    assert.equal(source.calls, 2);
    assert.ok(catalog.current());
    assert.equal(clock.pendingTimers, 0);
    loader.reload();
    await flushMicrotasks();
    assert.equal(source.calls, 3, 'a reload fetches even with a list in memory');
  });
});
