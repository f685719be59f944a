/**
 * HistoryStore: the storage room's front door on the extension host. The
 * history itself — sql.js, the database, the journal, compaction — lives in
 * a worker thread (storageWorker.ts → HistoryEngine); this is its async
 * facade, one method per engine method, each a request that is always
 * answered. Nothing here touches the database, so no query, search, export,
 * import or save can block the host's event loop, and the host's heap does
 * not grow with the history. A change's promise resolves once it is on disk
 * (a journal record, fdatasync'd). No `vscode` import.
 */
import * as path from 'node:path';

import type { StorageError } from './errors';
import type { ExportScope } from './exporter';
import type { LockOptions } from './fileLock';
import { cancelFlag, setCancelled, type ImportProgress } from './importControl';
import type { EngineStats } from './historyEngine';
import type { MigrationResult } from './migrations';
import type { SqlJsLocation } from './sqlJsLoader';
import type {
  Conversation,
  ConversationListQuery,
  ConversationPage,
  ImportReport,
  IntegrityReport,
  MergeReport,
  MessagePatch,
  NewConversation,
  NewMessage,
  PathEntry,
  RebuildReport,
  RecoveryNotice,
  SearchOutcome,
  SearchQuery,
  Siblings,
  StorageLogger,
  StoredMessage,
  TagCount,
} from './types';
import type { UsageReport } from './usage';
import { WorkerClient } from './workerClient';

export { HISTORY_FILE_NAME, type EngineStats } from './historyEngine';
export type { ImportProgress } from './importControl';

export interface ImportOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Hand the bytes' buffer to the worker instead of copying it (the caller's array is emptied). */
  readonly transfer?: boolean;
}

export interface OpenHistoryOptions {
  /** Folder holding the history (the extension's globalStorageUri.fsPath); created if missing. */
  readonly folder: string;
  readonly fileName?: string;
  readonly logger?: StorageLogger;
  /** Where sql.js finds sql-wasm.wasm; defaults to next to sql.js itself. */
  readonly sqlJs?: Pick<SqlJsLocation, 'wasmPath'>;
  readonly lock?: LockOptions;
  /** Compaction thresholds: the journal is folded into a new snapshot past max(minBytes, ratio × snapshot). */
  readonly compactMinBytes?: number;
  readonly compactRatio?: number;
  readonly followIntervalMs?: number;
  readonly idleCompactMs?: number;
  /** The worker script; defaults to storageWorker.js beside the bundle (storageWorker.ts under tsx). */
  readonly workerPath?: string;
  /** Another window's changes were applied: refresh what is shown. */
  readonly onExternalChange?: (report: MergeReport) => void;
  /** A write failed; it is retried with the next one, but the user should know history is not being saved. */
  readonly onPersistError?: (error: StorageError) => void;
}

export function defaultWorkerPath(): string {
  return path.join(__dirname, __filename.endsWith('.ts') ? 'storageWorker.ts' : 'storageWorker.js');
}

export async function openHistoryStore(options: OpenHistoryOptions): Promise<HistoryStore> {
  const client = new WorkerClient(
    options.workerPath ?? defaultWorkerPath(),
    {
      folder: options.folder,
      fileName: options.fileName,
      wasmPath: options.sqlJs?.wasmPath,
      lock: options.lock,
      compactMinBytes: options.compactMinBytes,
      compactRatio: options.compactRatio,
      followIntervalMs: options.followIntervalMs,
      idleCompactMs: options.idleCompactMs,
    },
    { logger: options.logger, onExternalChange: options.onExternalChange, onPersistError: options.onPersistError },
  );
  const opened = await client.start();
  return new HistoryStore(client, opened.path, opened.recovery, opened.migration);
}

export class HistoryStore {
  /** @internal use openHistoryStore() */
  constructor(
    private readonly client: WorkerClient,
    readonly path: string,
    /** Set when the file could not be read at open and was set aside: tell the user where it is. */
    readonly recovery: RecoveryNotice | undefined,
    readonly migration: MigrationResult,
  ) {}

  // ── conversations ────────────────────────────────────────────────────────

  createConversation(input?: NewConversation): Promise<Conversation> {
    return this.client.call('createConversation', input);
  }
  getConversation(id: string): Promise<Conversation> {
    return this.client.call('getConversation', id);
  }
  findConversation(id: string): Promise<Conversation | undefined> {
    return this.client.call('findConversation', id);
  }
  renameConversation(id: string, title: string): Promise<Conversation> {
    return this.client.call('renameConversation', id, title);
  }
  archiveConversation(id: string, archived = true): Promise<Conversation> {
    return this.client.call('archiveConversation', id, archived);
  }
  setConversationTags(id: string, tags: readonly string[]): Promise<Conversation> {
    return this.client.call('setConversationTags', id, tags);
  }
  setConversationModel(id: string, modelId: string | null): Promise<Conversation> {
    return this.client.call('setConversationModel', id, modelId);
  }
  setSystemPrompt(id: string, systemPrompt: string | null): Promise<Conversation> {
    return this.client.call('setSystemPrompt', id, systemPrompt);
  }
  deleteConversation(id: string): Promise<void> {
    return this.client.call('deleteConversation', id);
  }
  /** True when the conversation's row exists, even if it does not decode. */
  conversationExists(id: string): Promise<boolean> {
    return this.client.call('conversationExists', id);
  }
  /** The conversation's rows as stored, as JSON text: export for one that fails to load. */
  exportRaw(id: string): Promise<string | undefined> {
    return this.client.call('exportRaw', id);
  }
  listConversations(query?: ConversationListQuery): Promise<ConversationPage> {
    return this.client.call('listConversations', query);
  }
  listTags(): Promise<TagCount[]> {
    return this.client.call('listTags');
  }

