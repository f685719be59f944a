/**
 * Runs INSIDE the real extension host against the fake OpenRouter: every setting is changed
 * while the extension runs (its chat services already built), and the next action shows the
 * new value took effect — in the request the fake received, in the engine's budget and
 * circuit state, or in what the view and the status bar show. No reload in between.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NeuralTerminalApi } from '../../src/extension/extension';
import type { StoredMessage } from '../../src/extension/storage/types';
import { toDecimalString } from '../../src/shared/money';

const EXTENSION_ID = 'neural-terminal.neural-terminal';
const KEY = 'sk-or-v1-nt-settings-live-0123456789abcdef0123456789abcdef';
const cfg = () => vscode.workspace.getConfiguration('neuralTerminal');
const set = (key: string, value: unknown) => cfg().update(key, value, vscode.ConfigurationTarget.Global);

async function api(): Promise<NeuralTerminalApi> {
  const ext = vscode.extensions.getExtension<NeuralTerminalApi>(EXTENSION_ID);
  assert.ok(ext);
  return ext.isActive ? ext.exports : ext.activate();
}

function fakeOrigin(): string {
  const url = process.env.NT_FAKE_OPENROUTER_URL;
  assert.ok(url, 'the harness must start the fake OpenRouter server');
  return new URL(url).origin;
}

interface Recorded {
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

async function chatRequests(): Promise<Recorded[]> {
  const res = await fetch(`${fakeOrigin()}/__control/requests`);
  const { requests } = (await res.json()) as { requests: Recorded[] };
  return requests.filter((r) => r.path.endsWith('/chat/completions'));
}

/** Sends in a new conversation straight to the engine and returns the settled reply and the chat body the fake received. */
async function send(a: NeuralTerminalApi, text: string, extra: { model?: string; webSearch?: boolean } = {}): Promise<{ reply: StoredMessage; body: Record<string, unknown>; request: Recorded }> {
  const s = await a.test.services();
  const before = (await chatRequests()).length;
  const outcome = await s.engine.send({
    text: `${text} ${Math.random().toString(36).slice(2)}`, // never a double-send
    overrideBudget: true,
    ...(extra.model ? { model: extra.model } : {}),
    ...(extra.webSearch ? { controls: { webSearch: true } } : {}),
  });
  assert.equal(outcome.status, 'started', outcome.status === 'refused' ? outcome.message : '');
  if (outcome.status !== 'started') throw new Error('not started');
  const reply = await outcome.done;
  const requests = await chatRequests();
  assert.ok(requests.length > before, 'the send reached the fake');
  const request = requests.at(-1)!;
  return { reply, body: request.body as Record<string, unknown>, request };
}

/** Changes a setting, runs `check`, then puts the setting back. */
async function withSetting<T>(key: string, value: unknown, check: () => Promise<T>): Promise<T> {
  await set(key, value);
  try {
    return await check();
  } finally {
    await set(key, undefined);
  }
}

const provider = (body: Record<string, unknown>) => body['provider'] as Record<string, unknown> | undefined;

