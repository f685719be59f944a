/**
 * `@folder`: a tree summary of the folder, then the files that fit the token budget, in path
 * order (a file too big for what is left is skipped, smaller ones after it may still fit).
 * The caller is told which files were included, so the user sees it. Built without holding
 * the host thread: files are read asynchronously one at a time, and the work yields to the
 * event loop whenever a slice has run for YIELD_AFTER_MS. No `vscode` import.
 */
import type { AttachmentDraft } from './attachment';

export interface FolderFile {
  /** Path relative to the workspace, with forward slashes. */
  readonly path: string;
  /** Size in bytes, for skipping a file that cannot fit without reading it. */
  readonly size: number;
}

export interface FolderDeps {
  /** The file's text, or undefined when it is binary or unreadable (it is then skipped). */
  read(path: string): Promise<string | undefined>;
  /** Tokens of a piece of text for the model in use. */
  count(text: string): Promise<number>;
  now(): number;
  /** Hands the thread back to the event loop (setImmediate in the host). */
  yieldNow(): Promise<void>;
}

export interface FolderDraft extends AttachmentDraft {
  readonly included: readonly string[];
  readonly fileCount: number;
}

/**
 * Longest run of work between yields. The tokenizer yields on its own clock inside a count, so a
 * folder slice and a count's last slice can run back to back: 4 + 4 ms (+ one chunk) stays well
 * inside the 20 ms the host may be held (at 8 ms the pair measured 19–21 ms).
 */
export const YIELD_AFTER_MS = 4;
/** The tree lists at most this many lines; bigger folders are summarised by directory. */
export const MAX_TREE_LINES = 300;
/** Files a folder attachment reads at most (the rest are listed in the tree only). */
export const MAX_FOLDER_FILES = 200;
/** More bytes per token than real text has, so a file over `left × this` bytes surely does not fit. */
const MAX_BYTES_PER_TOKEN = 8;

export async function buildFolderDraft(
  args: { label: string; files: readonly FolderFile[]; budgetTokens: number },
  deps: FolderDeps,
): Promise<FolderDraft> {
  const files = [...args.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let sliceStart = deps.now();
  const breathe = async (): Promise<void> => {
    if (deps.now() - sliceStart < YIELD_AFTER_MS) return;
    await deps.yieldNow();
    sliceStart = deps.now();
  };

  // Cold (the first `@folder` of a session, nothing compiled yet), sorting 5,000 paths and
  // summarising them took 8–11 ms of CPU together: each gets its own slice.
  await breathe();
  const tree = treeSummary(files.map((f) => f.path));
  await breathe();
  const head = `${args.label} — ${files.length} file${files.length === 1 ? '' : 's'}\n\n${tree}`;
  let used = await deps.count(head);
  const sections: string[] = [];
  const included: string[] = [];
  for (const file of files) {
    if (included.length >= MAX_FOLDER_FILES) break;
    const left = args.budgetTokens - used;
    if (left <= 0) break;
    if (file.size === 0 || file.size > left * MAX_BYTES_PER_TOKEN) {
      // Far too big for what is left (or empty): skipped without reading.
      continue;
    }
    await breathe();
    const text = await deps.read(file.path);
    if (text === undefined || !text.trim()) continue;
    const section = `\n\n=== ${file.path} ===\n${text}`;
    const tokens = await deps.count(section);
    if (tokens > left) continue;
    used += tokens;
    sections.push(section);
    included.push(file.path);
  }
  const note = `${included.length} of ${files.length} file${files.length === 1 ? '' : 's'} included${included.length ? `: ${preview(included)}` : ''}`;
  return { kind: 'folder', label: args.label, text: head + sections.join(''), language: '', note, included, fileCount: files.length };
}

/** "a.ts, b/c.ts and 10 more" within a note's length. */
function preview(paths: readonly string[]): string {
  const shown: string[] = [];
  let length = 0;
  for (const p of paths) {
    if (length + p.length > 300) break;
    shown.push(p);
    length += p.length + 2;
  }
  const rest = paths.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}

/**
 * An indented tree of sorted paths; past MAX_TREE_LINES, directories with their file counts
 * instead, and past that a count of what is not listed.
 */
export function treeSummary(sortedPaths: readonly string[]): string {
  if (sortedPaths.length <= MAX_TREE_LINES) {
    const lines: string[] = [];
    let previous: string[] = [];
    for (const p of sortedPaths) {
      const parts = p.split('/');
      let shared = 0;
      while (shared < parts.length - 1 && shared < previous.length - 1 && parts[shared] === previous[shared]) shared++;
      for (let depth = shared; depth < parts.length - 1; depth++) lines.push(`${'  '.repeat(depth)}${parts[depth]}/`);
      lines.push(`${'  '.repeat(parts.length - 1)}${parts.at(-1)}`);
      previous = parts;
    }
    return lines.join('\n');
  }
  const counts = new Map<string, number>();
  for (const p of sortedPaths) {
    const cut = p.lastIndexOf('/');
    const dir = cut < 0 ? '.' : p.slice(0, cut);
    counts.set(dir, (counts.get(dir) ?? 0) + 1);
  }
  const dirs = [...counts.keys()].sort();
  const lines = dirs.slice(0, MAX_TREE_LINES).map((d) => `${d}/ (${counts.get(d)} file${counts.get(d) === 1 ? '' : 's'})`);
  if (dirs.length > MAX_TREE_LINES) lines.push(`… and ${dirs.length - MAX_TREE_LINES} more directories`);
  return lines.join('\n');
}
