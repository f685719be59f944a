/**
 * Crash-safe file replacement: write a temp file beside the target, fsync it,
 * rename it over the target, fsync the directory. A reader (or a process
 * killed at any instant) sees either the whole old file or the whole new one.
 * No `vscode` import.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

import { errnoCode } from './errors';

/** Marks our temp files, so leftovers of a killed writer can be recognised. */
export const TEMP_MARKER = '.tmp-';

export async function writeFileAtomic(target: string, data: Uint8Array): Promise<void> {
  const temp = `${target}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}`;
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await fsyncDirectory(path.dirname(target));
}

/**
 * Makes the rename itself durable. Directories cannot be opened for sync on
 * Windows (and some file systems refuse); there NTFS journals the rename.
 */
export async function fsyncDirectory(directory: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(directory, 'r');
    await handle.sync();
  } catch (error) {
    const code = errnoCode(error);
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES' && code !== 'EBADF') throw error;
  } finally {
    await handle?.close();
  }
}

/** Windows refuses to replace a file another process (antivirus, indexer, the other window) has open; retry briefly. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (error) {
      const code = errnoCode(error);
      if (attempt >= 8 || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    }
  }
}

/** Deletes temp files left by writers that died mid-write. Only safe while holding the lock. */
export async function removeLeftoverTempFiles(target: string): Promise<number> {
  const directory = path.dirname(target);
  const prefix = `${path.basename(target)}${TEMP_MARKER}`;
  let removed = 0;
  for (const name of await fs.readdir(directory).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue;
    await fs.rm(path.join(directory, name), { force: true });
    removed++;
  }
  return removed;
}
