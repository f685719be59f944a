/**
 * Imports a JSON export: validated with zod (one conversation at a time, so a
 * long import reports progress and can be cancelled) and for tree integrity
 * before any write, then inserted in one transaction with fresh ids (so importing twice,
 * or into the database it came from, never collides). Branches, the active
 * branch and fork links between imported conversations are kept through the
 * id map; links to things outside the file are kept as they were. Garbage, a
 * newer version or a broken tree → StorageError and the database unchanged.
 * No `vscode` import.
 */
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import { parseJson } from '../base/json';

import type { SqlDatabase } from './database';
import { StorageError } from './errors';
import { EXPORT_VERSION, exportEnvelopeSchema, exportHeaderSchema, exportedConversationSchema, type ExportFile, type ExportedConversation } from './exportFormat';
import { step, type ImportControl } from './importControl';
import { recomputeTotals } from './totals';
import { remapMetadataLinks } from './metadataLinks';
import type { Clock, ImportReport } from './types';
import { canonicalCost, normalizeTags, normalizeTitle } from './validation';
import { checkDepth } from './importBounds';

export function parseExport(text: string, control?: ImportControl): ExportFile {
  step(control, { stage: 'reading', done: 0, total: 0 });
  checkDepth(text);
  step(control, { stage: 'parsing', done: 0, total: 0 });
  const read = parseJson(text);
  if (!read.ok) throw invalidImport('The file is not valid JSON.');
  const json = read.value;
  const header = exportHeaderSchema.safeParse(json);
  if (!header.success) throw invalidImport('The file is not a Neural Terminal history export.');
  if (header.data.version > EXPORT_VERSION) {
    throw new StorageError(
      'unsupported-version',
      `The file was exported by a newer Neural Terminal (format version ${header.data.version}; this version reads ${EXPORT_VERSION}).`,
      'Update the Neural Terminal extension and import again.',
    );
  }
  const envelope = exportEnvelopeSchema.safeParse(json);
  if (!envelope.success) throw formatError(envelope.error.issues[0], []);
  // One conversation at a time, so a large file reports progress and can be cancelled while it is checked.
  const raw = envelope.data.conversations;
  const conversations: ExportedConversation[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (i % 16 === 0) step(control, { stage: 'checking', done: i, total: raw.length });
    const parsed = exportedConversationSchema.safeParse(raw[i]);
    if (!parsed.success) throw formatError(parsed.error.issues[0], ['conversations', i]);
    conversations.push(parsed.data);
  }
  const file: ExportFile = { ...envelope.data, conversations };
  checkTrees(file);
  return file;
}

function formatError(issue: z.ZodError['issues'][number] | undefined, prefix: readonly PropertyKey[]): StorageError {
  const where = issue ? [...prefix, ...issue.path].map(String).join('.') : '';
  return invalidImport(`The file does not match the export format${where ? ` at ${where}` : ''}: ${issue?.message ?? 'invalid'}.`);
}

