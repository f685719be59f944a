/**
 * The open/closed state of a storage part (the database, the engine over it): it
 * closes once, and any use after that is a typed 'closed' error, never a crash in sql.js.
 */
import { StorageError } from './errors';

export class CloseOnce {
  private closed = false;

  constructor(private readonly closedMessage: string) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Runs `release` the first time only; the part counts as closed even if `release` throws. */
  close(release: () => void): void {
    if (this.closed) return;
    try {
      release();
    } finally {
      this.closed = true;
    }
  }

  /** Throws the 'closed' error once the part is closed. */
  check(): void {
    if (this.closed) throw new StorageError('closed', this.closedMessage);
  }
}
