/**
 * StorageError: the one error type the history store lets out. Every failure
 * carries a kind (for code to switch on), a sentence for the user and, where
 * there is one, an action the user can take. Raw sql.js / fs exceptions are
 * wrapped here so they never reach the UI. No `vscode` import.
 */

export type StorageErrorKind =
  /** A conversation or message id that does not exist (or was deleted). */
  | 'not-found'
  /** The caller passed something the store refuses (bad cost text, wrong parent). */
  | 'invalid-input'
  /** Search text that cannot be turned into a query (empty, too long). */
  | 'invalid-query'
  /** An import file that is not a Neural Terminal export or fails validation. */
  | 'invalid-import'
  /** An import file written by a newer format version. */
  | 'unsupported-version'
  /** The history file was upgraded by a newer Neural Terminal; we must not write it. */
  | 'newer-schema'
  /** Another window held the history lock for too long. */
  | 'lock-timeout'
  /** Reading or writing the history file failed (disk full, permissions...). */
  | 'io'
  /** Stored data that does not decode (a damaged row). */
  | 'corrupt'
  /** The store was used after close(). */
  | 'closed'
  /** The user cancelled a long operation (an import) before it changed anything. */
  | 'cancelled'
  /** A bug: an invariant the store maintains did not hold. */
  | 'internal';

export class StorageError extends Error {
  override readonly name = 'StorageError';

  constructor(
    readonly kind: StorageErrorKind,
    message: string,
    readonly action?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isStorageError(value: unknown): value is StorageError {
  return value instanceof StorageError;
}

/** Message text of any thrown value, for logs and wrapped errors. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Node's errno code (`ENOENT`, `EEXIST`...) of a thrown value, if it has one. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
