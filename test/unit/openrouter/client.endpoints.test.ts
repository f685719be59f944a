/**
 * The JSON endpoints (/key, /generation) against the fake server, and the
 * cost lookup that follows a cancelled or cut-off stream.
 */
import assert from 'node:assert/strict';
import { toDecimalString, usdFromNumber } from '../../../src/shared/money';
import { startFakeOpenRouter, type FakeServer } from '../../fixtures/fakeOpenRouter';
import { chatRequests, drain, makeClient, TEST_KEY, userRequest } from './harness';
import { failureText } from '../../../src/extension/core/failureText';

describe('OpenRouterClient JSON endpoints over the fake server', () => {
  let fake: FakeServer;
  before(async () => {
    fake = await startFakeOpenRouter({ latencyScale: 0, key: { limitUsd: '10', usageUsd: '1.25', label: 'test key' } });
  });
  beforeEach(() => fake.reset());
  after(() => fake.close());

  describe('getKeyInfo', () => {
    it('returns the limit, remaining credit and usage as exact USD', async () => {
      const { client } = makeClient(fake);
      const info = await client.getKeyInfo();
      assert.deepEqual(
        [info.label, toDecimalString(info.limit!), toDecimalString(info.limitRemaining!), toDecimalString(info.usage), info.isFreeTier],
        ['test key', '10', '8.75', '1.25', false],
      );
    });

    it('checks a key passed explicitly instead of the stored one', async () => {
      const strict = await startFakeOpenRouter({ latencyScale: 0, acceptKey: 'sk-or-v1-the-right-one' });
      try {
        const { client } = makeClient(strict);
        await assert.rejects(client.getKeyInfo(), (e: { kind?: string }) => e.kind === 'unauthorized');
        const info = await client.getKeyInfo({ apiKey: 'sk-or-v1-the-right-one' });
        assert.ok(info.usage);
      } finally {
        await strict.close();
      }
    });

    it('reports an unlimited key with no limit', async () => {
      const unlimited = await startFakeOpenRouter({ latencyScale: 0, key: { limitUsd: null } });
      try {
        const info = await makeClient(unlimited).client.getKeyInfo();
        assert.equal(info.limit, undefined);
        assert.equal(info.limitRemaining, undefined);
      } finally {
        await unlimited.close();
      }
    });
  });

  describe('lookupGenerationCost', () => {
    it('retries the early 404s and returns the billed cost of a completed reply', async () => {
      const { client } = makeClient(fake);
      await drain(client.streamChat(userRequest('hi')));
      const id = chatRequests(fake)[0]!.generationId!;
      const cost = await client.lookupGenerationCost(id);
      assert.equal(cost.costText, toDecimalString(usdFromNumber(fake.generations()[0]!.total_cost)!));
      // The fake answers 404 at least twice per id (more if asked before it recorded the reply).
      const statuses = fake.requests.filter((r) => r.path.endsWith('/generation')).map((r) => r.status);
      assert.ok(statuses.filter((s) => s === 404).length >= 2, `statuses ${statuses.join(',')}`);
      assert.equal(statuses.at(-1), 200);
    });

    it('finds what a cut-off reply was billed, by the id the error carried', async () => {
      const { client } = makeClient(fake);
      const { error } = await drain(client.streamChat(userRequest('bye [[scenario:disconnect]]')));
      const cost = await client.lookupGenerationCost(error!.generationId!);
      const billed = fake.generations().find((g) => g.id === error!.generationId)!;
      assert.equal(cost.costText, toDecimalString(usdFromNumber(billed.total_cost)!));
      assert.equal(cost.completionTokens, billed.native_tokens_completion);
    });

    it('finds what a cancelled reply was billed and that it was cancelled', async () => {
      const slowFake = await startFakeOpenRouter({ latencyScale: 1 });
      try {
        const { client } = makeClient(slowFake);
        const controller = new AbortController();
        const { error } = await drain(client.streamChat(userRequest('slow [[scenario:slow]]'), { signal: controller.signal }), (e) => {
          if (e.type === 'content') controller.abort();
        });
        const cost = await client.lookupGenerationCost(error!.generationId!);
        assert.equal(cost.cancelled, true);
        assert.ok(cost.cost.atto > 0n);
      } finally {
        await slowFake.close();
      }
    });

    it('gives up with not_found after its bounded number of lookups', async () => {
      const { client } = makeClient(fake, { generationLookup: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 } });
      await assert.rejects(client.lookupGenerationCost('gen-does-not-exist'), (e: { kind?: string; generationId?: string }) => {
        assert.equal(e.kind, 'not_found');
        assert.equal(e.generationId, 'gen-does-not-exist');
        return true;
      });
      assert.equal(fake.requests.filter((r) => r.path.endsWith('/generation')).length, 3);
    });

    it('stops looking up when the signal aborts', async () => {
      const { client } = makeClient(fake, { generationLookup: { maxAttempts: 5, initialDelayMs: 60_000, maxDelayMs: 60_000 } });
      const controller = new AbortController();
      const pending = client.lookupGenerationCost('gen-unknown', controller.signal);
      setTimeout(() => controller.abort(), 20);
      await assert.rejects(pending, (e: { kind?: string }) => e.kind === 'cancelled');
    });
  });

  describe('fetchModelsText', () => {
    it('returns the /models body for the catalog to parse', async () => {
      const text = await makeClient(fake).client.fetchModelsText();
      assert.ok(Array.isArray((JSON.parse(text) as { data: unknown }).data));
    });

    it('loads without a key (a first run, before Set API Key), sending no Authorization header', async () => {
      const { client } = makeClient(fake, { apiKey: async () => undefined });
      const text = await client.fetchModelsText();
      assert.ok(Array.isArray((JSON.parse(text) as { data: unknown }).data));
      const seen = fake.requests.filter((r) => r.path.endsWith('/models')).at(-1);
      assert.equal(seen?.hasAuthorization, false);
    });
  });

  describe('the key stays secret', () => {
    it('appears in no log line and no error text across every failing scenario', async () => {
      const { client, logger } = makeClient(fake, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, maxTotalMs: 500 } });
      const texts: string[] = [];
      for (const scenario of ['unauthorized', 'no_credits', 'moderation', 'context_length', 'provider_error', 'rate_limit', 'midstream_error', 'disconnect', 'garbage']) {
        const { error, events } = await drain(client.streamChat(userRequest(`hi [[scenario:${scenario}]]`)));
        texts.push(JSON.stringify(events, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
        if (error) texts.push(error.message, failureText(error), String(error.stack), JSON.stringify(error));
      }
      await client.lookupGenerationCost('gen-missing').catch((e: Error) => texts.push(e.message, String(e.stack)));
      const all = [...logger.lines, ...texts].join('\n');
      assert.ok(logger.lines.length > 10, 'the scenarios did log');
      assert.equal(all.includes(TEST_KEY), false);
    });

    it('is scrubbed from an error body that echoes it back', async () => {
      const { client, logger } = makeClient(fake, {
        fetch: async () => new Response(JSON.stringify({ error: { code: 400, message: `Invalid key ${TEST_KEY}` } }), { status: 400 }),
      });
      const { error } = await drain(client.streamChat(userRequest('hi')));
      assert.equal(error?.kind, 'bad_request');
      assert.equal(`${error?.message}${JSON.stringify(error)}${logger.lines.join('')}`.includes(TEST_KEY), false);
    });

    it('is scrubbed from a network failure whose message carries it', async () => {
      const { client } = makeClient(fake, {
        fetch: async () => {
          throw new TypeError(`fetch failed`, { cause: new Error(`proxy rejected Authorization: Bearer ${TEST_KEY}`) });
        },
        retry: { maxAttempts: 1 },
      });
      await assert.rejects(client.getKeyInfo(), (e: Error) => {
        assert.equal((e as { kind?: string }).kind, 'network');
        assert.equal(JSON.stringify(e).includes(TEST_KEY), false);
        return true;
      });
    });
  });
});
