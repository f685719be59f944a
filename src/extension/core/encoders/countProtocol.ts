/**
 * Messages between the host and the tokenizer worker (countWorker.ts). Every request carries
 * an id and gets exactly one reply with it: a token count, or the reason there is none.
 * Both ends check what they receive with zod: the worker is ours, but a message that does
 * not fit must fail loudly, not be guessed at. No `vscode` import.
 */
import * as z from 'zod'; // namespace import: lets the bundler drop zod's unused locales

const encoding = z.enum(['o200k_base', 'cl100k_base']);

export const countRequestSchema = z.discriminatedUnion('op', [
  /** Builds the encoding's encoder (once) without counting anything: a warm-up. */
  z.object({ op: z.literal('load'), id: z.number().int(), encoding }),
  z.object({ op: z.literal('count'), id: z.number().int(), encoding, text: z.string() }),
]);
export type CountRequest = z.infer<typeof countRequestSchema>;

export const countReplySchema = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), tokens: z.number().int().nonnegative() }),
  z.object({ id: z.number().int(), ok: z.literal(false), message: z.string() }),
]);
export type CountReply = z.infer<typeof countReplySchema>;

/** Where the worker finds each encoding's module (its own bundle in dist/encoders, or the source under tests). */
export const countWorkerDataSchema = z.object({ encoders: z.record(encoding, z.string()) });
export type CountWorkerData = z.infer<typeof countWorkerDataSchema>;
