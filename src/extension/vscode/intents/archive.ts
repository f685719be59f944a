/**
 * The archive drawer's intents: open, list, search, rename, tag, archive and delete
 * conversations. Deleting always asks in a host dialog.
 */
import { randomUUID } from 'node:crypto';
import { conversationSummary } from '../../core/viewModel';
import { escapeBidi } from '../../core/intentGuards';
import { errorText } from '../../core/failureText';
import type { IntentTable, Needs } from './context';

type ArchiveIntent = 'archive/open' | 'archive/list' | 'archive/search' | 'archive/rename' | 'archive/tag' | 'archive/setArchived' | 'archive/delete';

export const archiveIntents: IntentTable<ArchiveIntent> = {
  'archive/open': async (ctx, intent) => {
    if (!(await ctx.s.history.findConversation(intent.conversationId))) {
      ctx.notices.add({ id: randomUUID(), severity: 'warning', kind: 'not_found', message: 'That conversation no longer exists.' });
      return;
    }
    // A search hit's message may be far back: the window sent starts just before it.
    await ctx.view.setActive(intent.conversationId, intent.messageId);
    if (intent.messageId) await ctx.post({ type: 'chat/reveal', messageId: intent.messageId });
  },
  'archive/list': (ctx, intent) => postPage(ctx, intent.archived, intent.tag, intent.offset),
  'archive/search': (ctx, intent) => search(ctx, intent.query, intent.tag, intent.requestId),
  'archive/rename': async (ctx, intent) => {
    await ctx.s.history.renameConversation(intent.conversationId, intent.title);
    await afterChange(ctx, intent.conversationId);
  },
  'archive/tag': async (ctx, intent) => {
    await ctx.s.history.setConversationTags(intent.conversationId, intent.tags);
    await afterChange(ctx, intent.conversationId);
  },
  'archive/setArchived': async (ctx, intent) => {
    await ctx.s.history.archiveConversation(intent.conversationId, intent.archived);
    await afterChange(ctx, intent.conversationId);
  },
  'archive/delete': (ctx, intent) => deleteConversation(ctx, intent.conversationId),
};

type ArchiveContext = Needs<'post' | 'view', 'history'>;

async function postPage(ctx: ArchiveContext, archived?: boolean, tag?: string, offset?: number): Promise<void> {
  const page = await ctx.s.history.listConversations({
    status: archived ? 'archived' : 'active',
    ...(tag ? { tags: [tag] } : {}),
    offset: offset ?? 0,
    limit: 100,
  });
  await ctx.post({ type: 'archive/page', items: page.items.map(conversationSummary), total: page.total, offset: page.offset });
}

async function afterChange(ctx: ArchiveContext, conversationId: string): Promise<void> {
  if (conversationId === ctx.view.activeId) await ctx.view.postConversation();
  await postPage(ctx);
}

/** Always asks in a host dialog: no flag from the view can stand in for the user's answer. */
async function deleteConversation(ctx: Needs<'post' | 'view' | 'dialogs', 'history' | 'engine'>, conversationId: string): Promise<void> {
  const { history } = ctx.s;
  if (!(await history.conversationExists(conversationId))) return;
  // One that fails to load is still deletable: it is named by id instead.
  const conversation = await history.findConversation(conversationId).catch(() => undefined);
  const agreed = await ctx.dialogs.confirm({
    kind: 'delete',
    message: conversation ? `Delete “${escapeBidi(conversation.title)}”?` : `Delete the unreadable conversation ${conversationId}?`,
    detail: `${conversation ? `Its ${conversation.messageCount} messages are` : 'Its messages are'} removed from history. Forks of it are kept.`,
    confirm: 'Delete',
  });
  if (!agreed || !(await history.conversationExists(conversationId))) return;
  ctx.s.engine.cancel(conversationId);
  await history.deleteConversation(conversationId);
  if (ctx.view.activeId === conversationId) await ctx.view.setActive(undefined);
  await postPage(ctx);
}

/** Search results carry the request's id, so the view drops answers to older searches. */
async function search(ctx: Needs<'post', 'history'>, query: string, tag: string | undefined, requestId: string | undefined): Promise<void> {
  const answer = { type: 'archive/results', query, ...(requestId ? { requestId } : {}) } as const;
  try {
    const outcome = await ctx.s.history.search({ text: query, limit: 50, ...(tag ? { tags: [tag] } : {}) });
    if (outcome.kind === 'invalid-query') {
      await ctx.post({ ...answer, hits: [], error: `${outcome.message} ${outcome.action}`.trim() });
      return;
    }
    await ctx.post({
      ...answer,
      hits: outcome.hits.map((h) => ({
        conversationId: h.conversationId,
        ...(h.messageId ? { messageId: h.messageId } : {}),
        title: h.conversationTitle,
        snippet: h.snippet.text,
        highlights: h.snippet.highlights.map((r) => [r.start, r.end] as [number, number]),
        updatedAt: h.createdAt,
      })),
    });
  } catch (error) {
    await ctx.post({ ...answer, hits: [], error: errorText(error) });
  }
}
