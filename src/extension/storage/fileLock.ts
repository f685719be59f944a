/**
 * A lock file that serialises writers of the history file across processes
 * (two VS Code windows share global storage). Held only for one
 * read-merge-write, never for a session. Created with O_EXCL; its JSON says
 * who holds it. A lock whose holder is dead (same host, pid gone) or that is
 * older than `staleMs` is stale and gets taken over; take-overs are themselves
 * serialised by a short-lived `.steal` file and re-check the holder's token,
 * so two waiters cannot both remove a fresh lock.
 *
 * Synchronous on purpose: it runs in the storage worker (never on the
 * extension host's thread), where a journal append is lock, write, fsync,
 * unlock in one uninterrupted step; waiting sleeps the worker with
 * Atomics.wait. The file format is the one earlier versions used, so an old
 * and a new window still exclude each other. No `vscode` import.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';

import * as z from 'zod'; // namespace import: lets the bundler drop zod's unused locales (~360 KB)

import { StorageError, describeError, errnoCode } from './errors';
import type { StorageLogger } from './types';

export interface LockOptions {
  /** A lock older than this is stale even if its holder looks alive (pid reuse, a hung window). Default 30 s. */
  readonly staleMs?: number;
  /** Give up waiting after this long. Default 20 s. */
  readonly timeoutMs?: number;
  /** Poll interval while waiting (jittered). Default 15 ms. */
  readonly retryMs?: number;
}

const holderSchema = z.object({
  pid: z.number().int(),
  host: z.string(),
  token: z.string(),
  acquiredAt: z.number(),
});
type Holder = z.infer<typeof holderSchema>;

/** A lock file still empty after this long belongs to a process that died between create and write. */
const EMPTY_LOCK_GRACE_MS = 2_000;
const STEAL_FILE_STALE_MS = 5_000;

export class FileLock {
  private readonly staleMs: number;
  private readonly timeoutMs: number;
  private readonly retryMs: number;

  constructor(
    readonly lockPath: string,
    private readonly logger?: StorageLogger,
    options: LockOptions = {},
  ) {
    this.staleMs = options.staleMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.retryMs = options.retryMs ?? 15;
  }

  withLock<T>(fn: () => T): T {
    const token = this.acquire();
    try {
      return fn();
    } finally {
      this.release(token);
    }
  }

  /** Returns this holder's token once the lock is ours. */
  acquire(): string {
    const token = randomUUID();
    const holder: Holder = { pid: process.pid, host: os.hostname(), token, acquiredAt: Date.now() };
    const started = Date.now();
    for (;;) {
      if (this.tryCreate(holder)) return token;
      this.removeIfStale();
      if (Date.now() - started > this.timeoutMs) {
        throw new StorageError(
          'lock-timeout',
          'Another VS Code window is busy saving the chat history; this window could not save.',
          'Your messages are kept in memory and saving will be retried. If this persists, close other windows.',
        );
      }
      sleep(this.retryMs * (0.5 + Math.random()));
    }
  }

  /** Removes the lock only if it is still ours (it may have been taken over as stale). */
  release(token: string): void {
    const current = this.readHolder();
    if (current.kind === 'held' && current.holder.token === token) {
      fs.rmSync(this.lockPath, { force: true });
    }
  }

  private tryCreate(holder: Holder): boolean {
    let fd: number;
    try {
      fd = fs.openSync(this.lockPath, 'wx', 0o600);
    } catch (error) {
      if (errnoCode(error) === 'EEXIST') return false;
      throw new StorageError('io', `Could not create the history lock file: ${describeError(error)}`, undefined, { cause: error });
    }
    try {
      fs.writeSync(fd, JSON.stringify(holder));
    } finally {
      fs.closeSync(fd);
    }
    return true;
  }

  private readHolder():
    | { kind: 'none' }
    | { kind: 'held'; holder: Holder }
    | { kind: 'unreadable'; ino: number; mtimeMs: number } {
    try {
      const fd = fs.openSync(this.lockPath, 'r');
      try {
        const stat = fs.fstatSync(fd);
        const text = fs.readFileSync(fd, 'utf8');
        try {
          const parsed = holderSchema.safeParse(JSON.parse(text));
          if (parsed.success) return { kind: 'held', holder: parsed.data };
        } catch {
          // fall through: half-written or foreign content
        }
        return { kind: 'unreadable', ino: stat.ino, mtimeMs: stat.mtimeMs };
      } finally {
        fs.closeSync(fd);
      }
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return { kind: 'none' };
      throw error;
    }
  }

  private isStale(state: ReturnType<FileLock['readHolder']>): boolean {
    if (state.kind === 'none') return false;
    if (state.kind === 'unreadable') return Date.now() - state.mtimeMs > EMPTY_LOCK_GRACE_MS;
    const { holder } = state;
    // Wall time, not the injected clock: the age is compared across processes.
    if (Date.now() - holder.acquiredAt > this.staleMs) return true;
    return holder.host === os.hostname() && !isProcessAlive(holder.pid);
  }

  private removeIfStale(): void {
    const seen = this.readHolder();
    if (!this.isStale(seen)) return;
    const stealPath = `${this.lockPath}.steal`;
    let steal: number;
    try {
      steal = fs.openSync(stealPath, 'wx', 0o600);
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error;
      // Someone else is taking over; if that someone died doing it, clear the way.
      const stat = fs.statSync(stealPath, { throwIfNoEntry: false });
      if (stat && Date.now() - stat.mtimeMs > STEAL_FILE_STALE_MS) fs.rmSync(stealPath, { force: true });
      return;
    }
    try {
      fs.closeSync(steal);
      // Re-read under the steal file: only remove the very lock we judged stale.
      const now = this.readHolder();
      const same =
        (now.kind === 'held' && seen.kind === 'held' && now.holder.token === seen.holder.token) ||
        (now.kind === 'unreadable' && seen.kind === 'unreadable' && now.ino === seen.ino && now.mtimeMs === seen.mtimeMs);
      if (same) {
        fs.rmSync(this.lockPath, { force: true });
        this.logger?.warn('took over a stale history lock', seen.kind === 'held' ? { pid: seen.holder.pid, host: seen.holder.host } : {});
      }
    } finally {
      fs.rmSync(stealPath, { force: true });
    }
  }
}

/** Signal 0 checks existence without touching the process; EPERM means it exists but is not ours. */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread (the storage worker's) for `ms`. */
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, Math.max(1, Math.round(ms)));
}
