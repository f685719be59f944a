/**
 * The model catalog: `/models` parsed with zod one model at a time (a bad entry
 * is dropped and reported, the rest survive), prices kept exact, cached on disk
 * with its fetch time. Served from memory or disk at once, refreshed in the
 * background when stale, usable offline from the cache; a clear error only when
 * there is neither network nor cache. Persistence goes through `CacheStore` so
 * this file touches no file system and no `vscode`.
 */
import * as z from 'zod'; // namespace import: lets the bundler drop zod's unused locales (~360 KB)
import type { Clock } from '../base/clock';
import { parseJson } from '../base/json';
import { invalidResponseError, isOpenRouterError, openRouterError } from './errors';
import { parsePrice, type ModelPricing, type Price } from './pricing';
import { modelEntrySchema, modelsEnvelopeSchema, type ModelEntry } from './schemas';
import type { Logger } from '../base/logger';

/** Where the catalog keeps its last good copy. */
export interface CacheStore {
  read(): Promise<string | undefined>;
  write(text: string): Promise<void>;
}

export interface CatalogModel {
  readonly id: string;
  readonly name: string;
  readonly description: string | undefined;
  readonly contextLength: number;
  readonly maxCompletionTokens: number | undefined;
  readonly supportedParameters: readonly string[];
  /** e.g. "text+image->text". */
  readonly modality: string | undefined;
  readonly inputModalities: readonly string[];
  readonly outputModalities: readonly string[];
  readonly pricing: ModelPricing;
}

export interface RejectedModel {
  readonly index: number;
  readonly id: string | undefined;
  readonly reason: string;
}

export interface ParsedCatalog {
  readonly models: readonly CatalogModel[];
  readonly rejected: readonly RejectedModel[];
}

export interface CatalogSnapshot extends ParsedCatalog {
  readonly byId: ReadonlyMap<string, CatalogModel>;
  /** Clock time of the network fetch this data came from. */
  readonly fetchedAt: number;
  readonly source: 'network' | 'cache';
}

export function supports(model: CatalogModel, parameter: string): boolean {
  return model.supportedParameters.includes(parameter);
}

