/**
 * HistoryFile: the on-disk side of the history. Loads `history.sqlite` (a
 * corrupt file is renamed aside — kept, never deleted — and a fresh database
 * started), and persists the in-memory database under the cross-window lock:
 * if the file changed since we last read or wrote it (inode/size/mtime, then
 * the write id stored inside), the other window's rows are merged in first,
 * then the image is written atomically. No `vscode` import.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';

import type { SqlJsStatic } from 'sql.js';

import { removeLeftoverTempFiles, writeFileAtomic } from './atomicFile';
import { matchesChecksum, writeChecksum } from './checksum';
import type { SqlDatabase } from './database';
import { StorageError, describeError, errnoCode } from './errors';
import { FileLock, type LockOptions } from './fileLock';
import { mergeSnapshot } from './merge';
import { readStamp, stampWrite, unstampWrite, type WriteStamp } from './meta';
import type { MigrationResult } from './migrations';
import { openSnapshot } from './snapshot';
import type { Clock, MergeReport, RecoveryNotice, StorageLogger } from './types';

export interface FileIdentity {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface HistoryFileOptions {
  readonly path: string;
  readonly sql: SqlJsStatic;
  readonly clock: Clock;
  readonly logger?: StorageLogger;
  readonly lock?: LockOptions;
  /** A corrupt file met while persisting was set aside. */
  readonly onRecovery?: (notice: RecoveryNotice) => void;
}

export interface LoadResult {
  readonly db: SqlDatabase;
  readonly migration: MigrationResult;
  readonly recovery: RecoveryNotice | undefined;
  /** False when there was no file (first run). */
  readonly existed: boolean;
}

export interface PersistResult {
  readonly merged: MergeReport | undefined;
  readonly bytes: number;
  readonly generation: number;
}

type FileState =
  | { readonly kind: 'missing' }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'changed'; readonly identity: FileIdentity; readonly bytes: Uint8Array };

export class HistoryFile {
  readonly path: string;
  private readonly lock: FileLock;
  /** The file as we last read or wrote it; a different identity means another window wrote. */
  private known: { identity: FileIdentity; stamp: WriteStamp } | undefined;
  private tempFilesChecked = false;
  /** persist() and refresh() both update `known`; they take turns. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: HistoryFileOptions) {
    this.path = options.path;
    this.lock = new FileLock(`${options.path}.lock`, options.logger, options.lock);
  }

  async load(): Promise<LoadResult> {
    const state = await this.read();
    if (state.kind !== 'changed') return { ...this.fresh(), recovery: undefined, existed: false };
    const verified = await matchesChecksum(this.path, state.bytes);
    const snapshot = openSnapshot(this.options.sql, state.bytes, 'main', verified);
    if (snapshot.kind === 'ok') {
      this.known = { identity: state.identity, stamp: readStamp(snapshot.db) };
      return { db: snapshot.db, migration: snapshot.migration, recovery: undefined, existed: true };
    }
    const recovery = await this.lock
      .withLock(() => this.moveAside(state.identity, snapshot.reason))
      .catch((error: unknown) => {
        // Not fatal: the first persist re-checks the file under the lock and moves it then.
        this.options.logger?.warn('could not set the unreadable history file aside yet', { error: describeError(error) });
        return undefined;
      });
    return { ...this.fresh(), recovery, existed: true };
  }

  /**
   * Writes `db` to disk: lock, merge the file if another window changed it,
   * stamp, export, atomic write. `beforeExport` runs synchronously right before
   * the image is taken, so the caller knows exactly which changes it holds.
   */
  persist(db: SqlDatabase, beforeExport: () => void): Promise<PersistResult> {
    return this.exclusive(() => this.lock.withLock(async () => {
      if (!this.tempFilesChecked) {
        const removed = await removeLeftoverTempFiles(this.path);
        if (removed > 0) this.options.logger?.info('removed temp files of an interrupted write', { removed });
        this.tempFilesChecked = true;
      }
      const merged = await this.mergeIfChanged(db, true);
      const stamp = stampWrite(db, randomUUID());
      beforeExport();
      const image = db.export();
      try {
        await writeFileAtomic(this.path, image);
      } catch (error) {
        // Those rows did not reach the file: mark them changed again, or another
        // window that syncs past this generation would never read them.
        unstampWrite(db, stamp);
        throw new StorageError('io', `Could not save the chat history: ${describeError(error)}`, 'Check free disk space and permissions of the VS Code storage folder.', { cause: error });
      }
      const stat = await fs.stat(this.path);
      this.known = { identity: identityOf(stat), stamp };
      await writeChecksum(this.path, image, this.options.logger);
      return { merged, bytes: image.byteLength, generation: stamp.generation };
    }));
  }

