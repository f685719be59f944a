/**
 * The chat intents: send, stop, retry, regenerate, edit, summarise, branches, forks,
 * deleting a message, and the composer's cost estimate.
 */
import { randomUUID } from 'node:crypto';
import { toDecimalString } from '../../../shared/money';
import { forkTitle } from '../../../shared/plainText';
import type { SendControls } from '../../core/routing';
import { sendPromptTokens, typicalReplyTokens } from '../../core/sendEstimate';
import { checkedControls } from '../controlsPicker';
import { deleteMessageWithConfirmation } from '../deleteMessage';
import type { IntentTable, Needs } from './context';
import { sendMessage, startReply } from './replies';

type ChatIntent =
  | 'chat/send'
  | 'chat/cancel'
  | 'chat/retry'
  | 'chat/regenerate'
  | 'chat/editAndResend'
  | 'chat/summarize'
  | 'chat/switchBranch'
  | 'chat/fork'
  | 'chat/deleteMessage'
  | 'chat/estimate';

export const chatIntents: IntentTable<ChatIntent> = {
  'chat/send': (ctx, intent) => sendMessage(ctx, intent, intent.requestId !== undefined),
  'chat/cancel': (ctx, intent) => void ctx.s.engine.cancel(intent.conversationId),
  'chat/retry': async (ctx, intent) => void (await startReply(ctx, ctx.s.engine.retry(intent.messageId))),
  'chat/regenerate': async (ctx, intent) => void (await startReply(ctx, ctx.s.engine.regenerate(intent.messageId))),
  'chat/editAndResend': async (ctx, intent) => void (await startReply(ctx, ctx.s.engine.editAndResend(intent.messageId, intent.text))),
  'chat/summarize': async (ctx, intent) => void (await startReply(ctx, ctx.s.engine.summarize(intent.conversationId))),
  'chat/switchBranch': async (ctx, intent) => {
    const message = await ctx.s.history.getMessage(intent.messageId);
    await ctx.s.history.switchBranch(intent.messageId);
    if (message.conversationId === ctx.view.activeId) await ctx.view.postConversation();
  },
  'chat/fork': async (ctx, intent) => void (await forkAt(ctx, intent.messageId)),
  'chat/deleteMessage': async (ctx, intent) => {
    const outcome = await deleteMessageWithConfirmation(ctx.s, ctx.dialogs, intent.messageId, ctx.view.activeId);
    if (outcome.kind === 'refused') ctx.notices.add({ id: randomUUID(), severity: 'warning', kind: 'delete_refused', message: outcome.reason });
    if (outcome.kind === 'deleted') await ctx.view.postConversation();
  },
  'chat/estimate': (ctx, intent) => estimate(ctx, intent.text, checkedControls(intent.controls)),
};

/** Forks at a message and opens the fork; returns the fork's id. */
export async function forkAt(ctx: Needs<'view' | 'notices', 'history'>, messageId: string): Promise<string> {
  const point = await ctx.s.history.getMessage(messageId);
  const fork = await ctx.s.history.fork(messageId, { title: forkTitle(point.createdAt, point.content) });
  await ctx.view.setActive(fork.id);
  // One id: a second fork replaces the first card instead of stacking (the view lets it fade).
  ctx.notices.add({
    id: 'forked',
    severity: 'info',
    kind: 'forked',
    conversationId: fork.id,
    message: `Forked into “${fork.title}”. The original conversation is unchanged.`,
  });
  return fork.id;
}

/** What the composer's text would cost to send now: prompt tokens, and a price when the model has one. */
async function estimate(
  ctx: Needs<'view' | 'attachments' | 'settings' | 'post', 'catalog' | 'engine' | 'history'>,
  text: string,
  controls?: SendControls,
): Promise<void> {
  const { s } = ctx;
  const model = s.catalog.current()?.byId.get(await ctx.view.selectedModel());
  const id = await ctx.view.openId();
  // The whole branch goes with the send (the view holds only a window of it), and the chips too.
  const history = id ? (await s.history.activePath(id)).map((e) => e.message) : [];
  const promptTokens = sendPromptTokens(history, text) + ctx.attachments.totalTokens;
  if (!model) {
    await ctx.post({ type: 'chat/estimated', promptTokens, varies: false });
    return;
  }
  const reply = typicalReplyTokens(model, ctx.settings.read().maxTokens);
  // At the provider the routing picks (its own prompt, completion and cache prices), with web
  // results and expected cache reads and writes; says when no provider meets the routing.
  const e = await s.engine.estimateSend({ conversationId: id, modelId: model.id, promptTokens, replyTokens: reply, controls });
  await ctx.post({
    type: 'chat/estimated',
    promptTokens,
    ...(e.usd ? { cost: toDecimalString(e.usd) } : {}),
    varies: e.variable,
    ...(e.provider ? { provider: e.provider } : {}),
    ...(e.noProvider ? { noProvider: e.noProvider } : {}),
  });
}