/** Parses a `/models` body. Throws `invalid_response` only when the envelope itself is wrong. */
export function parseCatalog(text: string): ParsedCatalog {
  const json = parseJson(text);
  if (!json.ok) throw invalidResponseError('model list (not JSON)');
  const envelope = modelsEnvelopeSchema.safeParse(json.value);
  if (!envelope.success) throw invalidResponseError('model list');
  const models: CatalogModel[] = [];
  const rejected: RejectedModel[] = [];
  envelope.data.data.forEach((raw, index) => {
    const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : undefined;
    const entry = modelEntrySchema.safeParse(raw);
    if (!entry.success) {
      const issue = entry.error.issues[0];
      rejected.push({ index, id, reason: issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid' });
      return;
    }
    const model = toCatalogModel(entry.data);
    if (typeof model === 'string') rejected.push({ index, id, reason: model });
    else models.push(model);
  });
  return { models, rejected };
}

/** Returns the model, or the reason it cannot be used. */
function toCatalogModel(entry: ModelEntry): CatalogModel | string {
  const p = entry.pricing;
  const prompt = parsePrice(p.prompt);
  const completion = parsePrice(p.completion);
  if (!prompt) return `pricing.prompt: not a price (${p.prompt})`;
  if (!completion) return `pricing.completion: not a price (${p.completion})`;
  const optional = (text: string | null | undefined): Price | undefined => (text == null ? undefined : parsePrice(text));
  const arch = entry.architecture;
  return {
    id: entry.id,
    name: entry.name ?? entry.id,
    description: entry.description ?? undefined,
    contextLength: entry.context_length,
    maxCompletionTokens: entry.top_provider?.max_completion_tokens ?? undefined,
    supportedParameters: entry.supported_parameters ?? [],
    modality: arch?.modality ?? undefined,
    inputModalities: arch?.input_modalities ?? [],
    outputModalities: arch?.output_modalities ?? [],
    pricing: {
      prompt,
      completion,
      request: optional(p.request),
      image: optional(p.image),
      webSearch: optional(p.web_search),
      internalReasoning: optional(p.internal_reasoning),
      inputCacheRead: optional(p.input_cache_read),
      inputCacheWrite: optional(p.input_cache_write),
    },
  };
}

const CACHE_VERSION = 1;
const cacheFileSchema = z.object({
  version: z.literal(CACHE_VERSION),
  fetchedAt: z.number(),
  response: z.unknown(),
});

export interface ModelsSource {
  fetchModelsText(signal?: AbortSignal): Promise<string>;
}

export interface ModelCatalogDeps {
  readonly source: ModelsSource;
  readonly store: CacheStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Older than this, a served copy triggers a background refresh. Default 1 hour. */
  readonly maxAgeMs?: number;
}

export class ModelCatalog {
  private snapshot: CatalogSnapshot | undefined;
  private loadedFromDisk = false;
  private inflight: Promise<CatalogSnapshot> | undefined;
  private readonly listeners = new Set<(snapshot: CatalogSnapshot) => void>();
  private readonly maxAgeMs: number;

  constructor(private readonly deps: ModelCatalogDeps) {
    this.maxAgeMs = deps.maxAgeMs ?? 60 * 60 * 1000;
  }

  /** The last snapshot in memory, without any I/O. */
  current(): CatalogSnapshot | undefined {
    return this.snapshot;
  }

  /**
   * The catalog now: memory, else disk, else the network. A stale copy is
   * returned at once and refreshed in the background (`onDidChange` tells when).
   */
  async get(): Promise<CatalogSnapshot> {
    if (!this.snapshot && !this.loadedFromDisk) {
      this.loadedFromDisk = true;
      const cached = await this.readCache();
      // A refresh may have finished while the disk was read; newer data wins.
      if (cached && !this.snapshot) this.snapshot = cached;
    }
    const snapshot = this.snapshot;
    if (!snapshot) {
      try {
        return await this.refresh();
      } catch (error) {
        throw openRouterError(
          'catalog_unavailable',
          isOpenRouterError(error) ? { details: { ...error.details, causeKind: error.kind } } : {},
        );
      }
    }
    if (this.deps.clock.now() - snapshot.fetchedAt >= this.maxAgeMs) this.refreshInBackground();
    return snapshot;
  }

  /** Fetches now (concurrent calls share one request), saves to disk, notifies listeners. */
  refresh(signal?: AbortSignal): Promise<CatalogSnapshot> {
    this.inflight ??= this.fetchAndStore(signal).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  onDidChange(listener: (snapshot: CatalogSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private refreshInBackground(): void {
    if (this.inflight) return;
    this.refresh().catch((error: unknown) => {
      const kind = isOpenRouterError(error) ? error.kind : 'unknown';
      this.deps.logger.warn(`openrouter: background model refresh failed (${kind}); keeping the saved list`);
    });
  }

  private async fetchAndStore(signal?: AbortSignal): Promise<CatalogSnapshot> {
    const text = await this.deps.source.fetchModelsText(signal);
    const fetchedAt = this.deps.clock.now();
    const parsed = parseCatalog(text);
    if (parsed.rejected.length > 0) {
      const sample = parsed.rejected.slice(0, 3).map((r) => `${r.id ?? `#${r.index}`}: ${r.reason}`).join('; ');
      this.deps.logger.warn(`openrouter: ${parsed.rejected.length} model(s) skipped as invalid (${sample})`);
    }
    const snapshot = makeSnapshot(parsed, fetchedAt, 'network');
    this.snapshot = snapshot;
    try {
      await this.deps.store.write(JSON.stringify({ version: CACHE_VERSION, fetchedAt, response: JSON.parse(text) as unknown }));
    } catch (error) {
      // The fresh list is still served from memory; only the offline copy is older.
      this.deps.logger.warn(`openrouter: could not save the model list (${error instanceof Error ? error.message : String(error)})`);
    }
    for (const listener of this.listeners) {
      try {
        listener(snapshot);
      } catch {
        // A faulty subscriber must not fail the refresh.
      }
    }
    return snapshot;
  }

  private async readCache(): Promise<CatalogSnapshot | undefined> {
    let text: string | undefined;
    try {
      text = await this.deps.store.read();
    } catch (error) {
      this.deps.logger.warn(`openrouter: could not read the saved model list (${error instanceof Error ? error.message : String(error)})`);
      return undefined;
    }
    if (text === undefined) return undefined;
    try {
      const file = cacheFileSchema.parse(JSON.parse(text));
      return makeSnapshot(parseCatalog(JSON.stringify(file.response)), file.fetchedAt, 'cache');
    } catch {
      this.deps.logger.warn('openrouter: the saved model list is unreadable; ignoring it');
      return undefined;
    }
  }
}

function makeSnapshot(parsed: ParsedCatalog, fetchedAt: number, source: 'network' | 'cache'): CatalogSnapshot {
  return {
    ...parsed,
    byId: new Map(parsed.models.map((m) => [m.id, m])),
    fetchedAt,
    source,
  };
}
