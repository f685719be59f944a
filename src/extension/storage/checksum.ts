/**
 * A sidecar checksum of the history file (`history.sqlite.sum`), written after
 * each successful save. When the bytes read at open hash to it, they are the
 * exact image sql.js exported, and the full-file PRAGMA quick_check (~2 s at
 * 100k messages) can be skipped. Hashing runs in libuv's thread pool (Web
 * Crypto), off the extension host's thread. The sidecar is an optimisation
 * only: missing, stale or unreadable means "check the slow way".
 * No `vscode` import.
 */
import { webcrypto } from 'node:crypto';
import { promises as fs } from 'node:fs';

import * as z from 'zod'; // namespace import: lets the bundler drop zod's unused locales (~360 KB)

import { TEMP_MARKER } from './atomicFile';
import { describeError } from './errors';
import type { StorageLogger } from './types';

const sumSchema = z.object({ size: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export function checksumPath(file: string): string {
  return `${file}.sum`;
}

export async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await webcrypto.subtle.digest('SHA-256', bytes);
  return Buffer.from(digest).toString('hex');
}

/** True when `bytes` are exactly what the last save recorded. */
export async function matchesChecksum(file: string, bytes: Uint8Array): Promise<boolean> {
  let recorded: z.infer<typeof sumSchema>;
  try {
    recorded = sumSchema.parse(JSON.parse(await fs.readFile(checksumPath(file), 'utf8')));
  } catch {
    return false;
  }
  return recorded.size === bytes.byteLength && recorded.sha256 === (await sha256(bytes));
}

/** Records the checksum of what was just written. Not fsynced: losing it only costs one slow open. */
export async function writeChecksum(file: string, bytes: Uint8Array, logger?: StorageLogger): Promise<void> {
  const target = checksumPath(file);
  // Named like the history's own temp files so a killed writer's leftover is cleaned up with them.
  const temp = `${file}${TEMP_MARKER}sum-${process.pid}`;
  try {
    await fs.writeFile(temp, JSON.stringify({ size: bytes.byteLength, sha256: await sha256(bytes) }));
    await fs.rename(temp, target);
  } catch (error) {
    logger?.warn('could not record the history checksum', { error: describeError(error) });
    await fs.rm(temp, { force: true }).catch(() => undefined);
  }
}
