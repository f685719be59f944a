/**
 * A sidecar checksum of the snapshot (`history.sqlite.sum`), written after
 * each compaction. When the bytes read at open hash to it, they are the exact
 * image sql.js exported, and the full-file PRAGMA quick_check (~2 s at 100k
 * messages) can be skipped. Cheaper still, and checked first: the sidecar
 * also records the file's identity (inode, size, mtime) right after the
 * rename; a file with that identity is the very file we wrote and closed, so
 * even the hash is skipped and opening costs little more than reading it.
 * (What that trusts: nothing rewrote it in place within the same mtime, and
 * the disk returns what it stored.) Runs in the storage worker. The sidecar
 * is an optimisation only: missing, stale or unreadable means "check the slow
 * way".
 * No `vscode` import.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';

import * as z from 'zod'; // namespace import: lets the bundler drop zod's unused locales (~360 KB)

import { TEMP_MARKER } from './atomicFile';
import { describeError } from './errors';
import type { StorageLogger } from './types';

const sumSchema = z.object({
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  ino: z.number().optional(),
  mtimeMs: z.number().optional(),
});

export function checksumPath(file: string): string {
  return `${file}.sum`;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** True when `bytes` (read from a file with `identity`) are exactly what the last compaction recorded. */
export function matchesChecksum(file: string, bytes: Uint8Array, identity?: { ino: number; mtimeMs: number }): boolean {
  let recorded: z.infer<typeof sumSchema>;
  try {
    recorded = sumSchema.parse(JSON.parse(fs.readFileSync(checksumPath(file), 'utf8')));
  } catch {
    return false;
  }
  if (recorded.size !== bytes.byteLength) return false;
  if (identity && recorded.ino === identity.ino && recorded.mtimeMs === identity.mtimeMs) return true;
  return recorded.sha256 === sha256(bytes);
}

/** Records the checksum of what was just written. Not fsynced: losing it only costs one slow open. */
export function writeChecksum(file: string, bytes: Uint8Array, logger?: StorageLogger): void {
  const target = checksumPath(file);
  // Named like the history's own temp files so a killed writer's leftover is cleaned up with them.
  const temp = `${file}${TEMP_MARKER}sum-${process.pid}`;
  try {
    const stat = fs.statSync(file);
    fs.writeFileSync(temp, JSON.stringify({ size: bytes.byteLength, sha256: sha256(bytes), ino: stat.ino, mtimeMs: stat.mtimeMs }));
    fs.renameSync(temp, target);
  } catch (error) {
    logger?.warn('could not record the history checksum', { error: describeError(error) });
    fs.rmSync(temp, { force: true });
  }
}
