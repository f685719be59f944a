/**
 * Budget gate: refuses a paid send that would pass a budget, or asks for a confirmation
 * when it would cross the warning line or when its price is unknown. Free models pass
 * unless the send buys web results. The estimate assumes the largest reply allowed and
 * counts what the request controls change (web results, expected cache reads and
 * writes), the same rule as the composer's live estimate. No `vscode` import.
 */
import { estimateCost, isFreeModel } from '../openrouter/pricing';
import { ZERO, add, formatBudget, formatCost, sub, type Usd } from '../../shared/money';
import type { OrchestratorDeps, Refusal } from './chatTypes';
import { DEFAULT_REPLY_RESERVE, type ChatTurn } from './contextWindow';
import { controlSettings, lastReply } from './replyPlan';
import { expectedCacheReads, preflightAdjustment, requestFields, type SendControls } from './routing';
import { estimateTokens, MESSAGE_OVERHEAD_TOKENS } from './tokenCounter';
import { routeForEstimate } from './routedPricing';
import type { ModelPricing } from '../openrouter/pricing';
import { imageCount, imagesCost } from './attachments/mediaPolicy';

export type BudgetRefusal = { status: 'refused'; reason: Refusal; message: string };

type GateDeps = Pick<OrchestratorDeps, 'model' | 'providers' | 'loadProviders' | 'settings' | 'costs' | 'history' | 'clock'>;

/**
 * What resolved controls add to (or save on) a send of `promptTokens`, and the web-search
 * part of it. Cache reads and writes are priced at `pricing` (the provider the routing
 * picks), else the catalog's.
 */
export async function controlsPreflight(
  deps: GateDeps,
  args: { modelId: string; controls: SendControls; conversationId: string | undefined; promptTokens: number; pricing?: ModelPricing },
): Promise<{ adjustment: Usd; webSearch: Usd | undefined }> {
  const catalogModel = deps.model(args.modelId);
  const model = catalogModel && args.pricing ? { ...catalogModel, pricing: args.pricing } : catalogModel;
  const settings = controlSettings(deps.settings());
  const fields = requestFields({ modelId: args.modelId, model, controls: args.controls, settings, conversationId: args.conversationId ?? 'new' });
  const previous = await lastReply(deps.history, args.conversationId);
  const expected = expectedCacheReads({ modelId: args.modelId, promptCachingOn: settings.promptCaching, previous, now: deps.clock.now() });
  const pre = preflightAdjustment({ model, fields, promptTokens: args.promptTokens, expectedCachedTokens: expected });
  return { adjustment: pre.adjustment, webSearch: fields.webSearch ? pre.webSearch : undefined };
}

/** What one send is expected to cost on one model: at the provider routing picks, with what the controls add. */
export interface SendPrice {
  /** Undefined when the price varies (router models) or the model is unknown. */
  readonly usd: Usd | undefined;
  readonly variable: boolean;
  /** The provider the estimate is priced at, when routing picks (or the estimate assumes) one. */
  readonly provider: string | undefined;
  /** Why no provider meets the routing (OpenRouter would refuse the send). */
  readonly noProvider: string | undefined;
  /** Web results are bought (they cost even on a free model). */
  readonly paidExtras: boolean;
}

export async function priceSend(
  deps: GateDeps,
  args: { modelId: string; promptTokens: number; replyTokens: number; controls: SendControls; conversationId: string | undefined; images?: number },
): Promise<SendPrice> {
  const model = deps.model(args.modelId);
  if (!model) return { usd: undefined, variable: false, provider: undefined, noProvider: undefined, paidExtras: false };
  // Priced at the provider the routing sends it to first. A routing needs the model's
  // providers: read once per model and session when not known yet (a failure prices at the catalog).
  const routing = args.controls.routing;
  let providers = deps.providers?.(args.modelId);
  if (!providers && routing && Object.keys(routing).length && deps.loadProviders) providers = await deps.loadProviders(args.modelId).catch(() => undefined);
  const routed = routeForEstimate(model.pricing, providers, routing);
  const base = { provider: routed.provider?.name ?? routed.provider?.tag, noProvider: routed.noProvider };
  const estimate = estimateCost(routed.pricing, { promptTokens: args.promptTokens, completionTokens: args.replyTokens });
  if (estimate.kind !== 'estimate') return { ...base, usd: undefined, variable: estimate.kind === 'variable', paidExtras: false };
  // Web results are priced, and a warm prompt cache makes the send cheaper: the estimate says so.
  const pre = await controlsPreflight(deps, { ...args, pricing: routed.pricing });
  // Each image is priced per image at the image price (unknown when it varies).
  const pictures = imagesCost(routed.pricing, args.images ?? 0);
  if (pictures === undefined) return { ...base, usd: undefined, variable: true, paidExtras: false };
  const paidExtras = (pre.webSearch !== undefined && pre.webSearch.atto > 0n) || pictures.atto > 0n;
  return { ...base, usd: add(add(estimate.usd, pre.adjustment), pictures), variable: false, paidExtras };
}

