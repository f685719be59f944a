/**
 * A conversation's title from its first exchange, made locally (no extra paid call):
 * the first meaningful line of the user's message, without markdown noise, cut at a
 * word boundary. No `vscode` import.
 */

export const MAX_TITLE_CHARS = 60;

export function titleFromFirstMessage(text: string): string {
  const lines = text
    .replace(/```[\s\S]*?(```|$)/g, ' ') // code blocks say little about the topic
    // The demo endpoint's reply directives steer a reply; they are not the topic.
    .replace(/\[\[scenario:[\w-]*\]\]/g, ' ')
    .split('\n')
    .map((l) => l.replace(/^[#>*\-\s]+/, '').replace(/[`*_~[\]]/g, '').trim())
    .filter((l) => l.length > 0);
  const first = (lines[0] ?? '').replace(/\s+/g, ' ');
  if (!first) return 'New conversation';
  if (first.length <= MAX_TITLE_CHARS) return first;
  const cut = first.slice(0, MAX_TITLE_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_TITLE_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
