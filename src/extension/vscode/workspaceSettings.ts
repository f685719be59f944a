/**
 * Tells the user, once per window, when a workspace tried to set Neural Terminal's
 * money or privacy settings (which the extension reads from user settings only, see
 * core/settingsPolicy.ts). The editor drops such values itself for `application`
 * settings, so they are found by reading the workspace's settings files as well as
 * through `inspect()`.
 */
import * as vscode from 'vscode';
import type { Logger } from '../base/logger';
import { isStricterPrivacy, USER_ONLY_SETTINGS, userOnlyKeysIn, type UserOnlySetting } from '../core/settingsPolicy';

export class WorkspaceSettingsGuard {
  private told = false;
  private lastIgnored: UserOnlySetting[] = [];
  private notices = 0;

  constructor(private readonly log: Logger) {}

  /** Keys the last check found and ignored. */
  get ignored(): readonly UserOnlySetting[] {
    return this.lastIgnored;
  }

  /** How many times the user was told (at most once per window). */
  get timesTold(): number {
    return this.notices;
  }

  /** Re-checks when a folder's settings file changes (the editor fires no event for values it drops). */
  watch(): vscode.Disposable {
    const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/settings.json');
    const again = (): void => void this.check();
    watcher.onDidCreate(again);
    watcher.onDidChange(again);
    watcher.onDidDelete(again);
    return watcher;
  }

  /** Looks for ignored workspace values and tells the user the first time there are any. */
  async check(): Promise<readonly UserOnlySetting[]> {
    const found = new Set<UserOnlySetting>();
    const cfg = vscode.workspace.getConfiguration('neuralTerminal');
    for (const key of USER_ONLY_SETTINGS) {
      const i = cfg.inspect<unknown>(key);
      for (const value of [i?.workspaceValue, i?.workspaceFolderValue]) {
        if (value !== undefined && !isStricterPrivacy(key, value)) found.add(key);
      }
    }
    for (const file of settingsFiles()) {
      try {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
        for (const key of userOnlyKeysIn(text)) found.add(key);
      } catch {
        // No settings file: nothing tried.
      }
    }
    this.lastIgnored = USER_ONLY_SETTINGS.filter((k) => found.has(k));
    if (this.lastIgnored.length > 0) {
      const names = this.lastIgnored.map((k) => `neuralTerminal.${k}`).join(', ');
      this.log.warn(`Ignored workspace values of user-only settings: ${names}.`);
      if (!this.told) {
        this.told = true;
        this.notices++;
        void vscode.window
          .showWarningMessage(
            `Neural Terminal ignored this workspace's settings for ${names}. Budgets, models, the system prompt and privacy come only from your user settings.`,
            'Open User Settings',
          )
          .then((choice) => {
            if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', '@ext:neural-terminal.neural-terminal');
          });
      }
    }
    return this.lastIgnored;
  }
}

/** `.vscode/settings.json` of each folder and the `.code-workspace` file, when there is one. */
function settingsFiles(): vscode.Uri[] {
  const files = (vscode.workspace.workspaceFolders ?? []).map((f) => vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json'));
  const workspaceFile = vscode.workspace.workspaceFile;
  if (workspaceFile && workspaceFile.scheme !== 'untitled') files.push(workspaceFile);
  return files;
}
