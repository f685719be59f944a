/**
 * The messages between the extension host and the storage worker. Requests
 * carry an id and name one HistoryEngine method; every request gets exactly
 * one reply with the same id (a value or a StorageError's parts), and the
 * worker additionally posts events (ready, another window's changes, a failed
 * write, log lines). Replies are checked with zod on the host side: the worker
 * is ours, but a message that does not fit must fail loudly, not be guessed at.
 * No `vscode` import.
 */
import * as z from 'zod'; // namespace import: lets the bundler drop zod's unused locales (~360 KB)

import type { HistoryEngine } from './historyEngine';
import type { ImportStage } from './importControl';
import type { LockOptions } from './fileLock';
import type { StorageErrorKind } from './errors';

/** The engine methods the host may call. */
export const ENGINE_METHODS = [
  'createConversation', 'getConversation', 'findConversation', 'renameConversation', 'archiveConversation',
  'setConversationTags', 'setConversationModel', 'setSystemPrompt', 'deleteConversation', 'conversationExists',
  'exportRaw', 'listConversations', 'importBytes',
  'listTags', 'appendMessage', 'updateMessage', 'deleteMessage', 'getMessage', 'findMessage', 'listMessages',
  'activePath', 'siblings', 'switchBranch', 'fork', 'search', 'exportJson', 'exportMarkdown', 'importJson',
  'rebuildDerivedIndexes', 'usage', 'spendSince', 'checkIntegrity', 'flush', 'refreshFromDisk', 'compact',
  'compactIfDue', 'stats', 'close',
] as const satisfies readonly (keyof HistoryEngine)[];

export type EngineMethod = (typeof ENGINE_METHODS)[number];
type Fn<M extends EngineMethod> = HistoryEngine[M] extends (...args: infer A) => infer R ? (...args: A) => R : never;
export type EngineArgs<M extends EngineMethod> = Parameters<Fn<M>>;
export type EngineResult<M extends EngineMethod> = ReturnType<Fn<M>>;

export interface WorkerRequest {
  readonly id: number;
  readonly method: EngineMethod;
  readonly args: readonly unknown[];
  /**
   * The method reports progress: its last argument is an options object (an
   * ImportControl) to which the worker adds an `onProgress` that posts
   * 'progress' events with this request's id.
   */
  readonly progress?: boolean;
}

/** What the worker is started with (workerData). */
export interface WorkerConfig {
  readonly folder: string;
  readonly fileName?: string;
  readonly wasmPath?: string;
  readonly lock?: LockOptions;
  readonly compactMinBytes?: number;
  readonly compactRatio?: number;
  /** How often the journal is checked for other windows' appends besides file watching (ms). */
  readonly followIntervalMs?: number;
  /** Quiet time after which a smaller journal is compacted (ms). */
  readonly idleCompactMs?: number;
}

export const errorPartsSchema = z.object({
  kind: z.string(),
  message: z.string(),
  action: z.string().optional(),
});
export type ErrorParts = { kind: StorageErrorKind; message: string; action?: string };

const mergeReportSchema = z.object({
  conversationsChanged: z.number(),
  messagesChanged: z.number(),
  conversationsDeleted: z.number(),
});

export const workerMessageSchema = z.union([
  z.object({ type: z.literal('reply'), id: z.number(), ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('reply'), id: z.number(), ok: z.literal(false), error: errorPartsSchema }),
  z.object({
    type: z.literal('ready'),
    recovery: z.object({ kind: z.literal('corrupt-file-moved'), movedTo: z.string(), reason: z.string(), at: z.number() }).optional(),
    migration: z.object({ from: z.number(), to: z.number() }),
    path: z.string(),
  }),
  z.object({ type: z.literal('open-failed'), error: errorPartsSchema }),
  z.object({
    type: z.literal('progress'),
    id: z.number(),
    progress: z.object({ stage: z.enum(['reading', 'parsing', 'checking', 'writing']), done: z.number(), total: z.number() }),
  }),
  z.object({ type: z.literal('external-change'), report: mergeReportSchema }),
  z.object({ type: z.literal('persist-error'), error: errorPartsSchema }),
  z.object({ type: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: z.string(), data: z.record(z.string(), z.unknown()).optional() }),
]);
export type WorkerMessage = z.infer<typeof workerMessageSchema>;

// The schema's stage list and the importer's must not drift apart.
type SameStages = ImportStage extends Extract<WorkerMessage, { type: 'progress' }>['progress']['stage'] ? true : never;
export const stagesMatch: SameStages = true;
