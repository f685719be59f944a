import { strict as assert } from 'node:assert';
import { CostTracker, type BudgetEvents, type BudgetStatus } from '../../../src/extension/core/costTracker';
import { parseUsd, toDecimalString, ZERO, type Usd } from '../../../src/shared/money';

const $ = (t: string): Usd => parseUsd(t)!;

function tracker(opts: { session?: string; monthly?: string; monthStart?: string; month?: () => string } = {}) {
  const events: Array<{ type: keyof BudgetEvents; status: BudgetStatus }> = [];
  const t = new CostTracker({
    limits: {
      session: opts.session ? $(opts.session) : undefined,
      monthly: opts.monthly ? $(opts.monthly) : undefined,
      warnAtBasisPoints: 8000,
    },
    monthSpentAtStart: opts.monthStart ? $(opts.monthStart) : ZERO,
    monthKey: opts.month ?? (() => '2026-11'),
    emit: (type, status) => events.push({ type, status }),
  });
  return { t, events };
}

describe('CostTracker', () => {
  it('fires the 80% threshold once, exactly at the cent that crosses it', () => {
    const { t, events } = tracker({ session: '5' });
    t.record($('3.99'));
    assert.equal(events.length, 0);
    t.record($('0.01')); // 4.00 = 80.00%
    assert.deepEqual(events.map((e) => e.type), ['budget.threshold']);
    t.record($('0.5'));
    assert.equal(events.length, 1, 'threshold fires once');
  });

  it('fires exceeded once at the limit and then blocks paid sends', () => {
    const { t, events } = tracker({ session: '5' });
    t.record($('4.99'));
    assert.ok(t.checkSend({ estimate: undefined, free: false, override: false }).ok);
    t.record($('0.01'));
    assert.deepEqual(events.map((e) => e.type), ['budget.threshold', 'budget.exceeded']);
    t.record($('0.01'));
    assert.equal(events.length, 2);
    const check = t.checkSend({ estimate: undefined, free: false, override: false });
    assert.equal(check.ok, false);
    if (!check.ok) assert.match(check.message, /session budget is used up/);
  });

  it('lets a free model or an explicit override through a spent budget', () => {
    const { t } = tracker({ session: '1' });
    t.record($('1'));
    assert.ok(t.checkSend({ estimate: undefined, free: true, override: false }).ok);
    assert.ok(t.checkSend({ estimate: undefined, free: false, override: true }).ok);
  });

  it('warns before a send whose estimate would cross the limit', () => {
    const { t } = tracker({ session: '1' });
    t.record($('0.9'));
    const check = t.checkSend({ estimate: $('0.2'), free: false, override: false });
    assert.ok(check.ok);
    assert.equal(check.ok && check.warning?.scope, 'session');
    assert.equal(check.ok && check.warning && toDecimalString(check.warning.projected), '1.1');
  });

  it('counts the monthly budget from what the store already holds', () => {
    const { t, events } = tracker({ monthly: '10', monthStart: '9.5' });
    t.record($('0.5'));
    assert.deepEqual(events.map((e) => [e.type, e.status.scope]), [
      ['budget.threshold', 'monthly'],
      ['budget.exceeded', 'monthly'],
    ]);
  });

  it('starts the month total afresh when the month changes', () => {
    let month = '2026-11';
    const { t } = tracker({ monthly: '10', monthStart: '9', month: () => month });
    month = '2026-12';
    assert.equal(toDecimalString(t.monthSpent), '0');
    t.record($('1'));
    assert.equal(toDecimalString(t.monthSpent), '1');
  });

  it('keeps the session sum exact over many small costs', () => {
    const { t } = tracker();
    for (let i = 0; i < 1000; i++) t.record($('0.000123'));
    assert.equal(toDecimalString(t.sessionSpent), '0.123');
  });
});
