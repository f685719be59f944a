/** The composer's OpenRouter picker: routing, reasoning effort, web search, and the providers behind a model. */
import * as z from 'zod/mini';
import { Count, Money, push } from './common';
import { PriceView } from './models';

/** The picker's OpenRouter controls (the host validates them again with its own schema). */
const Slug = z.string().check(z.minLength(1), z.maxLength(100));
const Effort = z.enum(['none', 'low', 'medium', 'high']);
export const ControlsView = z.object({
  routing: z.optional(
    z.object({
      sort: z.optional(z.enum(['price', 'throughput', 'latency'])),
      order: z.optional(z.array(Slug).check(z.maxLength(20))),
      only: z.optional(z.array(Slug).check(z.maxLength(20))),
      ignore: z.optional(z.array(Slug).check(z.maxLength(20))),
      allowFallbacks: z.optional(z.boolean()),
      denyDataCollection: z.optional(z.boolean()),
      zdr: z.optional(z.boolean()),
      maxPrice: z.optional(z.object({ prompt: z.optional(Money), completion: z.optional(Money) })),
    }),
  ),
  reasoning: z.optional(z.object({ effort: z.optional(Effort), maxTokens: z.optional(z.int().check(z.gte(1), z.lte(1_000_000))) })),
  webSearch: z.optional(z.boolean()),
});
export type ControlsView = z.infer<typeof ControlsView>;

/** One provider behind a model, from OpenRouter's endpoints API. */
export const ProviderView = z.object({
  name: z.string().check(z.maxLength(200)),
  tag: Slug,
  prompt: PriceView,
  completion: PriceView,
});
export type ProviderView = z.infer<typeof ProviderView>;

export const controlsPushes = [
  /** The picker's state for the open conversation and model: current controls, reasoning support, providers. */
  push('controls/state', {
    modelId: z.string(),
    current: ControlsView,
    reasoning: z.optional(z.object({ efforts: z.array(Effort), maxTokens: z.optional(Count) })),
    providers: z.array(ProviderView).check(z.maxLength(100)),
  }),
] as const;
