/**
 * Queries over the message tree of one conversation: the active path, sibling
 * positions, the tip to continue from, and a subtree's newest message.
 *
 * How the active branch is stored: one `active_leaf_id` per conversation, not
 * an "active child" per parent. One column on one row means switching branches
 * is one UPDATE, the choice deep in a branch is remembered as a whole, and a
 * multi-window merge has a single value to settle (each window keeps its own:
 * it is view state, see merge.ts). The path is read upward from that leaf;
 * because a merge can add children under it (another window continued the
 * same branch), the path then continues downward through the newest child
 * until a real leaf, so merged-in replies are always visible. Siblings are
 * ordered oldest first (created_at, then id, so every window agrees).
 * No `vscode` import.
 */
import type { SqlDatabase } from './database';
import { MESSAGE_COLUMNS, idRowSchema, pathRowSchema } from './rows';
import type { PathEntry, Siblings } from './types';

/** Guards recursive queries against a cyclic parent chain in a damaged or hand-made file. */
const MAX_DEPTH = 100_000;

const SIBLING_COLUMNS = `
  (SELECT count(*) FROM messages s
    WHERE s.conversation_id = m.conversation_id AND s.parent_id IS m.parent_id) AS sibling_count,
  (SELECT count(*) FROM messages s
    WHERE s.conversation_id = m.conversation_id AND s.parent_id IS m.parent_id
      AND (s.created_at < m.created_at OR (s.created_at = m.created_at AND s.id < m.id))) AS sibling_index`;

/** Messages from the root down to `messageId` (inclusive), each with its sibling position. */
export function pathTo(db: SqlDatabase, conversationId: string, messageId: string): PathEntry[] {
  return db.all(
    `WITH RECURSIVE up(id, parent_id, depth) AS (
       SELECT id, parent_id, 0 FROM messages WHERE id = ?1 AND conversation_id = ?2
       UNION ALL
       SELECT p.id, p.parent_id, up.depth + 1 FROM messages p JOIN up ON p.id = up.parent_id
        WHERE p.conversation_id = ?2 AND up.depth < ${MAX_DEPTH}
     )
     SELECT ${MESSAGE_COLUMNS}, ${SIBLING_COLUMNS}
       FROM up JOIN messages m ON m.id = up.id
      ORDER BY up.depth DESC`,
    [messageId, conversationId],
    pathRowSchema,
  );
}

/**
 * The message new replies continue from: the stored active leaf (or, if that
 * is missing, the newest message), followed down through newest children.
 * null for an empty conversation.
 */
export function activeTip(db: SqlDatabase, conversationId: string, activeLeafId: string | null): string | null {
  const start =
    (activeLeafId !== null && belongsTo(db, conversationId, activeLeafId) ? activeLeafId : null) ??
    newestMessage(db, conversationId);
  if (start === null) return null;
  const row = db.get(
    `WITH RECURSIVE down(id, depth) AS (
       SELECT ?1, 0
       UNION ALL
       SELECT (SELECT c.id FROM messages c
                WHERE c.conversation_id = ?2 AND c.parent_id = down.id
                ORDER BY c.created_at DESC, c.id DESC LIMIT 1),
              down.depth + 1
         FROM down WHERE down.id IS NOT NULL AND down.depth < ${MAX_DEPTH}
     )
     SELECT id FROM down WHERE id IS NOT NULL ORDER BY depth DESC LIMIT 1`,
    [start, conversationId],
    idRowSchema,
  );
  return row?.id ?? start;
}

export function activePath(db: SqlDatabase, conversationId: string, activeLeafId: string | null): PathEntry[] {
  const tip = activeTip(db, conversationId, activeLeafId);
  return tip === null ? [] : pathTo(db, conversationId, tip);
}

export function siblingsOf(
  db: SqlDatabase,
  conversationId: string,
  parentId: string | null,
  messageId: string,
): Siblings {
  const ids = db
    .all(
      `SELECT id FROM messages WHERE conversation_id = ? AND parent_id IS ? ORDER BY created_at, id`,
      [conversationId, parentId],
      idRowSchema,
    )
    .map((row) => row.id);
  return { ids, index: ids.indexOf(messageId) };
}

/**
 * The newest message in the subtree under `messageId` (itself included): where
 * the user last was on that branch, so switching to a sibling lands there.
 */
export function newestInSubtree(db: SqlDatabase, conversationId: string, messageId: string): string {
  const row = db.get(
    `WITH RECURSIVE sub(id, depth) AS (
       SELECT ?1, 0
       UNION ALL
       SELECT c.id, sub.depth + 1 FROM messages c JOIN sub ON c.parent_id = sub.id
        WHERE c.conversation_id = ?2 AND sub.depth < ${MAX_DEPTH}
     )
     SELECT m.id FROM sub JOIN messages m ON m.id = sub.id
      ORDER BY m.created_at DESC, m.id DESC LIMIT 1`,
    [messageId, conversationId],
    idRowSchema,
  );
  return row?.id ?? messageId;
}

function newestMessage(db: SqlDatabase, conversationId: string): string | null {
  const row = db.get(
    'SELECT id FROM messages WHERE conversation_id = ? ORDER BY created_at DESC, id DESC LIMIT 1',
    [conversationId],
    idRowSchema,
  );
  return row?.id ?? null;
}

function belongsTo(db: SqlDatabase, conversationId: string, messageId: string): boolean {
  return db.get('SELECT id FROM messages WHERE id = ? AND conversation_id = ?', [messageId, conversationId], idRowSchema) !== undefined;
}
