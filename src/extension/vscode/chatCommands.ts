/**
 * Palette and menu commands that act on conversations: new conversation, send the
 * editor selection, fork, pick a model, search history, open in editor, toggle mode.
 * Each QuickPick can be dismissed with Escape and then changes nothing.
 */
import * as vscode from 'vscode';
import path from 'node:path';
import { fenceLanguage, formatSelection } from '../core/selectionPrompt';
import { selectionLabel } from './attachments/selectionSource';
import type { CatalogModel } from '../openrouter/catalog';
import { formatPerMillion, isFreeModel } from '../openrouter/pricing';
import type { ChatController } from './chatController';
import type { ChatServices } from './chatServices';
import type { ChatViewProvider } from './chatViewProvider';
import type { SettingsReader } from './config';
import { clockTime, plainText } from '../../shared/plainText';
import { errorText } from '../core/failureText';
import { writeSetting } from './settingsWriter';
import { formatContextLength } from '../../shared/contextLength';
import { recentModels } from './recentModels';
import { openConversationOrSay } from './openDocuments';

export interface ChatCommandDeps {
  controller: ChatController;
  services: () => Promise<ChatServices>;
  view: ChatViewProvider;
  settings: SettingsReader;
  state: vscode.Memento;
}


export async function newConversation(deps: ChatCommandDeps): Promise<void> {
  await deps.controller.setActiveConversation(undefined);
  await deps.view.reveal();
}

/**
 * Sends the selection (or, with none, the whole file after asking) as a fenced block
 * with its language and `path:line-range`, with an optional question, into the current
 * conversation or a new one (setting), then shows the view streaming the reply.
 * `options` lets tests and keybindings skip the prompt boxes.
 */
export async function sendSelection(
  deps: ChatCommandDeps,
  options: { prompt?: string; wholeFile?: boolean } = {},
): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showWarningMessage('Neural Terminal: open a file and select some code to send.');
    return undefined;
  }
  const { document, selection } = editor;
  let range: vscode.Range = selection;
  let wholeFile = false;
  if (selection.isEmpty) {
    const answer =
      options.wholeFile === true
        ? 'Send Whole File'
        : await vscode.window.showInformationMessage(
            `Nothing is selected. Send the whole of ${path.basename(document.fileName)} (${document.lineCount} lines)?`,
            { modal: true },
            'Send Whole File',
          );
    if (answer !== 'Send Whole File') return undefined;
    range = new vscode.Range(0, 0, document.lineCount, 0);
    wholeFile = true;
  }
  const text = document.getText(range);
  if (!text.trim()) {
    void vscode.window.showWarningMessage('Neural Terminal: the selection is empty.');
    return undefined;
  }
  const relativePath = document.isUntitled ? document.fileName : vscode.workspace.asRelativePath(document.uri, false);
  // A caller that brings its own question (a keybinding's argument) means "send it"; otherwise
  // the setting decides, and by default the selection becomes a chip to ask about in the composer.
  if (options.prompt === undefined && !deps.settings.read().sendSelectionImmediately) {
    return attachSelection(deps, wholeFile ? { kind: 'file', label: relativePath } : { kind: 'selection', label: selectionLabel(document, range) }, text, document.languageId);
  }
  const prompt =
    options.prompt ??
    (await vscode.window.showInputBox({
      title: 'Send Selection to Model',
      prompt: 'What should the model do with it? (optional — Enter to send as is)',
      placeHolder: 'Explain this code',
      ignoreFocusOut: true,
    }));
  if (prompt === undefined) return undefined; // Escape: nothing sent
  const relative = document.isUntitled ? document.fileName : vscode.workspace.asRelativePath(document.uri, false);
  const message = formatSelection(
    {
      text,
      language: document.languageId,
      path: relative,
      startLine: range.start.line + 1,
      endLine: wholeFile ? document.lineCount : range.end.character === 0 && range.end.line > range.start.line ? range.end.line : range.end.line + 1,
      wholeFile,
    },
    prompt,
  );
  const target = deps.settings.read().sendSelectionTarget;
  await deps.view.reveal();
  const conversationId = target === 'new' ? undefined : deps.controller.activeConversationId;
  if (target === 'new') await deps.controller.setActiveConversation(undefined);
  await deps.controller.handle({ type: 'chat/send', text: message, ...(conversationId ? { conversationId } : {}) });
  return deps.controller.activeConversationId;
}

