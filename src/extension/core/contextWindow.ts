/**
 * Fits a conversation into a model's context window before sending. Keeps the system
 * prompt and the newest turns, drops the oldest first, and puts a visible marker where
 * history was cut, so the model (and the user) know context is missing.
 * No `vscode` import.
 */
import type { MessageMedia } from '../openrouter/types';

export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /** A user turn's images and PDFs (sent as content parts; not in the token count). */
  media?: readonly MessageMedia[];
}

export const TRUNCATION_MARKER = '[Earlier conversation context truncated]';

/** Reply reserve when neither the settings nor the catalog say how long a reply may be. */
export const DEFAULT_REPLY_RESERVE = 1_024;

/**
 * Tokens kept free for the reply: the user's max_tokens if set, else the model's
 * completion limit, never more than a quarter of the window (long-output models would
 * otherwise leave no room for the conversation).
 */
export function replyReserve(contextLength: number, maxCompletionTokens: number | undefined, maxTokens: number | undefined): number {
  return maxTokens ?? Math.min(maxCompletionTokens ?? DEFAULT_REPLY_RESERVE, Math.floor(contextLength / 4));
}

export interface FitInput {
  /** The conversation's system prompt, if any: always kept. */
  system?: string;
  /** Oldest first; the last entry is the message being sent and is always kept. */
  history: ChatTurn[];
  contextLength: number;
  /** Tokens kept free for the reply (max_tokens). */
  replyReserve: number;
  /** Tokens one message occupies, framing included. */
  tokens: (turn: ChatTurn) => number;
}

export type FitResult =
  | {
      ok: true;
      messages: ChatTurn[];
      /** Messages dropped from the start of `history`. */
      dropped: number;
      promptTokens: number;
      truncated: boolean;
    }
  | {
      ok: false;
      /** Even the system prompt plus the newest message exceed the budget. */
      reason: 'too_large';
      promptTokens: number;
      budget: number;
    };

export function fitToContext(input: FitInput): FitResult {
  const budget = Math.max(0, input.contextLength - input.replyReserve);
  const system: ChatTurn[] = input.system ? [{ role: 'system', content: input.system }] : [];
  const systemTokens = system.reduce((n, t) => n + input.tokens(t), 0);
  const costs = input.history.map(input.tokens);
  const total = systemTokens + costs.reduce((a, b) => a + b, 0);
  if (total <= budget) {
    return { ok: true, messages: [...system, ...input.history], dropped: 0, promptTokens: total, truncated: false };
  }

  const marker: ChatTurn = { role: 'system', content: TRUNCATION_MARKER };
  const markerTokens = input.tokens(marker);
  // Walk back from the newest message, keeping whole messages while they fit.
  let used = systemTokens + markerTokens;
  let firstKept = input.history.length;
  for (let i = input.history.length - 1; i >= 0; i--) {
    const cost = costs[i] ?? 0;
    if (used + cost > budget) break;
    used += cost;
    firstKept = i;
  }
  // Never start the kept history on an assistant reply: its question is gone.
  while (firstKept < input.history.length - 1 && input.history[firstKept]?.role === 'assistant') {
    used -= costs[firstKept] ?? 0;
    firstKept += 1;
  }
  if (firstKept >= input.history.length) {
    const newest = costs[costs.length - 1] ?? 0;
    return { ok: false, reason: 'too_large', promptTokens: systemTokens + newest, budget };
  }
  return {
    ok: true,
    messages: [...system, marker, ...input.history.slice(firstKept)],
    dropped: firstKept,
    promptTokens: used,
    truncated: true,
  };
}

/**
 * The context meter: the `prompt_tokens` the API reported for the last request plus a
 * local count of what is new since, against the served model's window with the reply
 * reserve shown. Local-only estimates drift from what the provider counts.
 */
export interface ContextMeter {
  used: number;
  reserve: number;
  limit: number;
  /** 0..1 share of the window that the next request would occupy, reserve included. */
  fill: number;
}

export function contextMeter(args: {
  lastPromptTokens: number | undefined;
  lastCompletionTokens: number | undefined;
  newSinceTokens: number;
  contextLength: number;
  replyReserve: number;
}): ContextMeter {
  const base = (args.lastPromptTokens ?? 0) + (args.lastCompletionTokens ?? 0);
  const used = base + args.newSinceTokens;
  const limit = Math.max(1, args.contextLength);
  return { used, reserve: args.replyReserve, limit, fill: Math.min(1, (used + args.replyReserve) / limit) };
}
