/** The view's own intents: run one of our commands, switch the layout mode. */
import type { IntentTable } from './context';

export const viewIntents: IntentTable<'view/runCommand' | 'view/setMode'> = {
  'view/runCommand': async (ctx, intent) => void (await ctx.host.runCommand(`neuralTerminal.${intent.command}`)),
  'view/setMode': (ctx, intent) => ctx.host.writeSetting('ui.mode', intent.mode),
};
