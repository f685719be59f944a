/**
 * HistoryEngine: the whole history — the sql.js database, every query and
 * change on it, and its durability (historyDisk.ts) — as one synchronous
 * object. It runs inside the storage worker (storageWorker.ts), which owns it;
 * the extension host only ever talks to it through the async HistoryStore
 * facade. Every change runs under the cross-window lock and is on disk (an
 * fdatasync'd journal record) before the call returns. No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { SqlJsStatic } from 'sql.js';

import { ConversationStore } from './conversationStore';
import type { SqlDatabase } from './database';
import { CloseOnce } from './closeOnce';
import { StorageError, describeError } from './errors';
import type { ExportScope } from './exporter';
import { exportJson, exportMarkdown } from './exporter';
import type { LockOptions } from './fileLock';
import { HistoryDisk, type DiskStats } from './historyDisk';
import { decodeImportBytes } from './importBounds';
import { checkCancelled, step, type ImportControl } from './importControl';
import { importExport, parseExport } from './importer';
import { backfillLedger, spendSince } from './ledger';
import { checkIntegrity, rebuildDerivedIndexes } from './maintenance';
import type { MigrationResult } from './migrations';
import { searchHistory } from './search';
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
import { usageReport, type UsageReport } from './usage';

export const HISTORY_FILE_NAME = 'history.sqlite';

export interface EngineOptions {
  /** Folder holding the history (the extension's globalStorageUri.fsPath); created if missing. */
  readonly folder: string;
  readonly fileName?: string;
  readonly sql: SqlJsStatic;
  readonly clock?: Clock;
  readonly logger?: StorageLogger;
  readonly lock?: LockOptions;
  readonly compactMinBytes?: number;
  readonly compactRatio?: number;
  /** Another window's changes were applied: refresh what is shown. */
  readonly onExternalChange?: (report: MergeReport) => void;
  /** A write failed; the change is kept in memory and retried with the next one. */
  readonly onPersistError?: (error: StorageError) => void;
}

/** What Diagnose shows about the storage engine. */
export interface EngineStats extends DiskStats {
  readonly path: string;
  readonly conversations: number;
  readonly messages: number;
  readonly openMs: number;
  /** Measured inside the worker: its JS heap, and memory outside it — chiefly sql.js's WebAssembly memory, the database itself. */
  readonly workerMemory: { readonly heapUsedBytes: number; readonly externalBytes: number };
}

const systemClock: Clock = { now: () => Date.now() };

export class HistoryEngine {
  readonly path: string;
  private readonly disk: HistoryDisk;
  private readonly clock: Clock;
  private store: { db: SqlDatabase; conversations: ConversationStore } | undefined;
  private readonly state = new CloseOnce('The chat history has been closed.');

  constructor(private readonly options: EngineOptions) {
    try {
      fs.mkdirSync(options.folder, { recursive: true });
    } catch (error) {
      throw new StorageError('io', `Could not create the history folder: ${describeError(error)}`, undefined, { cause: error });
    }
    this.clock = options.clock ?? systemClock;
    this.path = path.join(options.folder, options.fileName ?? HISTORY_FILE_NAME);
    this.disk = new HistoryDisk({
      path: this.path,
      sql: options.sql,
      clock: this.clock,
      logger: options.logger,
      lock: options.lock,
      compactMinBytes: options.compactMinBytes,
      compactRatio: options.compactRatio,
      onPersistError: options.onPersistError,
    });
    const started = performance.now();
    this.disk.open();
    this.openMs = Math.round(performance.now() - started);
  }

  /** How long opening took in here: snapshot read and load, journal replay (not the worker's or sql.js's start). */
  readonly openMs: number;

  /** Set when the file could not be read at open and was set aside: tell the user where it is. */
  get recovery(): RecoveryNotice | undefined {
    return this.disk.recovery;
  }
  get migration(): MigrationResult {
    return this.disk.migration;
  }