/** Send Selection's default: the selection waits as a chip in the composer, which gets the focus. */
async function attachSelection(
  deps: ChatCommandDeps,
  what: { kind: 'file' | 'selection'; label: string },
  text: string,
  languageId: string,
): Promise<undefined> {
  // Attached before the view is shown: a view that loads now gets the chip in its snapshot.
  const added = await deps.controller.attachments.add({ ...what, text, language: fenceLanguage(languageId) });
  if (!added.ok) void vscode.window.showWarningMessage(`Neural Terminal: ${added.message}`);
  await deps.view.reveal();
  return undefined;
}

interface MessagePick extends vscode.QuickPickItem {
  messageId: string;
}

/** QuickPick of the open conversation's messages, newest first → fork there and open it. */
export async function forkConversation(deps: ChatCommandDeps, messageId?: unknown): Promise<string | undefined> {
  if (typeof messageId === 'string') return deps.controller.fork(messageId);
  const conversation = await openConversationOrSay(deps, 'open a conversation first — there is nothing to fork.');
  if (!conversation) return undefined;
  const s = await deps.services();
  const items: MessagePick[] = (await s.history.activePath(conversation.id))
    .map((e) => e.message)
    .reverse()
    .map((m) => ({
      messageId: m.id,
      label: `${m.role === 'user' ? '$(account)' : m.role === 'assistant' ? '$(hubot)' : '$(gear)'} ${preview(plainText(m.content), 80) || '(empty)'}`,
      description: `${m.role} · ${clockTime(m.createdAt, true)}`,
      detail: m.modelId ?? undefined,
    }));
  const pick = await vscode.window.showQuickPick(items, {
    title: `Fork “${conversation.title}” at…`,
    placeHolder: 'The fork keeps the conversation up to and including this message',
    matchOnDescription: true,
  });
  if (!pick) return undefined;
  return deps.controller.fork(pick.messageId);
}

interface ModelPick extends vscode.QuickPickItem {
  modelId?: string;
}

/** QuickPick of models with prices and context; recently used first; a refresh button. */
export async function selectModel(deps: ChatCommandDeps, modelId?: unknown): Promise<string | undefined> {
  if (typeof modelId === 'string' && modelId.trim()) {
    // Only a model the catalog lists is written (the controller checks and says why not).
    return (await choose(deps, modelId.trim())) ? modelId.trim() : undefined;
  }
  const s = await deps.services();
  const quickPick = vscode.window.createQuickPick<ModelPick>();
  quickPick.title = 'Neural Terminal: Select Model';
  quickPick.placeholder = 'Search by name or id — prices are per million tokens (input / output)';
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  const refresh: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('refresh'), tooltip: 'Refresh the model list' };
  quickPick.buttons = [refresh];
  const fill = async (force: boolean) => {
    quickPick.busy = true;
    try {
      const snapshot = force ? await s.catalog.refresh() : await s.catalog.get();
      quickPick.items = modelItems(snapshot.models, recentModels(deps.state), deps.settings.read().defaultModel);
    } catch (error) {
      quickPick.items = [{ label: '$(error) The model list could not be loaded', detail: errorText(error) }];
    } finally {
      quickPick.busy = false;
    }
  };
  const picked = new Promise<string | undefined>((resolve) => {
    quickPick.onDidAccept(() => {
      const item = quickPick.selectedItems[0];
      if (item?.modelId) resolve(item.modelId);
      quickPick.hide();
    });
    quickPick.onDidHide(() => resolve(undefined));
    quickPick.onDidTriggerButton((b) => {
      if (b === refresh) void fill(true);
    });
  });
  quickPick.show();
  await fill(false);
  const choice = await picked;
  quickPick.dispose();
  if (choice && (await choose(deps, choice))) await pickProvider(deps, choice);
  return choice;
}

/**
 * The Select Model flow's second step: the providers serving the model (OpenRouter's
 * endpoints API) with their own prices. The choice goes to the composer's picker as the
 * preferred provider of the next send; Esc or "any" keeps OpenRouter's routing.
 */
async function pickProvider(deps: ChatCommandDeps, modelId: string): Promise<void> {
  const providers = await deps.controller.providersOf(modelId);
  if (providers.length < 2) return;
  const price = (p: (typeof providers)[number]['prompt']) => (p.kind === 'fixed' ? `$${p.perMillion}` : 'varies');
  const items: Array<vscode.QuickPickItem & { tag?: string }> = [
    { label: '$(globe) Any provider', description: 'OpenRouter routes (price, uptime and speed balanced)' },
    ...providers.map((p) => ({ label: p.name, description: `${price(p.prompt)} / ${price(p.completion)} per 1M`, detail: `provider slug: ${p.tag}`, tag: p.tag })),
  ];
  const pick = await vscode.window.showQuickPick(items, { title: `Providers of ${modelId}`, placeHolder: 'Prefer a provider for the next sends in this conversation' });
  if (pick?.tag) await deps.controller.preferProvider(pick.tag);
}

