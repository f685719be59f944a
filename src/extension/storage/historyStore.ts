/**
 * HistoryStore: the storage room's front door. `openHistoryStore()` loads
 * sql.js lazily, opens (or recovers) `history.sqlite` in the folder it is
 * given, and returns a store whose reads and writes are synchronous and
 * in-memory; every change schedules a persist (at once when a message
 * settles, debounced otherwise) that runs on a timer, never inside the call
 * that made the change. The extension passes `globalStorageUri.fsPath`, a
 * clock, a logger and where sql-wasm.wasm is. No `vscode` import.
 */
import { spendSince } from './spend';
import { usageReport, type UsageReport } from './usage';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

import type { ChangeUrgency } from './conversationStore';
import { ConversationStore } from './conversationStore';
import type { SqlDatabase } from './database';
import { StorageError, describeError } from './errors';
import type { ExportScope } from './exporter';
import { exportJson, exportMarkdown } from './exporter';
import type { LockOptions } from './fileLock';
import { HistoryFile } from './historyFile';
import { importExport, parseExport } from './importer';
import { decodeImportBytes } from './importBounds';
import { checkIntegrity, rebuildDerivedIndexes } from './maintenance';
import type { MigrationResult } from './migrations';
import { PersistScheduler } from './persistScheduler';
import { searchHistory } from './search';
import { loadSqlJs, type SqlJsLocation } from './sqlJsLoader';
import type {
  Clock,
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

export const HISTORY_FILE_NAME = 'history.sqlite';

export interface OpenHistoryOptions {
  /** Folder holding the history (the extension's globalStorageUri.fsPath); created if missing. */
  readonly folder: string;
  readonly fileName?: string;
  readonly clock?: Clock;
  readonly logger?: StorageLogger;
  /** Where sql.js finds sql-wasm.wasm; defaults to next to sql.js itself. */
  readonly sqlJs?: SqlJsLocation;
  /** Debounce for unsettled changes (default 1500 ms) and its ceiling (default 15 s). */
  readonly debounceMs?: number;
  readonly maxWaitMs?: number;
  readonly lock?: LockOptions;
  /** Another window's changes were merged in: refresh what is shown. */
  readonly onExternalChange?: (report: MergeReport) => void;
  /** A write failed; it is retried, but the user should know history is not being saved. */
  readonly onPersistError?: (error: StorageError) => void;
  /** The file became unreadable while running and was set aside. */
  readonly onRecovery?: (notice: RecoveryNotice) => void;
}

const systemClock: Clock = { now: () => Date.now() };

export async function openHistoryStore(options: OpenHistoryOptions): Promise<HistoryStore> {
  const clock = options.clock ?? systemClock;
  try {
    await fs.mkdir(options.folder, { recursive: true });
  } catch (error) {
    throw new StorageError('io', `Could not create the history folder: ${describeError(error)}`, undefined, { cause: error });
  }
  const sql = await loadSqlJs(options.sqlJs);
  const file = new HistoryFile({
    path: path.join(options.folder, options.fileName ?? HISTORY_FILE_NAME),
    sql,
    clock,
    logger: options.logger,
    lock: options.lock,
    onRecovery: options.onRecovery,
  });
  const loaded = await file.load();
  const store = new HistoryStore(loaded.db, file, clock, options, loaded.recovery, loaded.migration);
  // An upgraded file is written back soon, so the next open skips the migration.
  if (loaded.existed && loaded.migration.from !== loaded.migration.to) store.markChanged('debounced');
  return store;
}

export class HistoryStore {
  readonly path: string;
  private readonly conversations: ConversationStore;
  private readonly scheduler: PersistScheduler;
  private changes = 0;
  private persisted = 0;
  private closed = false;

  /** @internal use openHistoryStore() */
  constructor(
    private readonly db: SqlDatabase,
    private readonly file: HistoryFile,
    private readonly clock: Clock,
    private readonly options: OpenHistoryOptions,
    /** Set when the file could not be read at open and was set aside: tell the user where it is. */
    readonly recovery: RecoveryNotice | undefined,
    readonly migration: MigrationResult,
  ) {
    this.path = file.path;
    this.conversations = new ConversationStore({ db, clock, onChange: (urgency) => this.markChanged(urgency) });
    this.scheduler = new PersistScheduler(
      {
        persist: () => this.persist(),
        changeSeq: () => this.changes,
        persistedSeq: () => this.persisted,
        onError: (error) => this.reportPersistError(error),
      },
      { debounceMs: options.debounceMs ?? 1_500, maxWaitMs: options.maxWaitMs ?? 15_000 },
    );
  }

  // ── conversations ────────────────────────────────────────────────────────

  createConversation(input?: NewConversation): Conversation {
    return this.open().create(input);
  }
  getConversation(id: string): Conversation {
    return this.open().get(id);
  }
  findConversation(id: string): Conversation | undefined {
    return this.open().find(id);
  }
  renameConversation(id: string, title: string): Conversation {
    return this.open().rename(id, title);
  }
  archiveConversation(id: string, archived = true): Conversation {
    return this.open().setStatus(id, archived ? 'archived' : 'active');
  }
  setConversationTags(id: string, tags: readonly string[]): Conversation {
    return this.open().setTags(id, tags);
  }
  setConversationModel(id: string, modelId: string | null): Conversation {
    return this.open().setModel(id, modelId);
  }
  setSystemPrompt(id: string, systemPrompt: string | null): Conversation {
    return this.open().setSystemPrompt(id, systemPrompt);
  }
  deleteConversation(id: string): void {
    this.open().delete(id);
  }
  /** True when the conversation's row exists, even if it does not decode. */
  conversationExists(id: string): boolean {
    return this.open().exists(id);
  }
  /** The conversation's rows as stored, as JSON text: export for one that fails to load. */
  exportRaw(id: string): string | undefined {
    const rows = this.open().raw(id);
    return rows ? JSON.stringify({ format: 'neural-terminal.raw-rows', ...rows }, null, 2) : undefined;
  }
  listConversations(query?: ConversationListQuery): ConversationPage {
    return this.open().list(query);
  }
  listTags(): TagCount[] {
    return this.open().tags();
  }

  // ── messages and branches ────────────────────────────────────────────────

  appendMessage(input: NewMessage): StoredMessage {
    return this.open().append(input);
  }
  updateMessage(id: string, patch: MessagePatch): StoredMessage {
    return this.open().update(id, patch);
  }
  getMessage(id: string): StoredMessage {
    return this.open().getMessage(id);
  }
  /** Every message of the conversation, all branches, oldest first. */
  listMessages(conversationId: string): StoredMessage[] {
    return this.open().messages(conversationId);
  }
  activePath(conversationId: string): PathEntry[] {
    return this.open().activePath(conversationId);
  }
  siblings(messageId: string): Siblings {
    return this.open().siblings(messageId);
  }
  switchBranch(messageId: string): PathEntry[] {
    return this.open().switchBranch(messageId);
  }
  fork(messageId: string, options?: { title?: string }): Conversation {
    return this.open().fork(messageId, options);
  }

  // ── search, export, import ───────────────────────────────────────────────

  search(query: SearchQuery): SearchOutcome {
    this.open();
    return searchHistory(this.db, query, this.options.logger);
  }
  exportJson(scope?: ExportScope): string {
    return exportJson(this.open(), this.clock, scope);
  }
  exportMarkdown(conversationId: string): string {
    return exportMarkdown(this.open(), conversationId);
  }
  /** Imports the bytes of a JSON export file: invalid UTF-8 is a typed refusal, like any bad content. */
  importBytes(bytes: Uint8Array): ImportReport {
    return this.importJson(decodeImportBytes(bytes));
  }
  /** Imports a JSON export; throws StorageError (invalid-import / unsupported-version) leaving the database unchanged. */
  importJson(text: string): ImportReport {
    this.open();
    let file: ReturnType<typeof parseExport>;
    try {
      file = parseExport(text);
    } catch (error) {
      // A parser's own limits (stack, memory) are still a refusal of this file, typed.
      if (error instanceof RangeError) throw new StorageError('invalid-import', `The file could not be read (${error.message}).`, 'Choose a file exported by Neural Terminal.');
      throw error;
    }
    const report = importExport(this.db, this.clock, file);
    this.markChanged('now');
    return report;
  }

  // ── maintenance ──────────────────────────────────────────────────────────

  /** Rebuilds FTS indexes and totals from the message rows. */
  rebuildDerivedIndexes(): RebuildReport {
    this.open();
    const report = rebuildDerivedIndexes(this.db, this.clock);
    this.markChanged('debounced');
    return report;
  }
  /** Spend and tokens by day, model and conversation between two instants (epoch ms). */
  usage(from: number, to: number): UsageReport {
    this.open();
    return usageReport(this.db, from, to);
  }
  /** Exact USD spent on messages created since `from` (epoch ms); 0 = all time. */
  spendSince(from: number): string {
    this.open();
    return spendSince(this.db, from);
  }
  checkIntegrity(): IntegrityReport {
    this.open();
    return checkIntegrity(this.db);
  }

  // ── durability ───────────────────────────────────────────────────────────

  /** True while some change is not on disk yet. */
  get hasUnsavedChanges(): boolean {
    return this.persisted < this.changes;
  }

  /** Resolves when every change made so far is on disk; rejects with StorageError if writing fails. */
  async flush(): Promise<void> {
    this.open();
    await this.scheduler.flush();
  }

  /** Merges another window's newer file into memory (no write). Call on focus or from a file watcher. */
  async refreshFromDisk(): Promise<MergeReport | undefined> {
    this.open();
    const report = await this.file.refresh(this.db);
    if (report) this.options.onExternalChange?.(report);
    return report;
  }

  /** Saves pending changes and releases the database. Further calls throw StorageError 'closed'. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.scheduler.flush();
    } finally {
      this.closed = true;
      await this.scheduler.dispose();
      this.db.close();
    }
  }

  /** @internal */
  markChanged(urgency: ChangeUrgency): void {
    this.changes++;
    this.scheduler.request(urgency);
  }

  private async persist(): Promise<void> {
    let exported = this.persisted;
    let result;
    try {
      result = await this.file.persist(this.db, () => {
        exported = this.changes;
      });
    } catch (error) {
      throw error instanceof StorageError
        ? error
        : new StorageError('io', `Could not save the chat history: ${describeError(error)}`, 'Check free disk space and permissions of the VS Code storage folder.', { cause: error });
    }
    this.persisted = Math.max(this.persisted, exported);
    if (result.merged) this.options.onExternalChange?.(result.merged);
  }

  private reportPersistError(error: unknown): void {
    const storageError = error instanceof StorageError ? error : new StorageError('io', describeError(error), undefined, { cause: error });
    this.options.logger?.error('history persist failed', { kind: storageError.kind, error: storageError.message });
    this.options.onPersistError?.(storageError);
  }

  private open(): ConversationStore {
    if (this.closed) throw new StorageError('closed', 'The chat history has been closed.');
    return this.conversations;
  }
}
