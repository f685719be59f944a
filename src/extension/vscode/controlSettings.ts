/**
 * Reads the defaults of the OpenRouter request controls (routing, reasoning, web
 * search, preset, prompt caching, session id) from `neuralTerminal.*`. Every
 * value is validated; an invalid one is logged once and its default used. These
 * settings touch money and privacy, so they are read from the user's own
 * settings only (see core/settingsPolicy.ts): a workspace cannot change where
 * prompts go or what they cost.
 */
import * as vscode from 'vscode';
import * as z from 'zod/mini';
import type { Logger } from '../base/logger';
import { DEFAULT_CONTROL_SETTINGS, type ControlSettings, type Routing } from '../core/routing';

const Slugs = z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))).check(z.maxLength(20));
const Decimal = z.nullable(z.string().check(z.regex(/^\d+(\.\d+)?$/)));

export function readControlSettings(log: Logger): ControlSettings {
  const cfg = vscode.workspace.getConfiguration('neuralTerminal');
  const warned = new Set<string>();
  const v = <T>(key: string, schema: z.ZodMiniType<T, unknown>, fallback: T): T => {
    // User (or remote machine) settings only: a workspace must not reroute prompts or change what a send costs.
    const raw = cfg.inspect<unknown>(key)?.globalValue;
    if (raw === undefined) return fallback;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    if (!warned.has(key)) {
      warned.add(key);
      log.warn(`Setting neuralTerminal.${key} is invalid; using the default.`);
    }
    return fallback;
  };
  const sort = v('routing.sort', z.enum(['default', 'price', 'throughput', 'latency']), 'default');
  const order = v('routing.order', Slugs, []);
  const only = v('routing.only', Slugs, []);
  const ignore = v('routing.ignore', Slugs, []);
  const maxPrompt = v('routing.maxPromptPrice', Decimal, null);
  const maxCompletion = v('routing.maxCompletionPrice', Decimal, null);
  const routing: Routing = {
    ...(sort !== 'default' ? { sort } : {}),
    ...(order.length ? { order } : {}),
    ...(only.length ? { only } : {}),
    ...(ignore.length ? { ignore } : {}),
    ...(v('routing.allowFallbacks', z.boolean(), true) ? {} : { allowFallbacks: false }),
    ...(v('routing.denyDataCollection', z.boolean(), false) ? { denyDataCollection: true } : {}),
    ...(v('routing.zdr', z.boolean(), false) ? { zdr: true } : {}),
    ...(maxPrompt !== null || maxCompletion !== null
      ? { maxPrice: { ...(maxPrompt !== null ? { prompt: maxPrompt } : {}), ...(maxCompletion !== null ? { completion: maxCompletion } : {}) } }
      : {}),
  };
  const effort = v('reasoning.effort', z.enum(['default', 'none', 'low', 'medium', 'high']), 'default');
  const maxTokens = v('reasoning.maxTokens', z.nullable(z.int().check(z.gte(1), z.lte(1_000_000))), null);
  const preset = v('preset', z.nullable(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/))), null);
  return {
    routing,
    reasoning: effort !== 'default' ? { effort } : maxTokens !== null ? { maxTokens } : undefined,
    webSearchResults: v('webSearch.maxResults', z.int().check(z.gte(1), z.lte(10)), DEFAULT_CONTROL_SETTINGS.webSearchResults),
    preset: preset ?? undefined,
    promptCaching: v('promptCaching', z.boolean(), true),
    sessionId: v('sessionId', z.boolean(), true),
  };
}
