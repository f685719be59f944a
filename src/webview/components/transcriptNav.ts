/**
 * Moving through <nt-transcript> by keyboard: Up/Down between entries, Home/End to the
 * first and last, Up from the oldest entry drawn to the "show earlier" control and Down
 * from it back. Keys typed in a field or on a button are left alone. Also the rule for
 * what counts as a new turn at the log's end (it decides when the log scrolls to it).
 */
import type { EntryView } from '../../shared/protocol';
import type { NtEntry } from './entry';

function focusEntry(entry: NtEntry | undefined): void {
  entry?.focus();
  entry?.scrollIntoView({ block: 'nearest' });
}

export function moveBetweenEntries(root: ParentNode, event: KeyboardEvent): void {
  const path = event.composedPath();
  const inField = path.some((n) => n instanceof HTMLTextAreaElement || n instanceof HTMLInputElement || n instanceof HTMLButtonElement);
  if (inField) return;
  const entries = [...root.querySelectorAll<NtEntry>('nt-entry')];
  if (entries.length === 0) return;
  const current = entries.findIndex((el) => path.includes(el));
  let next: number;
  switch (event.key) {
    case 'ArrowDown':
      next = current < 0 ? 0 : Math.min(entries.length - 1, current + 1);
      break;
    case 'ArrowUp':
      if (current === 0) {
        // Above the oldest entry drawn: the "show earlier" control, when there is one.
        const more = root.querySelector<HTMLButtonElement>('.more button');
        if (!more) return;
        event.preventDefault();
        more.focus();
        return;
      }
      next = current < 0 ? entries.length - 1 : current - 1;
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = entries.length - 1;
      break;
    default:
      return;
  }
  event.preventDefault();
  focusEntry(entries[next]);
}

export function backToOldestEntry(root: ParentNode, event: KeyboardEvent): void {
  if (event.key !== 'ArrowDown') return;
  const first = root.querySelector<NtEntry>('nt-entry');
  if (!first) return;
  event.preventDefault();
  focusEntry(first);
}

/** True when the log gained an entry at its end that it did not have (not a re-send of the same turn). */
export function isNewTurn(previous: readonly EntryView[] | undefined, next: readonly EntryView[]): boolean {
  const last = next[next.length - 1];
  if (!last || !previous) return false;
  if (previous.length === 0) return true;
  if (previous[previous.length - 1]?.id === last.id) return false;
  return !previous.some((e) => e.id === last.id);
}

