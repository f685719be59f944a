/**
 * A model's providers with their own prices (the endpoints API), fetched once per model
 * for the session and kept for both the composer's picker and the pre-flight estimate,
 * which reads only what is already known (it never waits on the network). No `vscode` import.
 */
import type { ModelEndpoint } from './client';

export class EndpointCache {
  private readonly byModel = new Map<string, readonly ModelEndpoint[]>();

  constructor(private readonly source: { getEndpoints(modelId: string, signal?: AbortSignal): Promise<ModelEndpoint[]> }) {}

  /** What is known already, without a request. */
  known(modelId: string): readonly ModelEndpoint[] | undefined {
    return this.byModel.get(modelId);
  }

  /** Fetches on first use; a failure is not remembered (the next call asks again). */
  async load(modelId: string): Promise<readonly ModelEndpoint[]> {
    const known = this.byModel.get(modelId);
    if (known) return known;
    const list = (await this.source.getEndpoints(modelId)).slice(0, 100);
    this.byModel.set(modelId, list);
    return list;
  }
}
