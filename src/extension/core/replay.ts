/**
 * Replay a branch on another model: every user turn of a conversation's active branch is
 * asked again, in order, of another model, in a new fork of the conversation — so the two
 * branches can be compared turn by turn (core/replayDiff.ts). The fork starts at the first
 * user message; each later user message is appended as it was sent (text, attachments,
 * controls) and answered before the next is asked, so every reply sees the replayed history,
 * not the original one. Each replayed user message records which one it replays
 * (`replayOf`), which is how the diff pairs turns. Budgets apply per turn; one cancel stops
 * the replay and keeps what arrived. No `vscode` import.
 */
import type { Conversation, JsonObject, PathEntry, StoredMessage } from '../storage/types';
import type { StartOutcome } from './chatTypes';
import type { HistoryPort } from './ports';

export interface ReplayDeps {
  history: HistoryPort & { fork(messageId: string, options?: { title?: string }): Promise<Conversation> };
  /** Streams one reply to a stored user message from `modelId`, under `controller` (ChatOrchestrator.answer). */
  answer(userMessageId: string, modelId: string, controller: AbortController): Promise<StartOutcome>;
}

export interface ReplayOptions {
  signal?: AbortSignal;
  /** The fork exists (before any request): the caller can open it to watch it stream. */
  onFork?(conversation: Conversation): void | Promise<void>;
  /** A turn has settled: `done` of `total`. */
  onProgress?(done: number, total: number): void;
}

export type ReplayOutcome =
  | { status: 'complete' | 'cancelled' | 'failed'; conversationId: string; done: number; total: number; message?: string }
  | { status: 'refused'; conversationId?: string; done: number; total: number; message: string };

/** What a replayed user message keeps of the one it replays: what was sent, nothing of its comparison. */
const KEPT = ['attachments', 'controls', 'piiRedacted'] as const;

export function replayMetadata(source: StoredMessage, extra: JsonObject = {}): JsonObject {
  const out: JsonObject = {};
  for (const key of KEPT) if (source.metadata[key] !== undefined) out[key] = source.metadata[key] as JsonObject[string];
  return { ...out, ...extra, replayOf: source.id };
}

/** The user turns of a conversation's active branch, oldest first. */
export function userTurns(path: readonly PathEntry[]): StoredMessage[] {
  return path.map((e) => e.message).filter((m) => m.role === 'user');
}

export async function replayBranch(deps: ReplayDeps, conversationId: string, modelId: string, options: ReplayOptions = {}): Promise<ReplayOutcome> {
  const { history } = deps;
  const source = await history.findConversation(conversationId);
  if (!source) return { status: 'refused', done: 0, total: 0, message: 'That conversation no longer exists.' };
  const turns = userTurns(await history.activePath(conversationId));
  const total = turns.length;
  if (total === 0) return { status: 'refused', done: 0, total, message: 'This branch has no messages of yours to replay.' };
  if (options.signal?.aborted) return { status: 'cancelled', conversationId, done: 0, total };

  const first = turns[0] as StoredMessage;
  const fork = await history.fork(first.id, { title: `${source.title} · replay on ${modelId}` });
  await history.setConversationModel(fork.id, modelId);
  const copy = (await history.activePath(fork.id)).at(-1)?.message;
  if (!copy || copy.role !== 'user') return { status: 'failed', conversationId: fork.id, done: 0, total, message: 'The fork did not end at the first message.' };
  // The fork's first message is a copy: it says what it replays, and carries no comparison of the source's.
  await history.updateMessage(copy.id, { metadata: replayMetadata(first, { replay: { of: conversationId, model: modelId } }) });
  await options.onFork?.(fork);

  const controller = new AbortController();
  const abort = () => controller.abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    let userId = copy.id;
    let lastReply = '';
    for (let i = 0; i < total; i++) {
      const turn = turns[i] as StoredMessage;
      if (i > 0) {
        const appended = await history.appendMessage({
          conversationId: fork.id,
          parentId: lastReply,
          role: 'user',
          content: turn.content,
          status: 'complete',
          metadata: replayMetadata(turn),
        });
        userId = appended.id;
      }
      if (controller.signal.aborted) return { status: 'cancelled', conversationId: fork.id, done: i, total };
      const started = await deps.answer(userId, modelId, controller);
      if (started.status === 'refused') return { status: 'refused', conversationId: fork.id, done: i, total, message: started.message };
      const reply = await started.done;
      lastReply = reply.id;
      options.onProgress?.(i + 1, total);
      if (controller.signal.aborted || reply.finishReason === 'cancelled') return { status: 'cancelled', conversationId: fork.id, done: i + 1, total };
      if (reply.status === 'failed') {
        const error = reply.metadata['error'];
        const why = typeof error === 'object' && error !== null && !Array.isArray(error) && typeof error['message'] === 'string' ? error['message'] : 'the reply failed';
        return { status: 'failed', conversationId: fork.id, done: i + 1, total, message: `Turn ${i + 1} failed: ${why}` };
      }
    }
    return { status: 'complete', conversationId: fork.id, done: total, total };
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}
