import { strict as assert } from 'node:assert';
import { usageHtml } from '../../../src/extension/core/usageChart';
import { parseUsd } from '../../../src/shared/money';
import type { UsageReport, UsageRow } from '../../../src/extension/storage/usage';

const row = (key: string, cost: string, promptTokens = 0, completionTokens = 0): UsageRow => ({
  key,
  cost,
  upstream: '0',
  cacheSaving: '0',
  promptTokens,
  completionTokens,
  messages: cost === '0' ? 0 : 1,
});

const report: UsageReport = {
  from: 0,
  to: 0,
  byDay: [row('2026-12-01', '0.000782', 100, 50), row('2026-12-02', '0', 0, 0), row('2026-12-03', '1.25', 4000, 2000)],
  byModel: [row('openai/gpt-4o-mini', '1.250782', 4100, 2050)],
  topConversations: [],
  total: '1.250782',
  totalUpstream: '0',
  totalCacheSaving: '0',
};

const html = (monthly?: string) =>
  usageHtml({ report, monthly: monthly === undefined ? undefined : parseUsd(monthly), monthStart: '2026-12-01', csp: "default-src 'none'", stylesheet: 'usage.css', csvCommandUri: 'command:x' });

describe('usage report charts', () => {
  it('draws a value axis (zero, half, highest) and a date axis on the spend and token charts', () => {
    const page = html();
    const spend = /<h2>Spend by day<\/h2>(<svg.*?<\/svg>)/s.exec(page)?.[1] ?? '';
    assert.match(spend, /<text class="axis value"[^>]*>\$0\.00<\/text>/);
    assert.match(spend, /<text class="axis value"[^>]*>\$0\.6250<\/text>/);
    assert.match(spend, /<text class="axis value"[^>]*>\$1\.2500<\/text>/);
    assert.match(spend, /<text class="axis date start"[^>]*>2026-12-01<\/text>/);
    assert.match(spend, /<text class="axis date end"[^>]*>2026-12-03<\/text>/);
    assert.match(spend, /<text class="bar-value"[^>]*>\$1\.2500<\/text>/, 'the highest bar carries its value');
    assert.match(spend, /<title>2026-12-01: \$0\.000782<\/title>/, 'every bar has its value as a tooltip');
    const tokens = /<h2>Tokens by day<\/h2>(<svg.*?<\/svg>)/s.exec(page)?.[1] ?? '';
    assert.match(tokens, /<text class="axis value"[^>]*>6,000<\/text>/);
  });

  it('draws no burn-down when no monthly budget is set, and says how to set one', () => {
    const page = html();
    assert.doesNotMatch(page, /aria-label="Budget burn-down/);
    assert.match(page, /No monthly budget is set/);
  });

  it('draws the burn-down against the budget line when a monthly budget is set', () => {
    const page = html('5');
    assert.match(page, /aria-label="Budget burn-down: \$1\.2508 of \$5\.00 spent this month"/);
    assert.match(page, /<line class="budget"/);
    assert.match(page, /monthly budget \$5\.00/);
  });

  it('formats every amount in the tables with the shared cost format', () => {
    assert.match(html(), /<th scope="row">openai\/gpt-4o-mini<\/th><td>\$1\.2508<\/td>/);
  });
});
