/**
 * HistoryDisk: how the in-memory database reaches the disk and how it is
 * rebuilt from it. Two files beside each other:
 *
 *  - the snapshot, `history.sqlite` (a plain sql.js image; earlier versions'
 *    files are read as the first snapshot), carrying in `meta` the journal
 *    generation it was written for;
 *  - the journal, `history.sqlite.journal`: a header naming that generation,
 *    then one checksummed record per change, appended and fdatasync'd under
 *    the cross-window lock before the change is reported saved.
 *
 * Open = snapshot + replay of the journal of the same generation (a journal of
 * an older generation was already folded into the snapshot; a torn tail is cut
 * off). Compaction writes a new snapshot (temp + fsync + rename) stamped with
 * generation + 1, then replaces the journal with an empty one of that
 * generation: a crash between the two leaves a journal the next open ignores.
 * Before each write the journal is read up to its end, so windows follow each
 * other's appends; a journal replaced by another window's compaction means
 * reloading from the new snapshot. Runs in the storage worker, synchronously.
 * No `vscode` import.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';

import type { SqlJsStatic } from 'sql.js';

import { removeLeftoverTempFiles, writeFileAtomic } from './atomicFile';
import { matchesChecksum, writeChecksum } from './checksum';
import type { SqlDatabase } from './database';
import { StorageError, describeError, errnoCode } from './errors';
import { FileLock, type LockOptions } from './fileLock';
import { encodeFrame } from './journalFormat';
import { appendFrame, checkHeader, createJournal, newerJournalError, readJournalFrom, statJournal, truncateJournal, type JournalIdentity } from './journalFile';
import { applyRecords, captureChanges, markSnapshotting, markSynced, parseRecord, type JournalRecord } from './journalRows';
import type { MigrationResult } from './migrations';
import { afterExport, openSnapshot } from './snapshot';
import type { Clock, MergeReport, RecoveryNotice, StorageLogger } from './types';

export interface DiskOptions {
  readonly path: string;
  readonly sql: SqlJsStatic;
  readonly clock: Clock;
  readonly logger?: StorageLogger;
  readonly lock?: LockOptions;
  /** Compact when the journal exceeds max(minBytes, ratio × snapshot size). */
  readonly compactMinBytes?: number;
  readonly compactRatio?: number;
  /** A failed append: the change stays in memory, marked unsaved, and goes with the next record. */
  readonly onPersistError?: (error: StorageError) => void;
}

export interface DiskStats {
  readonly snapshotBytes: number;
  readonly journalBytes: number;
  readonly generation: number;
  readonly lastCompaction: { readonly at: number; readonly durationMs: number; readonly bytes: number } | undefined;
  readonly unsaved: boolean;
}

/** More rows than this in one change (an import, a rebuild) are written as a snapshot instead. */
const BULK_ROWS = 1_000;
const BULK_BYTES = 4 * 1024 * 1024;
const EMPTY: MergeReport = { conversationsChanged: 0, messagesChanged: 0, conversationsDeleted: 0 };

export class HistoryDisk {
  readonly journalPath: string;
  private readonly lock: FileLock;
  private readonly writer = randomUUID().slice(0, 8);
  private current: SqlDatabase | undefined;
  private generation = 0;
  /** The journal as far as this window has applied it (size = offset of the next record). */
  private journal: JournalIdentity | undefined;
  /** Text the journal holds for each still-streaming reply, for delta records. */
  private readonly streaming = new Map<string, string>();
  private snapshotBytes = 0;
  private lastCompaction: DiskStats['lastCompaction'];
  private pendingError: StorageError | undefined;
  migration: MigrationResult = { from: 0, to: 0 };
  recovery: RecoveryNotice | undefined;
  existed = false;

  constructor(private readonly options: DiskOptions) {
    this.journalPath = `${options.path}.journal`;
    this.lock = new FileLock(`${options.path}.lock`, options.logger, options.lock);
  }

  get db(): SqlDatabase {
    if (!this.current) throw new StorageError('closed', 'The chat history has been closed.');
    return this.current;
  }

