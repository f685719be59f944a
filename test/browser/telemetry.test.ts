/**
 * Telemetry: budget bars change level at the host's threshold and at 100% (decided with exact
 * decimals), the one-line strip in the sidebar, the rail with sparkline, context, circuit, key.
 */
import * as assert from 'node:assert/strict';
import { WebviewPage } from './harness';
import { snapshot, telemetry } from './fixtures';

const squash = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

describe('telemetry', function () {
  let p: WebviewPage;

  afterEach(async () => {
    assert.deepEqual(p.errors, [], 'the page logged errors');
    await p.close();
  });

  const sessionMeterClass = () =>
    p.page.locator('aside.rail.telemetry [role="meter"][aria-label="Session budget"]').evaluate((el) => [...el.classList].filter((c) => c !== 'meter').join(' '));

  it('turns the budget bar to warning at 80% and to error at 100%, not before', async () => {
    p = await WebviewPage.open({ width: 1280 });
    const cases: [spent: string, level: string][] = [
      ['0.79', 'ok'],
      ['0.7999999999999999999', 'ok'], // a float would round this to 0.8
      ['0.80', 'warn'],
      ['0.9999', 'warn'],
      ['1.00', 'over'],
      ['1.20', 'over'],
    ];
    for (const [spent, level] of cases) {
      await p.post({ type: 'view/snapshot', snapshot: snapshot({ telemetry: telemetry({ sessionCost: spent }) }) });
      assert.equal(await sessionMeterClass(), level, `$${spent} of $1.00`);
    }
    const meter = p.page.locator('aside.rail.telemetry [role="meter"][aria-label="Session budget"]');
    assert.equal(await meter.getAttribute('aria-valuenow'), '100');
    assert.equal(await meter.getAttribute('aria-valuetext'), '120%: $1.20 of $1.00');
  });

  it('uses the host’s warning threshold', async () => {
    p = await WebviewPage.open({ width: 1280 });
    await p.post({
      type: 'view/snapshot',
      snapshot: snapshot({ telemetry: telemetry({ sessionCost: '0.5', budget: { session: '1', monthly: '20', warnAtBasisPoints: 5000 } }) }),
    });
    assert.equal(await sessionMeterClass(), 'warn');
  });

  it('sums the session up in one line in the narrow sidebar and opens the details on request', async () => {
    p = await WebviewPage.open({ width: 380 });
    await p.post({ type: 'view/snapshot', snapshot: snapshot() });
    const strip = p.page.getByRole('group', { name: 'Telemetry' });
    assert.equal(squash(await strip.locator('.items').textContent()), '$0.4210 42% in 48k · out 9.9k ctx 17% ttft 340 ms 42 tok/s');
    const box = await strip.boundingBox();
    assert.ok(box && box.height < 30, `the strip is one line (${box?.height}px)`);
    assert.equal(await p.page.locator('aside.rail.telemetry').isVisible(), false, 'no rail in the sidebar');
    await strip.getByRole('button', { name: /telemetry/ }).click();
    const drawer = p.page.getByRole('complementary', { name: 'Telemetry' });
    assert.ok(await drawer.isVisible());
    assert.equal(await strip.getByRole('button', { name: /telemetry/ }).getAttribute('aria-expanded'), 'true');
    await p.page.keyboard.press('Escape');
    assert.equal(await drawer.count(), 0, 'Esc closes the drawer');
  });

  it('shows tokens, context with reserve, latency, a sparkline of recent costs, circuit and key in the wide rail', async () => {
    p = await WebviewPage.open({ width: 1280 });
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ telemetry: telemetry({ circuit: 'open' }) }) });
    const rail = p.page.locator('aside.rail.telemetry');
    const t = await p.deepText('aside.rail.telemetry nt-telemetry');
    for (const part of ['Tokens in 48,213', 'Tokens out 9,877', 'Context 17% 34,112 of 200,000 reply reserve 4,096', 'Last TTFT 340 ms', 'Last rate 42 tok/s', 'open — paused', 'Key left $4.20', 'Key used $5.80', 'Lifetime $27.55']) {
      assert.ok(t.includes(part), `"${part}" missing from: ${t}`);
    }
    const spark = rail.getByRole('img', { name: /^Recent reply costs, oldest first: \$0\.0012, \$0\.0031/ });
    assert.equal(await spark.locator('rect:not(.base)').count(), 10);
    const context = rail.getByRole('meter', { name: 'Context window' });
    assert.equal(await context.getAttribute('aria-valuetext'), '34,112 of 200,000 tokens, 4,096 reserved for the reply');
  });
});
