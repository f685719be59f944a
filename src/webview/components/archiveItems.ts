/**
 * The history drawer's list logic, free of the DOM: search snippets split at their highlight
 * ranges, and conversations ordered with each fork under its source.
 */
import type { ConversationSummary } from '../../shared/protocol';

/** Forks deeper than this are drawn at this depth. */
const MAX_DEPTH = 3;

/** Splits `text` at the highlight ranges; invalid or overlapping ranges are ignored. */
export function highlightParts(text: string, ranges: readonly (readonly [number, number])[]): (string | { mark: string })[] {
  const parts: (string | { mark: string })[] = [];
  let at = 0;
  const sorted = [...ranges].filter(([s, e]) => Number.isInteger(s) && Number.isInteger(e) && s < e).sort((a, b) => a[0] - b[0]);
  for (const [start, end] of sorted) {
    const s = Math.max(start, at);
    const e = Math.min(end, text.length);
    if (s >= e) continue;
    if (s > at) parts.push(text.slice(at, s));
    parts.push({ mark: text.slice(s, e) });
    at = e;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

/** Conversations in list order with each fork placed under its source (when listed). */
export function withLineage(items: readonly ConversationSummary[]): { item: ConversationSummary; depth: number }[] {
  const byId = new Map(items.map((c) => [c.id, c]));
  const children = new Map<string, ConversationSummary[]>();
  const roots: ConversationSummary[] = [];
  for (const c of items) {
    const parent = c.parentConversationId;
    if (parent && byId.has(parent) && parent !== c.id) {
      const list = children.get(parent) ?? [];
      list.push(c);
      children.set(parent, list);
    } else roots.push(c);
  }
  const out: { item: ConversationSummary; depth: number }[] = [];
  const seen = new Set<string>();
  const visit = (c: ConversationSummary, depth: number) => {
    if (seen.has(c.id)) return;
    seen.add(c.id);
    out.push({ item: c, depth: Math.min(depth, MAX_DEPTH) });
    for (const child of children.get(c.id) ?? []) visit(child, depth + 1);
  };
  for (const r of roots) visit(r, 0);
  for (const c of items) visit(c, 0); // cycles, if a broken index ever produced one
  return out;
}