export function importExport(
  db: SqlDatabase,
  clock: Clock,
  file: ExportFile,
  newId: () => string = randomUUID,
  control?: ImportControl,
): ImportReport {
  const ids = new Map<string, string>();
  for (const c of file.conversations) {
    ids.set(c.id, newId());
    for (const m of c.messages) ids.set(m.id, newId());
  }
  const mapped = (id: string | null): string | null => (id === null ? null : (ids.get(id) ?? id));
  const now = clock.now();
  let messages = 0;
  db.transaction(() => withBulkIndexing(db, () => {
    db.withStatement(
      `INSERT INTO conversations (id, title, model_id, status, created_at, updated_at, modified_at, tags, system_prompt,
                                  parent_conversation_id, forked_from_message_id, active_leaf_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      (insert) => {
        for (const c of file.conversations) {
          insert([
            mapped(c.id), normalizeTitle(c.title), c.modelId, c.status, c.createdAt, c.updatedAt, now,
            JSON.stringify(normalizeTags(c.tags)), c.systemPrompt, mapped(c.parentConversationId),
            mapped(c.forkedFromMessageId), mapped(c.activeLeafId),
          ]);
        }
      },
    );
    db.withStatement(
      `INSERT INTO messages (id, conversation_id, parent_id, role, content, prompt_tokens, completion_tokens,
                             reasoning_tokens, cached_tokens, cost, cost_exact, cost_source, latency_ms, ttft_ms,
                             model_id, generation_id, finish_reason, status, created_at, modified_at, metadata,
                             copied_from_message_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      (insert) => {
        const total = file.conversations.length;
        for (const [index, c] of file.conversations.entries()) {
          // Inside the transaction: a cancel here rolls every row back.
          if (index % 16 === 0) step(control, { stage: 'writing', done: index, total });
          for (const m of c.messages) {
            const cost = m.cost ? canonicalCost(m.cost.usd) : null;
            insert([
              mapped(m.id), mapped(c.id), mapped(m.parentId), m.role, m.content, m.promptTokens, m.completionTokens,
              m.reasoningTokens, m.cachedTokens, cost === null ? null : Number(cost), cost, m.cost?.source ?? null,
              m.latencyMs, m.ttftMs, m.modelId, m.generationId, m.finishReason, m.status, m.createdAt, now,
              JSON.stringify(remapMetadataLinks(m.metadata, (id) => ids.get(id) ?? id)), mapped(m.copiedFromMessageId),
            ]);
            messages++;
          }
        }
      },
    );
    recomputeTotals(db, file.conversations.map((c) => ids.get(c.id) ?? c.id));
  }));
  return {
    conversations: file.conversations.length,
    messages,
    conversationIds: Object.fromEntries(file.conversations.map((c) => [c.id, ids.get(c.id) ?? c.id])),
  };
}

/**
 * Runs a bulk insert of messages with full-text indexing done in one statement
 * at the end instead of by the per-row trigger: each trigger firing flushes
 * FTS4's pending terms into a segment of its own, which makes large imports
 * about three times slower. The trigger is dropped and re-created from its own
 * stored SQL (never a copy of it) inside the caller's transaction, so a failure
 * rolls the schema back with the rows.
 */
function withBulkIndexing<T>(db: SqlDatabase, fn: () => T): T {
  const trigger = db.rawRows("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'messages_fts_after_insert'")[0]?.['sql'];
  if (typeof trigger !== 'string') return fn();
  const lastSeq = Number(db.rawRows('SELECT coalesce(max(seq), 0) AS n FROM messages')[0]?.['n'] ?? 0);
  db.run('DROP TRIGGER messages_fts_after_insert');
  const result = fn();
  db.run('INSERT INTO messages_fts (docid, content) SELECT seq, content FROM messages WHERE seq > ?', [lastSeq]);
  db.run(trigger);
  return result;
}

/** Ids unique, parents inside their conversation, no cycles, active leaf inside — before touching the database. */
function checkTrees(file: ExportFile): void {
  const seen = new Set<string>();
  const claim = (id: string): void => {
    if (seen.has(id)) throw invalidImport(`The id ${id} appears more than once.`);
    seen.add(id);
  };
  for (const c of file.conversations) {
    claim(c.id);
    for (const m of c.messages) claim(m.id);
    checkTree(c);
  }
}

function checkTree(c: ExportedConversation): void {
  const parents = new Map(c.messages.map((m) => [m.id, m.parentId]));
  for (const m of c.messages) {
    if (m.parentId !== null && !parents.has(m.parentId)) {
      throw invalidImport(`Message ${m.id} in "${c.title}" answers a message that is not in that conversation.`);
    }
  }
  if (c.activeLeafId !== null && !parents.has(c.activeLeafId)) {
    throw invalidImport(`The active branch of "${c.title}" points at a message that is not in it.`);
  }
  // Every chain must reach a root; memoised so the check is linear.
  const reachesRoot = new Set<string>();
  for (const start of parents.keys()) {
    const chain = new Set<string>();
    let current: string | null = start;
    while (current !== null && !reachesRoot.has(current)) {
      if (chain.has(current)) throw invalidImport(`The messages of "${c.title}" form a loop.`);
      chain.add(current);
      current = parents.get(current) ?? null;
    }
    for (const id of chain) reachesRoot.add(id);
  }
}

function invalidImport(message: string): StorageError {
  return new StorageError('invalid-import', message, 'Choose a file exported by Neural Terminal.');
}
