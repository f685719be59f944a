/**
 * `@git`: the staged or working-tree diff of the repository holding the active file (or the
 * first one), through the built-in Git extension's API. Says so when Git is unavailable.
 */
import * as vscode from 'vscode';
import type { SourceOutcome } from './source';

/** The slice of the Git extension's API (v1) used here. */
interface GitRepository {
  readonly rootUri: vscode.Uri;
  diff(cached?: boolean): Promise<string>;
}
interface GitApi {
  readonly repositories: readonly GitRepository[];
}
interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

const UNAVAILABLE = 'Git is not available here (the built-in Git extension is disabled, or git is not installed), so there is no diff to attach.';

export async function gitSource(): Promise<SourceOutcome> {
  const api = await gitApi();
  if (!api) return { ok: false, message: UNAVAILABLE };
  const active = vscode.window.activeTextEditor?.document.uri.fsPath;
  const repo = api.repositories.find((r) => active?.startsWith(r.rootUri.fsPath)) ?? api.repositories[0];
  if (!repo) return { ok: false, message: 'No Git repository is open in this workspace.' };
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'Staged changes', description: 'git diff --cached', cached: true },
      { label: 'Working tree changes', description: 'git diff (unstaged)', cached: false },
    ],
    { title: 'Attach a git diff' },
  );
  if (!pick) return undefined;
  const diff = await repo.diff(pick.cached);
  const which = pick.cached ? 'staged' : 'working tree';
  if (!diff.trim()) return { ok: false, message: `There are no ${which} changes to attach.` };
  const name = vscode.workspace.asRelativePath(repo.rootUri, true) || 'repository';
  return { ok: true, draft: { kind: 'git', label: `git diff (${which}) ${name}`.trim(), text: diff, language: 'diff' } };
}

async function gitApi(): Promise<GitApi | undefined> {
  try {
    const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
    if (!ext) return undefined;
    const exports = ext.isActive ? ext.exports : await ext.activate();
    return exports.enabled ? exports.getAPI(1) : undefined;
  } catch {
    return undefined;
  }
}
