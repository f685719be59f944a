/**
 * The figures a stored reply carries — tokens, exact cost and its source, timings, rate —
 * as the optional fields both the transcript's entries and a comparison's rows show.
 * Only what was recorded is set; money stays exact decimal text. No `vscode` import.
 */
import type { StoredMessage } from './types';

export interface ReplyFigures {
  promptTokens?: number;
  completionTokens?: number;
  reasoningTokens?: number;
  cachedTokens?: number;
  cost?: string;
  costSource?: NonNullable<StoredMessage['cost']>['source'];
  ttftMs?: number;
  latencyMs?: number;
  tokensPerSecond?: number;
}

export function replyFigures(m: StoredMessage): ReplyFigures {
  const out: ReplyFigures = {};
  if (m.promptTokens !== null) out.promptTokens = m.promptTokens;
  if (m.completionTokens !== null) out.completionTokens = m.completionTokens;
  if (m.reasoningTokens !== null) out.reasoningTokens = m.reasoningTokens;
  if (m.cachedTokens !== null) out.cachedTokens = m.cachedTokens;
  if (m.cost) {
    out.cost = m.cost.usd;
    out.costSource = m.cost.source;
  }
  if (m.ttftMs !== null) out.ttftMs = m.ttftMs;
  if (m.latencyMs !== null) out.latencyMs = m.latencyMs;
  // Metadata may hold anything (an import, a hand-edited file): only a real rate is shown.
  const rate = m.metadata['tokensPerSecond'];
  if (typeof rate === 'number' && Number.isFinite(rate) && rate >= 0) out.tokensPerSecond = rate;
  return out;
}
