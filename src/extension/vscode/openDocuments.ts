/**
 * Small editor steps several commands share: finding the conversation a command acts on
 * (telling the user when none is open), and showing one of our read-only virtual
 * documents as Markdown.
 */
import * as vscode from 'vscode';
import type { Conversation } from '../storage/types';
import type { ChatCommandDeps } from './chatCommands';

/** The conversation open in the view, or undefined after saying `whenNone`. */
export async function openConversationOrSay(deps: ChatCommandDeps, whenNone: string): Promise<Conversation | undefined> {
  const s = await deps.services();
  const id = deps.controller.activeConversationId;
  const conversation = id ? await s.history.findConversation(id) : undefined;
  if (!conversation) void vscode.window.showInformationMessage(`Neural Terminal: ${whenNone}`);
  return conversation;
}

/** Opens `scheme:/<id>.md` (a provider of ours writes its text) as a Markdown preview tab. */
export async function showVirtualMarkdown(scheme: string, id: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme, path: `/${id}.md` }));
  await vscode.languages.setTextDocumentLanguage(document, 'markdown');
  await vscode.window.showTextDocument(document, { preview: true });
  return document;
}
