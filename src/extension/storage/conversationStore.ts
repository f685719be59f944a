/**
 * ConversationStore: every change to conversations and messages, applied to the
 * in-memory database in one synchronous transaction each (so a persist can
 * never see half of one). It reports each change with its urgency; persistence
 * is someone else's job (historyStore.ts). Ids are random UUIDs so two windows'
 * rows merge as a union by id. No `vscode` import.
 */
import { randomUUID } from 'node:crypto';

import type { SqlValue } from 'sql.js';

import { listConversations, listTags } from './conversationList';
import type { SqlDatabase } from './database';
import { StorageError } from './errors';
import { billingOf, NOTHING_BILLED, recordSpend } from './ledger';
import { activePath, activeTip, newestInSubtree, pathTo, siblingsOf } from './messageTree';
import { CONVERSATION_COLUMNS, MESSAGE_COLUMNS, conversationRowSchema, messageRowSchema } from './rows';
import { adjustTotals, contribution, recomputeTotals } from './totals';
import { sub } from '../../shared/money';
import type {
  Clock,
  Conversation,
  ConversationListQuery,
  ConversationPage,
  ConversationStatus,
  MessagePatch,
  NewConversation,
  NewMessage,
  PathEntry,
  Siblings,
  StoredMessage,
  TagCount,
} from './types';
import { invalid, messageColumns, normalizeTags, normalizeTitle, optionalShortText, validateNewMessage } from './validation';

/** 'now': a message settled (completed, failed, cancelled) — persist promptly. Otherwise debounce. */
export type ChangeUrgency = 'now' | 'debounced';

export interface ConversationStoreOptions {
  readonly db: SqlDatabase;
  readonly clock: Clock;
  readonly onChange: (urgency: ChangeUrgency) => void;
  readonly newId?: () => string;
}

// Every change to a row goes through this: modified_at only ever grows, even
// when the clock stalls or steps back (a later edit must win a last-writer-wins
// merge against an earlier one), and sync_gen = NULL marks the row as changed
// since this window last wrote the file (see merge.ts).
const BUMP_MODIFIED = 'modified_at = max(?, modified_at + 1), sync_gen = NULL';

export class ConversationStore {
  private readonly db: SqlDatabase;
  private readonly clock: Clock;
  private readonly onChange: (urgency: ChangeUrgency) => void;
  private readonly newId: () => string;

  constructor(options: ConversationStoreOptions) {
    this.db = options.db;
    this.clock = options.clock;
    this.onChange = options.onChange;
    this.newId = options.newId ?? randomUUID;
  }

  // ── conversations ────────────────────────────────────────────────────────

  create(input: NewConversation = {}): Conversation {
    const now = this.clock.now();
    const id = this.newId();
    this.db.run(
      `INSERT INTO conversations (id, title, model_id, status, created_at, updated_at, modified_at, tags, system_prompt)
       VALUES (?, ?, ?, 'active', ?, ?, ?, ?, ?)`,
      [
        id,
        normalizeTitle(input.title),
        optionalShortText(input.modelId, 'modelId'),
        now,
        now,
        now,
        JSON.stringify(normalizeTags(input.tags ?? [])),
        input.systemPrompt ?? null,
      ],
    );
    this.onChange('debounced');
    return this.get(id);
  }

  find(id: string): Conversation | undefined {
    return this.db.get(`SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE c.id = ?`, [id], conversationRowSchema);
  }

  get(id: string): Conversation {
    return found(this.find(id), 'conversation', id);
  }

  rename(id: string, title: string): Conversation {
    return this.updateConversation(id, 'title = ?', [normalizeTitle(title)], true);
  }

  setStatus(id: string, status: ConversationStatus): Conversation {
    if (status !== 'active' && status !== 'archived') throw invalid(`Unknown status "${String(status)}".`);
    // Archiving is filing, not activity: it does not move the conversation up the list.
    return this.updateConversation(id, 'status = ?', [status], false);
  }

