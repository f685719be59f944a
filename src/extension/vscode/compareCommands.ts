/**
 * The palette's side of Compare and Replay: "Compare Models…" (a multi-select quick pick
 * of 2–6 models, then the prompt), "Replay Branch on Another Model…" (pick a model; the
 * active branch's turns are asked again in a fork, with progress and cancel) and "Show
 * Replay Diff" (a read-only Markdown document of the per-turn and total cost and latency
 * differences). Each quick pick can be dismissed with Escape and then changes nothing.
 */
import * as vscode from 'vscode';
import { MAX_COMPARED, MIN_COMPARED } from '../../shared/protocol';
import { replayBranch, type ReplayOutcome } from '../core/replay';
import { replayDiff, replayDiffMarkdown, replaySource } from '../core/replayDiff';
import type { CatalogModel } from '../openrouter/catalog';
import { errorText } from '../core/failureText';
import { modelItems, type ChatCommandDeps } from './chatCommands';
import { recentModels } from './recentModels';
import { openConversationOrSay, showVirtualMarkdown } from './openDocuments';

export const REPLAY_DIFF_SCHEME = 'neural-terminal-replay';

type ModelItem = vscode.QuickPickItem & { modelId?: string };

async function catalogModels(deps: Pick<ChatCommandDeps, 'services'>): Promise<readonly CatalogModel[] | undefined> {
  try {
    return (await (await deps.services()).catalog.get()).models;
  } catch (error) {
    void vscode.window.showErrorMessage(`Neural Terminal: the model list could not be loaded (${errorText(error)}).`);
    return undefined;
  }
}

/** 2–6 models picked in a multi-select quick pick (`current` ticked); undefined when dismissed. */
export async function pickCompareModels(deps: Pick<ChatCommandDeps, 'services' | 'state'>, current: string): Promise<string[] | undefined> {
  const models = await catalogModels(deps);
  if (!models) return undefined;
  const quickPick = vscode.window.createQuickPick<ModelItem>();
  quickPick.canSelectMany = true;
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  quickPick.items = modelItems(models, recentModels(deps.state), current);
  quickPick.selectedItems = quickPick.items.filter((i) => i.modelId === current);
  const title = (n: number) => `Neural Terminal: Compare Models — ${n} picked (${MIN_COMPARED}–${MAX_COMPARED})`;
  quickPick.title = title(quickPick.selectedItems.length);
  quickPick.placeholder = `Tick ${MIN_COMPARED} to ${MAX_COMPARED} models to send the same prompt to, then press Enter`;
  const picked = new Promise<string[] | undefined>((resolve) => {
    quickPick.onDidChangeSelection((items) => (quickPick.title = title(items.length)));
    quickPick.onDidAccept(() => {
      const ids = quickPick.selectedItems.flatMap((i) => (i.modelId ? [i.modelId] : []));
      if (ids.length < MIN_COMPARED || ids.length > MAX_COMPARED) {
        // Stays open: the user fixes the choice instead of losing it.
        quickPick.placeholder = `Pick between ${MIN_COMPARED} and ${MAX_COMPARED} models (${ids.length} picked).`;
        return;
      }
      resolve(ids);
      quickPick.hide();
    });
    quickPick.onDidHide(() => resolve(undefined));
  });
  quickPick.show();
  const choice = await picked;
  quickPick.dispose();
  return choice;
}

/**
 * Compare Models…: pick the models, type the prompt, and the view shows the table filling in.
 * `provided` (tests only) skips the pickers; the host checks its models like any others.
 */
export async function compareModels(deps: ChatCommandDeps, provided: { models?: unknown; text?: unknown } = {}): Promise<boolean> {
  const models = Array.isArray(provided.models)
    ? provided.models.filter((m): m is string => typeof m === 'string')
    : await deps.controller.pickCompareModels();
  if (!models) return false;
  const text =
    typeof provided.text === 'string'
      ? provided.text
      : await vscode.window.showInputBox({
          title: `Neural Terminal: Compare ${models.length} Models`,
          prompt: `The prompt sent to ${models.join(', ')}`,
          placeHolder: 'Ask anything',
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() ? undefined : 'Type a prompt to compare the models on.'),
        });
  if (text === undefined || !text.trim()) return false;
  await deps.view.reveal();
  return deps.controller.compare({ text, models });
}

