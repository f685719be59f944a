/**
 * The key and account endpoints against the fake server over real sockets: `/key`'s extra
 * figures, and `/credits` and `/activity` read with a management key kept apart from the API
 * key, every figure equal to what the fake billed, to the last digit.
 */
import assert from 'node:assert/strict';
import { AccountApi } from '../../../src/extension/openrouter/account';
import { add, parseUsd, sum, toDecimalString, ZERO, type Usd } from '../../../src/shared/money';
import { startFakeOpenRouter, type FakeServer } from '../../fixtures/fakeOpenRouter';
import { drain, makeClient, TEST_KEY, userRequest } from './harness';
import type { OpenRouterError } from '../../../src/extension/openrouter/errors';
import { failureText } from '../../../src/extension/core/failureText';

const MANAGEMENT_KEY = `sk-or-v1-mgmt-${'fedcba9876543210'.repeat(4)}`;
const DAY = 86_400_000;
const exact = (n: number | null): Usd => (n === null ? ZERO : parseUsd(String(n))!);

describe('Key and account endpoints over the fake server', () => {
  let fake: FakeServer;
  before(async () => {
    fake = await startFakeOpenRouter({ latencyScale: 0, managementKey: MANAGEMENT_KEY, totalCreditsUsd: '20', key: { limitUsd: '10', usageUsd: '1.25' } });
  });
  beforeEach(() => {
    fake.reset();
    fake.setClockOffset(0);
  });
  after(() => fake.close());

  it('reads the key’s usage, BYOK usage and remaining credit after real sends, exactly', async () => {
    const { client } = makeClient(fake);
    await drain(client.streamChat(userRequest('one')));
    await drain(client.streamChat(userRequest('two [[scenario:byok]]', { model: 'anthropic/claude-sonnet-4' })));
    const [plain, byok] = fake.generations();
    const credit = add(exact(plain!.total_cost), exact(byok!.total_cost));
    const info = await client.getKeyInfo();
    assert.equal(toDecimalString(info.usage), toDecimalString(add(parseUsd('1.25')!, credit)));
    assert.equal(toDecimalString(info.limitRemaining!), toDecimalString({ atto: parseUsd('10')!.atto - info.usage.atto }));
    assert.equal(toDecimalString(info.byokUsage!), toDecimalString(exact(byok!.upstream_inference_cost)));
    assert.equal(toDecimalString(info.usageToday!), toDecimalString(info.usage));
  });

  it('reads nothing from the account without a management key, and never sends the API key there', async () => {
    const { client } = makeClient(fake);
    const account = new AccountApi(client, async () => undefined);
    assert.equal(await account.available(), false);
    assert.equal(await account.credits(), undefined);
    assert.equal(await account.activity(), undefined);
    assert.equal(fake.requests.length, 0, 'no request went out');
  });

  it('sends the management key (not the API key) to /credits and reports credits used from what was billed', async () => {
    const { client, logger } = makeClient(fake);
    await drain(client.streamChat(userRequest('bill me')));
    const account = new AccountApi(client, async () => MANAGEMENT_KEY);
    const credits = await account.credits();
    assert.ok(credits);
    assert.equal(toDecimalString(credits.totalCredits), '20');
    assert.equal(toDecimalString(credits.totalUsage), toDecimalString(add(parseUsd('1.25')!, exact(fake.generations()[0]!.total_cost))));
    const request = fake.requests.find((r) => r.path.endsWith('/credits'));
    assert.equal(request?.authorization, `Bearer ${MANAGEMENT_KEY}`);
    assert.ok(!logger.lines.join('\n').includes(MANAGEMENT_KEY), 'the management key never reaches the log');
  });

  it('refuses an API key used as the management key with a clear message', async () => {
    const { client } = makeClient(fake);
    const account = new AccountApi(client, async () => TEST_KEY);
    await assert.rejects(account.activity(), (e: OpenRouterError) => {
      assert.equal(e.kind, 'unauthorized');
      assert.match(failureText(e), /management key/);
      return true;
    });
  });

  it('lists completed days only, per day, model and provider, summed exactly from the billed generations', async () => {
    const { client } = makeClient(fake);
    // Two days ago: two replies on one model; yesterday: one BYOK reply; today: one more (not listed yet).
    fake.setClockOffset(-2 * DAY);
    await drain(client.streamChat(userRequest('a')));
    await drain(client.streamChat(userRequest('bb')));
    fake.setClockOffset(-DAY);
    await drain(client.streamChat(userRequest('ccc [[scenario:byok]]', { model: 'anthropic/claude-sonnet-4' })));
    fake.setClockOffset(0);
    await drain(client.streamChat(userRequest('dddd')));
    const gens = fake.generations();
    const account = new AccountApi(client, async () => MANAGEMENT_KEY);
    const rows = (await account.activity())!;
    const day = (offset: number) => new Date(Date.now() - offset * DAY).toISOString().slice(0, 10);
    assert.deepEqual(
      rows.map((r) => [r.date, r.model, r.requests, toDecimalString(r.usage), toDecimalString(r.byokUsage)]),
      [
        [day(1), 'anthropic/claude-sonnet-4', 1, toDecimalString(exact(gens[2]!.total_cost)), toDecimalString(exact(gens[2]!.upstream_inference_cost))],
        [day(2), 'openai/gpt-4o-mini', 2, toDecimalString(sum([exact(gens[0]!.total_cost), exact(gens[1]!.total_cost)])), '0'],
      ],
    );
    const one = (await account.activity({ date: day(2) }))!;
    assert.deepEqual(one.map((r) => r.date), [day(2)]);
    // Today is not a completed day: the real API refuses it too.
    await assert.rejects(account.activity({ date: day(0) }), (e: { status?: number }) => e.status === 400);
  });
});
