/**
 * Fit: cuts a reply's turns to the model's context window, keeping room for the
 * reply, with exact token counts (cached per model and text) and an estimate when
 * the tokenizer fails. Announces a truncation on the bus. No `vscode` import.
 */
import type { ChatMessage } from '../openrouter/types';
import type { FailureInfo } from './chatEvents';
import type { OrchestratorDeps, ReplyPlan } from './chatTypes';
import { fitToContext, replyReserve, type ChatTurn } from './contextWindow';
import { estimateTokens, MESSAGE_OVERHEAD_TOKENS } from './tokenCounter';

export type FitResult =
  | { ok: true; messages: ChatMessage[]; promptTokens: number; budgetUsed: number }
  | { ok: false; failure: FailureInfo };

/** Counts cached at most, before the cache starts over. */
const MAX_CACHED_COUNTS = 5_000;

export class ContextFitter {
  private readonly countCache = new Map<string, number>();

  constructor(private readonly deps: Pick<OrchestratorDeps, 'settings' | 'model' | 'tokens' | 'log' | 'bus'>) {}

  async fit(plan: ReplyPlan, messageId: string, contextLength: number, afterServerRejection: boolean): Promise<FitResult> {
    const settings = this.deps.settings();
    const model = this.deps.model(plan.modelId);
    const reserve = replyReserve(contextLength, model?.maxCompletionTokens, settings.maxTokens);
    const system = plan.conversation.systemPrompt ?? undefined;
    const all = system ? [{ role: 'system' as const, content: system }, ...plan.turns] : plan.turns;
    const counts = new Map<ChatTurn, number>();
    for (const turn of all) counts.set(turn, await this.countTurn(plan.modelId, turn));
    const result = fitToContext({
      system,
      history: plan.turns,
      contextLength,
      replyReserve: reserve,
      tokens: (turn) => counts.get(turn) ?? estimateTokens(turn.content) + MESSAGE_OVERHEAD_TOKENS,
    });
    if (!result.ok) {
      return {
        ok: false,
        failure: {
          kind: 'context_length',
          message: `This message is too long for ${plan.modelId}: about ${result.promptTokens} tokens, but only ${result.budget} fit with the reply reserve. Shorten it or pick a model with a larger context.`,
          action: 'shorten_context',
          retryable: false,
          partial: false,
        },
      };
    }
    if (result.truncated) {
      this.deps.bus.emit('context.truncated', {
        conversationId: plan.conversation.id,
        messageId,
        dropped: result.dropped,
        promptTokens: result.promptTokens,
        budget: contextLength - reserve,
        afterServerRejection,
      });
    }
    return {
      ok: true,
      messages: result.messages.map((t) => (t.media?.length ? { role: t.role, content: t.content, media: t.media } : { role: t.role, content: t.content })),
      promptTokens: result.promptTokens,
      budgetUsed: result.promptTokens + reserve,
    };
  }

  private async countTurn(modelId: string, turn: ChatTurn): Promise<number> {
    const key = `${modelId}\u0000${turn.role}\u0000${turn.content}`;
    const cached = this.countCache.get(key);
    if (cached !== undefined) return cached;
    let n: number;
    try {
      n = await this.deps.tokens.countMessage(modelId, turn.content);
    } catch (error) {
      this.deps.log.warn(`Token counting fell back to an estimate: ${String(error)}`);
      n = estimateTokens(turn.content) + MESSAGE_OVERHEAD_TOKENS;
    }
    if (this.countCache.size > MAX_CACHED_COUNTS) this.countCache.clear();
    this.countCache.set(key, n);
    return n;
  }
}