  // ── messages and branches ────────────────────────────────────────────────

  appendMessage(input: NewMessage): Promise<StoredMessage> {
    return this.client.call('appendMessage', input);
  }
  updateMessage(id: string, patch: MessagePatch): Promise<StoredMessage> {
    return this.client.call('updateMessage', id, patch);
  }
  /** Deletes a message and the replies under it; returns the ids deleted. What was spent stays in the ledger. */
  deleteMessage(id: string): Promise<string[]> {
    return this.client.call('deleteMessage', id);
  }
  getMessage(id: string): Promise<StoredMessage> {
    return this.client.call('getMessage', id);
  }
  findMessage(id: string): Promise<StoredMessage | undefined> {
    return this.client.call('findMessage', id);
  }
  /** Every message of the conversation, all branches, oldest first. */
  listMessages(conversationId: string): Promise<StoredMessage[]> {
    return this.client.call('listMessages', conversationId);
  }
  activePath(conversationId: string): Promise<PathEntry[]> {
    return this.client.call('activePath', conversationId);
  }
  siblings(messageId: string): Promise<Siblings> {
    return this.client.call('siblings', messageId);
  }
  switchBranch(messageId: string): Promise<PathEntry[]> {
    return this.client.call('switchBranch', messageId);
  }
  fork(messageId: string, options?: { title?: string }): Promise<Conversation> {
    return this.client.call('fork', messageId, options);
  }

  // ── search, export, import ───────────────────────────────────────────────

  search(query: SearchQuery): Promise<SearchOutcome> {
    return this.client.call('search', query);
  }
  exportJson(scope?: ExportScope): Promise<string> {
    return this.client.call('exportJson', scope);
  }
  exportMarkdown(conversationId: string): Promise<string> {
    return this.client.call('exportMarkdown', conversationId);
  }
  /**
   * Imports the bytes of a JSON export file: decoded, parsed, checked and written in the worker, so
   * the host's thread only waits. Invalid UTF-8 is a typed refusal. `signal` cancels (a 'cancelled'
   * StorageError, history unchanged) until the write commits; `onProgress` follows the stages.
   * With `transfer`, the bytes' buffer is handed to the worker instead of copied (the caller's
   * array is emptied).
   */
  async importBytes(bytes: Uint8Array, options: ImportOptions = {}): Promise<ImportReport> {
    const cancel = cancelFlag();
    const abort = (): void => setCancelled(cancel);
    if (options.signal?.aborted) abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    try {
      return await this.client.request('importBytes', [bytes, { cancel }], {
        onProgress: options.onProgress ?? (() => undefined),
        ...(options.transfer && whole ? { transfer: [bytes.buffer as ArrayBuffer] } : {}),
      });
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
  }
  /** Imports a JSON export; rejects with StorageError (invalid-import / unsupported-version) leaving the history unchanged. */
  importJson(text: string): Promise<ImportReport> {
    return this.client.call('importJson', text);
  }

  // ── maintenance ──────────────────────────────────────────────────────────

  rebuildDerivedIndexes(): Promise<RebuildReport> {
    return this.client.call('rebuildDerivedIndexes');
  }
  /** Spend and tokens by day, model and conversation between two instants (epoch ms), from the spend ledger. */
  usage(from: number, to: number): Promise<UsageReport> {
    return this.client.call('usage', from, to);
  }
  /** Exact USD billed for messages made since `from` (epoch ms; 0 = all time); deleting never lowers it. */
  spendSince(from: number): Promise<string> {
    return this.client.call('spendSince', from);
  }
  checkIntegrity(): Promise<IntegrityReport> {
    return this.client.call('checkIntegrity');
  }
  /** Snapshot and journal sizes, last compaction, counts, and the worker's memory. */
  stats(): Promise<EngineStats> {
    return this.client.call('stats');
  }
  /** Folds the journal into a new snapshot now. */
  compact(): Promise<void> {
    return this.client.call('compact');
  }

  // ── durability ───────────────────────────────────────────────────────────

  /** Resolves when every change made so far is on disk; rejects with StorageError if writing keeps failing. */
  flush(): Promise<void> {
    return this.client.call('flush');
  }

  /** Applies other windows' new journal records now (window focus); the worker also follows on its own. */
  async refreshFromDisk(): Promise<MergeReport | undefined> {
    return (await this.client.call('refreshFromDisk')) ?? undefined;
  }

  /** Saves anything unsaved, closes the history and stops the worker. Further calls reject with 'closed'. */
  close(): Promise<void> {
    return this.client.close();
  }
}
