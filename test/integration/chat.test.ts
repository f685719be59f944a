/**
 * Runs INSIDE the real extension host, against the fake OpenRouter server the harness
 * started (its URL is in neuralTerminal.baseUrl and NT_FAKE_OPENROUTER_URL): the chat
 * engine end to end through the controller, and every editor command with its cancel
 * path. Files are real: the history database in global storage, exports in a temp folder.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NeuralTerminalApi } from '../../src/extension/extension';

const EXTENSION_ID = 'neural-terminal.neural-terminal';
const KEY = 'sk-or-v1-nt-chat-flow-fedcba9876543210fedcba9876543210';

async function api(): Promise<NeuralTerminalApi> {
  const ext = vscode.extensions.getExtension<NeuralTerminalApi>(EXTENSION_ID);
  assert.ok(ext);
  return ext.isActive ? ext.exports : ext.activate();
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function fakeOrigin(): string {
  const url = process.env.NT_FAKE_OPENROUTER_URL;
  assert.ok(url, 'the harness must start the fake OpenRouter server');
  return new URL(url).origin;
}

async function queueScenarios(queue: string[]): Promise<void> {
  const res = await fetch(`${fakeOrigin()}/__control/scenarios`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ queue }),
  });
  assert.equal(res.status, 200);
}

/** Sends through the controller, as the webview does, and waits for the reply to settle. */
async function sendAndSettle(a: NeuralTerminalApi, text: string): Promise<string> {
  const s = await a.test.services();
  await a.test.controller.handle({ type: 'chat/send', text });
  const id = a.test.controller.activeConversationId;
  assert.ok(id, 'a send opens its conversation');
  await waitFor('the reply to settle', () => !s.engine.isStreaming(id));
  return id;
}

/** Closes whatever QuickPick/InputBox is open shortly after a command opened it. */
/**
 * Runs a command that opens a QuickPick/InputBox and keeps closing it until the command
 * settles: a single close fired too early (before the box shows, on a loaded machine)
 * would leave the command waiting for ever.
 */
async function dismissing<T>(running: Thenable<T>): Promise<T> {
  const timer = setInterval(() => void vscode.commands.executeCommand('workbench.action.closeQuickOpen'), 400);
  try {
    return await running;
  } finally {
    clearInterval(timer);
  }
}

