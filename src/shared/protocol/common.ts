/**
 * Field shapes every feature's messages share, and the helper that makes a view
 * request: every request the view sends carries a `requestId` the host answers.
 * No `vscode` import, no DOM use.
 */
// zod/mini: the same validation with a tree-shakable API; the classic build adds ~450 KB to the webview.
import * as z from 'zod/mini';

export const Id = z.string().check(z.minLength(1), z.maxLength(200));
/** Exact USD as a decimal string. */
export const Money = z.string().check(z.regex(/^-?\d+(\.\d+)?$/));
export const Count = z.int().check(z.nonnegative());
export const Millis = z.number().check(z.nonnegative());
export const Text = z.string().check(z.maxLength(1_000_000));
/** Chosen by the view, echoed by the host in its reply (and in data pushes the request caused). */
export const RequestId = z.string().check(z.minLength(1), z.maxLength(100));

export const Look = z.enum(['editor', 'phosphor']);
export type Look = z.infer<typeof Look>;
export const Mode = z.enum(['compact', 'research', 'zen']);
export type Mode = z.infer<typeof Mode>;

/** A view → host request: its namespaced `type`, a `requestId`, and its own fields. */
export function request<T extends string, S extends z.core.$ZodLooseShape>(type: T, shape: S) {
  return z.object({ type: z.literal(type), requestId: RequestId, ...shape });
}

/** A host → view message: its namespaced `type` and its fields. */
export function push<T extends string, S extends z.core.$ZodLooseShape>(type: T, shape: S) {
  return z.object({ type: z.literal(type), ...shape });
}
