/**
 * Feeds the composer's control picker: the open conversation's routing and
 * reasoning, which reasoning controls the model takes (from the catalog), and the
 * model's providers (from OpenRouter's endpoints API, cached per model for the
 * session). Also checks what the picker sends back: the host trusts nothing.
 */
import type { HostMessage, ProviderView } from '../../shared/protocol';
import { reasoningSupport, SendControlsSchema, type SendControls } from '../core/routing';
import { priceView } from '../core/viewModel';
import type { Logger } from '../base/logger';
import type { ChatServices } from './chatServices';

export class ControlsPicker {
  constructor(private readonly log: Logger) {}

  async message(s: Pick<ChatServices, 'catalog' | 'engine' | 'endpoints'>, conversationId: string | undefined, modelId: string): Promise<Extract<HostMessage, { type: 'controls/state' }>> {
    const support = reasoningSupport(s.catalog.current()?.byId.get(modelId));
    return {
      type: 'controls/state',
      modelId,
      current: await s.engine.currentControls(conversationId),
      ...(support ? { reasoning: { efforts: [...support.efforts], ...(support.maxTokens ? { maxTokens: support.maxTokens } : {}) } } : {}),
      providers: await this.providersOf(s, modelId),
    };
  }

  /** The model's providers; an empty list when the endpoints API cannot say (offline, custom endpoint). */
  async providersOf(s: Pick<ChatServices, 'endpoints'>, modelId: string): Promise<ProviderView[]> {
    try {
      return (await s.endpoints.load(modelId)).map((e) => ({
        name: e.name,
        tag: e.tag,
        prompt: priceView(e.prompt),
        completion: priceView(e.completion),
      }));
    } catch (error) {
      this.log.info(`Providers of ${modelId} are unavailable: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }
}

/** The picker's controls as the engine takes them; anything malformed is dropped (the defaults apply). */
export function checkedControls(raw: unknown): SendControls | undefined {
  if (raw === undefined) return undefined;
  const parsed = SendControlsSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
