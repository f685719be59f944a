/**
 * Which file locations a stored user message may open (`editor/openLocation`): the
 * `path:lines` of its selection and file attachments, and of a selection "Send Selection"
 * appended to its text. The view only names a location; this list, read from the store, is
 * what decides. No `vscode` import.
 */
import { readSentAttachments } from '../../shared/attachments';
import { parseLocation, splitSentSelection, type SentLocation } from '../../shared/sentSelection';

export function sentLocations(message: { readonly role: string; readonly content: string; readonly metadata: unknown }): SentLocation[] {
  if (message.role !== 'user') return [];
  const out: SentLocation[] = [];
  for (const a of readSentAttachments(message.metadata)) {
    if (a.kind !== 'selection' && a.kind !== 'file') continue;
    const location = parseLocation(a.label);
    if (location) out.push(location);
  }
  const appended = splitSentSelection(message.content).code?.location;
  if (appended) out.push(appended);
  return out;
}

/** The asked location is one the message carried: the same path and the same lines. */
export function carriesLocation(carried: readonly SentLocation[], asked: SentLocation): boolean {
  return carried.some((l) => l.path === asked.path && l.startLine === asked.startLine && l.endLine === asked.endLine);
}
