/**
 * The "recently used" models of the Select Model quick pick. Every successful choice feeds it,
 * whether made in the quick pick or the view's models drawer, so there is one model list.
 */
import type * as vscode from 'vscode';

const RECENT_MODELS_KEY = 'neuralTerminal.recentModels';
const KEEP = 5;

export function recentModels(state: vscode.Memento): string[] {
  return state.get<string[]>(RECENT_MODELS_KEY) ?? [];
}

export async function rememberModel(state: vscode.Memento, modelId: string): Promise<void> {
  await state.update(RECENT_MODELS_KEY, [modelId, ...recentModels(state).filter((m) => m !== modelId)].slice(0, KEEP));
}
