/**
 * Stream: sends a fitted request and turns its events into the reply — tokens on
 * the bus, partial text saved every `persistIntervalMs`, "thinking" after a silence,
 * one refit when the provider says the context is too long, the request controls
 * (routing, reasoning, web search, caching) on the wire — then hands the result
 * to the settle step. No `vscode` import.
 */
import type { ChatRequest, ChatStreamEvent } from '../openrouter/types';
import { isOpenRouterError, type OpenRouterError } from '../openrouter/errors';
import { failureText } from './failureText';
import { controlSettings } from './replyPlan';
import { describeFields, requestFields } from './routing';
import type { StoredMessage } from '../storage/types';
import type { FailureInfo } from './chatEvents';
import { UNKNOWN_CONTEXT_LENGTH, type OrchestratorDeps, type ReplyPlan } from './chatTypes';
import type { ContextFitter } from './replyFit';
import { meta, type ReplySettler } from './replySettle';
import { pdfParserFor } from './attachments/mediaPolicy';

export interface StreamTimers {
  setInterval: typeof setInterval;
  clearInterval: typeof clearInterval;
}

/** The engine parts a stream uses. */
export interface ReplySteps {
  readonly deps: OrchestratorDeps;
  readonly fitter: ContextFitter;
  readonly settler: ReplySettler;
  readonly timers: StreamTimers;
}

