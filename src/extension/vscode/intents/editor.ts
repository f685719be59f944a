/**
 * What the view asks the editor to do with model output. The intent checks have
 * already proved the text comes from the open conversation; the host's actions
 * (`vscode/editorActions.ts`) ask before opening a link. A sent selection's location
 * opens only when the stored user message carried it (core/sentLocations.ts); the editor
 * side then checks the file is inside the workspace (`vscode/openLocation.ts`).
 */
import type { IntentTable } from './context';
import { carriesLocation, sentLocations } from '../../core/sentLocations';

export const editorIntents: IntentTable<'editor/codeAction' | 'editor/copyText' | 'editor/openLink' | 'editor/openLocation'> = {
  'editor/codeAction': (ctx, intent) => ctx.host.codeAction(intent.action, intent.code, intent.language),
  'editor/copyText': (ctx, intent) => ctx.host.copyText(intent.text),
  'editor/openLink': (ctx, intent) => ctx.host.openLink(intent.url),
  'editor/openLocation': async (ctx, intent) => {
    const message = await ctx.s.history.findMessage(intent.messageId);
    if (!message || message.conversationId !== ctx.view.activeId) throw new Error('That message is not in the open conversation.');
    const asked = { path: intent.path, startLine: intent.startLine, endLine: intent.endLine };
    if (!carriesLocation(sentLocations(message), asked)) throw new Error('That message did not send code from this location.');
    await ctx.host.openLocation(asked);
  },
};
