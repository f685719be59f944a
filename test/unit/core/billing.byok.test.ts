import { strict as assert } from 'node:assert';
import { readBilling } from '../../../src/extension/core/billing';
import { add, parseUsd, toDecimalString, usdFromNumber } from '../../../src/shared/money';
import type { StoredMessage } from '../../../src/extension/storage/types';
import { usageCsv } from '../../../src/extension/storage/usage';
import { closeAfterEach, chatHarness, serverBilled, storedTotal, started, type ChatHarness } from './chatHarness';


describe('BYOK billing', function () {
  this.timeout(30_000);
  let h: ChatHarness;

  afterEach(closeAfterEach(() => h));

  it('stores OpenRouter’s fee and the provider’s upstream charge apart, exactly, and bills their sum', async () => {
    h = await chatHarness();
    const reply = await started(await h.engine.send({ text: 'on my own key [[scenario:byok]]', model: 'anthropic/claude-sonnet-4' })).done;
    assert.equal(reply.status, 'complete');
    const gen = h.fake.generations().find((g) => g.id === reply.generationId);
    assert.ok(gen && gen.is_byok && gen.upstream_inference_cost !== null, 'the fake billed a BYOK route');
    const fee = usdFromNumber(gen.total_cost)!;
    const upstream = usdFromNumber(gen.upstream_inference_cost)!;
    // The fee is a small share of the upstream charge: adding them must not be skipped.
    assert.ok(upstream.atto > fee.atto * 10n);
    const split = readBilling(reply.metadata);
    assert.ok(split, 'the split is stored');
    assert.equal(toDecimalString(split.fee), toDecimalString(fee));
    assert.equal(toDecimalString(split.upstream), toDecimalString(upstream));
    assert.equal((reply.metadata.billing as { source?: string }).source, 'usage');
    assert.equal(reply.cost?.usd, toDecimalString(add(fee, upstream)));
    // Budgets count what the user paid in all, not only OpenRouter's fee.
    assert.equal(toDecimalString(h.costs.sessionSpent), toDecimalString(add(fee, upstream)));
  });

  it('leaves a reply on OpenRouter credit without a split', async () => {
    h = await chatHarness();
    const reply = await started(await h.engine.send({ text: 'plain' })).done;
    assert.equal(reply.metadata.billing, undefined);
    assert.equal(readBilling(reply.metadata), undefined);
  });

  it('keeps stored totals equal to both bills together, to the last digit, across BYOK and credit replies', async () => {
    h = await chatHarness();
    let conversationId: string | undefined;
    const replies: StoredMessage[] = [];
    for (const text of ['a', 'bb [[scenario:byok]]', 'ccc [[scenario:cached]]', 'dddd [[scenario:byok]]', 'e [[scenario:reasoning]]']) {
      const out = started(await h.engine.send({ text, conversationId, model: 'google/gemini-2.5-flash' }));
      conversationId = out.conversationId;
      replies.push(await out.done);
    }
    await h.engine.idle();
    const billed = toDecimalString(serverBilled(h.fake));
    assert.equal(await storedTotal(h.store), billed);
    assert.equal(toDecimalString(h.costs.sessionSpent), billed);
    const byok = replies.filter((r) => readBilling(r.metadata));
    assert.equal(byok.length, 2);
    // The provider's own bill is visible too: the fake reports it as the key's byok_usage.
    const upstream = byok.reduce((acc, r) => add(acc, readBilling(r.metadata)!.upstream), parseUsd('0')!);
    const key = await (await fetch(`${h.fake.url}/key`, { headers: { Authorization: 'Bearer k' } })).json() as { data: { byok_usage: number } };
    assert.equal(toDecimalString(upstream), toDecimalString(usdFromNumber(key.data.byok_usage)!));
    // The usage report shows both parts apart; they add up to the total.
    const report = await h.store.usage(0, Date.now() + 1);
    assert.equal(report.total, billed);
    assert.equal(report.totalUpstream, toDecimalString(upstream));
    const csv = usageCsv(report).split('\n');
    assert.equal(csv[0], 'section,key,cost_usd,openrouter_usd,provider_byok_usd,cache_saving_usd,prompt_tokens,completion_tokens,messages,billed_openrouter_usd,billed_provider_byok_usd,difference_usd,status,openrouter_requests');
    const model = csv.find((l) => l.startsWith('model,google/gemini-2.5-flash,'))!.split(',');
    assert.equal(model[2], billed);
    assert.equal(toDecimalString(add(parseUsd(model[3]!)!, parseUsd(model[4]!)!)), billed);
    assert.equal(model[4], toDecimalString(upstream));
  });
});
