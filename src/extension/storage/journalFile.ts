/**
 * The journal on disk (`history.sqlite.journal`): created atomically holding
 * only its header, then grown by appends, each written and fdatasync'd before
 * the change is reported saved. Appends and truncations happen only under the
 * history lock; reads need no lock (a half-written tail simply is not a good
 * frame yet). Synchronous: the storage worker calls these. No `vscode` import.
 */
import * as fs from 'node:fs';

import { writeAll, writeFileAtomic } from './atomicFile';
import { StorageError, errnoCode } from './errors';
import { decodeFrames, encodeFrame, JOURNAL_FORMAT, JOURNAL_VERSION, journalHeaderSchema, type DecodeResult, type JournalHeader } from './journalFormat';

export interface JournalIdentity {
  readonly ino: number;
  readonly size: number;
}

export function statJournal(file: string): JournalIdentity | undefined {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat ? { ino: stat.ino, size: stat.size } : undefined;
}

export interface JournalRead {
  readonly identity: JournalIdentity;
  readonly decoded: DecodeResult;
}

/** Frames from `offset` to the end, read through one descriptor (a rename cannot mix two files). */
export function readJournalFrom(file: string, offset: number): JournalRead | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stat = fs.fstatSync(fd);
    const length = Math.max(0, stat.size - offset);
    const bytes = Buffer.allocUnsafe(length);
    for (let at = 0; at < length; ) {
      const n = fs.readSync(fd, bytes, at, length - at, offset + at);
      if (n === 0) break;
      at += n;
    }
    return { identity: { ino: stat.ino, size: stat.size }, decoded: decodeFrames(bytes, offset) };
  } finally {
    fs.closeSync(fd);
  }
}

export type HeaderCheck =
  | { readonly kind: 'ok'; readonly header: JournalHeader }
  | { readonly kind: 'unreadable' }
  | { readonly kind: 'newer'; readonly version: number };

export function checkHeader(decoded: DecodeResult): HeaderCheck {
  const first = decoded.frames[0];
  const parsed = first ? journalHeaderSchema.safeParse(first.payload) : undefined;
  if (!parsed?.success) return { kind: 'unreadable' };
  if (parsed.data.version > JOURNAL_VERSION) return { kind: 'newer', version: parsed.data.version };
  return { kind: 'ok', header: parsed.data };
}

export function newerJournalError(version: number): StorageError {
  return new StorageError(
    'newer-schema',
    `The history journal was written by a newer Neural Terminal (journal format ${version}; this version knows ${JOURNAL_VERSION}).`,
    'Update the Neural Terminal extension, then reload the window.',
  );
}

/** Replaces the journal with an empty one for `generation` (temp + fsync + rename). */
export function createJournal(file: string, generation: number): JournalIdentity {
  const header: JournalHeader = { format: JOURNAL_FORMAT, version: JOURNAL_VERSION, generation };
  writeFileAtomic(file, encodeFrame(header));
  const identity = statJournal(file);
  if (!identity) throw new StorageError('io', 'The history journal vanished right after it was created.');
  return identity;
}

/**
 * Appends one frame and makes it durable. Refuses (returns undefined) when
 * the file is no longer the journal we know — another window compacted.
 */
export function appendFrame(file: string, frame: Uint8Array, expected: JournalIdentity): JournalIdentity | undefined {
  const fd = fs.openSync(file, 'a');
  try {
    const stat = fs.fstatSync(fd);
    if (stat.ino !== expected.ino || stat.size !== expected.size) return undefined;
    writeAll(fd, frame);
    fs.fdatasyncSync(fd);
    return { ino: stat.ino, size: stat.size + frame.byteLength };
  } finally {
    fs.closeSync(fd);
  }
}

/** Cuts a torn or damaged tail off (under the lock: nobody is appending). */
export function truncateJournal(file: string, end: number): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.ftruncateSync(fd, end);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
