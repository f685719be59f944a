/** The models drawer: the catalog with prices, and choosing a model. */
import * as z from 'zod/mini';
import { Count, Money, push, request } from './common';

/** A price per million tokens, or why there is none. */
export const PriceView = z.union([z.object({ kind: z.literal('fixed'), perMillion: Money }), z.object({ kind: z.literal('variable') })]);
export type PriceView = z.infer<typeof PriceView>;

export const ModelView = z.object({
  id: z.string(),
  name: z.string(),
  contextLength: Count,
  maxCompletionTokens: z.optional(Count),
  prompt: PriceView,
  completion: PriceView,
  free: z.boolean(),
  reasoning: z.boolean(),
});
export type ModelView = z.infer<typeof ModelView>;

export const modelRequests = [
  request('models/list', {}),
  request('models/select', { modelId: z.string().check(z.minLength(1), z.maxLength(200)) }),
] as const;

export const modelPushes = [push('models/catalog', { models: z.array(ModelView), selected: z.string(), stale: z.boolean() })] as const;
