/**
 * The ports the chat engine needs, declared here in core so the engine depends on
 * these shapes and not on the adapters behind them: openrouter/client.ts implements
 * the chat client, storage/historyStore.ts the history, core/tokenCounter.ts the
 * token counter. Tests pass their own. The data types come from the lower layers
 * (plain JSON-safe values), which core may import. No `vscode` import.
 */
import type { ChatRequest, ChatStreamEvent, GenerationCost } from '../openrouter/types';
import type { Conversation, MessagePatch, NewConversation, NewMessage, PathEntry, StoredMessage } from '../storage/types';

/** Streams one chat completion and looks up its final cost. */
export interface ChatClientPort {
  streamChat(request: ChatRequest, options: { signal?: AbortSignal }): AsyncIterable<ChatStreamEvent>;
  lookupGenerationCost(id: string, signal?: AbortSignal): Promise<GenerationCost>;
}

/**
 * The conversation tree the engine reads and writes. Asynchronous: the history
 * lives in a worker thread, and a change resolves once it is on disk. Lookups
 * by id reject when the id is unknown.
 */
export interface HistoryPort {
  createConversation(input?: NewConversation): Promise<Conversation>;
  getConversation(id: string): Promise<Conversation>;
  findConversation(id: string): Promise<Conversation | undefined>;
  appendMessage(input: NewMessage): Promise<StoredMessage>;
  updateMessage(id: string, patch: MessagePatch): Promise<StoredMessage>;
  getMessage(id: string): Promise<StoredMessage>;
  /** Root to the active leaf, oldest first. */
  activePath(conversationId: string): Promise<PathEntry[]>;
  /** Makes the branch through a message the active one. */
  switchBranch(messageId: string): Promise<PathEntry[]>;
  setConversationModel(id: string, modelId: string | null): Promise<Conversation>;
}

/** Counts tokens the way the model's tokenizer would (or a close estimate). */
export interface TokenCounterPort {
  countMessage(modelId: string, content: string): Promise<number>;
  /** Starts loading the model's tokenizer ahead of a count (e.g. while a picker is open). */
  warm?(modelId: string): void;
}
