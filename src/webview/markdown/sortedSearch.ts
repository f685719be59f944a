/** Binary search over an ascending list of offsets (the block splitter's segment boundaries). */

/** Index of the first value above `at` in an ascending list (its length when there is none). */
function upperBound(sorted: readonly number[], at: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function lastAtOrBefore(sorted: readonly number[], at: number): number {
  const i = upperBound(sorted, at);
  return i > 0 ? sorted[i - 1]! : 0;
}

export function firstAfter(sorted: readonly number[], at: number): number | undefined {
  return sorted[upperBound(sorted, at)];
}
