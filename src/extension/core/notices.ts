/**
 * Turns what went wrong into notices the UI shows, following the error table in
 * docs/openrouter.md: each kind gets words a person can act on and the action that
 * fixes it (retry, set key, summarise, switch model, lower max tokens, send anyway).
 * Pure; no `vscode` import.
 */
import type { Notice, NoticeAction } from '../../shared/protocol';
import type { FailureInfo } from './chatEvents';
import type { BudgetStatus } from './costTracker';
import { formatBudget, formatCost } from '../../shared/money';

type Action = NonNullable<Notice['actions']>[number];
const act = (action: NoticeAction, label: string, arg?: string): Action => ({ action, label, ...(arg ? { arg } : {}) });

/** Joins sentences, ending each with a full stop when the server's text had none ("Provider disconnected"). */
export function sentences(...parts: readonly string[]): string {
  return parts
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => (/[.!?…:)]$/.test(p) ? p : `${p}.`))
    .join(' ');
}

export function failureNotice(
  id: string,
  ids: { conversationId: string; messageId: string },
  failure: FailureInfo,
  extra: { balance?: string } = {},
): Notice {
  const base = { id, conversationId: ids.conversationId, messageId: ids.messageId };
  const retry = act('retry', 'Retry');
  switch (failure.kind) {
    case 'cancelled':
      return { ...base, severity: 'info', kind: 'cancelled', message: 'Reply cancelled; the partial text was kept.', actions: [retry] };
    case 'missing_key':
    case 'unauthorized':
      return { ...base, severity: 'error', kind: failure.kind, message: failure.message, actions: [act('setApiKey', 'Set API Key'), retry] };
    case 'no_credits': {
      const actions = [retry];
      if (failure.affordableTokens !== undefined) {
        actions.unshift(act('lowerMaxTokens', `Use max ${failure.affordableTokens} tokens`, String(failure.affordableTokens)));
      }
      const balance = extra.balance ? `Remaining credit: ${extra.balance}.` : '';
      return { ...base, severity: 'error', kind: 'no_credits', message: sentences(failure.message, balance), actions };
    }
    case 'moderation': {
      const reasons = failure.moderationReasons?.length ? `Flagged for: ${failure.moderationReasons.join(', ')}.` : '';
      return { ...base, severity: 'error', kind: 'moderation', message: sentences(failure.message, reasons) };
    }
    case 'context_length':
      return {
        ...base,
        severity: 'error',
        kind: 'context_length',
        message: failure.message,
        actions: [act('summarize', 'Summarize'), retry],
      };
    case 'unavailable':
    case 'provider':
    case 'circuit_open':
      return {
        ...base,
        severity: 'error',
        kind: failure.kind,
        message: failure.message,
        actions: [act('switchModel', 'Switch Model'), retry],
      };
    case 'rate_limited':
      return {
        ...base,
        severity: failure.dailyLimit ? 'error' : 'warning',
        kind: 'rate_limited',
        message: failure.message,
        actions: failure.dailyLimit ? [act('switchModel', 'Switch Model')] : [retry],
      };
    default:
      return {
        ...base,
        severity: 'error',
        kind: failure.kind,
        message: failure.partial ? sentences(failure.message, 'The text that arrived was kept.') : sentences(failure.message),
        actions: failure.retryable || failure.partial ? [retry] : [retry, act('showLogs', 'Show Logs')],
      };
  }
}

export function retryingNotice(
  id: string,
  ids: { conversationId: string; messageId: string },
  reason: string,
  retryAt: number,
): Notice {
  return { id, ...ids, severity: 'warning', kind: 'retrying', message: sentences(reason, 'Retrying automatically.'), retryAt, actions: [act('cancel', 'Cancel')] };
}

export function thinkingNotice(id: string, ids: { conversationId: string; messageId: string }, silentForMs: number): Notice {
  return {
    id,
    ...ids,
    severity: 'info',
    kind: 'stalled',
    message: `Model is thinking… no tokens for ${Math.round(silentForMs / 1000)} s.`,
    actions: [act('cancel', 'Cancel')],
  };
}

export function truncationNotice(
  id: string,
  ids: { conversationId: string; messageId: string },
  dropped: number,
): Notice {
  return {
    id,
    ...ids,
    severity: 'info',
    kind: 'context_truncated',
    message: `The ${dropped} oldest message${dropped === 1 ? ' was' : 's were'} left out to fit the model's context window.`,
    actions: [act('summarize', 'Summarize instead')],
  };
}

export function budgetNotice(id: string, type: 'threshold' | 'exceeded', status: BudgetStatus): Notice {
  const pct = Math.floor(status.basisPoints / 100);
  const scope = status.scope === 'session' ? 'Session' : 'Monthly';
  return type === 'threshold'
    ? {
        id,
        severity: 'warning',
        kind: 'budget_threshold',
        message: `${scope} spend ${formatCost(status.spent)} is ${pct}% of the ${formatBudget(status.limit)} budget.`,
      }
    : {
        id,
        severity: 'error',
        kind: 'budget_exceeded',
        message: `${scope} budget of ${formatBudget(status.limit)} reached (${formatCost(status.spent)}). Paid sends are paused; free models still work.`,
      };
}

export function refusalNotice(id: string, reason: string, message: string, conversationId: string | undefined): Notice {
  const confirm = reason === 'budget' || reason === 'budget_confirm';
  return {
    id,
    ...(conversationId ? { conversationId } : {}),
    severity: reason === 'budget' ? 'error' : 'warning',
    kind: `refused_${reason}`,
    message,
    ...(confirm ? { actions: [act('overrideBudget', 'Send Anyway')] } : {}),
  };
}
