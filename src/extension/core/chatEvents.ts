/**
 * The typed events the chat engine publishes. UI, status bar, telemetry and logs
 * subscribe through the EventBus. No `vscode` import.
 */
import type { CircuitChange } from '../openrouter/circuitBreaker';
import type { StoredMessage } from '../storage/types';
import type { BudgetEvents } from './costTracker';

/** Why a reply failed, in the words the UI shows, with what would fix it. */
export interface FailureInfo {
  kind: string;
  message: string;
  /** Client action id (retry, set_key, use_fallback_model, shorten_context, …). */
  action: string;
  retryable: boolean;
  retryAfterMs?: number;
  /** Text had been delivered before the failure (it is kept on the message). */
  partial: boolean;
  moderationReasons?: readonly string[];
  affordableTokens?: number;
  dailyLimit?: boolean;
}

export interface ChatEvents extends BudgetEvents {
  'message.started': { conversationId: string; messageId: string; parentId: string | null; model: string };
  /** Deltas of one reply (content and/or reasoning), in arrival order. */
  'token.generated': { conversationId: string; messageId: string; content: string; reasoning: string };
  'message.completed': { conversationId: string; message: StoredMessage; tokensPerSecond: number | undefined };
  'message.failed': { conversationId: string; message: StoredMessage; error: FailureInfo };
  /** The client will try again before any token arrived (429 cooldown, 5xx). */
  'message.retrying': {
    conversationId: string;
    messageId: string;
    attempt: number;
    delayMs: number;
    retryAt: number;
    reason: string;
  };
  /** No token for a while: "model is thinking…" (the hard stall timeout is the client's). */
  'message.stalled': { conversationId: string; messageId: string; silentForMs: number };
  /** An estimated or missing cost was replaced by what OpenRouter billed (/generation). */
  'message.costUpdated': { conversationId: string; message: StoredMessage };
  'context.truncated': {
    conversationId: string;
    messageId: string;
    dropped: number;
    promptTokens: number;
    budget: number;
    /** True when the server's 400 (context length) caused it rather than the local count. */
    afterServerRejection: boolean;
  };
  'circuit.changed': CircuitChange;
  /** Anything about a conversation changed that a view of it should re-read. */
  'conversation.changed': { conversationId: string };
}