  /** Pulls in another window's changes without writing (no lock needed: writes are atomic renames). */
  refresh(db: SqlDatabase): Promise<MergeReport | undefined> {
    return this.exclusive(() => this.mergeIfChanged(db, false));
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.queue.then(fn, fn);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async mergeIfChanged(db: SqlDatabase, holdingLock: boolean): Promise<MergeReport | undefined> {
    const state = await this.read();
    if (state.kind !== 'changed') return undefined;
    const snapshot = openSnapshot(this.options.sql, state.bytes, 'merge');
    if (snapshot.kind === 'corrupt') return this.unreadable(state.identity, snapshot.reason, holdingLock);
    let report: MergeReport | undefined;
    let stamp: WriteStamp;
    try {
      stamp = readStamp(snapshot.db);
      const known = this.known?.stamp;
      // Same write id: the file was touched (copied back, mtime changed) but holds what we know.
      const alreadyKnown = known !== undefined && stamp.writeId !== '' && stamp.writeId === known.writeId;
      // Same lineage and not older: only rows stamped after the generation we know can be new.
      const incremental =
        known !== undefined && known.lineage !== '' && stamp.lineage === known.lineage && stamp.generation >= known.generation && snapshot.migration.from === snapshot.migration.to;
      report = alreadyKnown ? undefined : mergeSnapshot(db, snapshot.db, incremental ? known.generation : undefined);
    } catch (error) {
      if (error instanceof StorageError && error.kind === 'closed') throw error;
      // The merge ran in one transaction, so ours is unchanged; their file is what failed to read.
      return this.unreadable(state.identity, `merge failed: ${describeError(error)}`, holdingLock);
    } finally {
      snapshot.db.close();
    }
    this.known = { identity: state.identity, stamp };
    if (report) this.options.logger?.info('merged changes from another window', { ...report });
    return report;
  }

  private async unreadable(identity: FileIdentity, reason: string, holdingLock: boolean): Promise<undefined> {
    if (holdingLock) {
      const notice = await this.moveAside(identity, reason);
      if (notice) this.options.onRecovery?.(notice);
    } else {
      this.options.logger?.warn('the history file is unreadable; it will be set aside on the next save', { reason });
    }
    return undefined;
  }

  /** The file's bytes if it differs from what we last read or wrote. */
  private async read(): Promise<FileState> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.path, 'r');
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return { kind: 'missing' };
      throw new StorageError('io', `Could not read the chat history: ${describeError(error)}`, 'Check permissions of the VS Code storage folder.', { cause: error });
    }
    try {
      // Stat and read through one descriptor: a rename by another window cannot pair one file's identity with another's bytes.
      const identity = identityOf(await handle.stat());
      if (this.known && sameIdentity(identity, this.known.identity)) return { kind: 'unchanged' };
      return { kind: 'changed', identity, bytes: await handle.readFile() };
    } finally {
      await handle.close();
    }
  }

  /** Renames an unreadable file aside (never deletes it). Must hold the lock. */
  private async moveAside(identity: FileIdentity, reason: string): Promise<RecoveryNotice | undefined> {
    const current = await fs.stat(this.path).catch(() => undefined);
    // Replaced since we read it: not the file we judged, leave it to the next read.
    if (!current || !sameIdentity(identityOf(current), identity)) return undefined;
    const at = this.options.clock.now();
    const stamp = new Date(at).toISOString().replace(/[:.]/g, '-');
    const movedTo = `${this.path}.corrupt-${stamp}-${randomUUID().slice(0, 8)}`;
    await fs.rename(this.path, movedTo);
    this.known = undefined;
    this.options.logger?.error('history file was unreadable and has been set aside', { movedTo, reason });
    return { kind: 'corrupt-file-moved', movedTo, reason, at };
  }

  private fresh(): { db: SqlDatabase; migration: MigrationResult } {
    const snapshot = openSnapshot(this.options.sql, null);
    if (snapshot.kind !== 'ok') throw new StorageError('internal', `Could not create an empty database: ${snapshot.reason}`);
    return { db: snapshot.db, migration: snapshot.migration };
  }
}

function identityOf(stat: { ino: number; size: number; mtimeMs: number }): FileIdentity {
  return { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs };
}

function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}