/** One model's share of a send's pre-flight estimate. */
interface ModelEstimate {
  modelId: string;
  known: boolean;
  free: boolean;
  /** The largest this send could cost on that model, when its price is known. */
  usd: Usd | undefined;
  /** Web results are bought even on a free model. */
  paidExtras: boolean;
}

async function estimateFor(
  deps: GateDeps,
  modelId: string,
  promptTokens: number,
  send: { controls: SendControls; conversationId: string | undefined },
  images = 0,
): Promise<ModelEstimate> {
  const model = deps.model(modelId);
  const free = model ? isFreeModel(model.pricing) : false;
  const maxReply = deps.settings().maxTokens ?? model?.maxCompletionTokens ?? DEFAULT_REPLY_RESERVE;
  const price = await priceSend(deps, { modelId, promptTokens, replyTokens: maxReply, ...send, images });
  return { modelId, known: model !== undefined, free, usd: price.usd, paidExtras: price.paidExtras };
}

export async function checkBudget(
  deps: GateDeps,
  modelId: string,
  turns: readonly ChatTurn[],
  systemPrompt: string | undefined,
  override: boolean,
  send: { controls: SendControls; conversationId: string | undefined },
): Promise<BudgetRefusal | undefined> {
  return checkFanOutBudget(deps, [modelId], turns, systemPrompt, override, send);
}

/**
 * The budget check of one prompt sent to several models at once (a comparison): the
 * estimate is the exact sum of each model's, and the user is asked once for the whole
 * fan-out. A single model is the fan-out of one.
 */
export async function checkFanOutBudget(
  deps: GateDeps,
  modelIds: readonly string[],
  turns: readonly ChatTurn[],
  systemPrompt: string | undefined,
  override: boolean,
  send: { controls: SendControls; conversationId: string | undefined },
): Promise<BudgetRefusal | undefined> {
  const promptTokens =
    turns.reduce((n, t) => n + estimateTokens(t.content) + MESSAGE_OVERHEAD_TOKENS, 0) +
    (systemPrompt ? estimateTokens(systemPrompt) : 0);
  const parts: ModelEstimate[] = [];
  const images = imageCount(turns);
  for (const id of modelIds) parts.push(await estimateFor(deps, id, promptTokens, send, images));
  const unpriced = parts.filter((p) => !p.free && p.usd === undefined);
  const priced = parts.filter((p) => p.usd !== undefined);
  // Web search costs money even on a free model.
  const free = parts.every((p) => p.free && !p.paidExtras);
  const check = deps.costs.checkSend({
    estimate: priced.length ? priced.reduce((total, p) => add(total, p.usd as Usd), ZERO) : undefined,
    free,
    override,
  });
  const many = modelIds.length > 1 ? ` (${modelIds.length} models)` : '';
  if (!check.ok) return { status: 'refused', reason: 'budget', message: check.message };
  if (check.warning && !override) {
    const spent: Usd = check.warning.scope === 'session' ? deps.costs.sessionSpent : deps.costs.monthSpent;
    return {
      status: 'refused',
      reason: 'budget_confirm',
      message: `This send${many} could cost up to ${formatCost(sub(check.warning.projected, spent))} and take the ${check.warning.scope} spend to ${formatCost(check.warning.projected)} of its ${formatBudget(check.warning.limit)} budget. Send anyway?`,
    };
  }
  // A paid model whose price is unknown cannot be checked against a budget: ask, never pass.
  const first = unpriced[0];
  if (first && !override && deps.costs.statuses().length > 0) {
    const why = first.known ? 'its price varies with the model the router picks' : 'it is not in the model list (not loaded yet, or not offered)';
    return {
      status: 'refused',
      reason: 'budget_confirm',
      message: `The price of ${unpriced.map((p) => p.modelId).join(', ')} is unknown (${why}), so this send${many} cannot be checked against your budget. Send anyway?`,
    };
  }
  return undefined;
}
