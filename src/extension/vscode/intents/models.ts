/** The models drawer's intents: list the catalog, select a model. */
import { errorText } from '../../core/failureText';
import { modelView } from '../../core/viewModel';
import { modelUnknown } from '../intentChecks';
import type { IntentTable, Needs } from './context';

/** A catalog older than this is shown as possibly stale. */
const STALE_AFTER_MS = 60 * 60 * 1000;

export const modelIntents: IntentTable<'models/list' | 'models/select'> = {
  'models/list': (ctx) => postModels(ctx, false),
  'models/select': async (ctx, intent) => {
    await selectModel(ctx, intent.modelId);
    // The chips are priced for the model: another model, other prices.
    if (ctx.attachments.totalTokens > 0) await ctx.view.postAttachments();
  },
};

/** Sends the model list (fetched afresh when `refresh`); a failure shows as a notice. */
export async function postModels(ctx: Needs<'post' | 'view' | 'notices', 'catalog'>, refresh: boolean): Promise<void> {
  try {
    const snapshot = refresh ? await ctx.s.catalog.refresh() : await ctx.s.catalog.get();
    await ctx.post({
      type: 'models/catalog',
      models: snapshot.models.map(modelView),
      selected: await ctx.view.selectedModel(),
      stale: Date.now() - snapshot.fetchedAt > STALE_AFTER_MS,
    });
  } catch (error) {
    ctx.notices.add({ id: 'models-unavailable', severity: 'error', kind: 'catalog_unavailable', message: errorText(error) });
  }
}

/** Sets the model of the open conversation and the default for new ones; only models the catalog lists. */
export async function selectModel(ctx: Needs<'view' | 'notices' | 'host', 'catalog' | 'history'>, modelId: string): Promise<boolean> {
  const unknown = await modelUnknown(ctx.s, modelId);
  if (unknown) {
    ctx.notices.refuse('selectModel', unknown);
    return false;
  }
  const id = ctx.view.activeId;
  if (id && (await ctx.s.history.findConversation(id))) await ctx.s.history.setConversationModel(id, modelId);
  await ctx.host.writeSetting('defaultModel', modelId);
  await ctx.host.rememberModel(modelId);
  await ctx.view.postConversation();
  return true;
}
