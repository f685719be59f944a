/**
 * zod schemas for the OpenRouter responses parsed at the boundary: /models,
 * /key, /credits, /activity, /generation and error bodies. Unknown fields are tolerated (zod strips
 * them); missing required ones fail. Not used on the per-token SSE path — see
 * `sse.ts` for why. No `vscode` import.
 */
import * as z from 'zod'; // namespace import: lets the bundler drop zod's unused locales (~360 KB)

/** Prices are decimal strings of USD per token; validated as text here, converted exactly in `catalog.ts`. */
const priceText = z.string().regex(/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/, 'price must be a decimal string');

/** Fields OpenRouter may send as a number, as null, or not at all. */
function maybeNumbers<K extends string>(...keys: K[]): Record<K, z.ZodOptional<z.ZodNullable<z.ZodNumber>>> {
  return Object.fromEntries(keys.map((k) => [k, z.number().nullish()])) as Record<K, z.ZodOptional<z.ZodNullable<z.ZodNumber>>>;
}

export const modelEntrySchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  description: z.string().nullish(),
  created: z.number().nullish(),
  context_length: z.number().int().nonnegative(),
  architecture: z
    .object({
      modality: z.string().nullish(),
      input_modalities: z.array(z.string()).nullish(),
      output_modalities: z.array(z.string()).nullish(),
      tokenizer: z.string().nullish(),
    })
    .nullish(),
  pricing: z.object({
    prompt: priceText,
    completion: priceText,
    request: priceText.nullish(),
    image: priceText.nullish(),
    web_search: priceText.nullish(),
    internal_reasoning: priceText.nullish(),
    input_cache_read: priceText.nullish(),
    input_cache_write: priceText.nullish(),
  }),
  top_provider: z
    .object({
      context_length: z.number().nullish(),
      max_completion_tokens: z.number().int().nullish(),
      is_moderated: z.boolean().nullish(),
    })
    .nullish(),
  supported_parameters: z.array(z.string()).nullish(),
});
export type ModelEntry = z.infer<typeof modelEntrySchema>;

/** The list envelope only: entries are parsed one by one so one bad model cannot hide the rest. */
export const modelsEnvelopeSchema = z.object({ data: z.array(z.unknown()) });

export const keyInfoSchema = z.object({
  data: z.object({
    label: z.string().nullish(),
    limit: z.number().nullable(),
    usage: z.number(),
    is_free_tier: z.boolean().nullish(),
    ...maybeNumbers('limit_remaining', 'usage_daily', 'usage_monthly', 'byok_usage'),
  }),
});
export type KeyInfoBody = z.infer<typeof keyInfoSchema>;

/** `/credits` (management key): credits bought and used by the whole account. */
export const creditsSchema = z.object({
  data: z.object({ total_credits: z.number(), total_usage: z.number() }),
});

/** `/activity` (management key): one row per completed UTC day, model and provider endpoint. */
export const activitySchema = z.object({
  data: z.array(
    z.object({
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD'),
      model: z.string(),
      provider_name: z.string().nullish(),
      usage: z.number(),
      byok_usage_inference: z.number().nullish(),
      requests: z.number().int().nonnegative(),
      prompt_tokens: z.number().nullish(),
      completion_tokens: z.number().nullish(),
      reasoning_tokens: z.number().nullish(),
    }),
  ),
});

export const generationSchema = z.object({
  data: z.object({
    id: z.string(),
    total_cost: z.number(),
    upstream_inference_cost: z.number().nullish(),
    is_byok: z.boolean().nullish(),
    cache_discount: z.number().nullish(),
    model: z.string().nullish(),
    provider_name: z.string().nullish(),
    created_at: z.string().nullish(),
    streamed: z.boolean().nullish(),
    cancelled: z.boolean().nullish(),
    finish_reason: z.string().nullish(),
    ...maybeNumbers('latency', 'generation_time', 'tokens_prompt', 'tokens_completion'),
    ...maybeNumbers('native_tokens_prompt', 'native_tokens_completion', 'native_tokens_reasoning', 'native_tokens_cached'),
  }),
});
export type GenerationBody = z.infer<typeof generationSchema>;

/** `GET /models/{author}/{slug}/endpoints`: the providers behind one model. */
export const endpointsSchema = z.object({
  data: z.object({
    id: z.string(),
    endpoints: z.array(
      z.object({
        provider_name: z.string().max(200),
        tag: z.string().max(100).nullish(),
        /** The model's permaslug; `/endpoints/zdr` names endpoints by it and the tag. */
        model_id: z.string().max(200).nullish(),
        pricing: z.object({
          prompt: priceText,
          completion: priceText,
          input_cache_read: priceText.nullish(),
          input_cache_write: priceText.nullish(),
        }),
        latency_last_30m: z.object({ p50: z.number().nonnegative().nullish() }).nullish(),
        throughput_last_30m: z.object({ p50: z.number().nonnegative().nullish() }).nullish(),
      }),
    ),
  }),
});

/** `GET /endpoints/zdr`: every zero-data-retention endpoint, across models. */
export const zdrEndpointsSchema = z.object({
  data: z.array(
    z.object({
      model_id: z.string().max(200),
      provider_name: z.string().max(200),
      tag: z.string().max(100).nullish(),
    }),
  ),
});

export const errorBodySchema = z.object({
  error: z.object({
    code: z.union([z.number(), z.string()]).nullish(),
    message: z.string().nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
  }),
});