async function choose(deps: ChatCommandDeps, modelId: string): Promise<boolean> {
  // The controller records the choice among the recently used models.
  return deps.controller.selectModel(modelId);
}

export function modelItems(models: readonly CatalogModel[], recent: readonly string[], current: string): ModelPick[] {
  const item = (m: CatalogModel): ModelPick => {
    const free = isFreeModel(m.pricing);
    return {
      modelId: m.id,
      label: `${m.id === current ? '$(check) ' : ''}${m.name}`,
      description: m.id,
      detail: [
        free ? 'free' : `${formatPerMillion(m.pricing.prompt)} in · ${formatPerMillion(m.pricing.completion)} out`,
        `${formatContextLength(m.contextLength)} context`,
        m.supportedParameters.includes('reasoning') ? 'reasoning' : undefined,
      ]
        .filter(Boolean)
        .join('  ·  '),
    };
  };
  const byId = new Map(models.map((m) => [m.id, m]));
  const recentModels = recent.map((id) => byId.get(id)).filter((m): m is CatalogModel => m !== undefined);
  const rest = models.filter((m) => !recent.includes(m.id)).sort((a, b) => a.name.localeCompare(b.name));
  const out: ModelPick[] = [];
  if (recentModels.length) {
    out.push({ label: 'recently used', kind: vscode.QuickPickItemKind.Separator });
    out.push(...recentModels.map(item));
    out.push({ label: 'all models', kind: vscode.QuickPickItemKind.Separator });
  }
  out.push(...rest.map(item));
  return out;
}

interface HitPick extends vscode.QuickPickItem {
  conversationId?: string;
  messageId?: string;
}

/** Full-text search over history; picking a result opens the conversation at the message. */
export async function searchHistory(deps: ChatCommandDeps, query?: unknown): Promise<void> {
  const s = await deps.services();
  const quickPick = vscode.window.createQuickPick<HitPick>();
  quickPick.title = 'Neural Terminal: Search History';
  quickPick.placeholder = 'Words to find in messages and titles ("exact phrase", prefix*)';
  // Results are already matched by full-text search; don't let the QuickPick filter them again.
  (quickPick as vscode.QuickPick<HitPick> & { matchOnLabel?: boolean }).matchOnLabel = false;
  quickPick.matchOnDescription = false;
  quickPick.matchOnDetail = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  const run = async (text: string) => {
    const ticket = ++latest;
    if (!text.trim()) {
      quickPick.items = [];
      return;
    }
    const outcome = await s.history.search({ text, limit: 50 }).catch((error: unknown) => ({
      kind: 'invalid-query' as const,
      message: errorText(error),
      action: '',
    }));
    // A slower answer to an older query must not replace a newer one.
    if (ticket !== latest) return;
    if (outcome.kind === 'invalid-query') {
      quickPick.items = [{ label: `$(warning) ${outcome.message}`, detail: outcome.action, alwaysShow: true }];
      return;
    }
    quickPick.items = outcome.hits.length
      ? outcome.hits.map((h) => ({
          label: h.conversationTitle,
          description: `${h.role ?? 'title'} · ${new Date(h.createdAt).toLocaleDateString()}`,
          detail: h.snippet.text,
          conversationId: h.conversationId,
          ...(h.messageId ? { messageId: h.messageId } : {}),
          alwaysShow: true,
        }))
      : [{ label: 'No matches', alwaysShow: true }];
  };
  quickPick.onDidChangeValue((value) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void run(value), 120);
  });
  const picked = new Promise<HitPick | undefined>((resolve) => {
    quickPick.onDidAccept(() => {
      resolve(quickPick.selectedItems[0]);
      quickPick.hide();
    });
    quickPick.onDidHide(() => resolve(undefined));
  });
  if (typeof query === 'string') {
    quickPick.value = query;
    void run(query);
  }
  quickPick.show();
  const hit = await picked;
  if (timer) clearTimeout(timer);
  quickPick.dispose();
  if (!hit?.conversationId) return;
  await deps.view.reveal();
  await deps.controller.handle({
    type: 'archive/open',
    conversationId: hit.conversationId,
    ...(hit.messageId ? { messageId: hit.messageId } : {}),
  });
}

export async function toggleMode(deps: ChatCommandDeps): Promise<void> {
  const order = ['research', 'compact', 'zen'] as const;
  const current = deps.settings.read().mode;
  const next = order[(order.indexOf(current) + 1) % order.length]!;
  await writeSetting('ui.mode', next);
  void vscode.window.setStatusBarMessage(`Neural Terminal: ${next} mode`, 2000);
}

function preview(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
