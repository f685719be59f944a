/**
 * Turns the engine's events into what the view is sent: token deltas coalesced into
 * one `chat/stream` per interval, the open conversation and the telemetry re-read
 * after a change, and notices for failures, retries, stalls, truncation and budgets.
 */
import { budgetNotice, failureNotice, retryingNotice, thinkingNotice, truncationNotice } from '../../core/notices';
import type { StreamCoalescer } from '../../core/streamCoalescer';
import type { Needs } from './context';

/** Subscribes to the bus; returns the unsubscribers. */
export function wireEngineEvents(ctx: Needs<'view' | 'notices', 'bus' | 'recovery'>, coalescer: Pick<StreamCoalescer, 'push' | 'flush'>): Array<() => void> {
  const { bus } = ctx.s;
  const { view, notices } = ctx;
  const ids = (e: { conversationId: string; messageId: string }) => ({ conversationId: e.conversationId, messageId: e.messageId });
  const unsubscribe = [
    bus.on('token.generated', (e) => {
      if (e.conversationId === view.activeId) coalescer.push(e);
    }),
    bus.on('message.started', (e) => notices.clearFor(e.conversationId)),
    // The engine emits this after a stream starts and after it has fully ended (no longer
    // "streaming"), so the view redraws from it; completion events only flush tokens first.
    bus.on('conversation.changed', (e) => {
      if (e.conversationId === view.activeId) void view.postConversation();
    }),
    bus.on('message.completed', (e) => {
      coalescer.flush();
      notices.clearFor(e.conversationId, ['retrying', 'stalled']);
      void view.postTelemetry();
    }),
    bus.on('message.failed', (e) => {
      coalescer.flush();
      notices.clearFor(e.conversationId, ['retrying', 'stalled']);
      notices.add(failureNotice(`fail-${e.message.id}`, { conversationId: e.conversationId, messageId: e.message.id }, e.error));
      void view.postTelemetry();
    }),
    bus.on('message.costUpdated', (e) => void afterMessage(ctx, e.conversationId)),
    bus.on('message.retrying', (e) => notices.add(retryingNotice(`retry-${e.messageId}`, ids(e), e.reason, e.retryAt))),
    bus.on('message.stalled', (e) => notices.add(thinkingNotice(`stall-${e.messageId}`, ids(e), e.silentForMs))),
    bus.on('context.truncated', (e) => notices.add(truncationNotice(`trunc-${e.messageId}`, ids(e), e.dropped))),
    bus.on('budget.threshold', (e) => notices.add(budgetNotice(`budget-threshold-${e.scope}`, 'threshold', e))),
    bus.on('budget.exceeded', (e) => notices.add(budgetNotice(`budget-exceeded-${e.scope}`, 'exceeded', e))),
    bus.on('circuit.changed', () => void view.postTelemetry()),
  ];
  if (ctx.s.recovery) {
    notices.add({
      id: 'history-recovered',
      severity: 'warning',
      kind: 'history_recovered',
      message: `The chat history file could not be read (${ctx.s.recovery.reason}). It was kept at ${ctx.s.recovery.movedTo} and a fresh history was started.`,
    });
  }
  return unsubscribe;
}

async function afterMessage(ctx: Needs<'view'>, conversationId: string): Promise<void> {
  if (conversationId === ctx.view.activeId) await ctx.view.postConversation();
  await ctx.view.postTelemetry();
}
