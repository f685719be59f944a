/**
 * Reconciling the spend ledger with OpenRouter's bill per day, with real parts: replies sent
 * through the chat engine to the fake server (real sockets), stored in the real history file,
 * the usage report read from the append-only ledger, `/activity` read with a management key,
 * and the report's HTML. The fake's calendar moves a day ahead so today counts as completed.
 */
import { strict as assert } from 'node:assert';
import { loadAccountSummary } from '../../../src/extension/core/accountSummary';
import { reconcile } from '../../../src/extension/core/reconciliation';
import { usageHtml } from '../../../src/extension/core/usageChart';
import { usageCsv } from '../../../src/extension/storage/usage';
import { AccountApi } from '../../../src/extension/openrouter/account';
import { makeClient } from '../openrouter/harness';
import { add, parseUsd, sum, toDecimalString, ZERO, type Usd } from '../../../src/shared/money';
import { chatHarness, started, type ChatHarness } from './chatHarness';

const DAY = 86_400_000;
const MANAGEMENT_KEY = 'sk-or-v1-mgmt-reconcile-0123456789';
const exact = (n: number | null): Usd => (n === null ? ZERO : parseUsd(String(n))!);
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('Reconciling the ledger with OpenRouter’s activity per day', function () {
  this.timeout(60_000);
  let h: ChatHarness;
  afterEach(async () => h?.close());

  async function sendThree(): Promise<void> {
    let conversationId: string | undefined;
    for (const [text, model] of [
      ['first', 'openai/gpt-4o-mini'],
      ['on my own key [[scenario:byok]]', 'anthropic/claude-sonnet-4'],
      ['think [[scenario:reasoning]]', 'deepseek/deepseek-r1'],
    ] as const) {
      const out = started(await h.engine.send({ text, conversationId, model }));
      conversationId = out.conversationId;
      assert.equal((await out.done).status, 'complete');
    }
    await h.engine.idle();
  }

  it('matches to the last digit when OpenRouter billed exactly what the ledger holds', async () => {
    h = await chatHarness({ fake: { managementKey: MANAGEMENT_KEY } });
    await sendThree();
    h.fake.setClockOffset(DAY); // tomorrow on OpenRouter's calendar: today is a completed day
    const account = new AccountApi(makeClient(h.fake).client, async () => MANAGEMENT_KEY);
    const now = Date.now();
    const report = await h.store.usage(now - 29 * DAY, now);
    const result = reconcile(report.byDay, (await account.activity())!, now + DAY);
    const today = result.days.find((d) => d.date === dayOf(now))!;
    assert.equal(today.status, 'match');
    const gens = h.fake.generations();
    assert.equal(today.theirs?.openRouter, toDecimalString(sum(gens.map((g) => exact(g.total_cost)))));
    assert.equal(today.theirs?.byok, toDecimalString(sum(gens.map((g) => exact(g.upstream_inference_cost)))));
    assert.ok(exact(gens[1]!.upstream_inference_cost).atto > 0n, 'one reply went over the BYOK route');
    assert.equal(result.differingDays, 0);
    assert.equal(result.totalDifference, '0');
  });

  it('shows the exact difference on the one day OpenRouter billed something the ledger never saw', async () => {
    h = await chatHarness({ fake: { managementKey: MANAGEMENT_KEY } });
    await sendThree();
    // Yesterday, another app used the same account: OpenRouter billed it, our ledger has nothing.
    h.fake.setClockOffset(-DAY);
    const other = await fetch(`${h.fake.url}/chat/completions`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sk-or-v1-another-app', 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'from another app on the same account' }], stream: false }),
    });
    assert.equal(other.status, 200);
    const otherId = other.headers.get('x-generation-id');
    const otherCost = exact(h.fake.generations().find((g) => g.id === otherId)!.total_cost);
    assert.ok(otherCost.atto > 0n);
    h.fake.setClockOffset(DAY);

    const now = Date.now();
    const report = await h.store.usage(now - 29 * DAY, now);
    const summary = await loadAccountSummary(
      {
        keyInfo: () => makeClient(h.fake).client.getKeyInfo(),
        credits: () => new AccountApi(makeClient(h.fake).client, async () => MANAGEMENT_KEY).credits(),
        activity: () => new AccountApi(makeClient(h.fake).client, async () => MANAGEMENT_KEY).activity(),
      },
      report,
      now + DAY,
    );
    const r = summary.reconciliation!;
    const yesterday = r.days.find((d) => d.date === dayOf(now - DAY))!;
    assert.equal(yesterday.status, 'differs');
    assert.deepEqual(yesterday.ours, { openRouter: '0', byok: '0' });
    assert.equal(yesterday.difference?.total, toDecimalString(otherCost));
    assert.equal(yesterday.theirRequests, 1);
    assert.equal(r.days.find((d) => d.date === dayOf(now))!.status, 'match');
    assert.equal(r.differingDays, 1);
    assert.equal(r.totalDifference, toDecimalString(otherCost));
    // The credits are the account's: what the fake billed all callers, on OpenRouter credit.
    assert.equal(toDecimalString(summary.credits!.totalUsage), toDecimalString(sum(h.fake.generations().map((g) => exact(g.total_cost)))));

    const html = usageHtml({ report, monthly: undefined, monthStart: `${dayOf(now).slice(0, 7)}-01`, csp: "default-src 'none'", stylesheet: 'usage.css', csvCommandUri: 'command:x', account: summary });
    const row = new RegExp(`<tr class="differs"><th scope="row">${dayOf(now - DAY)}</th>.*?</tr>`).exec(html)?.[0] ?? '';
    assert.ok(row.includes(`+${toDecimalString(otherCost)}`), `the report shows the exact difference on that day: ${row}`);
    assert.match(html, /1 day differs from OpenRouter’s bill/);
    const todayRow = new RegExp(`<tr class="match"><th scope="row">${dayOf(now)}</th>(.*?)</tr>`).exec(html)?.[1] ?? '';
    // Our three replies beside OpenRouter's three requests that day; yesterday none beside its one.
    assert.deepEqual([...todayRow.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]).slice(4, 6), ['3', '3'], todayRow);
    assert.deepEqual([...row.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]).slice(4, 6), ['0', '1'], row);
    assert.match(html, /<th scope="col">Our replies<\/th><th scope="col">OpenRouter requests<\/th>/);

    // The CSV carries the same reconciliation, per day: ours, billed, exact difference, status, counts.
    const csv = usageCsv(report, r.days).trim().split('\n');
    const header = csv[0]!.split(',');
    const line = (date: string) => {
      const cells = csv.find((l) => l.startsWith(`reconciliation,${date},`))!.split(',');
      return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
    };
    const todayTotal = toDecimalString(sum(h.fake.generations().filter((g) => g.id !== otherId).flatMap((g) => [exact(g.total_cost), exact(g.upstream_inference_cost)])));
    assert.deepEqual(line(dayOf(now - DAY)), {
      section: 'reconciliation', key: dayOf(now - DAY), cost_usd: '0', openrouter_usd: '0', provider_byok_usd: '0', cache_saving_usd: '', prompt_tokens: '', completion_tokens: '', messages: '0',
      billed_openrouter_usd: toDecimalString(otherCost), billed_provider_byok_usd: '0', difference_usd: toDecimalString(otherCost), status: 'differs', openrouter_requests: '1',
    });
    const t = line(dayOf(now));
    assert.deepEqual([t.cost_usd, t.difference_usd, t.status, t.messages, t.openrouter_requests], [todayTotal, '0', 'match', '3', '3']);
    assert.equal(add(parseUsd(t.billed_openrouter_usd!)!, parseUsd(t.billed_provider_byok_usd!)!).atto, parseUsd(todayTotal)!.atto, 'billed = ours to the last digit');
  });

  it('keeps today pending until OpenRouter lists it, and says how to get the figures without a management key', async () => {
    h = await chatHarness({ fake: { managementKey: MANAGEMENT_KEY } });
    await sendThree();
    const now = Date.now();
    const report = await h.store.usage(now - 29 * DAY, now);
    const client = makeClient(h.fake).client;
    const withKey = await loadAccountSummary(
      { keyInfo: () => client.getKeyInfo(), credits: async () => undefined, activity: () => new AccountApi(client, async () => MANAGEMENT_KEY).activity() },
      report,
      now,
    );
    const today = withKey.reconciliation!.days.find((d) => d.date === dayOf(now))!;
    assert.equal(today.status, 'pending');
    assert.equal(today.difference, undefined);
    assert.equal(add(parseUsd(today.ours.openRouter)!, parseUsd(today.ours.byok)!).atto, parseUsd(report.total)!.atto);

    const without = await loadAccountSummary({ keyInfo: () => client.getKeyInfo(), credits: async () => undefined, activity: async () => undefined }, report, now);
    assert.equal(without.managementKey, false);
    assert.equal(without.reconciliation, undefined);
    const html = usageHtml({ report, monthly: undefined, monthStart: '2026-01-01', csp: "default-src 'none'", stylesheet: 'usage.css', csvCommandUri: 'command:x', account: without });
    assert.match(html, /need a management key/);
    assert.match(html, /remaining/);
  });
});