  /** Opens the history: snapshot, journal replay, and the first snapshot of an upgraded file. */
  open(): void {
    this.lock.withLock(() => {
      const removed = removeLeftoverTempFiles(this.options.path);
      if (removed > 0) this.options.logger?.info('removed temp files of an interrupted write', { removed });
      this.loadLocked();
      if (this.existed && !this.recovery && this.migration.from !== this.migration.to) {
        // Keep the file as it was before the upgrade, then write the upgraded one as the first snapshot.
        const backup = `${this.options.path}.v${this.migration.from}.bak`;
        if (!fs.existsSync(backup)) fs.copyFileSync(this.options.path, backup);
        this.compactLocked();
      } else if (!this.journal) {
        this.journal = createJournal(this.journalPath, this.generation);
      }
    });
  }

  /** Runs a change under the lock, after catching up with other windows, and journals it. */
  write<T>(change: () => T): { result: T; followed: MergeReport } {
    return this.lock.withLock(() => {
      const followed = this.catchUpLocked();
      const result = change();
      this.commitLocked();
      return { result, followed };
    });
  }

  /** Throws the last append error if some change is still not on disk (after retrying it). */
  flush(): void {
    if (!this.pendingError) return;
    this.lock.withLock(() => {
      this.catchUpLocked();
      this.commitLocked();
    });
    if (this.pendingError) throw this.pendingError;
  }

  /** Applies what other windows appended since we last looked (no lock unless they compacted). */
  follow(): MergeReport {
    const id = statJournal(this.journalPath);
    if (this.journal && id && id.ino === this.journal.ino) {
      if (id.size <= this.journal.size) return EMPTY;
      const read = readJournalFrom(this.journalPath, this.journal.size);
      if (!read || read.identity.ino !== this.journal.ino) return this.lock.withLock(() => this.catchUpLocked());
      return this.applyFrames(read.decoded.frames.map((f) => f.payload), read.decoded.end);
    }
    return this.lock.withLock(() => this.catchUpLocked());
  }

  /** A new snapshot when the journal has grown past the threshold (idle: a lower one). */
  compactIfDue(idle: boolean): boolean {
    if (!this.journal) return false;
    const threshold = idle
      ? Math.max(256 * 1024, this.snapshotBytes / 4)
      : Math.max(this.options.compactMinBytes ?? 1024 * 1024, this.snapshotBytes * (this.options.compactRatio ?? 0.5));
    if (this.journal.size < threshold) return false;
    this.compactNow();
    return true;
  }

  compactNow(): void {
    this.lock.withLock(() => {
      this.catchUpLocked();
      this.compactLocked();
    });
  }

  stats(): DiskStats {
    return {
      snapshotBytes: this.snapshotBytes,
      journalBytes: this.journal?.size ?? 0,
      generation: this.generation,
      lastCompaction: this.lastCompaction,
      unsaved: this.pendingError !== undefined,
    };
  }

  close(): void {
    this.current?.close();
    this.current = undefined;
  }

  // ── internals (the *Locked ones run while holding the lock) ──────────────

