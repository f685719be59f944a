/**
 * The message "Send Selection to Model" sends: the user's question (if any), then the
 * code as a fenced block labelled with its language and `path:line-range`. The fence
 * is longer than any backtick run inside the code, so code containing ``` stays whole.
 * No `vscode` import.
 */

export interface SelectionSource {
  text: string;
  /** Fence language (the editor's language id). */
  language: string;
  /** Workspace-relative path, or the file name for untitled/outside files. */
  path: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** True when the whole file is sent (no selection). */
  wholeFile?: boolean;
}

export function formatSelection(source: SelectionSource, prompt?: string): string {
  const longestRun = Math.max(2, ...[...source.text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const where = source.wholeFile
    ? source.path
    : source.startLine === source.endLine
      ? `${source.path}:${source.startLine}`
      : `${source.path}:${source.startLine}-${source.endLine}`;
  const body = source.text.endsWith('\n') ? source.text : `${source.text}\n`;
  const block = `${where}\n${fence}${fenceLanguage(source.language)}\n${body}${fence}`;
  const question = prompt?.trim();
  return question ? `${question}\n\n${block}` : block;
}

/** Editor language ids that markdown highlighters know by another name. */
export function fenceLanguage(languageId: string): string {
  const map: Record<string, string> = { typescriptreact: 'tsx', javascriptreact: 'jsx', shellscript: 'bash', plaintext: '' };
  return map[languageId] ?? languageId;
}
