/**
 * The workspace's files for the `@file` and `@folder` pickers: the editor's file search with
 * `files.exclude` and `search.exclude` applied, then the workspace's .gitignore files (the
 * search does not read them). Listing is asynchronous; the result is kept briefly so the
 * pickers open at once when used again.
 */
import * as vscode from 'vscode';
import { GitIgnore } from '../../core/attachments/gitignore';

export interface WorkspaceFile {
  readonly uri: vscode.Uri;
  /** Workspace-relative, forward slashes (prefixed with the folder's name in a multi-root window). */
  readonly path: string;
}

/** The most files listed; a bigger workspace is listed up to this many. */
export const MAX_LISTED_FILES = 50_000;
/** How long a listing is reused (a picker opened twice in a row lists once). */
const FRESH_MS = 10_000;

let cached: { at: number; files: Promise<WorkspaceFile[]> } | undefined;

export function listWorkspaceFiles(): Promise<WorkspaceFile[]> {
  if (cached && Date.now() - cached.at < FRESH_MS) return cached.files;
  const files = scan();
  cached = { at: Date.now(), files };
  files.catch(() => (cached = undefined));
  return files;
}

async function scan(): Promise<WorkspaceFile[]> {
  const exclude = excludeGlob();
  const [uris, ignoreFiles] = await Promise.all([
    vscode.workspace.findFiles('**/*', exclude, MAX_LISTED_FILES),
    vscode.workspace.findFiles('**/.gitignore', exclude, 1000),
  ]);
  const ignore = new GitIgnore();
  for (const file of ignoreFiles.sort((a, b) => a.path.length - b.path.length)) {
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
      const relative = vscode.workspace.asRelativePath(file, false);
      ignore.add(relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '', text);
    } catch {
      // An unreadable ignore file ignores nothing.
    }
  }
  const out: WorkspaceFile[] = [];
  for (const uri of uris) {
    const relative = vscode.workspace.asRelativePath(uri, false);
    if (ignore.ignores(relative)) continue;
    out.push({ uri, path: relative });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** `{a,b}` of every pattern files.exclude and search.exclude switch on (when-clauses kept as on). */
function excludeGlob(): string {
  const patterns = new Set<string>(['**/.git']);
  for (const section of ['files', 'search']) {
    const map = vscode.workspace.getConfiguration(section).get<Record<string, unknown>>('exclude') ?? {};
    // A pattern with its own braces cannot sit inside the group (the glob syntax does not nest).
    for (const [glob, on] of Object.entries(map)) if (on && !/[{}]/.test(glob)) patterns.add(glob);
  }
  return `{${[...patterns].join(',')}}`;
}
