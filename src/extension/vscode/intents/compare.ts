/**
 * The compare intents: one prompt (with the composer's chips) to 2–6 models at once — from
 * the view's Compare… action (the host asks for the models in a multi-select quick pick) or
 * the palette's Compare Models… — and picking a comparison's winner. The host checks every
 * model against its catalog and every id against its store; the engine checks the budget over
 * the whole fan-out. A comparison tags its conversation "compare", so the history's tag filter
 * and search find comparisons.
 */
import { randomUUID } from 'node:crypto';
import { refusalNotice } from '../../core/notices';
import { compareModels } from '../../core/compare';
import { checkedControls } from '../controlsPicker';
import { modelUnknown } from '../intentChecks';
import type { IntentTable, Needs } from './context';
import type { SendRequest } from './replies';

export const COMPARE_TAG = 'compare';

export interface CompareRequest extends SendRequest {
  /** Absent: the user picks them in the host's quick pick. */
  models?: readonly string[] | undefined;
}

export const compareIntents: IntentTable<'compare/start' | 'compare/pick'> = {
  'compare/start': async (ctx, intent) => void (await startComparison(ctx, intent, intent.requestId !== undefined)),
  'compare/pick': async (ctx, intent) => {
    const out = await ctx.s.engine.pickWinner(intent.messageId);
    // The view shows a failed request's reason beside the composer.
    if (!out.ok) throw new Error(out.message);
    await ctx.view.postConversation();
  },
};

/**
 * Starts a comparison; true when it started. Why it did not goes back in the view's reply
 * (`fromView`) or, for a command, in a notice — the composer keeps its text either way.
 */
export async function startComparison(
  ctx: Needs<'view' | 'notices' | 'attachments' | 'host', 'engine' | 'history' | 'catalog'>,
  intent: CompareRequest,
  fromView: boolean,
): Promise<boolean> {
  const refuse = (message: string): false => {
    if (fromView) throw new Error(message);
    ctx.notices.add({ id: 'compare-refused', severity: 'warning', kind: 'refused_intent', message });
    return false;
  };
  const asked = intent.models ?? (await ctx.host.pickCompareModels());
  if (!asked) return refuse('Not compared: no models were picked.');
  const chosen = compareModels(asked);
  if (!chosen.ok) return refuse(chosen.message);
  for (const model of chosen.models) {
    const unknown = await modelUnknown(ctx.s, model);
    if (unknown) return refuse(`Not compared: ${unknown}.`);
  }
  const ids = intent.attachmentIds ?? [];
  const resolved = ctx.attachments.resolve(ids);
  if (!resolved.ok) return refuse(resolved.message);
  const conversationId = intent.conversationId ?? ctx.view.activeId;
  const outcome = await ctx.s.engine.compare({
    text: intent.text,
    conversationId,
    models: chosen.models,
    controls: checkedControls(intent.controls),
    ...(resolved.attachments.length ? { attachments: resolved.attachments } : {}),
    ...(intent.overrideBudget ? { overrideBudget: true } : {}),
  });
  if (outcome.status === 'refused') {
    const id = randomUUID();
    // "Send anyway" repeats exactly this comparison.
    if (outcome.reason === 'budget' || outcome.reason === 'budget_confirm') {
      ctx.notices.hold(id, { text: intent.text, conversationId, models: chosen.models, ...(ids.length ? { attachmentIds: ids } : {}) });
    }
    ctx.notices.add(refusalNotice(id, outcome.reason, outcome.message, outcome.conversationId));
    return false;
  }
  ctx.attachments.sent(ids);
  const conversation = await ctx.s.history.getConversation(outcome.conversationId);
  if (!conversation.tags.includes(COMPARE_TAG)) await ctx.s.history.setConversationTags(conversation.id, [...conversation.tags, COMPARE_TAG]);
  if (outcome.conversationId !== ctx.view.activeId) await ctx.view.setActive(outcome.conversationId);
  else await ctx.view.postConversation();
  return true;
}
