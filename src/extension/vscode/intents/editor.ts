/**
 * What the view asks the editor to do with model output. The intent checks have
 * already proved the text comes from the open conversation; the host's actions
 * (`vscode/editorActions.ts`) ask before opening a link.
 */
import type { IntentTable } from './context';

export const editorIntents: IntentTable<'editor/codeAction' | 'editor/copyText' | 'editor/openLink'> = {
  'editor/codeAction': (ctx, intent) => ctx.host.codeAction(intent.action, intent.code, intent.language),
  'editor/copyText': (ctx, intent) => ctx.host.copyText(intent.text),
  'editor/openLink': (ctx, intent) => ctx.host.openLink(intent.url),
};
