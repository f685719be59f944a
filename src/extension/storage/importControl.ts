/**
 * Progress and cancellation of a long import. The import runs in the storage
 * worker as one synchronous request, so the worker's message loop cannot hear
 * a "cancel" message while it works: the host and the worker share one
 * Int32Array (on a SharedArrayBuffer) instead, which the host sets and the
 * importer reads between steps. Progress goes the other way as plain events.
 * Cancelling before the write's commit leaves the history unchanged.
 * No `vscode` import.
 */
import { StorageError } from './errors';

export type ImportStage = 'reading' | 'parsing' | 'checking' | 'writing';

export interface ImportProgress {
  readonly stage: ImportStage;
  /** Conversations done in this stage (0 for the stages that are one step). */
  readonly done: number;
  readonly total: number;
}

export interface ImportControl {
  /** Shared flag: non-zero once the user cancelled (see cancelFlag()). */
  readonly cancel?: Int32Array;
  /** Called between steps; the worker turns it into progress events. */
  readonly onProgress?: (progress: ImportProgress) => void;
}

/** A cancel flag both threads can see. */
export function cancelFlag(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

export function setCancelled(flag: Int32Array): void {
  Atomics.store(flag, 0, 1);
}

/** Throws a 'cancelled' StorageError once the flag is set. */
export function checkCancelled(control: ImportControl | undefined): void {
  if (control?.cancel && Atomics.load(control.cancel, 0) !== 0) {
    throw new StorageError('cancelled', 'The import was cancelled; nothing was imported.');
  }
}

/** Reports progress and checks for a cancel: the one call made between steps. */
export function step(control: ImportControl | undefined, progress: ImportProgress): void {
  checkCancelled(control);
  control?.onProgress?.(progress);
}

/**
 * How far along an import is, 0..100, from its stage: reading and parsing are
 * single steps; checking and writing advance per conversation. The weights
 * are rough shares of a large import's time.
 */
export function importPercent(progress: ImportProgress): number {
  const share = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  switch (progress.stage) {
    case 'reading':
      return 0;
    case 'parsing':
      return 10;
    case 'checking':
      return 30 + 30 * share;
    case 'writing':
      return 60 + 40 * share;
  }
}