  setTags(id: string, tags: readonly string[]): Conversation {
    return this.updateConversation(id, 'tags = ?', [JSON.stringify(normalizeTags(tags))], true);
  }

  setModel(id: string, modelId: string | null): Conversation {
    return this.updateConversation(id, 'model_id = ?', [optionalShortText(modelId, 'modelId')], false);
  }

  setSystemPrompt(id: string, systemPrompt: string | null): Conversation {
    return this.updateConversation(id, 'system_prompt = ?', [systemPrompt], true);
  }

  /**
   * Deletes a conversation and its messages and leaves a tombstone, so a
   * window that still has it cannot bring it back in a merge. Forks of it stay
   * (their link now points at a deleted conversation).
   */
  /** Whether a row exists, without decoding it: a row that fails to load can still be deleted. */
  exists(id: string): boolean {
    return this.db.rawRows('SELECT 1 AS found FROM conversations WHERE id = ?', [id]).length > 0;
  }

  /**
   * The stored rows of a conversation as they are, undecoded: the way out for one that
   * fails to load (the user can keep what it held and then delete it).
   */
  raw(id: string): { conversation: Record<string, unknown>; messages: Record<string, unknown>[] } | undefined {
    const [conversation] = this.db.rawRows('SELECT * FROM conversations WHERE id = ?', [id]);
    if (!conversation) return undefined;
    return { conversation, messages: this.db.rawRows('SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq', [id]) };
  }

  delete(id: string): void {
    this.db.transaction(() => {
      if (!this.exists(id)) throw notFound('conversation', id);
      this.db.run('DELETE FROM messages WHERE conversation_id = ?', [id]);
      this.db.run('DELETE FROM conversations WHERE id = ?', [id]);
      this.db.run(
        `INSERT INTO tombstones (id, kind, deleted_at) VALUES (?, 'conversation', ?)
         ON CONFLICT (id) DO NOTHING`,
        [id, this.clock.now()],
      );
    });
    this.onChange('debounced');
  }

  /**
   * Deletes a message and every reply under it (a branch cannot hang from
   * nothing), leaving tombstones so another window cannot bring them back.
   * The conversation's totals drop; the spend ledger keeps what was spent.
   * If the active branch ran through the deleted subtree, the parent becomes
   * its tip. Returns the ids deleted.
   */
  deleteMessage(id: string): string[] {
    const deleted = this.db.transaction(() => {
      const message = this.getMessage(id);
      const ids = this.db
        .rawRows(
          `WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL SELECT m.id FROM messages m JOIN sub ON m.parent_id = sub.id WHERE m.conversation_id = ?)
           SELECT id FROM sub`,
          [id, message.conversationId],
        )
        .map((row) => String(row['id']));
      const conversation = this.get(message.conversationId);
      const now = this.clock.now();
      for (const gone of ids) {
        this.db.run('DELETE FROM messages WHERE id = ?', [gone]);
        this.db.run(`INSERT INTO tombstones (id, kind, deleted_at) VALUES (?, 'message', ?) ON CONFLICT (id) DO NOTHING`, [gone, now]);
      }
      const leaf = conversation.activeLeafId !== null && ids.includes(conversation.activeLeafId) ? message.parentId : conversation.activeLeafId;
      this.db.run(`UPDATE conversations SET active_leaf_id = ?, ${BUMP_MODIFIED} WHERE id = ?`, [leaf, now, message.conversationId]);
      recomputeTotals(this.db, [message.conversationId]);
      return ids;
    });
    this.onChange('debounced');
    return deleted;
  }

  /** Every conversation, oldest first; same-millisecond ties in insertion order, so exports are stable. */
  all(): Conversation[] {
    return this.db.all(`SELECT ${CONVERSATION_COLUMNS} FROM conversations c ORDER BY c.created_at, c.seq`, null, conversationRowSchema);
  }

  list(query?: ConversationListQuery): ConversationPage {
    return listConversations(this.db, query);
  }

  tags(): TagCount[] {
    return listTags(this.db);
  }

  // ── messages ─────────────────────────────────────────────────────────────