  // ── conversations ────────────────────────────────────────────────────────

  createConversation(input?: NewConversation): Conversation {
    return this.change((s) => s.create(input));
  }
  getConversation(id: string): Conversation {
    return this.read().get(id);
  }
  findConversation(id: string): Conversation | undefined {
    return this.read().find(id);
  }
  renameConversation(id: string, title: string): Conversation {
    return this.change((s) => s.rename(id, title));
  }
  archiveConversation(id: string, archived = true): Conversation {
    return this.change((s) => s.setStatus(id, archived ? 'archived' : 'active'));
  }
  setConversationTags(id: string, tags: readonly string[]): Conversation {
    return this.change((s) => s.setTags(id, tags));
  }
  setConversationModel(id: string, modelId: string | null): Conversation {
    return this.change((s) => s.setModel(id, modelId));
  }
  setSystemPrompt(id: string, systemPrompt: string | null): Conversation {
    return this.change((s) => s.setSystemPrompt(id, systemPrompt));
  }
  deleteConversation(id: string): void {
    this.change((s) => s.delete(id));
  }
  /** True when the conversation's row exists, even if it does not decode. */
  conversationExists(id: string): boolean {
    return this.read().exists(id);
  }
  /** The conversation's rows as stored, as JSON text: export for one that fails to load. */
  exportRaw(id: string): string | undefined {
    const rows = this.read().raw(id);
    return rows ? JSON.stringify({ format: 'neural-terminal.raw-rows', ...rows }, null, 2) : undefined;
  }
  listConversations(query?: ConversationListQuery): ConversationPage {
    return this.read().list(query);
  }
  listTags(): TagCount[] {
    return this.read().tags();
  }

  // ── messages and branches ────────────────────────────────────────────────

  appendMessage(input: NewMessage): StoredMessage {
    return this.change((s) => s.append(input));
  }
  updateMessage(id: string, patch: MessagePatch): StoredMessage {
    return this.change((s) => s.update(id, patch));
  }
  /** Deletes a message and the replies under it; returns the ids deleted. Spend stays in the ledger. */
  deleteMessage(id: string): string[] {
    return this.change((s) => s.deleteMessage(id));
  }
  getMessage(id: string): StoredMessage {
    return this.read().getMessage(id);
  }
  findMessage(id: string): StoredMessage | undefined {
    return this.read().findMessage(id);
  }
  /** Every message of the conversation, all branches, oldest first. */
  listMessages(conversationId: string): StoredMessage[] {
    return this.read().messages(conversationId);
  }
  activePath(conversationId: string): PathEntry[] {
    return this.read().activePath(conversationId);
  }
  siblings(messageId: string): Siblings {
    return this.read().siblings(messageId);
  }
  switchBranch(messageId: string): PathEntry[] {
    return this.change((s) => s.switchBranch(messageId));
  }
  fork(messageId: string, options?: { title?: string }): Conversation {
    return this.change((s) => s.fork(messageId, options));
  }

  // ── search, export, import ───────────────────────────────────────────────

  search(query: SearchQuery): SearchOutcome {
    this.read();
    return searchHistory(this.disk.db, query, this.options.logger);
  }
  exportJson(scope?: ExportScope): string {
    return exportJson(this.read(), this.clock, scope);
  }
  exportMarkdown(conversationId: string): string {
    return exportMarkdown(this.read(), conversationId);
  }
  /**
   * Imports the bytes of a JSON export file: invalid UTF-8 is a typed refusal, like any bad content.
   * `control` reports progress and can cancel (a 'cancelled' StorageError) until the write commits.
   */
  importBytes(bytes: Uint8Array, control?: ImportControl): ImportReport {
    step(control, { stage: 'reading', done: 0, total: 0 });
    return this.importJson(decodeImportBytes(bytes), control);
  }
  /** Imports a JSON export; throws StorageError (invalid-import / unsupported-version / cancelled) leaving the history unchanged. */
  importJson(text: string, control?: ImportControl): ImportReport {
    this.read();
    // Parsed and validated before the lock is taken: a hostile file costs no other window anything.
    let file: ReturnType<typeof parseExport>;
    try {
      file = parseExport(text, control);
    } catch (error) {
      // A parser's own limits (stack, memory) are still a refusal of this file, typed.
      if (error instanceof RangeError) throw new StorageError('invalid-import', `The file could not be read (${error.message}).`, 'Choose a file exported by Neural Terminal.');
      throw error;
    }
    return this.change(() => {
      const db = this.disk.db;
      return db.transaction(() => {
        const report = importExport(db, this.clock, file, undefined, control);
        backfillLedger(db);
        // Last chance: past this point the rows are committed and written to the journal.
        checkCancelled(control);
        return report;
      });
    });
  }

