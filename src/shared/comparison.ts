/**
 * The comparison record a user message keeps in its metadata (`comparison`): which models
 * were asked, which replies answered (in the same order), the winner and when. One
 * declaration for every layer — the engine writes it, the view model and the exports read
 * it — and a defensive reader: stored or imported metadata may hold anything, and a bad
 * record reads as none. No `vscode` import, no DOM use.
 */
import * as z from 'zod/mini';
import { MAX_COMPARED, MIN_COMPARED } from './protocol/compare';

const modelId = z.string().check(z.minLength(1), z.maxLength(200));
const messageId = z.string().check(z.minLength(1), z.maxLength(100));
const recordSchema = z.object({
  models: z.array(modelId).check(z.minLength(MIN_COMPARED), z.maxLength(MAX_COMPARED)),
  /** The reply ids, in the order of `models`. */
  replies: z.array(messageId).check(z.maxLength(MAX_COMPARED)),
  winner: z.nullable(messageId),
  at: z.int().check(z.nonnegative()),
});

export type ComparisonRecord = z.infer<typeof recordSchema>;
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** The comparison a user message started, if any. */
export function readComparison(metadata: Readonly<Record<string, unknown>>): ComparisonRecord | undefined {
  const parsed = recordSchema.safeParse(metadata['comparison']);
  return parsed.success ? parsed.data : undefined;
}

export function comparisonMetadata(record: ComparisonRecord): { comparison: { [key: string]: Json } } {
  return { comparison: { models: [...record.models], replies: [...record.replies], winner: record.winner, at: record.at } };
}
