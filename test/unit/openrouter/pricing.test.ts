import assert from 'node:assert/strict';
import { parseUsd, toDecimalString } from '../../../src/shared/money';
import { estimateCost, formatPerMillion, isFree, parsePrice, type Price } from '../../../src/extension/openrouter/pricing';
import { testPricing } from '../../fixtures/pricing';

const fixed = (text: string): Price => ({ kind: 'fixed', perUnit: parseUsd(text)! });

const pricing = testPricing;

function usdText(estimate: ReturnType<typeof estimateCost>): string {
  assert.equal(estimate.kind, 'estimate');
  return estimate.kind === 'estimate' ? toDecimalString(estimate.usd) : '';
}

describe('parsePrice', () => {
  it('keeps a per-token price exactly as sent, not divided by 1000', () => {
    assert.equal(formatPerMillion(parsePrice('0.000003')!), '$3.00 / 1M');
  });

  it('reads "0" as a free price', () => {
    assert.equal(isFree(parsePrice('0')!), true);
  });

  it('reads "-1" as a variable price', () => {
    assert.deepEqual(parsePrice('-1'), { kind: 'variable' });
  });

  it('rejects other negative or non-numeric prices', () => {
    assert.equal(parsePrice('-2'), undefined);
    assert.equal(parsePrice('cheap'), undefined);
  });

  it('shows a variable price as "varies"', () => {
    assert.equal(formatPerMillion({ kind: 'variable' }), 'varies');
  });
});

describe('estimateCost', () => {
  it('multiplies exact prices by token counts without float error', () => {
    // 1234 × 0.000003 + 567 × 0.000015 = 0.003702 + 0.008505
    assert.equal(usdText(estimateCost(pricing(), { promptTokens: 1234, completionTokens: 567 })), '0.012207');
  });

  it('charges cached tokens at the cache-read price without counting them twice', () => {
    const p = pricing({ inputCacheRead: fixed('0.0000003') });
    // (1000 − 400) × 0.000003 + 400 × 0.0000003 = 0.0018 + 0.00012
    assert.equal(usdText(estimateCost(p, { promptTokens: 1000, completionTokens: 0, cachedTokens: 400 })), '0.00192');
  });

  it('adds the per-request price once', () => {
    assert.equal(usdText(estimateCost(pricing({ request: fixed('0.005') }), { promptTokens: 0, completionTokens: 0 })), '0.005');
  });

  it('refuses to compute with a variable price', () => {
    const p = pricing({ prompt: { kind: 'variable' }, completion: { kind: 'variable' } });
    assert.deepEqual(estimateCost(p, { promptTokens: 10, completionTokens: 10 }), { kind: 'variable' });
  });
});
