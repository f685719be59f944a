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

import type { EngineOptions } from './historyEngine';
import { cancelFlag, setCancelled, type ImportProgress } from './importControl';
import type { MigrationResult } from './migrations';
import type { SqlJsLocation } from './sqlJsLoader';
import type { ImportReport, MergeReport, RecoveryNotice } from './types';
import type { EngineArgs, EngineMethod, EngineResult } from './workerProtocol';
import { WorkerClient } from './workerClient';

export { HISTORY_FILE_NAME, type EngineStats } from './historyEngine';
export type { ImportProgress } from './importControl';

export interface ImportOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Hand the bytes' buffer to the worker instead of copying it (the caller's array is emptied). */
  readonly transfer?: boolean;
}

/** The engine's own options (see EngineOptions), and where the worker and sql.js are found. */
export interface OpenHistoryOptions
  extends Pick<EngineOptions, 'folder' | 'fileName' | 'logger' | 'lock' | 'compactMinBytes' | 'compactRatio' | 'onExternalChange' | 'onPersistError'> {
  /** Where sql.js finds sql-wasm.wasm; defaults to next to sql.js itself. */
  readonly sqlJs?: Pick<SqlJsLocation, 'wasmPath'>;
  readonly followIntervalMs?: number;
  readonly idleCompactMs?: number;
  /** The worker script; defaults to storageWorker.js beside the bundle (storageWorker.ts under tsx). */
  readonly workerPath?: string;
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

/** An engine method as the host calls it: the same arguments, its result once the worker answers. */
type Remote<M extends EngineMethod> = (...args: EngineArgs<M>) => Promise<EngineResult<M>>;

export class HistoryStore {
  /** @internal use openHistoryStore() */
  constructor(
    private readonly client: WorkerClient,
    readonly path: string,
    /** Set when the file could not be read at open and was set aside: tell the user where it is. */
    readonly recovery: RecoveryNotice | undefined,
    readonly migration: MigrationResult,
  ) {}

  /** One request to the worker per call; each signature is declared once, on HistoryEngine. */
  private remote<M extends EngineMethod>(method: M): Remote<M> {
    return (...args) => this.client.call(method, ...args);
  }

  // ── conversations ────────────────────────────────────────────────────────

  readonly createConversation: Remote<'createConversation'> = this.remote('createConversation');
  readonly getConversation: Remote<'getConversation'> = this.remote('getConversation');
  readonly findConversation: Remote<'findConversation'> = this.remote('findConversation');
  readonly renameConversation: Remote<'renameConversation'> = this.remote('renameConversation');
  readonly archiveConversation: Remote<'archiveConversation'> = this.remote('archiveConversation');
  readonly setConversationTags: Remote<'setConversationTags'> = this.remote('setConversationTags');
  readonly setConversationModel: Remote<'setConversationModel'> = this.remote('setConversationModel');
  readonly setSystemPrompt: Remote<'setSystemPrompt'> = this.remote('setSystemPrompt');
  readonly deleteConversation: Remote<'deleteConversation'> = this.remote('deleteConversation');
  /** True when the conversation's row exists, even if it does not decode. */
  readonly conversationExists: Remote<'conversationExists'> = this.remote('conversationExists');
  /** The conversation's rows as stored, as JSON text: export for one that fails to load. */
  readonly exportRaw: Remote<'exportRaw'> = this.remote('exportRaw');
  readonly listConversations: Remote<'listConversations'> = this.remote('listConversations');
  readonly listTags: Remote<'listTags'> = this.remote('listTags');

  // ── messages and branches ────────────────────────────────────────────────

  readonly appendMessage: Remote<'appendMessage'> = this.remote('appendMessage');
  readonly updateMessage: Remote<'updateMessage'> = this.remote('updateMessage');
  /** Deletes a message and the replies under it; returns the ids deleted. What was spent stays in the ledger. */
  readonly deleteMessage: Remote<'deleteMessage'> = this.remote('deleteMessage');
  readonly getMessage: Remote<'getMessage'> = this.remote('getMessage');
  readonly findMessage: Remote<'findMessage'> = this.remote('findMessage');
  /** Every message of the conversation, all branches, oldest first. */
  readonly listMessages: Remote<'listMessages'> = this.remote('listMessages');
  readonly activePath: Remote<'activePath'> = this.remote('activePath');
  readonly siblings: Remote<'siblings'> = this.remote('siblings');
  readonly switchBranch: Remote<'switchBranch'> = this.remote('switchBranch');
  readonly fork: Remote<'fork'> = this.remote('fork');

  // ── search, export, import ───────────────────────────────────────────────

  readonly search: Remote<'search'> = this.remote('search');
  readonly exportJson: Remote<'exportJson'> = this.remote('exportJson');
  readonly exportMarkdown: Remote<'exportMarkdown'> = this.remote('exportMarkdown');
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

  readonly rebuildDerivedIndexes: Remote<'rebuildDerivedIndexes'> = this.remote('rebuildDerivedIndexes');
  /** Spend and tokens by day, model and conversation between two instants (epoch ms), from the spend ledger. */
  readonly usage: Remote<'usage'> = this.remote('usage');
  /** Exact USD billed for messages made since `from` (epoch ms; 0 = all time); deleting never lowers it. */
  readonly spendSince: Remote<'spendSince'> = this.remote('spendSince');
  readonly checkIntegrity: Remote<'checkIntegrity'> = this.remote('checkIntegrity');
  /** Snapshot and journal sizes, last compaction, counts, and the worker's memory. */
  readonly stats: Remote<'stats'> = this.remote('stats');
  /** Folds the journal into a new snapshot now. */
  readonly compact: Remote<'compact'> = this.remote('compact');

  // ── durability ───────────────────────────────────────────────────────────

  /** Resolves when every change made so far is on disk; rejects with StorageError if writing keeps failing. */
  readonly flush: Remote<'flush'> = this.remote('flush');

  /** Applies other windows' new journal records now (window focus); the worker also follows on its own. */
  async refreshFromDisk(): Promise<MergeReport | undefined> {
    return (await this.client.call('refreshFromDisk')) ?? undefined;
  }

  /** Saves anything unsaved, closes the history and stops the worker. Further calls reject with 'closed'. */
  close(): Promise<void> {
    return this.client.close();
  }
}
