import { strict as assert } from 'node:assert';
import {
  add,
  compareDecimalText,
  formatBudget,
  formatCost,
  formatUsd,
  parseUsd,
  perMillion,
  ratioBasisPoints,
  ratioBasisPointsText,
  toFixedDecimal,
  sum,
  times,
  toDecimalString,
  usdFromNumber,
  type Usd,
} from '../../../src/shared/money';

function p(text: string): Usd {
  const v = parseUsd(text);
  assert.ok(v, `expected ${text} to parse`);
  return v;
}

describe('money', () => {
  it('parses OpenRouter per-token price strings exactly', () => {
    assert.equal(toDecimalString(p('0.000003')), '0.000003');
    assert.equal(toDecimalString(p('0.0000000375')), '0.0000000375');
    assert.equal(toDecimalString(p('0')), '0');
    assert.equal(toDecimalString(p('-1')), '-1');
  });

  it('parses exponent notation as JSON numbers may carry it', () => {
    assert.equal(toDecimalString(p('1.5e-7')), '0.00000015');
    assert.equal(toDecimalString(p('2E3')), '2000');
  });

  it('rejects text that is not a decimal number', () => {
    for (const bad of ['', '.', 'abc', '1.2.3', '0x10', '1e', 'NaN', 'Infinity']) {
      assert.equal(parseUsd(bad), undefined, bad);
    }
  });

  it('sums ten thousand costs with no floating-point drift', () => {
    const costs = Array.from({ length: 10_000 }, () => usdFromNumber(0.1)!);
    assert.equal(toDecimalString(sum(costs)), '1000');
    let float = 0;
    for (let i = 0; i < 10_000; i++) float += 0.1;
    assert.notEqual(float, 1000, 'the float sum drifts, which is why we do not use it');
  });

  it('reads usage.cost numbers as the decimal the server wrote', () => {
    assert.equal(toDecimalString(usdFromNumber(0.0001234)!), '0.0001234');
    assert.equal(toDecimalString(usdFromNumber(1.2e-7)!), '0.00000012');
    assert.equal(usdFromNumber(Number.NaN), undefined);
  });

  it('multiplies a per-token price by a token count exactly', () => {
    assert.equal(toDecimalString(times(p('0.000003'), 1234)), '0.003702');
    assert.equal(toDecimalString(perMillion(p('0.00000015'))), '0.15');
  });

  it('formats for display with half-even rounding and keeps sign', () => {
    assert.equal(formatUsd(p('0.01235'), 4), '$0.0124');
    assert.equal(formatUsd(p('0.01225'), 4), '$0.0122');
    assert.equal(formatUsd(p('12'), 2), '$12.00');
    assert.equal(formatUsd(p('-0.5'), 2), '-$0.50');
  });

  it('has one cost format for every surface: 2 places from $10, 4 from a cent, up to 6 below', () => {
    assert.equal(formatCost(p('12345.678')), '$12,345.68');
    assert.equal(formatCost(p('0.000782')), '$0.000782');
    assert.equal(formatCost(p('0.0007')), '$0.0007');
    assert.equal(formatCost(p('0.0123456')), '$0.0123');
    assert.equal(formatCost(p('0')), '$0.00');
    assert.equal(formatCost(p('-0.5')), '-$0.5000');
    assert.equal(formatBudget(p('5')), '$5.00');
    assert.equal(formatBudget(p('4.205')), '$4.205');
  });

  it('computes budget ratios in basis points and refuses a zero budget', () => {
    assert.equal(ratioBasisPoints(p('4'), p('5')), 8000);
    assert.equal(ratioBasisPoints(p('1'), p('0')), undefined);
    assert.equal(toDecimalString(add(p('0.1'), p('0.2'))), '0.3');
  });

  it('clamps ratios and refuses a non-positive whole', () => {
    assert.equal(ratioBasisPoints(p('1000'), p('0.0001')), 1_000_000);
    assert.equal(ratioBasisPoints(p('-1'), p('5')), 0);
    assert.equal(ratioBasisPoints(p('1'), p('-5')), undefined);
  });

  it('compares and divides decimal texts exactly beyond 18 places', () => {
    // Parsing to Usd would round this up to 0.8 and turn a budget bar to "warning" too early.
    assert.equal(ratioBasisPointsText('0.7999999999999999999', '1.00'), 7999);
    assert.equal(compareDecimalText('0.7999999999999999999', '0.8'), -1);
    assert.equal(compareDecimalText('1e-3', '0.001'), 0);
    assert.equal(compareDecimalText('x', '1'), 1);
    assert.equal(ratioBasisPointsText('1', 'x'), undefined);
  });

  it('renders fixed decimals half-even without a negative zero', () => {
    assert.equal(toFixedDecimal(p('0.12345'), 4), '0.1234');
    assert.equal(toFixedDecimal(p('0.12355'), 4), '0.1236');
    assert.equal(toFixedDecimal(p('-0.00001'), 2), '0.00');
    assert.equal(toFixedDecimal(p('-1.5'), 0), '-2');
  });
});
