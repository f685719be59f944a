/**
 * The one table of intent handlers, and the checks every intent passes before its
 * handler runs: the ids it names must exist (`vscode/intentChecks.ts`), and a paid
 * action waits a bounded moment for a model list that is still loading.
 */
import { refuseIntent } from '../intentChecks';
import { archiveIntents } from './archive';
import { attachmentIntents } from './attachments';
import { chatIntents } from './chat';
import { compareIntents } from './compare';
import type { Intent, IntentContext, IntentHandler, IntentOf, IntentType, Needs } from './context';
import { editorIntents } from './editor';
import { modelIntents } from './models';
import { noticeIntents } from './notices';
import { transcriptIntents } from './transcript';
import { viewIntents } from './view';

/** Every intent's handler; the type makes a missing one a compile error. */
export const INTENT_HANDLERS: { readonly [K in IntentType]: IntentHandler<K> } = {
  ...chatIntents,
  ...transcriptIntents,
  ...archiveIntents,
  ...modelIntents,
  ...noticeIntents,
  ...editorIntents,
  ...viewIntents,
  ...attachmentIntents,
  ...compareIntents,
};

/** Intents that may cost money: the budget's pre-flight check needs the model list. */
const SPENDS = new Set<IntentType>(['chat/send', 'chat/retry', 'chat/regenerate', 'chat/editAndResend', 'chat/summarize', 'compare/start']);
const CATALOG_WAIT_MS = 3_000;

/** Runs one intent; `requestId` (from the view) is echoed in data pushes it causes. */
export async function dispatchIntent(ctx: IntentContext, intent: Intent & { requestId?: string }): Promise<void> {
  const refusal = await refuseIntent(ctx.s, intent, ctx.view.activeId);
  if (refusal) {
    // A view request hears of it in its reply (shown there); a command's shows as a notice.
    if (intent.requestId !== undefined) throw ctx.notices.refusedRequest(intent.type, refusal);
    ctx.notices.refuse(intent.type, refusal);
    return;
  }
  if (SPENDS.has(intent.type)) await catalogSettled(ctx);
  const handler = INTENT_HANDLERS[intent.type] as IntentHandler<IntentType>;
  await handler(ctx, intent as IntentOf<IntentType>);
}

/**
 * Gives a model list that is still loading a bounded moment before a paid action, so
 * the budget check sees prices (an unknown price asks instead of passing).
 */
async function catalogSettled(ctx: Needs<never, 'catalog'>): Promise<void> {
  if (ctx.s.catalog.current()) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    ctx.s.catalog.get().catch(() => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, CATALOG_WAIT_MS))),
  ]);
  clearTimeout(timer);
}