  private loadLocked(): void {
    let bytes: Uint8Array | undefined;
    let identity: { ino: number; mtimeMs: number } | undefined;
    try {
      // Stat and read through one descriptor: a rename cannot pair one file's identity with another's bytes.
      const fd = fs.openSync(this.options.path, 'r');
      try {
        identity = fs.fstatSync(fd);
        bytes = fs.readFileSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') throw ioError('read', error);
    }
    this.existed = bytes !== undefined;
    this.recovery = undefined;
    let db: SqlDatabase | undefined;
    if (bytes) {
      // A newer schema throws here, before anything is touched.
      const snapshot = openSnapshot(this.options.sql, bytes, 'main', matchesChecksum(this.options.path, bytes, identity));
      if (snapshot.kind === 'ok') {
        db = snapshot.db;
        this.migration = snapshot.migration;
      } else {
        this.recovery = this.moveAside(this.options.path, snapshot.reason);
      }
    }
    const adopt = db === undefined;
    if (!db) {
      const fresh = openSnapshot(this.options.sql, null);
      if (fresh.kind !== 'ok') throw new StorageError('internal', `Could not create an empty database: ${fresh.reason}`);
      db = fresh.db;
      this.migration = fresh.migration;
    }
    this.snapshotBytes = bytes?.byteLength ?? 0;
    this.generation = readGeneration(db);
    this.journal = undefined;
    this.streaming.clear();
    const read = readJournalFrom(this.journalPath, 0);
    if (read) {
      const header = checkHeader(read.decoded);
      if (header.kind === 'newer') {
        db.close();
        throw newerJournalError(header.version);
      }
      if (header.kind === 'unreadable') {
        this.moveAside(this.journalPath, 'unreadable journal header');
      } else if (adopt || header.header.generation >= this.generation) {
        // Same generation: replay. Newer (files restored by hand) or no usable snapshot: its records are all we have.
        if (header.header.generation !== this.generation) writeGeneration(db, header.header.generation);
        this.generation = header.header.generation;
        const records = read.decoded.frames.slice(1).map((f) => parseRecord(f.payload)).filter((r) => r !== undefined);
        if (records.length > 0) applyRecords(db, records);
        if (read.decoded.badTail) {
          this.options.logger?.warn('dropped a torn record at the end of the history journal', { at: read.decoded.end });
          truncateJournal(this.journalPath, read.decoded.end);
        }
        this.journal = { ino: read.identity.ino, size: read.decoded.end };
      }
      // Older generation: already folded into the snapshot; replaced below.
    }
    this.current?.close();
    this.current = db;
  }

  private catchUpLocked(): MergeReport {
    const id = statJournal(this.journalPath);
    if (this.journal && id && id.ino === this.journal.ino && id.size >= this.journal.size) {
      if (id.size === this.journal.size) return EMPTY;
      const read = readJournalFrom(this.journalPath, this.journal.size);
      if (read && read.identity.ino === this.journal.ino) {
        const report = this.applyFrames(read.decoded.frames.map((f) => f.payload), read.decoded.end);
        if (read.decoded.badTail) truncateJournal(this.journalPath, read.decoded.end);
        return report;
      }
    }
    const read = id ? readJournalFrom(this.journalPath, 0) : undefined;
    const header = read ? checkHeader(read.decoded) : undefined;
    if (header?.kind === 'newer') throw newerJournalError(header.version);
    if (!read || header?.kind !== 'ok' || header.header.generation < this.generation) {
      // Missing, damaged, or older than our snapshot (our compaction could not replace it): start ours.
      if (read && header?.kind !== 'ok') this.moveAside(this.journalPath, 'unreadable journal header');
      this.journal = createJournal(this.journalPath, this.generation);
      return EMPTY;
    }
    if (header.header.generation === this.generation) {
      // Same generation, but a file we have not been following: its records are idempotent, apply them all.
      this.journal = { ino: read.identity.ino, size: read.decoded.frames[0]?.end ?? 0 };
      return this.applyFrames(read.decoded.frames.slice(1).map((f) => f.payload), read.decoded.end);
    }
    return this.reloadLocked();
  }

  /** Another window compacted: start again from its snapshot, keeping our own unsaved rows. */
  private reloadLocked(): MergeReport {
    const unsaved = captureChanges(this.db, this.writer, new Map());
    this.loadLocked();
    if (unsaved) applyRecords(this.db, [unsaved.record], true);
    if (!this.journal) this.journal = createJournal(this.journalPath, this.generation);
    this.options.logger?.info('reloaded the history after another window compacted it', { generation: this.generation });
    const count = (table: string): number => Number(this.db.rawRows(`SELECT count(*) AS n FROM ${table}`)[0]?.['n'] ?? 0);
    return { conversationsChanged: count('conversations'), messagesChanged: count('messages'), conversationsDeleted: 0 };
  }

  private applyFrames(payloads: readonly unknown[], end: number): MergeReport {
    const records = payloads.map(parseRecord).filter((r): r is JournalRecord => r !== undefined);
    if (this.journal) this.journal = { ino: this.journal.ino, size: end };
    if (records.length === 0) return EMPTY;
    for (const record of records) for (const m of record.m) this.streaming.delete(String(m['id']));
    return applyRecords(this.db, records);
  }

  private commitLocked(): void {
    const captured = captureChanges(this.db, this.writer, this.streaming);
    if (!captured) return;
    try {
      const frame = captured.rows > BULK_ROWS ? undefined : encodeFrame(captured.record);
      if (!frame || frame.byteLength > BULK_BYTES || !this.journal) {
        this.compactLocked();
      } else {
        const next = appendFrame(this.journalPath, frame, this.journal);
        if (!next) throw new StorageError('internal', 'The history journal changed while this window held the lock.');
        this.journal = next;
        markSynced(this.db);
        for (const [id, text] of captured.streamed) {
          if (text === undefined) this.streaming.delete(id);
          else this.streaming.set(id, text);
        }
        this.compactIfDueLocked();
      }
      this.pendingError = undefined;
    } catch (error) {
      this.pendingError = error instanceof StorageError ? error : ioError('write', error);
      this.options.logger?.error('history write failed', { error: describeError(error) });
      this.options.onPersistError?.(this.pendingError);
    }
  }

  private compactIfDueLocked(): void {
    if (!this.journal) return;
    const threshold = Math.max(this.options.compactMinBytes ?? 1024 * 1024, this.snapshotBytes * (this.options.compactRatio ?? 0.5));
    if (this.journal.size >= threshold) this.compactLocked();
  }

  private compactLocked(): void {
    const started = this.options.clock.now();
    const t0 = performance.now();
    const db = this.db;
    const next = this.generation + 1;
    markSnapshotting(db);
    writeGeneration(db, next);
    let image: Uint8Array;
    try {
      try {
        image = db.export();
      } finally {
        afterExport(db);
      }
      writeFileAtomic(this.options.path, image);
    } catch (error) {
      markSnapshotting(db, true);
      writeGeneration(db, this.generation);
      throw error instanceof StorageError ? error : ioError('write', error);
    }
    markSynced(db, -1);
    this.generation = next;
    this.snapshotBytes = image.byteLength;
    writeChecksum(this.options.path, image, this.options.logger);
    try {
      this.journal = createJournal(this.journalPath, next);
    } catch (error) {
      // The old journal is now older than the snapshot and will be ignored; the next write retries.
      this.journal = undefined;
      this.options.logger?.warn('could not start a new history journal yet', { error: describeError(error) });
    }
    this.lastCompaction = { at: started, durationMs: Math.round(performance.now() - t0), bytes: image.byteLength };
    this.options.logger?.info('history compacted', { ...this.lastCompaction, generation: next });
  }

  /** Renames an unreadable file aside (never deletes it). Must hold the lock. */
  private moveAside(file: string, reason: string): RecoveryNotice {
    const at = this.options.clock.now();
    const stamp = new Date(at).toISOString().replace(/[:.]/g, '-');
    const movedTo = `${file}.corrupt-${stamp}-${randomUUID().slice(0, 8)}`;
    fs.renameSync(file, movedTo);
    this.options.logger?.error('history file was unreadable and has been set aside', { movedTo, reason });
    return { kind: 'corrupt-file-moved', movedTo, reason, at };
  }
}

function readGeneration(db: SqlDatabase): number {
  const [row] = db.rawRows("SELECT value FROM meta WHERE key = 'journal_generation'");
  const value = Number(row?.['value'] ?? 0);
  return Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

function writeGeneration(db: SqlDatabase, generation: number): void {
  db.run("INSERT INTO meta (key, value) VALUES ('journal_generation', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [String(generation)]);
}

function ioError(what: 'read' | 'write', error: unknown): StorageError {
  return new StorageError(
    'io',
    `Could not ${what} the chat history: ${describeError(error)}`,
    'Check free disk space and permissions of the VS Code storage folder.',
    { cause: error },
  );
}
