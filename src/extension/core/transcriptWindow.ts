/**
 * Which part of a conversation's active branch the view is sent. A conversation can hold
 * thousands of messages; sending (and validating, and cloning) every one of them on each open
 * kept the view busy for seconds, while it draws only the newest few dozen. So the host sends a
 * window — the newest entries, or the entries from just before a message it is asked to reveal
 * down to the newest — and the view pages older ones in on request (`chat/loadEarlier`).
 * Pure: positions in a path, no storage and no `vscode` import.
 */
import { MAX_EARLIER_PAGE } from '../../shared/protocol';

/** Entries sent when a conversation opens or changes: more than a tall view shows at once. */
export const WINDOW_ENTRIES = 60;
/** Entries shown above a revealed message, so it is not the first line of the log. */
export const REVEAL_CONTEXT = 10;
/** A `chat/loadEarlier` page when the view names no size. */
export const EARLIER_PAGE = 100;

/** Where the window starts in a path of `length` entries; `focusIndex` is a message to reveal. */
export function windowStart(length: number, focusIndex?: number): number {
  const newest = Math.max(0, length - WINDOW_ENTRIES);
  if (focusIndex === undefined || focusIndex < 0 || focusIndex >= length) return newest;
  return Math.min(newest, Math.max(0, focusIndex - REVEAL_CONTEXT));
}

/** The slice of a path to send, and how many entries come before it. */
export interface PathWindow<T> {
  readonly entries: readonly T[];
  readonly earlier: number;
}

/** The window of `path` to send (the newest entries, or from just before the entry `focusId`). */
export function pathWindow<T>(path: readonly T[], idOf: (entry: T) => string, focusId?: string): PathWindow<T> {
  const focusIndex = focusId === undefined ? undefined : path.findIndex((e) => idOf(e) === focusId);
  const start = windowStart(path.length, focusIndex);
  return { entries: path.slice(start), earlier: start };
}

/**
 * Up to `limit` entries just before `beforeId` in `path`; undefined when `beforeId` is not on it
 * (another branch, deleted, made up): the view is told, and pages nothing in.
 */
export function pageBefore<T>(path: readonly T[], idOf: (entry: T) => string, beforeId: string, limit = EARLIER_PAGE): PathWindow<T> | undefined {
  const end = path.findIndex((e) => idOf(e) === beforeId);
  if (end < 0) return undefined;
  // The view's number is a wish, bounded here too (the schema bounds it, the host trusts nothing).
  const size = Math.max(1, Math.min(MAX_EARLIER_PAGE, Math.floor(limit)));
  const start = Math.max(0, end - size);
  return { entries: path.slice(start, end), earlier: start };
}
