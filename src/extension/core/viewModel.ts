/**
 * Maps stored history to the views the webview renders (src/shared/protocol/). Pure:
 * the same rows always give the same view. Money stays exact decimal text.
 * No `vscode` import.
 */
import type { ConversationSummary, ConversationView, EntryView, ModelView, PriceView } from '../../shared/protocol';
import type { CatalogModel } from '../openrouter/catalog';
import { isFreeModel, type Price } from '../openrouter/pricing';
import type { Conversation, PathEntry, StoredMessage } from '../storage/types';
import { replyFigures } from '../storage/replyFigures';
import { perMillion, toDecimalString } from '../../shared/money';
import { conversationCacheSaving, entryExtras } from './entryExtras';
import { readSentAttachments } from '../../shared/attachments';

/** Most characters of one sent selection the view draws (the store keeps all of it). */
const MAX_SENT_CODE = 200_000;

export function entryView(entry: PathEntry, siblingIds: readonly string[], streamingId: string | undefined): EntryView {
  const m = entry.message;
  const meta = m.metadata;
  const error = meta.error as { kind?: unknown; message?: unknown } | undefined;
  const index = entry.siblingIndex;
  const view: EntryView = {
    id: m.id,
    parentId: m.parentId,
    role: m.role,
    content: m.content,
    createdAt: m.createdAt,
    status: m.id === streamingId ? 'streaming' : m.status,
    branch: {
      index: index + 1,
      count: entry.siblingCount,
      ...(index > 0 && siblingIds[index - 1] ? { prevId: siblingIds[index - 1] } : {}),
      ...(siblingIds[index + 1] ? { nextId: siblingIds[index + 1] } : {}),
    },
  };
  if (typeof meta.reasoning === 'string' && meta.reasoning) view.reasoning = meta.reasoning;
  if (m.modelId) view.model = m.modelId;
  Object.assign(view, replyFigures(m));
  if (m.finishReason) view.finishReason = m.finishReason;
  if (m.status === 'failed' && error && typeof error.kind === 'string' && typeof error.message === 'string') {
    view.error = { kind: error.kind, message: error.message };
  }
  Object.assign(view, entryExtras(meta));
  // What a user message carried, as chips (the text stays in the store).
  const attached = m.role === 'user' ? readSentAttachments(meta) : [];
  if (attached.length) {
    view.attachments = attached.map(({ kind, label, tokens, cost, note, media }) => ({
      kind,
      label,
      tokens,
      ...(cost !== undefined ? { cost } : {}),
      ...(note ? { note } : {}),
      // A sent image shows its small thumbnail (checked by readSentAttachments), never the image itself.
      ...(media?.thumb ? { thumb: media.thumb } : {}),
    }));
  }
  const code = attached.filter((a) => a.kind === 'selection').map((a) => ({ label: a.label, language: a.language, code: a.text.slice(0, MAX_SENT_CODE) }));
  if (code.length) view.sentCode = code;
  const pii = (meta.piiRedacted ?? meta.piiFound) as Record<string, unknown> | undefined;
  if (pii && typeof pii === 'object') {
    const counts: Record<string, number> = {};
    for (const [k, v] of Object.entries(pii)) if (typeof v === 'number') counts[k] = v;
    if (Object.keys(counts).length) view.pii = counts;
  }
  return view;
}

/**
 * The open conversation as the view gets it: the entries of `path` from `earlier` on (the window
 * the host sends, core/transcriptWindow.ts); totals and the cache saving cover the whole path.
 */
export function conversationView(
  conversation: Conversation,
  path: readonly PathEntry[],
  siblingsOf: (message: StoredMessage) => readonly string[],
  streamingId: string | undefined,
  earlier = 0,
): ConversationView {
  return {
    id: conversation.id,
    title: conversation.title,
    modelId: conversation.modelId ?? '',
    ...(conversation.systemPrompt ? { systemPrompt: conversation.systemPrompt } : {}),
    tags: [...conversation.tags],
    ...(conversation.parentConversationId ? { parentConversationId: conversation.parentConversationId } : {}),
    ...(conversation.forkedFromMessageId ? { forkedFromMessageId: conversation.forkedFromMessageId } : {}),
    totalCost: conversation.totalCostUsd,
    totalTokens: conversation.totalTokens,
    entries: entryViews(earlier > 0 ? path.slice(earlier) : path, siblingsOf, streamingId),
    ...(earlier > 0 ? { earlier } : {}),
    ...(streamingId ? { streamingId } : {}),
    ...conversationCacheSaving(path.map((e) => e.message.metadata)),
  };
}

export function entryViews(path: readonly PathEntry[], siblingsOf: (message: StoredMessage) => readonly string[], streamingId: string | undefined): EntryView[] {
  return path.map((e) => entryView(e, e.siblingCount > 1 ? siblingsOf(e.message) : [e.message.id], streamingId));
}

export function conversationSummary(c: Conversation): ConversationSummary {
  return {
    id: c.id,
    title: c.title,
    modelId: c.modelId ?? '',
    updatedAt: c.updatedAt,
    totalCost: c.totalCostUsd,
    messageCount: c.messageCount,
    archived: c.status === 'archived',
    tags: [...c.tags],
    ...(c.parentConversationId ? { parentConversationId: c.parentConversationId } : {}),
  };
}

export function priceView(price: Price): PriceView {
  return price.kind === 'variable' ? { kind: 'variable' } : { kind: 'fixed', perMillion: toDecimalString(perMillion(price.perUnit)) };
}

export function modelView(m: CatalogModel): ModelView {
  return {
    id: m.id,
    name: m.name,
    contextLength: m.contextLength,
    ...(m.maxCompletionTokens ? { maxCompletionTokens: m.maxCompletionTokens } : {}),
    prompt: priceView(m.pricing.prompt),
    completion: priceView(m.pricing.completion),
    free: isFreeModel(m.pricing),
    reasoning: m.supportedParameters.includes('reasoning'),
  };
}
