/**
 * The numbers behind the composer's live estimate and the context meter: how many prompt
 * tokens a send carries, what reply the hint assumes, and how full the model's window is
 * after the last reply. Pure; the controller only fetches the inputs. No `vscode` import.
 */
import type { CatalogModel } from '../openrouter/catalog';
import { contextMeter, DEFAULT_REPLY_RESERVE, replyReserve } from './contextWindow';
import { estimateTokens, MESSAGE_OVERHEAD_TOKENS } from './tokenCounter';

/** The open conversation's entries plus the new text, each with its per-message overhead. */
export function sendPromptTokens(entries: readonly { content: string }[], text: string): number {
  const history = entries.reduce((n, e) => n + estimateTokens(e.content) + MESSAGE_OVERHEAD_TOKENS, 0);
  return history + estimateTokens(text) + MESSAGE_OVERHEAD_TOKENS;
}

/** A typical reply, not the worst case (the live hint while typing): the max-tokens setting, else the smaller of the model's limit and the default reserve. */
export function typicalReplyTokens(model: Pick<CatalogModel, 'maxCompletionTokens'>, maxTokens: number | undefined): number {
  return maxTokens ?? Math.min(model.maxCompletionTokens ?? DEFAULT_REPLY_RESERVE, DEFAULT_REPLY_RESERVE);
}

/** How much of the model's window the last exchange used, and what is kept free for the reply. */
export function contextUse(
  model: Pick<CatalogModel, 'contextLength' | 'maxCompletionTokens'>,
  last: { promptTokens: number; completionTokens: number } | undefined,
  maxTokens: number | undefined,
): { used: number; reserve: number; limit: number } {
  const m = contextMeter({
    lastPromptTokens: last?.promptTokens,
    lastCompletionTokens: last?.completionTokens,
    newSinceTokens: 0,
    contextLength: model.contextLength,
    replyReserve: replyReserve(model.contextLength, model.maxCompletionTokens, maxTokens),
  });
  return { used: m.used, reserve: m.reserve, limit: m.limit };
}