export async function streamReply(steps: ReplySteps, plan: ReplyPlan, first: StoredMessage, signal: AbortSignal): Promise<StoredMessage> {
  let placeholder = first;
  const { deps, fitter, settler, timers } = steps;
  const settings = deps.settings();
  const model = deps.model(plan.modelId);
  const contextLength = model?.contextLength ?? UNKNOWN_CONTEXT_LENGTH;
  let fitted = await fitter.fit(plan, placeholder.id, contextLength, false);
  if (!fitted.ok) return settler.failure(plan, placeholder, '', '', undefined, fitted.failure);

  const ids = { conversationId: plan.conversation.id, messageId: placeholder.id };
  for (let serverRejections = 0; ; serverRejections++) {
    let content = '';
    let reasoning = '';
    let servedModel = plan.modelId;
    let provider: string | undefined;
    let generationId: string | undefined;
    let usage: Extract<ChatStreamEvent, { type: 'usage' }> | undefined;
    const citations: { url: string; title?: string }[] = [];
    let finish: Extract<ChatStreamEvent, { type: 'finish' }> | undefined;
    const retriedGenerations: string[] = [];
    let lastPersist = deps.clock.now();
    let lastActivity = lastPersist;
    let stallNoticed = false;
    const watchdog = timers.setInterval(() => {
      const silent = deps.clock.now() - lastActivity;
      if (!stallNoticed && silent >= settings.thinkingNoticeMs) {
        stallNoticed = true;
        deps.bus.emit('message.stalled', { ...ids, silentForMs: silent });
      }
    }, Math.min(1_000, settings.thinkingNoticeMs));

    const fields = requestFields({
      modelId: plan.modelId,
      model,
      controls: plan.controls,
      settings: controlSettings(settings),
      conversationId: plan.conversation.id,
    });
    let request: ChatRequest = {
      model: plan.modelId,
      fallbackModels: settings.fallbackModels.filter((m) => m !== plan.modelId),
      messages: fitted.messages,
      ...(settings.maxTokens ? { maxTokens: settings.maxTokens } : {}),
      ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
      ...fields,
    };
    const pdfParser = pdfParserFor(fitted.messages, model);
    if (pdfParser) request = { ...request, pdfParser };
    const described = describeFields(fields);
    if (described) placeholder = await deps.history.updateMessage(placeholder.id, { metadata: meta(placeholder, { controls: described }) });
    try {
      for await (const event of deps.client.streamChat(request, { signal })) {
        lastActivity = deps.clock.now();
        stallNoticed = false;
        switch (event.type) {
          case 'generation':
            generationId = event.id;
            await deps.history.updateMessage(placeholder.id, { generationId });
            break;
          case 'model':
            servedModel = event.model;
            provider = event.provider;
            break;
          case 'content':
            content += event.text;
            deps.bus.emit('token.generated', { ...ids, content: event.text, reasoning: '' });
            break;
          case 'reasoning':
            reasoning += event.text;
            deps.bus.emit('token.generated', { ...ids, content: '', reasoning: event.text });
            break;
          case 'usage':
            usage = event;
            break;
          case 'citations':
            for (const c of event.citations) {
              if (!citations.some((k) => k.url === c.url)) citations.push({ url: c.url, ...(c.title ? { title: c.title } : {}) });
            }
            break;
          case 'finish':
            finish = event;
            break;
          case 'retry':
            if (event.error.generationId) retriedGenerations.push(event.error.generationId);
            deps.bus.emit('message.retrying', {
              ...ids,
              attempt: event.attempt,
              delayMs: event.delayMs,
              retryAt: deps.clock.now() + event.delayMs,
              reason: failureText(event.error),
            });
            break;
        }
        if ((event.type === 'content' || event.type === 'reasoning') && lastActivity - lastPersist >= settings.persistIntervalMs) {
          lastPersist = lastActivity;
          await deps.history.updateMessage(placeholder.id, { content, metadata: meta(placeholder, { reasoning }) });
        }
      }
    } catch (error) {
      timers.clearInterval(watchdog);
      if (!isOpenRouterError(error)) throw error;
      if (error.kind === 'context_length' && serverRejections === 0 && !error.partial.delivered) {
        // The provider counts differently from us: refit below what it said it accepts.
        const limit = error.details.serverMessage ? parseContextLimit(error.details.serverMessage) : undefined;
        const tighter = Math.floor(Math.min(limit ?? contextLength, fitted.budgetUsed) * 0.75);
        const refit = await fitter.fit(plan, placeholder.id, tighter, true);
        // Resending the very same messages would only be rejected again.
        if (refit.ok && refit.messages.length < fitted.messages.length) {
          fitted = refit;
          continue;
        }
      }
      const outcome = describeFailure(error, content.length + reasoning.length > 0);
      const billed = generationId ?? error.generationId;
      // Settled first: the lookups below read and rewrite the settled cost.
      const failed = await settler.failure(plan, placeholder, content, reasoning, { generationId: billed, servedModel, promptTokens: fitted.promptTokens }, outcome, error);
      settler.lookUpRetriedAttempts(plan, placeholder.id, retriedGenerations, billed);
      return failed;
    }
    timers.clearInterval(watchdog);
    if (!finish) {
      // The iterator ended without a finish: treat as cut off (the client normally throws).
      return settler.failure(plan, placeholder, content, reasoning, { generationId, servedModel, promptTokens: fitted.promptTokens }, {
        kind: 'cut_off',
        message: 'The reply was cut off before it finished.',
        action: 'retry',
        retryable: true,
        partial: content.length > 0,
      });
    }
    const settled = await settler.success(plan, placeholder, { content, reasoning, servedModel, provider, generationId, usage, finish, promptTokens: fitted.promptTokens, citations });
    settler.lookUpRetriedAttempts(plan, placeholder.id, retriedGenerations, generationId);
    return settled;
  }
}

/** A client error as the failure the engine reports. */
export function describeFailure(error: OpenRouterError, delivered: boolean): FailureInfo {
  return {
    kind: error.kind,
    message: failureText(error),
    action: error.action,
    retryable: error.retryable,
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    partial: delivered,
    ...(error.details.moderationReasons ? { moderationReasons: error.details.moderationReasons } : {}),
    ...(error.details.affordableTokens !== undefined ? { affordableTokens: error.details.affordableTokens } : {}),
    ...(error.details.dailyLimit ? { dailyLimit: true } : {}),
  };
}

/** "maximum context length is 8192 tokens" → 8192. */
export function parseContextLimit(message: string): number | undefined {
  const m = /context length is (\d[\d,]*)/i.exec(message) ?? /maximum (?:context|tokens?)[^\d]{0,20}(\d[\d,]*)/i.exec(message);
  if (!m?.[1]) return undefined;
  const n = Number(m[1].replace(/,/g, ''));
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
