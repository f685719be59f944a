/**
 * Opens bytes of a history file as a database at the current schema: checks
 * it is readable SQLite, migrates it in memory, and for the database we will
 * work on registers the search functions. Unreadable bytes come back as
 * 'corrupt' with a reason, for the caller to set the file aside; a newer
 * schema is an error, never guessed at. No `vscode` import.
 *
 * Purpose 'main' runs PRAGMA quick_check (a full read; ~2 s at 100k messages)
 * unless the bytes match the checksum recorded by our last save. Purpose 'merge' — another window's file, read on every
 * save that follows one of its writes — only reads the schema; damage in it
 * surfaces as an SQLite error during the merge, which the caller treats the
 * same way. It also skips the search functions: sql.js compiles a small wasm
 * module per registered function, milliseconds we would pay on every merge.
 */
import type { SqlJsStatic } from 'sql.js';

import { SqlDatabase } from './database';
import { StorageError, describeError } from './errors';
import { migrate, type MigrationResult } from './migrations';
import { registerSearchFunctions } from './search';

export type SnapshotResult =
  | { readonly kind: 'ok'; readonly db: SqlDatabase; readonly migration: MigrationResult }
  | { readonly kind: 'corrupt'; readonly reason: string };

/** `bytes` null or empty: a brand-new database. */
export function openSnapshot(
  sql: SqlJsStatic,
  bytes: Uint8Array | null,
  purpose: 'main' | 'merge' = 'main',
  /** The bytes match the checksum of our own last save (checksum.ts): no need to re-read every page. */
  verified = false,
): SnapshotResult {
  let db: SqlDatabase;
  try {
    db = new SqlDatabase(new sql.Database(bytes && bytes.length > 0 ? bytes : null));
  } catch (error) {
    return { kind: 'corrupt', reason: describeError(error) };
  }
  try {
    const problems =
      purpose === 'main' && !verified
        ? db.rawRows('PRAGMA quick_check').map((row) => String(Object.values(row)[0]))
        : (db.rawRows('SELECT count(*) FROM sqlite_master'), ['ok']);
    if (problems.length !== 1 || problems[0] !== 'ok') {
      db.close();
      return { kind: 'corrupt', reason: `integrity check failed: ${problems.slice(0, 3).join('; ')}` };
    }
  } catch (error) {
    db.close();
    return { kind: 'corrupt', reason: describeError(error) };
  }
  try {
    setPragmas(db);
    const migration = migrate(db);
    if (purpose === 'main') registerSearchFunctions(db);
    return { kind: 'ok', db, migration };
  } catch (error) {
    db.close();
    if (error instanceof StorageError && error.kind === 'newer-schema') throw error;
    // A file whose schema cannot be brought up to date cannot be used either.
    return { kind: 'corrupt', reason: `upgrade failed: ${describeError(error)}` };
  }
}

/**
 * The database lives in sql.js's in-memory file system and durability comes
 * from our own journal and snapshots, so SQLite's journal file and syncs would
 * only copy memory around: keep the rollback journal in memory (transactions
 * still roll back) and skip syncs.
 */
function setPragmas(db: SqlDatabase): void {
  db.run('PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY;');
}

/**
 * sql.js's export() closes and reopens the database, which drops registered
 * functions and connection pragmas: put them back.
 */
export function afterExport(db: SqlDatabase): void {
  setPragmas(db);
  registerSearchFunctions(db);
}