/** One model from the catalog; undefined when dismissed. */
async function pickOneModel(deps: ChatCommandDeps, title: string, exclude: string | undefined): Promise<string | undefined> {
  const models = await catalogModels(deps);
  if (!models) return undefined;
  const items = modelItems(models, recentModels(deps.state), '').filter((i) => i.modelId !== exclude);
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: 'The model to ask every turn of this branch again', matchOnDescription: true, matchOnDetail: true });
  return pick?.modelId;
}

/**
 * Replay Branch on Another Model…: asks each user turn of the open conversation's active
 * branch again of another model, in a new fork that opens at once and streams turn by turn.
 * Progress shows in a notification whose Cancel stops the replay (what arrived is kept).
 */
export async function replayBranchCommand(deps: ChatCommandDeps, modelArg?: unknown): Promise<ReplayOutcome | undefined> {
  const source = await openConversationOrSay(deps, 'open a conversation to replay first.');
  if (!source) return undefined;
  const s = await deps.services();
  const model = typeof modelArg === 'string' ? modelArg : await pickOneModel(deps, `Neural Terminal: Replay “${source.title}” on…`, source.modelId ?? undefined);
  if (!model) return undefined;
  if (!(await s.catalog.get().catch(() => undefined))?.byId.has(model)) {
    void vscode.window.showErrorMessage(`Neural Terminal: “${model.slice(0, 80)}” is not in the model list.`);
    return undefined;
  }
  await deps.view.reveal();
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Neural Terminal: replaying on ${model}`, cancellable: true },
    async (progress, token) => {
      const stop = new AbortController();
      const sub = token.onCancellationRequested(() => stop.abort());
      try {
        return await replayBranch({ history: s.history, answer: (u, m, c) => s.engine.answer(u, m, c) }, source.id, model, {
          signal: stop.signal,
          onFork: (fork) => deps.controller.setActiveConversation(fork.id),
          onProgress: (done, total) => progress.report({ message: `turn ${done} of ${total} done`, increment: 100 / total }),
        });
      } finally {
        sub.dispose();
      }
    },
  );
  await deps.controller.postConversation();
  const words =
    outcome.status === 'complete'
      ? `replayed ${outcome.total} turns on ${model}.`
      : outcome.status === 'cancelled'
        ? `replay cancelled after ${outcome.done} of ${outcome.total} turns (what arrived is kept).`
        : `replay stopped after ${outcome.done} of ${outcome.total} turns: ${outcome.message ?? outcome.status}.`;
  if (outcome.conversationId && outcome.done > 0) {
    const forkId = outcome.conversationId;
    void vscode.window.showInformationMessage(`Neural Terminal: ${words}`, 'Show Diff').then((a) => (a ? showReplayDiff(deps, forkId) : undefined));
  } else if (outcome.status === 'refused' || outcome.status === 'failed') {
    void vscode.window.showWarningMessage(`Neural Terminal: ${words}`);
  }
  return outcome;
}

/** Show Replay Diff: the open (or given) replay against the branch it replays, as a read-only document. */
export async function showReplayDiff(deps: ChatCommandDeps, conversationId?: unknown): Promise<vscode.TextDocument | undefined> {
  const id = typeof conversationId === 'string' ? conversationId : deps.controller.activeConversationId;
  const s = await deps.services();
  if (!id || !replaySource(await s.history.activePath(id).catch(() => []))) {
    void vscode.window.showInformationMessage('Neural Terminal: open a replayed conversation first (Replay Branch on Another Model…).');
    return undefined;
  }
  return showVirtualMarkdown(REPLAY_DIFF_SCHEME, id);
}

/** The diff documents' text, read afresh from the history each time one opens. */
export class ReplayDiffDocument implements vscode.TextDocumentContentProvider {
  constructor(private readonly deps: Pick<ChatCommandDeps, 'services'>) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    const s = await this.deps.services();
    const replay = await s.history.findConversation(id);
    if (!replay) return '_This conversation no longer exists._';
    const path = await s.history.activePath(id);
    const from = replaySource(path);
    const source = from ? await s.history.findConversation(from.conversationId) : undefined;
    if (!from || !source) return '_The conversation this replays no longer exists._';
    const diff = replayDiff(await s.history.activePath(source.id), path);
    return replayDiffMarkdown(diff, { source: source.title, replay: replay.title, model: from.model });
  }
}
