/**
 * Starting a reply, shared by the chat intents and the notices' actions: a started
 * reply opens its conversation; a refusal becomes a notice, and a send the budget
 * refused is held under that notice so "Send anyway" repeats exactly it.
 */
import { randomUUID } from 'node:crypto';
import { refusalNotice } from '../../core/notices';
import type { StartOutcome } from '../../core/orchestrator';
import { checkedControls } from '../controlsPicker';
import type { Needs } from './context';
import type { HeldSend } from './noticeBoard';
import { ToldRefusal } from '../requestReplies';

/** Shows a started reply, or the refusal as a notice; true when it started. */
export async function startReply(ctx: Needs<'view' | 'notices'>, pending: Promise<StartOutcome>, resend?: HeldSend): Promise<boolean> {
  return (await startOrHold(ctx, pending, resend)) === 'started';
}

/** The same, saying whether a refused send is held under its notice (to be sent anyway). */
async function startOrHold(ctx: Needs<'view' | 'notices'>, pending: Promise<StartOutcome>, resend?: HeldSend): Promise<'started' | 'held' | 'refused'> {
  const outcome = await pending;
  if (outcome.status === 'refused') {
    const id = randomUUID();
    const held = resend !== undefined && (outcome.reason === 'budget' || outcome.reason === 'budget_confirm');
    if (held) ctx.notices.hold(id, resend);
    ctx.notices.add(refusalNotice(id, outcome.reason, outcome.message, outcome.conversationId));
    return held ? 'held' : 'refused';
  }
  if (outcome.conversationId !== ctx.view.activeId) await ctx.view.setActive(outcome.conversationId);
  else await ctx.view.postConversation();
  return 'started';
}

export interface SendRequest {
  text: string;
  conversationId?: string | undefined;
  controls?: unknown;
  attachmentIds?: string[];
  overrideBudget?: boolean;
}

/**
 * A send with the chips it names: their text comes from the host's own list, and they
 * leave the composer only once the send has started (a refused send keeps them). A
 * request from the view hears of missing chips in its reply; a command, as a notice.
 */
export async function sendMessage(ctx: Needs<'view' | 'notices' | 'attachments', 'engine'>, intent: SendRequest, fromView: boolean): Promise<void> {
  const ids = intent.attachmentIds ?? [];
  const resolved = ctx.attachments.resolve(ids);
  if (!resolved.ok) {
    if (fromView) throw new Error(resolved.message);
    ctx.notices.add({ id: 'attachments-gone', severity: 'warning', kind: 'refused_intent', message: resolved.message });
    return;
  }
  const conversationId = intent.conversationId ?? ctx.view.activeId;
  const result = await startOrHold(
    ctx,
    ctx.s.engine.send({
      text: intent.text,
      conversationId,
      controls: checkedControls(intent.controls),
      ...(resolved.attachments.length ? { attachments: resolved.attachments } : {}),
      ...(intent.overrideBudget ? { overrideBudget: true } : {}),
    }),
    { text: intent.text, conversationId, ...(ids.length ? { attachmentIds: ids } : {}) },
  );
  if (result === 'started') ctx.attachments.sent(ids);
  // A refusal the budget holds under its notice ("Send anyway" repeats it) keeps the text there;
  // any other gives it back to the composer, so a refused send loses nothing.
  else if (fromView && result === 'refused') throw new ToldRefusal('The message was not sent.');
}
