/**
 * The messages a delete takes with it: a message and every reply under it, since a
 * branch cannot hang from nothing. Computed from the conversation's own rows so the
 * host can say how much goes before the user agrees. No `vscode` import.
 */
export interface TreeNode {
  readonly id: string;
  readonly parentId: string | null;
}

/** `rootId` and all its descendants, root first; empty when `rootId` is not among `messages`. */
export function subtreeIds(messages: readonly TreeNode[], rootId: string): string[] {
  if (!messages.some((m) => m.id === rootId)) return [];
  const children = new Map<string, string[]>();
  for (const m of messages) {
    if (m.parentId === null) continue;
    const list = children.get(m.parentId);
    if (list) list.push(m.id);
    else children.set(m.parentId, [m.id]);
  }
  const out: string[] = [];
  const seen = new Set<string>();
  // Iterative, so a deep thread cannot overflow the stack; `seen` guards a damaged cycle.
  const stack = [rootId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
    const kids = children.get(id);
    if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return out;
}