  append(input: NewMessage): StoredMessage {
    validateNewMessage(input);
    const columns = messageColumns(input);
    const id = this.newId();
    this.db.transaction(() => {
      const conversation = this.get(input.conversationId);
      const parentId =
        input.parentId === undefined
          ? activeTip(this.db, conversation.id, conversation.activeLeafId)
          : input.parentId;
      if (parentId !== null) this.requireMessageIn(parentId, conversation.id);
      const now = this.clock.now();
      columns.set('id', id).set('conversation_id', conversation.id).set('parent_id', parentId).set('role', input.role);
      columns.set('created_at', now).set('modified_at', now);
      const names = [...columns.keys()];
      this.db.run(
        `INSERT INTO messages (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
        [...columns.values()],
      );
      this.db.run(
        `UPDATE conversations SET active_leaf_id = ?, updated_at = max(updated_at, ?), ${BUMP_MODIFIED} WHERE id = ?`,
        [id, now, now, conversation.id],
      );
      const fields = { cost: input.cost ?? null, promptTokens: input.promptTokens ?? null, completionTokens: input.completionTokens ?? null, metadata: input.metadata };
      const added = contribution(fields);
      adjustTotals(this.db, conversation.id, added.cost, added.tokens);
      const billed = { id, conversationId: conversation.id, modelId: input.modelId ?? null, createdAt: now };
      recordSpend(this.db, billed, NOTHING_BILLED, billingOf(fields), this.newId);
    });
    const message = this.getMessage(id);
    this.onChange(isSettled(message) ? 'now' : 'debounced');
    return message;
  }

  /** Updates a message in place (a streaming reply growing, then completing). */
  update(id: string, patch: MessagePatch): StoredMessage {
    const columns = messageColumns(patch);
    this.db.transaction(() => {
      const before = this.getMessage(id);
      if (columns.size === 0) return;
      const now = this.clock.now();
      const assignments = [...columns.keys()].map((name) => `${name} = ?`);
      this.db.run(`UPDATE messages SET ${assignments.join(', ')}, ${BUMP_MODIFIED} WHERE id = ?`, [
        ...columns.values(),
        now,
        id,
      ]);
      this.db.run(`UPDATE conversations SET updated_at = max(updated_at, ?), ${BUMP_MODIFIED} WHERE id = ?`, [
        now,
        now,
        before.conversationId,
      ]);
      const updated = this.getMessage(id);
      const old = contribution(before);
      const after = contribution(updated);
      adjustTotals(this.db, before.conversationId, sub(after.cost, old.cost), after.tokens - old.tokens);
      recordSpend(this.db, updated, billingOf(before), billingOf(updated), this.newId);
    });
    const message = this.getMessage(id);
    this.onChange(isSettled(message) ? 'now' : 'debounced');
    return message;
  }

  findMessage(id: string): StoredMessage | undefined {
    return this.db.get(`SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.id = ?`, [id], messageRowSchema);
  }

  getMessage(id: string): StoredMessage {
    return found(this.findMessage(id), 'message', id);
  }

  /** Every message of a conversation (all branches), oldest first; ties in insertion order. */
  messages(conversationId: string): StoredMessage[] {
    this.get(conversationId);
    return this.db.all(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.conversation_id = ? ORDER BY m.created_at, m.seq`,
      [conversationId],
      messageRowSchema,
    );
  }

  activePath(conversationId: string): PathEntry[] {
    const conversation = this.get(conversationId);
    return activePath(this.db, conversation.id, conversation.activeLeafId);
  }

  siblings(messageId: string): Siblings {
    const message = this.getMessage(messageId);
    return siblingsOf(this.db, message.conversationId, message.parentId, message.id);
  }

  /**
   * Makes `messageId`'s branch the active one (the `◀ 2/3 ▶` control), landing
   * on the newest message under it. Returns the new active path.
   */
  switchBranch(messageId: string): PathEntry[] {
    const message = this.getMessage(messageId);
    const leaf = newestInSubtree(this.db, message.conversationId, message.id);
    // A view choice, not activity: modified (for merges) but not re-sorted in the archive.
    this.db.run(`UPDATE conversations SET active_leaf_id = ?, ${BUMP_MODIFIED} WHERE id = ?`, [
      leaf,
      this.clock.now(),
      message.conversationId,
    ]);
    this.onChange('debounced');
    return this.activePath(message.conversationId);
  }

  /**
   * Forks at any message: a new conversation holding copies (new ids) of the
   * path from the root to `messageId`, linked to its source through
   * parent_conversation_id / forked_from_message_id and independent afterwards
   * — either side can be edited, archived or deleted alone.
   */
  fork(messageId: string, options: { title?: string } = {}): Conversation {
    const id = this.newId();
    this.db.transaction(() => {
      const source = this.getMessage(messageId);
      const conversation = this.get(source.conversationId);
      const path = pathTo(this.db, conversation.id, messageId);
      const now = this.clock.now();
      this.db.run(
        `INSERT INTO conversations (id, title, model_id, status, created_at, updated_at, modified_at, tags,
                                    system_prompt, parent_conversation_id, forked_from_message_id)
         VALUES (?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          normalizeTitle(options.title ?? `${conversation.title} (fork)`),
          conversation.modelId,
          now,
          now,
          now,
          JSON.stringify(conversation.tags),
          conversation.systemPrompt,
          conversation.id,
          messageId,
        ],
      );
      let parentCopy: string | null = null;
      for (const { message } of path) {
        const copyId = this.newId();
        // Copies keep their original times and costs: the fork's transcript reads as it happened.
        this.db.run(
          `INSERT INTO messages (id, conversation_id, parent_id, role, content, prompt_tokens, completion_tokens,
                                 reasoning_tokens, cached_tokens, cost, cost_exact, cost_source, latency_ms, ttft_ms,
                                 model_id, generation_id, finish_reason, status, created_at, modified_at, metadata,
                                 copied_from_message_id)
           SELECT ?, ?, ?, role, content, prompt_tokens, completion_tokens, reasoning_tokens, cached_tokens, cost,
                  cost_exact, cost_source, latency_ms, ttft_ms, model_id, generation_id, finish_reason, status,
                  created_at, ?, metadata, id
             FROM messages WHERE id = ?`,
          [copyId, id, parentCopy, now, message.id],
        );
        parentCopy = copyId;
      }
      this.db.run('UPDATE conversations SET active_leaf_id = ? WHERE id = ?', [parentCopy, id]);
      recomputeTotals(this.db, [id]);
    });
    this.onChange('debounced');
    return this.get(id);
  }

  private updateConversation(id: string, assignment: string, params: SqlValue[], isActivity: boolean): Conversation {
    const now = this.clock.now();
    const activity = isActivity ? 'updated_at = max(updated_at, ?), ' : '';
    this.db.run(
      `UPDATE conversations SET ${assignment}, ${activity}${BUMP_MODIFIED} WHERE id = ?`,
      [...params, ...(isActivity ? [now] : []), now, id],
    );
    if (this.db.changes() === 0) throw notFound('conversation', id);
    this.onChange('debounced');
    return this.get(id);
  }

  private requireMessageIn(messageId: string, conversationId: string): void {
    const message = this.findMessage(messageId);
    if (!message || message.conversationId !== conversationId) {
      throw invalid(`Message ${messageId} is not part of conversation ${conversationId}.`);
    }
  }
}

/** Completed, failed or cancelled (a partial reply with a finish reason) — worth persisting at once. */
export function isSettled(message: StoredMessage): boolean {
  return message.status !== 'partial' || message.finishReason !== null;
}

/** The row a `get…` asks for, or the not-found error a missing one is. */
function found<T>(row: T | undefined, what: 'conversation' | 'message', id: string): T {
  if (row === undefined) throw notFound(what, id);
  return row;
}

function notFound(what: 'conversation' | 'message', id: string): StorageError {
  return new StorageError('not-found', `That ${what} no longer exists (${id}).`, 'Refresh the history list.');
}
