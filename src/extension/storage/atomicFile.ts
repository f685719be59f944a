/**
 * Crash-safe file replacement: write a temp file beside the target, fsync it,
 * rename it over the target, fsync the directory. A reader (or a process
 * killed at any instant) sees either the whole old file or the whole new one.
 * Synchronous: only the storage worker calls these, never the extension
 * host's thread. No `vscode` import.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { errnoCode } from './errors';

/** Marks our temp files, so leftovers of a killed writer can be recognised. */
export const TEMP_MARKER = '.tmp-';

export function writeFileAtomic(target: string, data: Uint8Array): void {
  const temp = `${target}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const fd = fs.openSync(temp, 'wx', 0o600);
    try {
      writeAll(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    renameWithRetry(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fsyncDirectory(path.dirname(target));
}

export function writeAll(fd: number, data: Uint8Array): void {
  for (let at = 0; at < data.byteLength; ) at += fs.writeSync(fd, data, at, data.byteLength - at);
}

/**
 * Makes the rename itself durable. Directories cannot be opened for sync on
 * Windows (and some file systems refuse); there NTFS journals the rename.
 */
export function fsyncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(directory, 'r');
    fs.fsyncSync(fd);
  } catch (error) {
    const code = errnoCode(error);
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES' && code !== 'EBADF') throw error;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Windows refuses to replace a file another process (antivirus, indexer, the other window) has open; retry briefly. */
function renameWithRetry(from: string, to: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      fs.renameSync(from, to);
      return;
    } catch (error) {
      const code = errnoCode(error);
      if (attempt >= 8 || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw error;
      Atomics.wait(sleeper, 0, 0, 20 * 2 ** attempt);
    }
  }
}

/** Deletes temp files left by writers that died mid-write. Only safe while holding the lock. */
export function removeLeftoverTempFiles(target: string): number {
  const directory = path.dirname(target);
  const prefix = `${path.basename(target)}${TEMP_MARKER}`;
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(directory);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    fs.rmSync(path.join(directory, name), { force: true });
    removed++;
  }
  return removed;
}