  // ── maintenance ──────────────────────────────────────────────────────────

  /** Rebuilds FTS indexes and totals from the message rows. */
  rebuildDerivedIndexes(): RebuildReport {
    return this.change(() => rebuildDerivedIndexes(this.disk.db, this.clock));
  }
  /** Spend and tokens by day, model and conversation between two instants (epoch ms), from the ledger. */
  usage(from: number, to: number): UsageReport {
    this.read();
    return usageReport(this.disk.db, from, to);
  }
  /** Exact USD billed for messages made since `from` (epoch ms; 0 = all time), from the ledger. */
  spendSince(from: number): string {
    this.read();
    return spendSince(this.disk.db, from);
  }
  checkIntegrity(): IntegrityReport {
    this.read();
    return checkIntegrity(this.disk.db);
  }

  // ── durability ───────────────────────────────────────────────────────────

  /** Throws StorageError if some change is still not on disk after retrying it. */
  flush(): void {
    this.read();
    this.disk.flush();
  }

  /** Applies other windows' journal records (file watcher, window focus). */
  refreshFromDisk(): MergeReport | undefined {
    this.read();
    const report = this.disk.follow();
    return this.reportExternal(report);
  }

  /** Writes a new snapshot now (idle maintenance, tests, the bench). */
  compact(): void {
    this.read();
    this.disk.compactNow();
  }

  /** A new snapshot if the journal has grown enough; `idle` lowers the bar. */
  compactIfDue(idle: boolean): boolean {
    this.read();
    return this.disk.compactIfDue(idle);
  }

  stats(): EngineStats {
    const db = this.disk.db;
    const count = (table: string): number => Number(db.rawRows(`SELECT count(*) AS n FROM ${table}`)[0]?.['n'] ?? 0);
    const memory = process.memoryUsage();
    return {
      ...this.disk.stats(),
      path: this.path,
      conversations: count('conversations'),
      messages: count('messages'),
      openMs: this.openMs,
      workerMemory: { heapUsedBytes: memory.heapUsed, externalBytes: memory.external + memory.arrayBuffers },
    };
  }

  close(): void {
    this.state.close(() => {
      try {
        this.disk.flush();
      } finally {
        this.disk.close();
      }
    });
  }

  get isClosed(): boolean {
    return this.state.isClosed;
  }

  private read(): ConversationStore {
    this.state.check();
    const db = this.disk.db;
    if (this.store?.db !== db) {
      this.store = { db, conversations: new ConversationStore({ db, clock: this.clock, onChange: () => undefined }) };
    }
    return this.store.conversations;
  }

  private change<T>(fn: (store: ConversationStore) => T): T {
    this.read();
    const { result, followed } = this.disk.write(() => fn(this.read()));
    this.reportExternal(followed);
    return result;
  }

  private reportExternal(report: MergeReport): MergeReport | undefined {
    if (report.conversationsChanged + report.messagesChanged + report.conversationsDeleted === 0) return undefined;
    this.options.logger?.info('applied changes from another window', { ...report });
    this.options.onExternalChange?.(report);
    return report;
  }
}
