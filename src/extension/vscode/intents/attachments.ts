/** The composer's attachment intents: pick a source's item, remove a chip, a pasted file, an image's thumbnail. */
import type { IntentTable } from './context';

export const attachmentIntents: IntentTable<'attach/pick' | 'attach/remove' | 'attach/media' | 'attach/thumb'> = {
  'attach/pick': async (ctx, intent) => {
    const out = await ctx.attachments.pick(intent.source);
    // The view shows a failed request's reason beside the composer.
    if (!out.ok) throw new Error(out.message);
    if (out.shown) ctx.host.showMessage(out.shown);
  },
  'attach/remove': (ctx, intent) => void ctx.attachments.remove(intent.id),
  'attach/media': async (ctx, intent) => {
    const out = await ctx.attachments.pasted(intent.name, intent.data, intent.size, intent.thumb);
    if (!out.ok) throw new Error(out.message);
  },
  // A thumbnail for an image that has left (sent or removed) is simply not needed any more.
  'attach/thumb': (ctx, intent) => void ctx.attachments.setThumb(intent.id, intent.thumb),
};
