/**
 * The one place the extension writes its own settings: always the user's (global) scope,
 * never a workspace's, and only the keys listed here, each with its value's type. The
 * change then comes back through the editor's configuration event like a user's edit.
 */
import * as vscode from 'vscode';
import type { Mode } from '../../shared/protocol';

/** The settings the extension may change for the user, and what each holds. */
export interface WritableSettings {
  'ui.mode': Mode;
  defaultModel: string;
  maxTokens: number;
}

export async function writeSetting<K extends keyof WritableSettings>(key: K, value: WritableSettings[K]): Promise<void> {
  await vscode.workspace.getConfiguration('neuralTerminal').update(key, value, vscode.ConfigurationTarget.Global);
}
