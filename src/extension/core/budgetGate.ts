/**
 * Budget gate: refuses a paid send that would pass a budget, or asks for a confirmation
 * when it would cross the warning line or when its price is unknown. Free models pass
 * unless the send buys web results. The estimate assumes the largest reply allowed and
 * counts what the request controls change (web results, expected cache reads and
 * writes), the same rule as the composer's live estimate. No `vscode` import.
 */
import { estimateCost, isFreeModel } from '../openrouter/pricing';
import { add, formatBudget, formatCost, sub, type Usd } from '../../shared/money';
import type { OrchestratorDeps, Refusal } from './chatTypes';
import { DEFAULT_REPLY_RESERVE, type ChatTurn } from './contextWindow';
import { controlSettings, lastReply } from './replyPlan';
import { expectedCacheReads, preflightAdjustment, requestFields, type SendControls } from './routing';
import { estimateTokens, MESSAGE_OVERHEAD_TOKENS } from './tokenCounter';
import { routedPricing } from './routedPricing';

export type BudgetRefusal = { status: 'refused'; reason: Refusal; message: string };

type GateDeps = Pick<OrchestratorDeps, 'model' | 'providers' | 'settings' | 'costs' | 'history' | 'clock'>;

/** What resolved controls add to (or save on) a send of `promptTokens`, and the web-search part of it. */
export async function controlsPreflight(
  deps: GateDeps,
  args: { modelId: string; controls: SendControls; conversationId: string | undefined; promptTokens: number },
): Promise<{ adjustment: Usd; webSearch: Usd | undefined }> {
  const model = deps.model(args.modelId);
  const settings = controlSettings(deps.settings());
  const fields = requestFields({ modelId: args.modelId, model, controls: args.controls, settings, conversationId: args.conversationId ?? 'new' });
  const previous = await lastReply(deps.history, args.conversationId);
  const expected = expectedCacheReads({ modelId: args.modelId, promptCachingOn: settings.promptCaching, previous, now: deps.clock.now() });
  const pre = preflightAdjustment({ model, fields, promptTokens: args.promptTokens, expectedCachedTokens: expected });
  return { adjustment: pre.adjustment, webSearch: fields.webSearch ? pre.webSearch : undefined };
}

export async function checkBudget(
  deps: GateDeps,
  modelId: string,
  turns: readonly ChatTurn[],
  systemPrompt: string | undefined,
  override: boolean,
  send: { controls: SendControls; conversationId: string | undefined },
): Promise<BudgetRefusal | undefined> {
  const model = deps.model(modelId);
  const free = model ? isFreeModel(model.pricing) : false;
  const promptTokens =
    turns.reduce((n, t) => n + estimateTokens(t.content) + MESSAGE_OVERHEAD_TOKENS, 0) +
    (systemPrompt ? estimateTokens(systemPrompt) : 0);
  const maxReply = deps.settings().maxTokens ?? model?.maxCompletionTokens ?? DEFAULT_REPLY_RESERVE;
  // Priced at the provider the routing sends it to first, when that is known.
  const pricing = model ? routedPricing(model.pricing, deps.providers?.(modelId), send.controls.routing) : undefined;
  let estimate = pricing ? estimateCost(pricing, { promptTokens, completionTokens: maxReply }) : undefined;
  let webSearchCost: Usd | undefined;
  if (estimate?.kind === 'estimate') {
    // Web results are priced, and a warm prompt cache makes the send cheaper: the estimate says so.
    const pre = await controlsPreflight(deps, { modelId, controls: send.controls, conversationId: send.conversationId, promptTokens });
    estimate = { kind: 'estimate', usd: add(estimate.usd, pre.adjustment) };
    webSearchCost = pre.webSearch;
  }
  // Web search costs money even on a free model.
  const paidExtras = webSearchCost !== undefined && webSearchCost.atto > 0n;
  const check = deps.costs.checkSend({
    estimate: estimate?.kind === 'estimate' ? estimate.usd : undefined,
    free: free && !paidExtras,
    override,
  });
  if (!check.ok) return { status: 'refused', reason: 'budget', message: check.message };
  if (check.warning && !override) {
    const spent: Usd = check.warning.scope === 'session' ? deps.costs.sessionSpent : deps.costs.monthSpent;
    return {
      status: 'refused',
      reason: 'budget_confirm',
      message: `This send could cost up to ${formatCost(sub(check.warning.projected, spent))} and take the ${check.warning.scope} spend to ${formatCost(check.warning.projected)} of its ${formatBudget(check.warning.limit)} budget. Send anyway?`,
    };
  }
  // A paid model whose price is unknown cannot be checked against a budget: ask, never pass.
  if (!free && estimate?.kind !== 'estimate' && !override && deps.costs.statuses().length > 0) {
    const why = model ? 'its price varies with the model the router picks' : 'it is not in the model list (not loaded yet, or not offered)';
    return {
      status: 'refused',
      reason: 'budget_confirm',
      message: `The price of ${modelId} is unknown (${why}), so this send cannot be checked against your budget. Send anyway?`,
    };
  }
  return undefined;
}
