/**
 * The `meta` table's write stamp: a generation counter (monotonic across every
 * window's writes to one file), a random write id (unambiguous equality: "is
 * the file still the one I last read or wrote?") and a lineage (random per
 * database; generations of different lineages are not comparable). Stamping a
 * write also stamps the rows changed since the last one with its generation.
 * No `vscode` import.
 */
import * as z from 'zod'; // namespace import: lets the bundler drop zod's unused locales (~360 KB)

import type { SqlDatabase } from './database';

export interface WriteStamp {
  readonly generation: number;
  readonly writeId: string;
  readonly lineage: string;
}

const metaRowSchema = z.object({ key: z.string(), value: z.string() });

export function readStamp(db: SqlDatabase): WriteStamp {
  const rows = db.all("SELECT key, value FROM meta WHERE key IN ('generation', 'write_id', 'lineage')", null, metaRowSchema);
  const value = (key: string): string | undefined => rows.find((row) => row.key === key)?.value;
  const generation = Number(value('generation') ?? '0');
  return {
    generation: Number.isSafeInteger(generation) ? generation : 0,
    writeId: value('write_id') ?? '',
    lineage: value('lineage') ?? '',
  };
}

/**
 * Marks the next image of `db` as a new write: generation + 1, a fresh id,
 * and every row changed since the previous write stamped with that generation.
 */
export function stampWrite(db: SqlDatabase, writeId: string): WriteStamp {
  const current = readStamp(db);
  const next: WriteStamp = { generation: current.generation + 1, writeId, lineage: current.lineage };
  db.transaction(() => {
    db.run("UPDATE meta SET value = ? WHERE key = 'generation'", [String(next.generation)]);
    db.run("UPDATE meta SET value = ? WHERE key = 'write_id'", [writeId]);
    db.run('UPDATE conversations SET sync_gen = ? WHERE sync_gen IS NULL', [next.generation]);
    db.run('UPDATE messages SET sync_gen = ? WHERE sync_gen IS NULL', [next.generation]);
  });
  return next;
}

/** Undoes the row stamps of a write that never reached the disk. */
export function unstampWrite(db: SqlDatabase, stamp: WriteStamp): void {
  db.transaction(() => {
    db.run('UPDATE conversations SET sync_gen = NULL WHERE sync_gen = ?', [stamp.generation]);
    db.run('UPDATE messages SET sync_gen = NULL WHERE sync_gen = ?', [stamp.generation]);
  });
}
