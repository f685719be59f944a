/**
 * Runs INSIDE the real extension host: a sent selection's `path:lines` link
 * (`editor/openLocation`). The view only names a message and a location; the host opens
 * the file at those lines only when that stored user message carried that location (a
 * selection chip or "Send Selection" sent at once) and the file is really inside the
 * workspace — not through `..`, not through a symlink pointing out.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, waitFor } from './host';
import type { NeuralTerminalApi } from '../../src/extension/extension';
import { formatSelection } from '../../src/extension/core/selectionPrompt';

const KEY = 'sk-or-v1-nt-location-0123456789abcdef0123456789abcdef';



describe('Open a sent selection at its lines', function () {
  this.timeout(90_000);
  let a: NeuralTerminalApi;
  let root: string;
  let outside: string;
  const rel = 'sent-code/loop.py';

  before(async () => {
    a = await api();
    assert.equal(await a.test.command('setApiKey', KEY), 'stored');
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the harness opens a workspace folder');
    root = folder.uri.fsPath;
    await fs.mkdir(path.join(root, 'sent-code'), { recursive: true });
    await fs.writeFile(path.join(root, rel), Array.from({ length: 12 }, (_, i) => `line_${i + 1} = ${i + 1}`).join('\n') + '\n');
    outside = await fs.mkdtemp(path.join(os.tmpdir(), 'nt-outside-'));
    await fs.writeFile(path.join(outside, 'secret.py'), 'token = "outside"\n');
    await fs.symlink(outside, path.join(root, 'sent-code', 'escape'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fs.rm(path.join(root, 'sent-code'), { recursive: true, force: true });
    await fs.rm(outside, { recursive: true, force: true });
  });

  /** Sends `text` in a new conversation and returns the stored user message's id. */
  async function sendUser(text: string, attachmentIds?: string[]): Promise<string> {
    const s = await a.test.services();
    await a.test.controller.setActiveConversation(undefined);
    await a.test.controller.handle({ type: 'chat/send', text, ...(attachmentIds ? { attachmentIds } : {}) });
    const id = a.test.controller.activeConversationId!;
    await waitFor('the reply', () => !s.engine.isStreaming(id));
    return (await s.history.activePath(id)).map((e) => e.message).find((m) => m.role === 'user')!.id;
  }

  const open = (messageId: string, where: string, startLine: number, endLine: number) =>
    a.test.controller.handle({ type: 'editor/openLocation', requestId: 'loc', messageId, path: where, startLine, endLine });

  it('opens the file of a "Send Selection" message at its lines, and nothing else that message did not carry', async () => {
    const messageId = await sendUser(formatSelection({ text: 'line_3 = 3\nline_4 = 4\n', language: 'python', path: rel, startLine: 3, endLine: 4 }, 'Why?'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await open(messageId, rel, 3, 4);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor is open');
    assert.equal(editor.document.uri.fsPath, await fs.realpath(path.join(root, rel)));
    assert.deepEqual([editor.selection.start.line, editor.selection.end.line], [2, 3], 'lines 3–4 are selected');
    await assert.rejects(open(messageId, rel, 1, 12), /did not send code from this location/);
    await assert.rejects(open(messageId, 'sent-code/other.py', 3, 4), /did not send code from this location/);
    await assert.rejects(open('no-such-message', rel, 3, 4), /not in the open conversation/);
  });

  it('opens the file of a selection chip the message carried', async () => {
    // Chips an earlier test left in the composer are not this test's.
    for (const old of await a.test.controller.attachments.chips()) a.test.controller.attachments.remove(old.id);
    const doc = await vscode.workspace.openTextDocument(path.join(root, rel));
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(5, 0, 7, 0); // lines 6–7
    await a.test.command('sendSelection');
    const [chip] = await a.test.controller.attachments.chips();
    assert.ok(chip, 'Send Selection attached a chip');
    assert.equal(chip.label, `${rel}:6-7`);
    const messageId = await sendUser('And this?', [chip.id]);
    const s = await a.test.services();
    const view = (await s.history.activePath(a.test.controller.activeConversationId!)).find((e) => e.message.id === messageId)!.message;
    assert.equal(view.content, 'And this?', 'the chip’s code stays out of the typed text');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await open(messageId, rel, 6, 7);
    const opened = vscode.window.activeTextEditor!;
    assert.equal(opened.document.uri.fsPath, await fs.realpath(path.join(root, rel)));
    assert.deepEqual([opened.selection.start.line, opened.selection.end.line], [5, 6]);
  });

  it('refuses a carried location outside the workspace: through "..", an absolute path, or a symlink', async () => {
    for (const where of [path.relative(root, path.join(outside, 'secret.py')), path.join(outside, 'secret.py'), 'sent-code/escape/secret.py']) {
      const messageId = await sendUser(formatSelection({ text: 'token = "outside"\n', language: 'python', path: where, startLine: 1, endLine: 1 }));
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await assert.rejects(open(messageId, where, 1, 1), /is not a file in this workspace/, where);
      assert.equal(vscode.window.activeTextEditor, undefined, `${where} was not opened`);
    }
  });
});
