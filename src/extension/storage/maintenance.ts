/**
 * Derived data upkeep: rebuild the FTS indexes and the conversation totals
 * from the message rows (the "Rebuild history indexes" command), and check
 * the invariants the store maintains (used by tests and before a rebuild is
 * suggested). No `vscode` import.
 */
import { add, parseUsd, toDecimalString, ZERO, type Usd } from '../../shared/money';
import type { SqlDatabase } from './database';
import { describeError } from './errors';
import { PAID_HERE, recomputeAllTotals } from './totals';
import type { Clock, IntegrityReport, RebuildReport } from './types';

export function rebuildDerivedIndexes(db: SqlDatabase, clock: Clock): RebuildReport {
  const started = clock.now();
  db.transaction(() => {
    db.run("INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')");
    db.run("INSERT INTO conversations_fts (conversations_fts) VALUES ('rebuild')");
    recomputeAllTotals(db);
  });
  // Merging FTS segments makes later searches faster; it is not needed for correctness.
  db.run("INSERT INTO messages_fts (messages_fts) VALUES ('optimize')");
  const count = (table: string): number => Number(db.rawRows(`SELECT count(*) AS n FROM ${table}`)[0]?.['n'] ?? 0);
  return { conversations: count('conversations'), messages: count('messages'), durationMs: clock.now() - started };
}

export function checkIntegrity(db: SqlDatabase): IntegrityReport {
  const problems: string[] = [];
  const ids = (sql: string): string[] => db.rawRows(sql).map((row) => String(Object.values(row)[0]));

  for (const id of ids(
    'SELECT m.id FROM messages m LEFT JOIN conversations c ON c.id = m.conversation_id WHERE c.id IS NULL',
  )) {
    problems.push(`message ${id} belongs to no conversation`);
  }
  for (const id of ids(
    `SELECT m.id FROM messages m LEFT JOIN messages p ON p.id = m.parent_id AND p.conversation_id = m.conversation_id
      WHERE m.parent_id IS NOT NULL AND p.id IS NULL`,
  )) {
    problems.push(`message ${id} has a parent outside its conversation`);
  }
  for (const id of ids(
    `SELECT c.id FROM conversations c LEFT JOIN messages m ON m.id = c.active_leaf_id AND m.conversation_id = c.id
      WHERE c.active_leaf_id IS NOT NULL AND m.id IS NULL`,
  )) {
    problems.push(`conversation ${id} has an active branch outside itself`);
  }

  const sums = new Map<string, { cost: Usd; tokens: number }>();
  for (const row of db.rawRows(`SELECT conversation_id, cost_exact, prompt_tokens, completion_tokens FROM messages WHERE ${PAID_HERE}`)) {
    const key = String(row['conversation_id']);
    const entry = sums.get(key) ?? { cost: ZERO, tokens: 0 };
    const cost = typeof row['cost_exact'] === 'string' ? parseUsd(row['cost_exact']) : undefined;
    entry.cost = cost ? add(entry.cost, cost) : entry.cost;
    entry.tokens += Number(row['prompt_tokens'] ?? 0) + Number(row['completion_tokens'] ?? 0);
    sums.set(key, entry);
  }
  for (const row of db.rawRows('SELECT id, total_cost_exact, total_tokens FROM conversations')) {
    const expected = sums.get(String(row['id'])) ?? { cost: ZERO, tokens: 0 };
    if (row['total_cost_exact'] !== toDecimalString(expected.cost) || row['total_tokens'] !== expected.tokens) {
      problems.push(`conversation ${String(row['id'])} totals differ from its messages`);
    }
  }

  for (const table of ['messages_fts', 'conversations_fts']) {
    try {
      db.run(`INSERT INTO ${table} (${table}) VALUES ('integrity-check')`);
    } catch (error) {
      problems.push(`${table} is out of step with its rows: ${describeError(error)}`);
    }
  }
  return { ok: problems.length === 0, problems };
}
