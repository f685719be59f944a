/**
 * Runs INSIDE the real extension host: each attachment source against the real editor — a
 * selection in an open file, the Problems panel, a Git repository, a terminal's shell
 * integration, the workspace listing (files.exclude and .gitignore) and a folder summary.
 * What a chip holds is read back from the host's own pending list, and one send proves the
 * request the fake OpenRouter received carries it.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, waitFor } from './host';
import type { NeuralTerminalApi } from '../../src/extension/extension';
import type { AttachOutcome } from '../../src/extension/vscode/attachments/attachmentService';
import { buildFolder } from '../../src/extension/vscode/attachments/folderSource';
import { listWorkspaceFiles } from '../../src/extension/vscode/attachments/workspaceFiles';
import type { AttachmentKind, SentAttachment } from '../../src/shared/attachments';

const KEY = 'sk-or-v1-nt-attach-0123456789abcdef0123456789abcdef';
const WORD = `ntattach${Date.now().toString(36)}`;



function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the harness opens a workspace folder');
  return folder.uri.fsPath;
}

function write(relative: string, text: string): vscode.Uri {
  const file = path.join(workspaceRoot(), relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return vscode.Uri.file(file);
}

/** Accepts the first item of whatever quick pick the source opens, until the pick settles. */
async function acceptingPicks<T>(run: Promise<T>): Promise<T> {
  let settled = false;
  const done = run.finally(() => (settled = true));
  const start = Date.now();
  while (!settled && Date.now() - start < 20_000) {
    await new Promise((r) => setTimeout(r, 300));
    if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return done;
}

describe('Attachment sources in the real editor', function () {
  this.timeout(120_000);
  let a: NeuralTerminalApi;

  before(async () => {
    a = await api();
    if (!(await a.test.hasApiKey())) assert.equal(await a.test.command('setApiKey', KEY), 'stored');
    await a.test.services();
  });

  // The tests after this file start from no open conversation, as they would without it.
  after(async () => {
    await a.test.controller.setActiveConversation(undefined);
  });

  afterEach(async () => {
    // Leave no chip behind for the next test (or the next file).
    for (const chip of await a.test.controller.attachments.chips()) a.test.controller.attachments.remove(chip.id);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** The attachment a pick produced, read from the host's own list (the chip carries no text). */
  function attached(outcome: AttachOutcome, kind: AttachmentKind): SentAttachment {
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
    assert.ok(outcome.chip, 'a chip was attached');
    assert.equal(outcome.chip.kind, kind);
    assert.ok(outcome.chip.tokens > 0, 'the chip counts its tokens');
    const resolved = a.test.controller.attachments.resolve([outcome.chip.id]);
    assert.ok(resolved.ok);
    return resolved.attachments[0]!;
  }

  it('@selection attaches the selected lines as path:lines, and the send carries them to the fake', async () => {
    const uri = write('src/attach-sel.py', `def unused():\n    return 0\n\ndef ${WORD}(x):\n    return x * 2\n`);
    const editor = await vscode.window.showTextDocument(uri);
    editor.selection = new vscode.Selection(3, 0, 5, 0);
    const sent = attached(await a.test.controller.attachments.pick('selection'), 'selection');
    assert.equal(sent.label, 'src/attach-sel.py:4-5');
    assert.equal(sent.text, `def ${WORD}(x):\n    return x * 2\n`);
    assert.equal(sent.language, 'python');

    const chip = (await a.test.controller.attachments.chips())[0]!;
    const fake = new URL(process.env.NT_FAKE_OPENROUTER_URL!).origin;
    const requestsBefore = await recorded(fake);
    await a.test.controller.setActiveConversation(undefined);
    await a.test.controller.handle({ type: 'chat/send', text: 'What does this do?', attachmentIds: [chip.id] });
    const id = a.test.controller.activeConversationId!;
    const s = await a.test.services();
    await waitFor('the reply', () => !s.engine.isStreaming(id));
    await s.engine.idle();
    assert.deepEqual(await a.test.controller.attachments.chips(), [], 'the chip left the composer with the send');

    const requests = (await recorded(fake)).slice(requestsBefore.length).filter((r) => r.path.endsWith('/chat/completions'));
    assert.equal(requests.length, 1);
    const messages = (requests[0]!.body as { messages: { role: string; content: unknown }[] }).messages;
    const user = JSON.stringify(messages.filter((m) => m.role === 'user').at(-1)?.content);
    assert.ok(user.includes('src/attach-sel.py:4-5'), 'the request names the selection');
    assert.ok(user.includes(`def ${WORD}(x):`), 'the request carries the selected code');
    assert.ok(!user.includes('def unused'), 'and only the selected lines');

    const stored = (await s.history.listMessages(id)).find((m) => m.role === 'user')!;
    const meta = stored.metadata as { attachments?: SentAttachment[] } | undefined;
    assert.equal(meta?.attachments?.[0]?.text, sent.text, 'the stored message keeps what was sent');
  });

  it('@selection with nothing selected says how to attach instead, and attaches nothing', async () => {
    const uri = write('src/attach-empty.txt', 'one\ntwo\n');
    await vscode.window.showTextDocument(uri);
    const outcome = await a.test.controller.attachments.pick('selection');
    assert.equal(outcome.ok, false);
    assert.match(outcome.ok ? '' : outcome.message, /Nothing is selected/);
    assert.deepEqual(await a.test.controller.attachments.chips(), []);
  });

  it('@problems attaches the Problems panel, errors first, with path:line:col, source and code', async () => {
    const uri = write('src/attach-problems.ts', 'const a = 1;\nconst b = 2;\nconst c = 3;\n');
    const diagnostics = vscode.languages.createDiagnosticCollection('nt-attach-test');
    try {
      const warning = new vscode.Diagnostic(new vscode.Range(0, 6, 0, 7), `unused ${WORD}`, vscode.DiagnosticSeverity.Warning);
      const error = new vscode.Diagnostic(new vscode.Range(2, 6, 2, 7), `broken ${WORD}`, vscode.DiagnosticSeverity.Error);
      error.source = 'ntlint';
      error.code = 'E42';
      diagnostics.set(uri, [warning, error]);
      await waitFor('the diagnostics', () => vscode.languages.getDiagnostics(uri).length === 2);
      // With the file active the source asks which scope; the first item is the active file.
      await vscode.window.showTextDocument(uri);
      const sent = attached(await acceptingPicks(a.test.controller.attachments.pick('problems')), 'problems');
      assert.equal(sent.label, 'Problems of src/attach-problems.ts');
      const lines = sent.text.split('\n');
      assert.equal(lines[0], `src/attach-problems.ts:3:7 error [ntlint E42] broken ${WORD}`);
      assert.equal(lines[1], `src/attach-problems.ts:1:7 warning unused ${WORD}`);
    } finally {
      diagnostics.dispose();
    }
  });

  it('lists the workspace for @file and @folder without files.exclude matches or .gitignored files', async () => {
    write(`listing-${WORD}/.gitignore`, 'build/\n*.log\n');
    write(`listing-${WORD}/keep.ts`, 'export const keep = 1;\n');
    write(`listing-${WORD}/trace.log`, 'ignored by *.log\n');
    write(`listing-${WORD}/build/out.js`, 'ignored by build/\n');
    write(`listing-${WORD}/hidden/secret.txt`, 'hidden by files.exclude\n');
    const files = vscode.workspace.getConfiguration('files');
    const before = files.inspect<Record<string, boolean>>('exclude')?.globalValue;
    await files.update('exclude', { ...(before ?? {}), [`**/listing-${WORD}/hidden`]: true }, vscode.ConfigurationTarget.Global);
    try {
      const listed = (await listWorkspaceFiles()).map((f) => f.path).filter((p) => p.startsWith(`listing-${WORD}/`));
      assert.deepEqual(listed.sort(), [`listing-${WORD}/.gitignore`, `listing-${WORD}/keep.ts`]);
    } finally {
      await files.update('exclude', before, vscode.ConfigurationTarget.Global);
    }
  });

  it('@folder attaches a tree summary and the files that fit, and says what it included', async () => {
    const dir = `folder-${WORD}`;
    write(`${dir}/a.ts`, `export const a = '${WORD}-a';\n`);
    write(`${dir}/b.ts`, `export const b = '${WORD}-b';\n`);
    write(`${dir}/big.txt`, 'x '.repeat(40_000));
    // Listed straight from the disk: the workspace listing is reused for a few seconds.
    const files = ['a.ts', 'b.ts', 'big.txt'].map((name) => ({ uri: vscode.Uri.file(path.join(workspaceRoot(), dir, name)), path: `${dir}/${name}` }));
    const outcome = await buildFolder(dir, files, { maxTokens: 50_000, remainingTokens: 2_000, count: async (t) => Math.ceil(t.length / 4) });
    assert.ok(outcome?.ok, outcome && !outcome.ok ? outcome.message : 'dismissed');
    const { draft } = outcome;
    assert.equal(draft.kind, 'folder');
    assert.equal(draft.label, `${dir}/`);
    assert.ok(draft.text.includes(`${WORD}-a`) && draft.text.includes(`${WORD}-b`), 'the small files are included');
    assert.ok(!draft.text.includes('x x x x x x x x'), 'the file that does not fit is left out');
    assert.ok(draft.text.includes('big.txt'), 'but the tree summary names it');
    assert.match(draft.note ?? '', /2 of 3 files/);
  });

  it('@git attaches the staged diff of the workspace repository through the Git extension', async function () {
    const root = workspaceRoot();
    const repo = path.join(root, `repo-${WORD}`);
    fs.mkdirSync(repo, { recursive: true });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' }).toString();
    try {
      git('--version');
    } catch {
      // No git binary: the source must say Git is unavailable, not fail.
      const outcome = await a.test.controller.attachments.pick('git');
      assert.equal(outcome.ok, false);
      assert.match(outcome.ok ? '' : outcome.message, /Git is not available|No Git repository/);
      return;
    }
    git('init', '-q');
    git('-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'root');
    fs.writeFileSync(path.join(repo, 'staged.txt'), `staged ${WORD}\n`);
    git('add', 'staged.txt');
    // The test runs switch the Git extension off (git.enabled: false); this test needs it on.
    const gitConfig = vscode.workspace.getConfiguration('git');
    const wasEnabled = gitConfig.inspect<boolean>('enabled')?.globalValue;
    await gitConfig.update('enabled', true, vscode.ConfigurationTarget.Global);
    try {
      const gitExt = vscode.extensions.getExtension<{ enabled: boolean; getAPI(v: 1): { repositories: readonly { rootUri: vscode.Uri }[] } }>('vscode.git');
      assert.ok(gitExt, 'the built-in Git extension is installed');
      const exports = gitExt.isActive ? gitExt.exports : await gitExt.activate();
      await waitFor('the Git extension to switch on', () => exports.enabled);
      await vscode.commands.executeCommand('git.openRepository', repo);
      await waitFor('the repository to open', () => exports.getAPI(1).repositories.some((r) => r.rootUri.fsPath === repo));
      await vscode.window.showTextDocument(vscode.Uri.file(path.join(repo, 'staged.txt')));
      // The first item of the source's pick is "Staged changes".
      const sent = attached(await acceptingPicks(a.test.controller.attachments.pick('git')), 'git');
      assert.match(sent.label, /^git diff \(staged\)/);
      assert.equal(sent.language, 'diff');
      assert.ok(sent.text.includes(`+staged ${WORD}`), sent.text.slice(0, 300));
    } finally {
      await gitConfig.update('enabled', wasEnabled, vscode.ConfigurationTarget.Global);
    }
  });

  /** Opens a bash terminal and resolves whether the editor's shell integration arrived in it. */
  async function openTerminal(name: string, shellArgs?: string[], waitMs = 45_000): Promise<{ terminal: vscode.Terminal; integrated: boolean }> {
    const terminal = vscode.window.createTerminal({ name, shellPath: '/bin/bash', ...(shellArgs ? { shellArgs } : {}) });
    terminal.show();
    await waitFor('the terminal to be active', () => vscode.window.activeTerminal === terminal);
    const integrated = await new Promise<boolean>((resolve) => {
      if (terminal.shellIntegration) return resolve(true);
      const timer = setTimeout(() => {
        sub.dispose();
        resolve(false);
      }, waitMs);
      const sub = vscode.window.onDidChangeTerminalShellIntegration((e) => {
        if (e.terminal !== terminal) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(true);
      });
    });
    return { terminal, integrated };
  }

  it('@terminal attaches the active terminal’s last command with its exit code and output', async () => {
    const { terminal, integrated } = await openTerminal(`nt-attach-${WORD}`);
    try {
      // bash started with its default arguments gets the editor's shell integration injected.
      assert.ok(integrated, 'shell integration arrived in a default bash terminal');
      const ended = new Promise<void>((resolve) => {
        const sub = vscode.window.onDidEndTerminalShellExecution((e) => {
          if (e.terminal !== terminal) return;
          sub.dispose();
          resolve();
        });
      });
      terminal.shellIntegration!.executeCommand(`echo term-${WORD}; false`);
      await ended;
      const sent = attached(await a.test.controller.attachments.pick('terminal'), 'terminal');
      assert.match(sent.label, new RegExp(`^Terminal nt-attach-${WORD} \\(last 1 command\\)`));
      assert.ok(sent.text.startsWith(`$ echo term-${WORD}; false (exit 1)`), sent.text.slice(0, 200));
      const output = sent.text.slice(sent.text.indexOf('\n') + 1);
      assert.ok(output.includes(`term-${WORD}`), `the output is kept: ${JSON.stringify(sent.text.slice(0, 300))}`);
      assert.ok(!sent.text.includes('\u001b'), 'escape sequences are stripped');
    } finally {
      terminal.dispose();
    }
  });

  it('@terminal names a terminal without shell integration and says why nothing can be read', async () => {
    // Custom arguments stop the editor from injecting its integration script into bash.
    const { terminal, integrated } = await openTerminal(`nt-plain-${WORD}`, ['--norc', '--noprofile'], 10_000);
    try {
      assert.equal(integrated, false);
      const outcome = await a.test.controller.attachments.pick('terminal');
      assert.equal(outcome.ok, false);
      assert.match(outcome.ok ? '' : outcome.message, new RegExp(`nt-plain-${WORD}.*has no shell integration`));
    } finally {
      terminal.dispose();
    }
  });
});

async function recorded(origin: string): Promise<{ path: string; body: unknown }[]> {
  const res = await fetch(`${origin}/__control/requests`);
  return ((await res.json()) as { requests: { path: string; body: unknown }[] }).requests;
}
