/**
 * A model's providers with their own prices (the endpoints API), fetched once per model
 * for the session and kept for the composer's picker, the pre-flight estimate of a routed
 * send and the cache saving of a reply (priced at the provider that served it). Each provider is marked with whether it is
 * on OpenRouter's zero-data-retention list, read once per session. No `vscode` import.
 */
import { type ModelEndpoint, zdrKey } from './client';

export interface EndpointSource {
  getEndpoints(modelId: string, signal?: AbortSignal): Promise<ModelEndpoint[]>;
  getZdrEndpoints?(signal?: AbortSignal): Promise<Set<string>>;
}

export class EndpointCache {
  private readonly byModel = new Map<string, readonly ModelEndpoint[]>();
  private zdr: Promise<Set<string> | undefined> | undefined;

  constructor(private readonly source: EndpointSource) {}

  /** What is known already, without a request. */
  known(modelId: string): readonly ModelEndpoint[] | undefined {
    return this.byModel.get(modelId);
  }

  /** Fetches on first use; a failure is not remembered (the next call asks again). */
  async load(modelId: string): Promise<readonly ModelEndpoint[]> {
    const known = this.byModel.get(modelId);
    if (known) return known;
    const [list, zdr] = await Promise.all([this.source.getEndpoints(modelId), this.zdrList()]);
    const marked = list.slice(0, 100).map((e) => (zdr && e.modelId ? { ...e, zdr: zdr.has(zdrKey(e.modelId, e.tag)) } : e));
    this.byModel.set(modelId, marked);
    return marked;
  }

  /** The ZDR list, once; unreadable (offline, a custom endpoint without it) means "unknown", asked again next time. */
  private zdrList(): Promise<Set<string> | undefined> {
    const source = this.source;
    if (!source.getZdrEndpoints) return Promise.resolve(undefined);
    this.zdr ??= source.getZdrEndpoints().catch(() => {
      this.zdr = undefined;
      return undefined;
    });
    return this.zdr;
  }
}
