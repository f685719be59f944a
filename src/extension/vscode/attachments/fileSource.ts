/** `@file`: a file picked from the workspace, as its text. */
import { pickWorkspaceFile } from './pickers';
import type { SourceContext, SourceOutcome } from './source';
import { languageOfPath, readWorkspaceText } from './workspaceText';

export async function fileSource(ctx: SourceContext): Promise<SourceOutcome> {
  const file = await pickWorkspaceFile();
  if (!file) return undefined;
  const read = await readWorkspaceText(file.uri, ctx.maxTokens);
  if (!read.ok) return read;
  return { ok: true, draft: { kind: 'file', label: file.path, text: read.text, language: languageOfPath(file.path) } };
}
