/**
 * Runs INSIDE the real extension host against the fake OpenRouter: the key's figures in the
 * status-bar tooltip and the usage report, the management key in its own SecretStorage entry
 * (set, checked against /credits, never logged, cleared), and the usage report's per-day
 * reconciliation with OpenRouter's /activity, showing the exact difference on the day the
 * fake billed a call the ledger never saw.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NeuralTerminalApi } from '../../src/extension/extension';

const EXTENSION_ID = 'neural-terminal.neural-terminal';
const KEY = 'sk-or-v1-nt-account-0123456789abcdef0123456789abcdef';
const MANAGEMENT_KEY = 'sk-or-v1-nt-management-fedcba9876543210fedcba98765432';
const DAY = 86_400_000;

async function api(): Promise<NeuralTerminalApi> {
  const ext = vscode.extensions.getExtension<NeuralTerminalApi>(EXTENSION_ID);
  assert.ok(ext);
  return ext.isActive ? ext.exports : ext.activate();
}

async function waitFor<T>(what: string, probe: () => T | Promise<T>, ms = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function fake(): { url: string; origin: string } {
  const url = process.env.NT_FAKE_OPENROUTER_URL;
  assert.ok(url, 'the harness must start the fake OpenRouter server');
  return { url, origin: new URL(url).origin };
}

async function setFakeClock(offsetMs: number): Promise<void> {
  const res = await fetch(`${fake().origin}/__control/clock`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ offsetMs }) });
  assert.equal(res.status, 200);
}

/** Exact decimal text of a JSON number as the fake wrote it (shortest round trip, no exponent for these sizes). */
function decimal(n: number): string {
  const text = String(n);
  assert.doesNotMatch(text, /e/i, 'the amount is written without an exponent');
  return text;
}

describe('Key and account in the extension host', function () {
  this.timeout(60_000);

  before(async () => {
    const a = await api();
    assert.equal(await a.test.command('setApiKey', KEY), 'stored');
  });

  after(async () => {
    await setFakeClock(0);
    const a = await api();
    await a.test.command('clearManagementKey');
  });

  it('shows the key’s remaining credit and usage in the status-bar tooltip', async () => {
    const a = await api();
    const s = await a.test.services();
    await s.engine.idle();
    await a.test.statusBar.refreshKey(true);
    const tooltip = a.test.statusBar.state.tooltip;
    assert.match(tooltip, /OpenRouter key: \$[\d,]+\.\d{2,6} credit left of \$[\d,]+\.\d{2,} · \$[\d,]+\.\d{2,6} used/, "the shared cost format");
  });

  it('checks the management key against /credits and keeps it only in secret storage', async () => {
    const a = await api();
    const outcome = await a.test.command('setManagementKey', MANAGEMENT_KEY);
    assert.equal(outcome, 'stored', 'checked against /credits of the fake');
    const s = await a.test.services();
    assert.equal(await s.account.available(), true);
    const settingsText = JSON.stringify(vscode.workspace.getConfiguration('neuralTerminal'));
    assert.ok(!settingsText.includes(MANAGEMENT_KEY), 'never in settings');
  });

  it('reconciles the ledger with OpenRouter per day and shows the exact difference of the day that differs', async () => {
    const a = await api();
    const s = await a.test.services();
    // Today: one reply through the extension (the ledger and the fake both bill it).
    const sent = await s.engine.send({ text: 'reconcile me' });
    assert.equal(sent.status, 'started');
    if (sent.status === 'started') assert.equal((await sent.done).status, 'complete');
    await s.engine.idle();
    // Yesterday on OpenRouter's calendar: another app used the account; our ledger never saw it.
    await setFakeClock(-DAY);
    const other = await fetch(`${fake().url}/chat/completions`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sk-or-v1-another-app', 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'from another app' }], stream: false }),
    });
    assert.equal(other.status, 200);
    const otherId = other.headers.get('x-generation-id');
    const generations = (await (await fetch(`${fake().origin}/__control/generations`)).json()) as { data: { id: string; total_cost: number }[] };
    const otherCost = decimal(generations.data.find((g) => g.id === otherId)!.total_cost);
    // A day later on OpenRouter's calendar, so yesterday is listed in /activity.
    await setFakeClock(DAY);

    const panel = await vscode.commands.executeCommand<vscode.WebviewPanel>('neuralTerminal.showUsage');
    try {
      const html = await waitFor('the account sections', () => (panel.webview.html.includes('Key and account') ? panel.webview.html : ''));
      assert.match(html, /remaining/);
      assert.match(html, /Account: credits \$\d+\.\d{2}/);
      const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
      const row = new RegExp(`<tr class="differs"><th scope="row">${yesterday}</th>.*?</tr>`).exec(html)?.[0] ?? '';
      assert.ok(row.includes(`+${otherCost}`), `the day that differs shows the exact difference +${otherCost}: ${row}`);
      assert.doesNotMatch(html, /<script/i);
      assert.ok(!html.includes(MANAGEMENT_KEY) && !html.includes(KEY));
      // The exported CSV carries the reconciliation too: that day, ours 0 beside OpenRouter's
      // exact bill, the difference, the status, no reply of ours beside its one request.
      const csvUri = vscode.Uri.file(path.join(os.tmpdir(), `nt-usage-reconciled-${process.pid}.csv`));
      await a.test.command('exportUsageCsv', csvUri);
      const csv = await fs.readFile(csvUri.fsPath, 'utf8');
      await fs.rm(csvUri.fsPath, { force: true });
      assert.ok(csv.includes(`\nreconciliation,${yesterday},0,0,0,,,,0,${otherCost},0,${otherCost},differs,1\n`), csv);
    } finally {
      panel.dispose();
    }
  });

  it('reports the management key in Diagnose and never writes it to the log', async () => {
    const a = await api();
    const report = await vscode.commands.executeCommand<string>('neuralTerminal.diagnose', { show: false });
    assert.match(report, /Management key: stored, account balance \$\d+\.\d{2}/);
    assert.ok(!report.includes(MANAGEMENT_KEY));
    const log = a.test.logLines().join('\n');
    assert.match(log, /Management key stored in secret storage/);
    assert.ok(!log.includes(MANAGEMENT_KEY) && !log.includes(MANAGEMENT_KEY.slice(-16)), 'the management key is redacted');
  });

  it('clears the management key, and the report asks for one again', async () => {
    const a = await api();
    await a.test.command('clearManagementKey');
    const s = await a.test.services();
    assert.equal(await s.account.available(), false);
    const panel = await vscode.commands.executeCommand<vscode.WebviewPanel>('neuralTerminal.showUsage');
    try {
      await waitFor('the management key hint', () => panel.webview.html.includes('need a management key'));
    } finally {
      panel.dispose();
    }
  });
});
