/**
 * SqlDatabase: a thin typed wrapper over one in-memory sql.js database.
 * Owns statement lifetimes, zod decoding of rows, and transactions (tracked so
 * a persist can prove it never exports mid-transaction). Knows nothing about
 * files or the schema. No `vscode` import.
 */
import type { BindParams, Database, ParamsObject } from 'sql.js';
import type * as z from 'zod';

import { CloseOnce } from './closeOnce';
import { StorageError, describeError } from './errors';

export class SqlDatabase {
  private transactionDepth = 0;
  private readonly state = new CloseOnce('The history database is closed.');

  constructor(private readonly raw: Database) {}

  get inTransaction(): boolean {
    return this.transactionDepth > 0;
  }

  /** Runs statements that return nothing (DDL, inserts); several may be separated by `;` only without params. */
  run(sql: string, params?: BindParams): void {
    this.ensureOpen();
    this.raw.run(sql, params ?? null);
  }

  /** Rows decoded by `schema`; a row that does not decode is a damaged file, not a bug to hide. */
  all<T>(sql: string, params: BindParams, schema: z.ZodType<T>): T[] {
    return this.rawRows(sql, params).map((row) => decode(schema, row, sql));
  }

  get<T>(sql: string, params: BindParams, schema: z.ZodType<T>): T | undefined {
    const [row] = this.rawRows(sql, params, 1);
    return row === undefined ? undefined : decode(schema, row, sql);
  }

  /** Undecoded rows, for hot paths whose columns are checked by the caller. */
  rawRows(sql: string, params: BindParams = null, limit = Infinity): ParamsObject[] {
    this.ensureOpen();
    const statement = this.raw.prepare(sql);
    try {
      if (params !== null) statement.bind(params);
      const rows: ParamsObject[] = [];
      while (rows.length < limit && statement.step()) rows.push(statement.getAsObject());
      return rows;
    } finally {
      statement.free();
    }
  }

  /** Runs one prepared statement many times (bulk inserts), freeing it afterwards. */
  withStatement<T>(sql: string, fn: (run: (params: BindParams) => void) => T): T {
    this.ensureOpen();
    const statement = this.raw.prepare(sql);
    try {
      return fn((params) => {
        statement.run(params);
      });
    } finally {
      statement.free();
    }
  }

  /** Rows changed by the last insert/update/delete. */
  changes(): number {
    return this.raw.getRowsModified();
  }

  /**
   * Runs `fn` atomically: BEGIN/COMMIT, or a SAVEPOINT when nested. `fn` must be
   * synchronous — an `await` inside would let a persist observe the open
   * transaction, which is exactly what this wrapper exists to rule out.
   */
  transaction<T>(fn: () => T): T {
    this.ensureOpen();
    const depth = this.transactionDepth;
    const savepoint = `sp${depth}`;
    this.raw.run(depth === 0 ? 'BEGIN' : `SAVEPOINT ${savepoint}`);
    this.transactionDepth++;
    try {
      const result = fn();
      if (result instanceof Promise) {
        throw new StorageError('internal', 'A storage transaction must not be asynchronous.');
      }
      this.raw.run(depth === 0 ? 'COMMIT' : `RELEASE ${savepoint}`);
      return result;
    } catch (error) {
      try {
        if (depth === 0) this.raw.run('ROLLBACK');
        else this.raw.run(`ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
      } catch {
        // SQLite may already have rolled back (e.g. after SQLITE_FULL); the original error is the one to report.
      }
      throw error;
    } finally {
      this.transactionDepth--;
    }
  }

  get userVersion(): number {
    const [row] = this.rawRows('PRAGMA user_version');
    const value = row?.['user_version'];
    return typeof value === 'number' ? value : 0;
  }

  set userVersion(version: number) {
    if (!Number.isSafeInteger(version) || version < 0) {
      throw new StorageError('internal', `Invalid schema version ${version}.`);
    }
    this.run(`PRAGMA user_version = ${version}`);
  }

  /** The whole database file as bytes. Refuses mid-transaction: that image would be torn. */
  export(): Uint8Array {
    this.ensureOpen();
    if (this.inTransaction) {
      throw new StorageError('internal', 'Refusing to export the database in the middle of a transaction.');
    }
    return this.raw.export();
  }

  /**
   * Path of this database inside sql.js's in-memory file system, so another
   * database of the same sql.js instance can ATTACH it (used to merge a second
   * window's file with set-based SQL). sql.js keeps it as `filename`; checked
   * at run time because it is not part of the typed API.
   */
  attachPath(): string {
    const filename: unknown = (this.raw as unknown as { filename?: unknown }).filename;
    if (typeof filename !== 'string' || filename === '') {
      throw new StorageError('internal', 'This sql.js build does not expose its database file name.');
    }
    return filename.startsWith('/') ? filename : `/${filename}`;
  }

  /** Registers a scalar SQL function implemented in JavaScript. */
  defineFunction(name: string, fn: (...args: never[]) => number | string | null): void {
    this.ensureOpen();
    this.raw.create_function(name, fn);
  }

  close(): void {
    this.state.close(() => this.raw.close());
  }

  get isClosed(): boolean {
    return this.state.isClosed;
  }

  private ensureOpen(): void {
    this.state.check();
  }
}

function decode<T>(schema: z.ZodType<T>, row: ParamsObject, sql: string): T {
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  throw new StorageError(
    'corrupt',
    `A stored row could not be read (${describeError(parsed.error).slice(0, 300)}).`,
    'Run "Neural Terminal: Rebuild history indexes"; if that does not help, export and re-import your history.',
    { cause: new Error(`while decoding: ${sql.slice(0, 120)}`) },
  );
}
