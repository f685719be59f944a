/**
 * Notice intents: dismissing one, and running an action the host offered on a notice
 * it is showing, with the host's own argument (never one from the view).
 */
import type { NoticeAction } from '../../../shared/protocol';
import { checkNoticeAction } from '../../core/intentGuards';
import type { IntentTable, Needs } from './context';
import { sendMessage, startReply } from './replies';
import { startComparison } from './compare';

export const noticeIntents: IntentTable<'notice/act' | 'notice/dismiss'> = {
  'notice/act': (ctx, intent) => noticeAction(ctx, intent.noticeId, intent.action),
  'notice/dismiss': (ctx, intent) => ctx.notices.remove(intent.noticeId),
};

async function noticeAction(
  ctx: Needs<'view' | 'notices' | 'attachments' | 'log' | 'host', 'engine' | 'history' | 'catalog'>,
  noticeId: string,
  action: NoticeAction,
): Promise<void> {
  const check = checkNoticeAction(ctx.notices.list, noticeId, action);
  if (!check.ok) {
    ctx.log.warn(`Refused a notice action from the webview: ${check.reason}.`);
    return;
  }
  const { notice, arg } = check;
  const { engine } = ctx.s;
  // Taken before the notice goes: removing it also forgets its held send.
  const resend = ctx.notices.heldSend(noticeId);
  ctx.notices.remove(noticeId);
  switch (action) {
    case 'retry':
      if (notice?.messageId) await startReply(ctx, engine.retry(notice.messageId));
      return;
    case 'cancel':
      if (notice?.conversationId) engine.cancel(notice.conversationId);
      return;
    case 'summarize':
      if (notice?.conversationId) await startReply(ctx, engine.summarize(notice.conversationId));
      return;
    case 'setApiKey':
      await ctx.host.runCommand('neuralTerminal.setApiKey');
      return;
    case 'switchModel':
      await ctx.host.runCommand('neuralTerminal.selectModel');
      return;
    case 'showLogs':
      await ctx.host.runCommand('neuralTerminal.showLogs');
      return;
    case 'lowerMaxTokens': {
      const n = Number(arg);
      if (Number.isInteger(n) && n > 0) await ctx.host.writeSetting('maxTokens', n);
      if (notice?.messageId) await startReply(ctx, engine.retry(notice.messageId));
      return;
    }
    case 'overrideBudget':
      // Only a send the host itself refused and remembered under this notice's id.
      if (resend?.models) await startComparison(ctx, { ...resend, overrideBudget: true }, false);
      else if (resend) await sendMessage(ctx, { ...resend, overrideBudget: true }, false);
      return;
  }
}
