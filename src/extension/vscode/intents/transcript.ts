/**
 * The transcript's paging: the view holds a window of the open conversation and asks for
 * older entries a page at a time. Only the open conversation's, only before an entry on its
 * active branch (core/transcriptViews.ts checks that against the store), a bounded page.
 */
import { earlierPage } from '../../core/transcriptViews';
import type { IntentTable } from './context';

export const transcriptIntents: IntentTable<'chat/loadEarlier'> = {
  'chat/loadEarlier': async (ctx, intent) => {
    const refused = (reason: string): Error => ctx.notices.refusedRequest(intent.type, reason);
    // The view holds no other conversation's entries, so it has no reason to page another's.
    if (intent.conversationId !== ctx.view.activeId) throw refused('that conversation is not the open one');
    const page = await earlierPage(ctx.s.history, intent.conversationId, intent.beforeId, intent.limit, ctx.s.engine.streamingMessageId(intent.conversationId));
    if (!page.ok) throw refused(page.reason);
    // The page answers the request that asked for it; a command has no view to answer.
    if (intent.requestId === undefined) return;
    await ctx.post({ type: 'chat/earlier', requestId: intent.requestId, conversationId: intent.conversationId, beforeId: intent.beforeId, entries: page.entries, earlier: page.earlier });
  },
};