describe('Every setting applies without a reload', function () {
  this.timeout(120_000);

  before(async () => {
    const a = await api();
    if (!(await a.test.hasApiKey())) assert.equal(await a.test.command('setApiKey', KEY), 'stored');
    // Build the services first: every change below reaches parts that already exist.
    const s = await a.test.services();
    await s.catalog.get();
  });

  it('sends the model, fallbacks, temperature, reply limit and system prompt set after start', async () => {
    const a = await api();
    const cases: [string, unknown, (body: Record<string, unknown>) => void][] = [
      ['defaultModel', 'anthropic/claude-sonnet-4', (b) => assert.equal(b['model'], 'anthropic/claude-sonnet-4')],
      ['fallbackModels', ['google/gemini-2.5-flash'], (b) => assert.ok((b['models'] as string[] | undefined)?.includes('google/gemini-2.5-flash'))],
      ['temperature', 0.3, (b) => assert.equal(b['temperature'], 0.3)],
      ['maxTokens', 123, (b) => assert.equal(b['max_tokens'], 123)],
      ['systemPrompt', 'Answer briefly.', (b) => assert.deepEqual((b['messages'] as unknown[])[0], { role: 'system', content: 'Answer briefly.' })],
    ];
    for (const [key, value, check] of cases) {
      const { body: plain } = await send(a, `before ${key}`);
      assert.throws(() => check(plain), `${key} has its default before the change`);
      const { body } = await withSetting(key, value, () => send(a, `after ${key}`));
      check(body);
    }
  });

  it('redacts personal data in what is sent once privacy.redactPII is on', async () => {
    const a = await api();
    const email = 'jane.doe@example.com';
    assert.match(JSON.stringify((await send(a, `mail ${email}`)).body), /jane\.doe@example\.com/);
    const { body } = await withSetting('privacy.redactPII', true, () => send(a, `mail ${email}`));
    assert.doesNotMatch(JSON.stringify(body), /jane\.doe@example\.com/);
  });

  it('routes, reasons, searches, caches and tags requests by the control settings', async () => {
    const a = await api();
    const cases: [string, unknown, (b: Record<string, unknown>) => void, { model?: string; webSearch?: boolean }?][] = [
      ['routing.sort', 'price', (b) => assert.equal(provider(b)?.['sort'], 'price')],
      ['routing.order', ['fastlane'], (b) => assert.deepEqual(provider(b)?.['order'], ['fastlane'])],
      ['routing.only', ['fastlane'], (b) => assert.deepEqual(provider(b)?.['only'], ['fastlane'])],
      ['routing.ignore', ['bargain'], (b) => assert.deepEqual(provider(b)?.['ignore'], ['bargain'])],
      ['routing.allowFallbacks', false, (b) => assert.equal(provider(b)?.['allow_fallbacks'], false)],
      ['routing.denyDataCollection', true, (b) => assert.equal(provider(b)?.['data_collection'], 'deny')],
      ['routing.zdr', true, (b) => assert.equal(provider(b)?.['zdr'], true)],
      ['routing.maxPromptPrice', '100', (b) => assert.deepEqual(provider(b)?.['max_price'], { prompt: 100 })],
      ['routing.maxCompletionPrice', '200', (b) => assert.deepEqual(provider(b)?.['max_price'], { completion: 200 })],
      ['reasoning.effort', 'high', (b) => assert.deepEqual(b['reasoning'], { effort: 'high' }), { model: 'deepseek/deepseek-r1' }],
      ['reasoning.maxTokens', 256, (b) => assert.deepEqual(b['reasoning'], { max_tokens: 256 }), { model: 'deepseek/deepseek-r1' }],
      ['webSearch.maxResults', 2, (b) => assert.deepEqual(b['plugins'], [{ id: 'web', max_results: 2 }]), { webSearch: true }],
      ['preset', 'team-default', (b) => assert.equal(b['preset'], 'team-default')],
      ['promptCaching', false, (b) => assert.doesNotMatch(JSON.stringify(b['messages']), /cache_control/), { model: 'anthropic/claude-sonnet-4' }],
      ['sessionId', false, (b) => assert.equal(b['session_id'], undefined)],
    ];
    for (const [key, value, check, extra] of cases) {
      const { body: plain } = await send(a, `before ${key}`, extra);
      assert.throws(() => check(plain), `${key} has its default before the change`);
      const { body } = await withSetting(key, value, () => send(a, `after ${key}`, extra));
      check(body);
    }
  });

  it('sends to a changed endpoint from the next request on', async () => {
    const a = await api();
    const original = cfg().get<string>('baseUrl')!;
    const other = original.replace('127.0.0.1', 'localhost');
    assert.notEqual(other, original);
    assert.match((await send(a, 'to the first endpoint')).request.headers['host'] ?? '', /^127\.0\.0\.1:/);
    try {
      await set('baseUrl', other);
      assert.match((await send(a, 'to the second endpoint')).request.headers['host'] ?? '', /^localhost:/);
    } finally {
      await set('baseUrl', original);
    }
  });

  it('gives up on a silent stream after the stall timeout set after start', async () => {
    const a = await api();
    const started = Date.now();
    const { reply } = await withSetting('network.stallTimeoutSeconds', 5, () => send(a, 'hold on [[scenario:stall]]'));
    assert.equal(reply.finishReason, 'stalled', 'the client stopped waiting at 5 s (the default is 60 s; the fake hangs up at 30 s)');
    assert.match(String((reply.metadata['error'] as { message?: string } | undefined)?.message), /nothing arrived for 5 s/);
    assert.ok(Date.now() - started < 25_000);
  });

  it('opens circuits at the threshold and holds them for the recovery time set after start', async () => {
    const a = await api();
    const s = await a.test.services();
    const model = 'mistralai/mistral-small-3.2-24b-instruct';
    const breaker = () => s.client.circuits.snapshot().find((b) => b.key === `model:${model}`);
    await set('circuitBreaker.threshold', 1);
    try {
      await send(a, 'fail once [[scenario:provider_error]]', { model });
      assert.equal(breaker()?.state, 'open', 'one failure opens the circuit at threshold 1 (the default is 5)');
      const waitMs = (breaker()?.retryAt ?? 0) - Date.now();
      assert.ok(waitMs > 20_000, `the default recovery is 30 s (${waitMs} ms left)`);
      await set('circuitBreaker.recoverySeconds', 1);
      // The change reaches the running client when the editor announces it.
      // (On a slow machine more than 1 s may have passed since it opened: then it is already half-open.)
      await waitFor('the open circuit to wait 1 s', () => breaker()?.state === 'half_open' || (breaker()?.retryAt ?? Infinity) - Date.now() <= 1_000);
      await new Promise((r) => setTimeout(r, 1_100));
      assert.equal(breaker()?.state, 'half_open');
      assert.equal((await send(a, 'and recover', { model })).reply.status, 'complete');
      assert.equal(breaker()?.state, 'closed');
    } finally {
      await set('circuitBreaker.threshold', undefined);
      await set('circuitBreaker.recoverySeconds', undefined);
    }
  });

  it('applies budgets and the warning line to the running cost tracker', async () => {
    const a = await api();
    const s = await a.test.services();
    const limitOf = (scope: string) => {
      const limit = s.costs.statuses().find((st) => st.scope === scope)?.limit;
      return limit ? toDecimalString(limit) : undefined;
    };
    assert.equal(limitOf('monthly'), undefined);
    await withSetting('budget.monthly', 12.5, () => waitFor('the monthly budget', () => limitOf('monthly') === '12.5'));
    await withSetting('budget.session', 0.25, () => waitFor('the session budget', () => limitOf('session') === '0.25'));
    // A session budget ten times what was spent (10 % used): past a 5 % warning line, below the default 80 %.
    const spent = Number(toDecimalString(s.costs.sessionSpent));
    assert.ok(spent > 0, 'the sends above cost something');
    const crossed: string[] = [];
    const off = s.bus.on('budget.threshold', (e) => crossed.push(e.scope));
    try {
      await withSetting('budget.session', spent * 10, async () => {
        const used = () => s.costs.statuses().find((st) => st.scope === 'session')?.basisPoints ?? 0;
        await waitFor('a budget 10 % used', () => used() > 900 && used() < 1100);
        assert.equal(crossed.length, 0, 'no warning at the default 80 %');
        assert.equal(a.test.statusBar.state.background, undefined);
        await withSetting('budget.warnAt', 0.05, () =>
          waitFor('the warning at 5 %', () => crossed.includes('session') && a.test.statusBar.state.background === 'statusBarItem.warningBackground'),
        );
      });
    } finally {
      off();
    }
  });

  it('shows the mode, the look, the prose font and the status bar as set', async () => {
    const a = await api();
    assert.equal((await a.test.controller.snapshot()).mode, 'research');
    await withSetting('ui.mode', 'zen', async () => assert.equal((await a.test.controller.snapshot()).mode, 'zen'));
    assert.equal((await a.test.controller.snapshot()).look, 'editor');
    await withSetting('ui.look', 'phosphor', async () => assert.equal((await a.test.controller.snapshot()).look, 'phosphor'));
    // The prose font and size: in the next snapshot, which a settings change sends to the open view (no reload).
    assert.deepEqual((await a.test.controller.snapshot()).prose, { font: 'editor', size: 0 });
    await withSetting('ui.proseFont', 'ui', () =>
      withSetting('ui.proseFontSize', 15, async () => assert.deepEqual((await a.test.controller.snapshot()).prose, { font: 'ui', size: 15 })),
    );
    await withSetting('ui.proseFontSize', 400, async () => assert.equal((await a.test.controller.snapshot()).prose?.size, 0, 'out of range: the default'));
    assert.equal(a.test.statusBar.state.visible, true);
    await withSetting('ui.showStatusBar', false, async () => {
      await waitFor('the status bar to hide', () => !a.test.statusBar.state.visible);
    });
    await waitFor('the status bar to show again', () => a.test.statusBar.state.visible);
  });

  it('sends a selection to a new conversation once sendSelection.target is "new"', async () => {
    const a = await api();
    const s = await a.test.services();
    const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'one\ntwo\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 0, 3);
    const first = await vscode.commands.executeCommand<string>('neuralTerminal.sendSelection', { prompt: 'First' });
    await waitFor('the first reply', () => !s.engine.isStreaming(first));
    const same = await vscode.commands.executeCommand<string>('neuralTerminal.sendSelection', { prompt: 'Same place' });
    assert.equal(same, first, 'the default target is the current conversation');
    await waitFor('the second reply', () => !s.engine.isStreaming(same));
    const other = await withSetting('sendSelection.target', 'new', async () => vscode.commands.executeCommand<string>('neuralTerminal.sendSelection', { prompt: 'Elsewhere' }));
    assert.notEqual(other, first);
    await waitFor('the third reply', () => !s.engine.isStreaming(other));
  });
});

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