describe('Chat and editor commands in the extension host', function () {
  this.timeout(60_000);
  let tmp: string;

  before(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'nt-int-'));
    const a = await api();
    const outcome = await a.test.command('setApiKey', KEY);
    assert.equal(outcome, 'stored', 'the key is checked against /key of the fake server');
    assert.equal(await a.test.hasApiKey(), true);
  });

  after(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
    // For `npm run bench`: the real in-editor activation time of this run.
    const a = await api();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const out = path.join(ext.extensionPath, 'test-results', 'activation.json');
    await fs.mkdir(path.dirname(out), { recursive: true });
    await fs.writeFile(out, JSON.stringify({ activationMs: a.test.activationMs }));
  });

  it('streams a reply into the history with its exact cost and shows the spend in the status bar', async () => {
    const a = await api();
    const s = await a.test.services();
    const id = await sendAndSettle(a, 'Hello from the extension host');
    const path_ = (await s.history.activePath(id)).map((e) => e.message);
    assert.deepEqual(path_.map((m) => m.role), ['user', 'assistant']);
    const reply = path_[1]!;
    assert.equal(reply.status, 'complete');
    assert.match(reply.content, /You said: Hello from the extension host/);
    assert.equal(reply.cost?.source, 'usage');
    assert.match(a.test.statusBar.state.text, /\$0\.\d{4}/);
  });

  it('sends the editor selection with its language and path:line-range', async () => {
    const a = await api();
    const s = await a.test.services();
    const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'const a = 1;\nconst b = 2;\nconst c = 3;\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 0, 2, 12);
    const id = await vscode.commands.executeCommand<string>('neuralTerminal.sendSelection', { prompt: 'Explain this' });
    assert.ok(id);
    await waitFor('the reply', () => !s.engine.isStreaming(id));
    const user = (await s.history.activePath(id)).map((e) => e.message).filter((m) => m.role === 'user').at(-1)!;
    assert.match(user.content, /^Explain this\n\n.*:2-3\n```typescript\nconst b = 2;\nconst c = 3;\n```$/s);
  });

  it('forks at a message into a new linked conversation and opens it', async () => {
    const a = await api();
    const s = await a.test.services();
    const source = await sendAndSettle(a, 'Fork me');
    const [first] = await s.history.activePath(source);
    const forkId = await vscode.commands.executeCommand<string>('neuralTerminal.forkConversation', first!.message.id);
    assert.ok(forkId && forkId !== source);
    const fork = await s.history.getConversation(forkId);
    assert.equal(fork.parentConversationId, source);
    assert.equal(a.test.controller.activeConversationId, forkId);
    assert.equal((await s.history.activePath(forkId)).length, 1);
  });

  it('changes nothing when the fork, model and search pickers are dismissed', async () => {
    const a = await api();
    const before = a.test.controller.activeConversationId;
    const model = vscode.workspace.getConfiguration('neuralTerminal').get('defaultModel');
    assert.equal(await dismissing(vscode.commands.executeCommand('neuralTerminal.forkConversation')), undefined);
    assert.equal(await dismissing(vscode.commands.executeCommand('neuralTerminal.selectModel')), undefined);
    await dismissing(vscode.commands.executeCommand('neuralTerminal.searchHistory'));
    assert.equal(a.test.controller.activeConversationId, before);
    assert.equal(vscode.workspace.getConfiguration('neuralTerminal').get('defaultModel'), model);
  });

  it('selects a model for the open conversation and as the default', async () => {
    const a = await api();
    const s = await a.test.services();
    await sendAndSettle(a, 'which model?');
    await vscode.commands.executeCommand('neuralTerminal.selectModel', 'anthropic/claude-sonnet-4');
    const id = a.test.controller.activeConversationId!;
    assert.equal((await s.history.getConversation(id)).modelId, 'anthropic/claude-sonnet-4');
    assert.equal(vscode.workspace.getConfiguration('neuralTerminal').get('defaultModel'), 'anthropic/claude-sonnet-4');
    await vscode.workspace.getConfiguration('neuralTerminal').update('defaultModel', undefined, vscode.ConfigurationTarget.Global);
  });

  it('exports JSON and Markdown, re-imports the JSON, and refuses a garbage import leaving history unchanged', async () => {
    const a = await api();
    const s = await a.test.services();
    const id = await sendAndSettle(a, 'Export me');
    const json = vscode.Uri.file(path.join(tmp, 'one.json'));
    const md = vscode.Uri.file(path.join(tmp, 'one.md'));
    await a.test.command('exportConversation', { conversationId: id, format: 'json', target: json });
    await a.test.command('exportConversation', { conversationId: id, format: 'markdown', target: md });
    assert.match(await fs.readFile(md.fsPath, 'utf8'), /Export me/);
    const before = (await s.history.listConversations({ status: 'all', limit: 500 })).total;
    assert.equal(await a.test.command('importHistory', json), 1);
    assert.equal((await s.history.listConversations({ status: 'all', limit: 500 })).total, before + 1);
    const garbage = vscode.Uri.file(path.join(tmp, 'garbage.json'));
    await fs.writeFile(garbage.fsPath, '{"format":"something else","conversations":[1,2,3]}');
    assert.equal(await a.test.command('importHistory', garbage), 0);
    assert.equal((await s.history.listConversations({ status: 'all', limit: 500 })).total, before + 1);
    for (const f of [json, md]) assert.ok(!(await fs.readFile(f.fsPath, 'utf8')).includes(KEY), 'exports never hold the key');
  });

  it('opens the conversation as a read-only Markdown document', async () => {
    const a = await api();
    const id = await sendAndSettle(a, 'Show me as markdown');
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('neuralTerminal.openAsMarkdown', id);
    assert.ok(doc);
    assert.equal(doc.languageId, 'markdown');
    assert.match(doc.getText(), /Show me as markdown/);
  });

  it('marks a mid-stream failure as failed and a retry delivers a sibling reply', async () => {
    const a = await api();
    const s = await a.test.services();
    await queueScenarios(['midstream_error']);
    const id = await sendAndSettle(a, 'this one breaks');
    const failed = (await s.history.activePath(id)).at(-1)!.message;
    assert.equal(failed.status, 'failed');
    await a.test.controller.handle({ type: 'chat/retry', messageId: failed.id });
    await waitFor('the retry', () => !s.engine.isStreaming(id));
    const retried = (await s.history.activePath(id)).at(-1)!.message;
    assert.notEqual(retried.id, failed.id);
    assert.equal(retried.status, 'complete');
    assert.equal(retried.parentId, failed.parentId);
  });

  it('turns the status bar to warning at 80% and error at 100% of the session budget', async () => {
    const a = await api();
    const s = await a.test.services();
    const cfg = vscode.workspace.getConfiguration('neuralTerminal');
    // Run alone (--grep), nothing has been spent yet: a budget needs a spend to be 80% of.
    if (s.costs.sessionSpent.atto === 0n) await sendAndSettle(a, 'spend something first');
    const spent = Number(s.costs.sessionSpent.atto) / 1e18;
    assert.ok(spent > 0, 'this session has spent something');
    try {
      await cfg.update('budget.session', spent / 0.85, vscode.ConfigurationTarget.Global);
      await waitFor('warning background', () => a.test.statusBar.state.background === 'statusBarItem.warningBackground');
      await cfg.update('budget.session', spent / 2, vscode.ConfigurationTarget.Global);
      await waitFor('error background', () => a.test.statusBar.state.background === 'statusBarItem.errorBackground');
    } finally {
      // Every later test sends: a spent budget left behind would refuse them all.
      await cfg.update('budget.session', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('shows the usage report and exports it as CSV', async () => {
    const a = await api();
    const panel = await vscode.commands.executeCommand<vscode.WebviewPanel>('neuralTerminal.showUsage');
    assert.ok(panel);
    assert.match(panel.webview.html, /Spend by day/);
    assert.doesNotMatch(panel.webview.html, /<script/i);
    const csv = vscode.Uri.file(path.join(tmp, 'usage.csv'));
    await a.test.command('exportUsageCsv', csv);
    const text = await fs.readFile(csv.fsPath, 'utf8');
    assert.match(text, /^section,key,cost_usd,openrouter_usd,provider_byok_usd,cache_saving_usd,prompt_tokens,completion_tokens,messages,billed_openrouter_usd,billed_provider_byok_usd,difference_usd,status,openrouter_requests\n/);
    assert.match(text, /\nmodel,openai\/gpt-4o-mini,0\.\d+/);
    panel.dispose();
  });

  it('diagnoses the endpoint, key, catalog and database without revealing the key', async () => {
    const report = await vscode.commands.executeCommand<string>('neuralTerminal.diagnose', { show: false });
    assert.match(report, /Key check: valid/);
    assert.match(report, /History: .*history\.sqlite/);
    assert.ok(!report.includes(KEY) && !report.includes(KEY.slice(-12)));
  });

  it('shows Diagnose as a read-only virtual document that never asks to be saved', async () => {
    await vscode.commands.executeCommand('neuralTerminal.diagnose');
    const doc = vscode.window.activeTextEditor?.document;
    assert.ok(doc, 'the report is open');
    assert.equal(doc.uri.scheme, 'neural-terminal-diagnostics');
    assert.equal(doc.isUntitled, false);
    assert.equal(doc.isDirty, false);
    assert.match(doc.getText(), /# Neural Terminal diagnostics/);
    assert.match(doc.getText(), /Key check: valid/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('returns cancelled and keeps the key when the API key box is dismissed', async () => {
    const a = await api();
    assert.equal(await dismissing(vscode.commands.executeCommand('neuralTerminal.setApiKey')), 'cancelled');
    assert.equal(await a.test.hasApiKey(), true);
  });

  it('sends nothing when the Send Selection question box is dismissed', async () => {
    const a = await api();
    const s = await a.test.services();
    const before = await s.history.spendSince(0);
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'print(1)\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 0, 8);
    assert.equal(await dismissing(vscode.commands.executeCommand('neuralTerminal.sendSelection')), undefined);
    assert.equal((await s.history.spendSince(0)), before);
  });

  it('contributes its menus with the right when clauses', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { menus: Record<string, Array<{ command: string; when?: string }>>; keybindings: Array<{ command: string; when?: string }> };
    };
    const editor = pkg.contributes.menus['editor/context']!;
    assert.ok(editor.some((m) => m.command === 'neuralTerminal.sendSelection' && m.when === 'editorTextFocus'));
    assert.ok(editor.some((m) => m.command === 'neuralTerminal.forkConversation'));
    const title = pkg.contributes.menus['view/title']!;
    for (const m of title) assert.equal(m.when, 'view == neuralTerminal.chat', `${m.command} shows only on our view`);
    assert.ok(pkg.contributes.keybindings.some((k) => k.command === 'neuralTerminal.sendSelection' && k.when?.includes('editorTextFocus')));
  });

  it('warns about an invalid setting and uses the default instead', async () => {
    const a = await api();
    const cfg = vscode.workspace.getConfiguration('neuralTerminal');
    await cfg.update('temperature', 7, vscode.ConfigurationTarget.Global);
    await cfg.update('ui.mode', 'loud', vscode.ConfigurationTarget.Global);
    const settings = a.test.readSettings();
    assert.equal(settings.temperature, undefined);
    assert.equal(settings.mode, 'research');
    assert.ok(a.test.logLines().some((l) => /neuralTerminal\.temperature is invalid/.test(l)));
    await cfg.update('temperature', undefined, vscode.ConfigurationTarget.Global);
    await cfg.update('ui.mode', undefined, vscode.ConfigurationTarget.Global);
  });

  it('keeps the key out of the database file, the logs and the settings after every flow', async () => {
    const a = await api();
    const s = await a.test.services();
    await s.history.flush();
    const journal = await fs.readFile(`${s.history.path}.journal`);
    assert.equal(journal.indexOf(Buffer.from(KEY)), -1, 'history journal');
    await s.history.compact();
    const db = await fs.readFile(s.history.path);
    assert.equal(db.indexOf(Buffer.from(KEY)), -1, 'database file');
    assert.deepEqual(a.test.logLines().filter((l) => l.includes(KEY)), [], 'log');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('neuralTerminal'));
    assert.ok(!settings.includes(KEY), 'settings');
  });
});
