/**
 * Plan: what a reply is sent — the turns of the branch it answers, oldest first, the
 * request controls it inherits, and a user message's text after the PII guard.
 * No `vscode` import.
 */
import type { JsonObject, StoredMessage } from '../storage/types';
import type { ChatSettings } from './chatTypes';
import type { ChatTurn } from './contextWindow';
import { redactPii } from './piiGuard';
import { turnContent, turnMedia } from './attachments/outgoing';
import type { HistoryPort } from './ports';
import { controlsFromMetadata, DEFAULT_CONTROL_SETTINGS, type ControlSettings, type SendControls } from './routing';

/** Messages as chat turns (a user message with its attachments), skipping failed or empty replies. */
export function toTurns(messages: readonly StoredMessage[]): ChatTurn[] {
  return messages
    .map((m) => ({ role: m.role, status: m.status, content: turnContent(m), media: turnMedia(m) }))
    .filter((m) => (m.content.length > 0 || m.media.length > 0) && !(m.role === 'assistant' && m.status === 'failed'))
    .map((m) => (m.media.length ? { role: m.role, content: m.content, media: m.media } : { role: m.role, content: m.content }));
}

/** The active branch as chat turns. */
export async function turnsOf(history: HistoryPort, conversationId: string): Promise<ChatTurn[]> {
  return toTurns((await history.activePath(conversationId)).map((e) => e.message));
}

/** The branch from the root to (and including) a message. */
export async function turnsUpTo(history: HistoryPort, conversationId: string, messageId: string): Promise<ChatTurn[]> {
  const path = (await history.activePath(conversationId)).map((e) => e.message);
  const index = path.findIndex((m) => m.id === messageId);
  if (index >= 0) return toTurns(path.slice(0, index + 1));
  // Not on the active branch: walk up from the message itself.
  const chain: StoredMessage[] = [];
  for (let m: StoredMessage | undefined = await history.getMessage(messageId); m; ) {
    chain.unshift(m);
    m = m.parentId ? await history.getMessage(m.parentId) : undefined;
  }
  return toTurns(chain);
}

/**
 * The text a user message is stored and sent with: with `redactPII` on, what the
 * guard found is replaced and counted in `metadata.piiRedacted` (the one place
 * outgoing text is redacted, for new and edited messages alike).
 */
export function outgoingText(text: string, redactPII: boolean, metadata: JsonObject): string {
  if (!redactPII) return text;
  const redaction = redactPii(text);
  if (Object.keys(redaction.counts).length) metadata.piiRedacted = redaction.counts as JsonObject;
  return redaction.text;
}

export function controlSettings(settings: ChatSettings): ControlSettings {
  return settings.controls ?? DEFAULT_CONTROL_SETTINGS;
}

/** The last message of `role` on the conversation's active branch that `accept`s. */
async function lastOnBranch(history: HistoryPort, conversationId: string, accept: (m: StoredMessage) => boolean): Promise<StoredMessage | undefined> {
  const path = await history.activePath(conversationId);
  for (let i = path.length - 1; i >= 0; i--) {
    const m = path[i]?.message;
    if (m && accept(m)) return m;
  }
  return undefined;
}

/** The controls of the last user message on the conversation's active branch. */
export async function lastControls(history: HistoryPort, conversationId: string): Promise<SendControls | undefined> {
  const m = await lastOnBranch(history, conversationId, (x) => x.role === 'user');
  return m ? controlsFromMetadata(m.metadata) : undefined;
}

/** The last complete reply on the active branch: its prompt is the prefix a provider may still have cached. */
export async function lastReply(history: HistoryPort, conversationId: string | undefined): Promise<StoredMessage | undefined> {
  if (!conversationId) return undefined;
  return lastOnBranch(history, conversationId, (m) => m.role === 'assistant' && m.status === 'complete');
}
