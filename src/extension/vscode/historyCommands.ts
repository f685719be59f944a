/**
 * Export, import and read-only Markdown views of the history. Files go through
 * `vscode.workspace.fs` so remote and virtual workspaces work; a garbage import
 * is refused with a message and leaves the history unchanged.
 */
import * as vscode from 'vscode';
import { importPercent, isStorageError, type ImportProgress } from '../storage';
import type { ChatCommandDeps } from './chatCommands';
import { announceExport } from './exportNotice';
import { showVirtualMarkdown } from './openDocuments';

export const MARKDOWN_SCHEME = 'neural-terminal-transcript';

type Format = 'json' | 'markdown';

async function pickFormat(): Promise<Format | undefined> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'JSON', description: 'every branch and fork; re-importable', format: 'json' as const },
      { label: 'Markdown', description: 'readable transcript of the active branch', format: 'markdown' as const },
    ],
    { title: 'Export format' },
  );
  return pick?.format;
}

/** Exports the open conversation (or the given one). `target` skips the dialogs (tests). */
export async function exportConversation(
  deps: ChatCommandDeps,
  args: { conversationId?: string; format?: Format; target?: vscode.Uri } = {},
): Promise<vscode.Uri | undefined> {
  const s = await deps.services();
  const id = args.conversationId ?? deps.controller.activeConversationId;
  let conversation;
  try {
    conversation = id ? await s.history.findConversation(id) : undefined;
  } catch (error) {
    // It fails to load: what it holds can still be saved, as the rows are stored.
    const raw = id && isStorageError(error) && error.kind === 'corrupt' ? await s.history.exportRaw(id) : undefined;
    if (raw === undefined) throw error;
    void vscode.window.showWarningMessage(`Neural Terminal: that conversation cannot be read (${error instanceof Error ? error.message : ''}); exporting its stored rows as they are.`);
    return save(raw, args.target, `conversation-${slug(id ?? '')}-raw.json`, 'json');
  }
  if (!conversation) {
    void vscode.window.showInformationMessage('Neural Terminal: open a conversation to export it.');
    return undefined;
  }
  const format = args.format ?? (await pickFormat());
  if (!format) return undefined;
  const text = format === 'json' ? await s.history.exportJson({ conversationIds: [conversation.id] }) : await s.history.exportMarkdown(conversation.id);
  return save(text, args.target, `${slug(conversation.title)}.${format === 'json' ? 'json' : 'md'}`, format);
}

/** Exports every conversation; Markdown puts one section per conversation. */
export async function exportAll(deps: ChatCommandDeps, args: { format?: Format; target?: vscode.Uri } = {}): Promise<vscode.Uri | undefined> {
  const s = await deps.services();
  const format = args.format ?? (await pickFormat());
  if (!format) return undefined;
  let text: string;
  if (format === 'json') {
    text = await s.history.exportJson();
  } else {
    const parts: string[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await s.history.listConversations({ status: 'all', limit: 500, offset, sort: 'created', direction: 'asc' });
      parts.push(...(await Promise.all(page.items.map((c) => s.history.exportMarkdown(c.id)))));
      if (offset + 500 >= page.total) break;
    }
    text = parts.join('\n\n---\n\n');
  }
  return save(text, args.target, `neural-terminal-history.${format === 'json' ? 'json' : 'md'}`, format);
}

/**
 * Imports a JSON export, with progress and a Cancel button in a notification.
 * Anything else is refused whole; the history stays as it was.
 */
export async function importHistory(deps: ChatCommandDeps, source?: unknown): Promise<number> {
  let uri = source instanceof vscode.Uri ? source : undefined;
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({
      title: 'Import Neural Terminal history',
      canSelectMany: false,
      filters: { 'Neural Terminal export': ['json'] },
    });
    uri = picked?.[0];
  }
  if (!uri) return 0;
  const picked = uri;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Neural Terminal: importing history', cancellable: true },
    (progress, token) => importFile(deps, picked, progress, token),
  );
}

/** Reads the file (asynchronously) and hands its bytes to the storage worker, which parses, checks and writes them. */
async function importFile(
  deps: ChatCommandDeps,
  uri: vscode.Uri,
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  token: vscode.CancellationToken,
): Promise<number> {
  const s = await deps.services();
  progress.report({ message: 'reading the file…' });
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (error) {
    void vscode.window.showErrorMessage(`Neural Terminal: could not read ${uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
    return 0;
  }
  if (token.isCancellationRequested) return 0;
  const abort = new AbortController();
  const cancelled = token.onCancellationRequested(() => abort.abort());
  let shown = 0;
  try {
    const report = await s.history.importBytes(bytes, {
      signal: abort.signal,
      transfer: true,
      onProgress: (p) => {
        const percent = importPercent(p);
        progress.report({ message: importMessage(p), increment: Math.max(0, percent - shown) });
        shown = Math.max(shown, percent);
      },
    });
    void vscode.window.showInformationMessage(
      `Neural Terminal: imported ${report.conversations} conversation${report.conversations === 1 ? '' : 's'} (${report.messages} messages).`,
    );
    const first = Object.values(report.conversationIds)[0];
    if (first) await deps.controller.setActiveConversation(first);
    return report.conversations;
  } catch (error) {
    if (isStorageError(error) && error.kind === 'cancelled') {
      void vscode.window.showInformationMessage(`Neural Terminal: ${error.message}`);
      return 0;
    }
    const message = isStorageError(error) ? error.message : error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`Neural Terminal: nothing was imported. ${message}`);
    return 0;
  } finally {
    cancelled.dispose();
  }
}

function importMessage(p: ImportProgress): string {
  switch (p.stage) {
    case 'reading':
      return 'reading the file…';
    case 'parsing':
      return 'parsing…';
    case 'checking':
      return `checking ${p.total.toLocaleString('en')} conversations…`;
    case 'writing':
      return `writing ${p.done.toLocaleString('en')} of ${p.total.toLocaleString('en')} conversations…`;
  }
}

/** Serves `neural-terminal-transcript:/<conversationId>.md` as read-only Markdown. */
export class TranscriptProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly deps: ChatCommandDeps) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    const s = await this.deps.services();
    if (!(await s.history.findConversation(id))) return '_This conversation no longer exists._';
    return s.history.exportMarkdown(id);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export async function openAsMarkdown(deps: ChatCommandDeps, conversationId?: unknown): Promise<vscode.TextDocument | undefined> {
  const id = typeof conversationId === 'string' ? conversationId : deps.controller.activeConversationId;
  if (!id) {
    void vscode.window.showInformationMessage('Neural Terminal: open a conversation first.');
    return undefined;
  }
  return showVirtualMarkdown(MARKDOWN_SCHEME, id);
}

async function save(text: string, target: vscode.Uri | undefined, fileName: string, format: Format): Promise<vscode.Uri | undefined> {
  const defaultFolder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      title: 'Export Neural Terminal history',
      ...(defaultFolder ? { defaultUri: vscode.Uri.joinPath(defaultFolder, fileName) } : {}),
      filters: format === 'json' ? { JSON: ['json'] } : { Markdown: ['md'] },
    }));
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  if (!target) void announceExport(uri);
  return uri;
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'conversation';
}
