/**
 * Runs INSIDE the real extension host (see ./index.ts): activation, commands, the chat view,
 * SecretStorage and the webview message guard of the Neural Terminal extension.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NeuralTerminalApi } from '../../src/extension/extension';
import { waitFor } from './host';

const EXTENSION_ID = 'neural-terminal.neural-terminal';
/** A syntactically valid, fake key. The harness also scans the run's disk files for it after the run. */
export const TEST_KEY = 'sk-or-v1-nt-integration-0123456789abcdef0123456789abcdef';

function extension(): vscode.Extension<NeuralTerminalApi> {
  const ext = vscode.extensions.getExtension<NeuralTerminalApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this extension host`);
  return ext;
}

async function api(): Promise<NeuralTerminalApi> {
  const ext = extension();
  const exports = ext.isActive ? ext.exports : await ext.activate();
  assert.ok(exports?.test, 'activate() must return { test: TestApi }');
  return exports;
}

function assertNoKeyInLogs(a: NeuralTerminalApi): void {
  const lines = a.test.logLines();
  const leaked = lines.filter((l) => l.includes(TEST_KEY) || l.includes(TEST_KEY.slice(9)));
  assert.deepEqual(leaked, [], 'the API key must never appear in the log');
}

describe('Neural Terminal in the extension host', function () {
  this.timeout(30_000);

  it('is installed as a development extension', () => {
    const ext = extension();
    assert.equal(ext.packageJSON.publisher, 'neural-terminal');
    assert.equal(ext.packageJSON.name, 'neural-terminal');
  });

  it('activates when neuralTerminal.showLogs runs and returns the test API', async () => {
    await vscode.commands.executeCommand('neuralTerminal.showLogs');
    const ext = extension();
    assert.equal(ext.isActive, true, 'extension should be active after running its command');
    const a = await api();
    assert.equal(typeof a.test.waitForWebviewReady, 'function');
    assert.equal(typeof a.test.hasApiKey, 'function');
    assert.equal(typeof a.test.injectWebviewMessage, 'function');
    assert.equal(typeof a.test.logLines, 'function');
    assert.ok(Array.isArray(a.test.logLines()));
  });

  it('registers its commands', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of ['neuralTerminal.setApiKey', 'neuralTerminal.clearApiKey', 'neuralTerminal.showLogs']) {
      assert.ok(all.has(id), `command ${id} is not registered`);
    }
  });

  it('resolves the chat webview view on neuralTerminal.chat.focus (ready handshake)', async () => {
    const a = await api();
    await vscode.commands.executeCommand('neuralTerminal.chat.focus');
    await a.test.waitForWebviewReady(20_000);
  });

  it('builds the selected model\'s tokenizer soon after the view opens, before any send', async () => {
    const a = await api();
    await vscode.commands.executeCommand('neuralTerminal.chat.focus');
    await a.test.waitForWebviewReady(20_000);
    const { tokens } = await a.test.services();
    const model = a.test.readSettings().defaultModel;
    await waitFor(`the tokenizer of ${model} to be built`, () => tokens.isReady(model), 60_000);
  });

  it('reads neuralTerminal.baseUrl from the settings the harness wrote (fake OpenRouter)', function () {
    const fake = process.env.NT_FAKE_OPENROUTER_URL;
    if (!fake) this.skip(); // only when the harness started test/fixtures/serve.ts
    const baseUrl = vscode.workspace.getConfiguration('neuralTerminal').get<string>('baseUrl');
    assert.equal(baseUrl, fake);
  });

  describe('API key in SecretStorage', () => {
    afterEach(async () => {
      await vscode.commands.executeCommand('neuralTerminal.clearApiKey');
    });

    it('stores a key with setApiKey and removes it with clearApiKey', async () => {
      const a = await api();
      await vscode.commands.executeCommand('neuralTerminal.clearApiKey');
      assert.equal(await a.test.hasApiKey(), false, 'starts without a key');
      await a.test.command('setApiKey', TEST_KEY);
      assert.equal(await a.test.hasApiKey(), true, 'key stored');
      assertNoKeyInLogs(a);
      await vscode.commands.executeCommand('neuralTerminal.clearApiKey');
      assert.equal(await a.test.hasApiKey(), false, 'key cleared');
    });

    it('refuses an empty or whitespace-only key', async () => {
      const a = await api();
      await vscode.commands.executeCommand('neuralTerminal.clearApiKey');
      const stored = await a.test.command('setApiKey', '   ');
      assert.notEqual(stored, true, 'setApiKey must not report success for a blank key');
      assert.equal(await a.test.hasApiKey(), false, 'blank key must not be stored');
      await a.test.command('setApiKey', '');
      assert.equal(await a.test.hasApiKey(), false, 'empty key must not be stored');
    });

    it('keeps the stored key when a blank key is entered', async () => {
      const a = await api();
      await a.test.command('setApiKey', TEST_KEY);
      assert.equal(await a.test.hasApiKey(), true);
      await a.test.command('setApiKey', ' \t ');
      assert.equal(await a.test.hasApiKey(), true, 'a refused key must not clear the stored one');
    });
  });

  describe('webview message guard', () => {
    it('drops malformed messages and logs that it did', async () => {
      const a = await api();
      const before = a.test.logLines().length;
      const malformed: unknown[] = [
        { type: 'nt.definitely-not-a-message', payload: 42 },
        'just a string',
        null,
        42,
        { noType: true },
      ];
      for (const raw of malformed) {
        assert.equal(await a.test.injectWebviewMessage(raw), false, `should drop ${JSON.stringify(raw)}`);
      }
      const after = a.test.logLines();
      const newLines = after.length > before ? after.slice(before) : after;
      assert.ok(
        newLines.some((l) => /drop/i.test(l)),
        `expected a log line saying the message was dropped; got:\n${newLines.slice(-10).join('\n')}`,
      );
    });

    it('never writes the API key into the log', async () => {
      const a = await api();
      await a.test.command('setApiKey', TEST_KEY);
      // A message that carries the key must be dropped and logged without it.
      await a.test.injectWebviewMessage({ type: 'nt.bogus', apiKey: TEST_KEY });
      assertNoKeyInLogs(a);
      await vscode.commands.executeCommand('neuralTerminal.clearApiKey');
      assertNoKeyInLogs(a);
    });
  });
});
