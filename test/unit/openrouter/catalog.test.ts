import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toDecimalString } from '../../../src/shared/money';
import { ModelCatalog, parseCatalog, supports, type CacheStore, type ModelsSource } from '../../../src/extension/openrouter/catalog';
import { ManualClock } from '../../../src/extension/base/clock';
import { fileCacheStore } from '../../../src/extension/openrouter/fileCacheStore';
import { catalogResponse, MALFORMED_MODEL_ID } from '../../fixtures/catalog';
import { startFakeOpenRouter, type FakeServer } from '../../fixtures/fakeOpenRouter';
import { captureLogger, makeClient } from './harness';
import type { OpenRouterError } from '../../../src/extension/openrouter/errors';
import { failureText } from '../../../src/extension/core/failureText';

const CATALOG_TEXT = JSON.stringify(catalogResponse({ includeMalformed: true }));
const HOUR = 60 * 60 * 1000;

class MemoryStore implements CacheStore {
  writes = 0;
  constructor(public text: string | undefined = undefined) {}
  async read() {
    return this.text;
  }
  async write(text: string) {
    this.writes++;
    this.text = text;
  }
}

class ScriptedSource implements ModelsSource {
  calls = 0;
  constructor(private readonly answer: () => Promise<string>) {}
  fetchModelsText(): Promise<string> {
    this.calls++;
    return this.answer();
  }
}

const online = () => new ScriptedSource(async () => CATALOG_TEXT);
const offline = () =>
  new ScriptedSource(async () => {
    throw new Error('ECONNREFUSED');
  });

function catalog(source: ModelsSource, store: CacheStore, clock = new ManualClock(1_000_000)) {
  return new ModelCatalog({ source, store, clock, logger: captureLogger(), maxAgeMs: HOUR });
}

describe('parseCatalog', () => {
  const parsed = parseCatalog(CATALOG_TEXT);
  const byId = (id: string) => parsed.models.find((m) => m.id === id)!;

  it('rejects the entry without pricing and keeps every other model', () => {
    assert.deepEqual(parsed.rejected.map((r) => r.id), [MALFORMED_MODEL_ID]);
    assert.equal(parsed.models.length, catalogResponse({ includeMalformed: false }).data.length);
  });

  it('keeps prices as exact USD per token', () => {
    const p = byId('anthropic/claude-sonnet-4').pricing.prompt;
    assert.equal(p.kind === 'fixed' ? toDecimalString(p.perUnit) : p.kind, '0.000003');
  });

  it('marks router prices as variable', () => {
    assert.equal(byId('openrouter/auto').pricing.completion.kind, 'variable');
  });

  it('reads context length, max completion tokens, parameters and modality', () => {
    const m = byId('deepseek/deepseek-r1');
    assert.equal(m.contextLength, 163840);
    assert.equal(m.maxCompletionTokens, 32768);
    assert.equal(supports(m, 'reasoning'), true);
    assert.equal(m.modality, 'text->text');
  });

  it('tolerates fields it does not know', () => {
    const text = JSON.stringify({ data: [{ ...catalogResponse({ includeMalformed: false }).data[0], brand_new_field: { x: 1 } }] });
    assert.equal(parseCatalog(text).models.length, 1);
  });

  it('throws invalid_response when the envelope itself is wrong', () => {
    assert.throws(() => parseCatalog('{"models":[]}'), (e: { kind?: string }) => e.kind === 'invalid_response');
  });
});

describe('ModelCatalog', () => {
  it('fetches from the network when there is no cache, and saves a copy', async () => {
    const store = new MemoryStore();
    const snapshot = await catalog(online(), store).get();
    assert.equal(snapshot.source, 'network');
    assert.equal(store.writes, 1);
  });

  it('serves the disk cache at once without waiting for the network', async () => {
    const store = new MemoryStore();
    await catalog(online(), store).get();
    const source = offline();
    const snapshot = await catalog(source, store).get();
    assert.equal(snapshot.source, 'cache');
    assert.ok(snapshot.byId.has('openai/gpt-4o-mini'));
  });

  it('does not refresh a cache younger than the maximum age', async () => {
    const clock = new ManualClock(1_000_000);
    const store = new MemoryStore();
    await catalog(online(), store, clock).get();
    const source = online();
    await clock.advance(HOUR - 1);
    await catalog(source, store, clock).get();
    assert.equal(source.calls, 0);
  });

  it('refreshes a stale cache in the background and announces the new list', async () => {
    const clock = new ManualClock(1_000_000);
    const store = new MemoryStore();
    await catalog(online(), store, clock).get();
    await clock.advance(HOUR);
    const c = catalog(online(), store, clock);
    const announced = new Promise((resolve) => c.onDidChange(resolve));
    const first = await c.get();
    assert.equal(first.source, 'cache');
    await announced;
    assert.equal(c.current()?.source, 'network');
    assert.equal(c.current()?.fetchedAt, 1_000_000 + HOUR);
  });

  it('keeps working from the cache when the background refresh fails', async () => {
    const clock = new ManualClock(1_000_000);
    const store = new MemoryStore();
    await catalog(online(), store, clock).get();
    await clock.advance(2 * HOUR);
    const c = catalog(offline(), store, clock);
    await c.get();
    await clock.advance(0);
    assert.equal((await c.get()).source, 'cache');
  });

  it('fails with a clear catalog_unavailable error when there is neither network nor cache', async () => {
    await assert.rejects(catalog(offline(), new MemoryStore()).get(), (e: OpenRouterError) => {
      assert.equal(e.kind, 'catalog_unavailable');
      assert.match(failureText(e), /no saved copy/);
      return true;
    });
  });

  it('ignores an unreadable cache file and goes to the network', async () => {
    const snapshot = await catalog(online(), new MemoryStore('{corrupt')).get();
    assert.equal(snapshot.source, 'network');
  });

  it('shares one request between concurrent refreshes', async () => {
    const source = online();
    const c = catalog(source, new MemoryStore());
    await Promise.all([c.refresh(), c.refresh(), c.refresh()]);
    assert.equal(source.calls, 1);
  });
});

describe('ModelCatalog over the fake server', () => {
  let fake: FakeServer;
  before(async () => {
    fake = await startFakeOpenRouter({ latencyScale: 0 });
  });
  after(() => fake.close());

  it('loads /models from the server and rejects only the malformed entry', async () => {
    const { client } = makeClient(fake);
    const snapshot = await catalog(client, new MemoryStore()).get();
    assert.deepEqual(snapshot.rejected.map((r) => r.id), [MALFORMED_MODEL_ID]);
    assert.ok(snapshot.byId.has('anthropic/claude-sonnet-4'));
  });
});

describe('fileCacheStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nt-catalog-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads nothing before the first write', async () => {
    assert.equal(await fileCacheStore(join(dir, 'models.json')).read(), undefined);
  });

  it('creates missing folders and reads back what it wrote', async () => {
    const path = join(dir, 'nested', 'models.json');
    await fileCacheStore(path).write('{"a":1}');
    assert.equal(await readFile(path, 'utf8'), '{"a":1}');
    assert.equal(await fileCacheStore(path).read(), '{"a":1}');
  });
});
