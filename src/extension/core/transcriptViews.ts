/**
 * The open conversation's transcript as the host sends it: a window of the active branch when
 * it opens or changes, and pages of older entries when the view asks (`chat/loadEarlier`).
 * Every id the view names is looked up on the host's own active path: a page before a message
 * that is not on it is refused, not guessed. No `vscode` import.
 */
import type { ConversationView, EntryView } from '../../shared/protocol';
import type { Conversation, PathEntry } from '../storage/types';
import { pageBefore, pathWindow } from './transcriptWindow';
import { conversationView, entryViews } from './viewModel';

/** What the transcript is read from (storage/historyStore.ts implements it). */
export interface TranscriptSource {
  findConversation(id: string): Promise<Conversation | undefined>;
  activePath(conversationId: string): Promise<PathEntry[]>;
  siblings(messageId: string): Promise<{ readonly ids: readonly string[] }>;
}

const idOf = (e: PathEntry): string => e.message.id;

/**
 * The view of conversation `id` with the newest entries of its active branch, or, with
 * `focusId` on that branch, every entry from just before it to the newest (a search hit).
 */
export async function windowedConversation(source: TranscriptSource, id: string, streamingId: string | undefined, focusId?: string): Promise<ConversationView | undefined> {
  return (await windowedConversationAndPath(source, id, streamingId, focusId))?.view;
}

/** The same, with the whole active path it was cut from (for what is computed over all of it). */
export async function windowedConversationAndPath(
  source: TranscriptSource,
  id: string,
  streamingId: string | undefined,
  focusId?: string,
): Promise<{ view: ConversationView; path: PathEntry[] } | undefined> {
  const conversation = await source.findConversation(id);
  if (!conversation) return undefined;
  const path = await source.activePath(conversation.id);
  const window = pathWindow(path, idOf, focusId);
  const siblings = await siblingsOf(source, window.entries);
  return { view: conversationView(conversation, path, (m) => siblings.get(m.id) ?? [m.id], streamingId, window.earlier), path };
}

/** A page of older entries, or why there is none. */
export type EarlierPage = { ok: true; entries: EntryView[]; earlier: number } | { ok: false; reason: string };

/** Up to `limit` entries of conversation `id`'s active branch just before `beforeId`. */
export async function earlierPage(source: TranscriptSource, id: string, beforeId: string, limit: number | undefined, streamingId: string | undefined): Promise<EarlierPage> {
  const conversation = await source.findConversation(id);
  if (!conversation) return { ok: false, reason: 'that conversation does not exist' };
  const path = await source.activePath(conversation.id);
  const page = pageBefore(path, idOf, beforeId, limit);
  if (!page) return { ok: false, reason: 'that message is not on the open branch any more' };
  const siblings = await siblingsOf(source, page.entries);
  return { ok: true, entries: entryViews(page.entries, (m) => siblings.get(m.id) ?? [m.id], streamingId), earlier: page.earlier };
}

/** Sibling ids only where there are siblings (the ◀ 2/3 ▶ control), fetched together. */
async function siblingsOf(source: TranscriptSource, entries: readonly PathEntry[]): Promise<Map<string, readonly string[]>> {
  const branched = entries.filter((e) => e.siblingCount > 1).map((e) => e.message.id);
  return new Map(await Promise.all(branched.map(async (id) => [id, (await source.siblings(id)).ids] as const)));
}
