/**
 * Helpers the integration tests share inside the extension host: the extension's test API,
 * a bounded wait, closing the pickers a command opens, and the extension's configuration.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NeuralTerminalApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'neural-terminal.neural-terminal';

export async function api(): Promise<NeuralTerminalApi> {
  const ext = vscode.extensions.getExtension<NeuralTerminalApi>(EXTENSION_ID);
  assert.ok(ext);
  return ext.isActive ? ext.exports : ext.activate();
}

export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Keeps closing whatever picker or file dialog opens until `running` settles (bounded by the test timeout). */
export async function dismissing<T>(running: Thenable<T>): Promise<T> {
  let done = false;
  const timer = setInterval(() => {
    if (!done) void vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  }, 400);
  try {
    return await running;
  } finally {
    done = true;
    clearInterval(timer);
  }
}

export const cfg = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('neuralTerminal');
