/**
 * A .gitignore matcher for the `@file` and `@folder` pickers: the editor's file search does
 * not read .gitignore files, so the pickers filter with this. Covers what real ignore files
 * use — comments, `!` negation, a trailing `/` for directories, a leading or inner `/`
 * anchoring to the file's folder, `*`, `?`, `[…]` and `**` — with the last matching rule
 * winning, as git does. Nested ignore files apply below their own folder. No `vscode` import.
 */

interface Rule {
  /** Folder of the ignore file, workspace-relative ("" for the root), with a trailing "/". */
  readonly base: string;
  readonly negate: boolean;
  readonly dirOnly: boolean;
  readonly pattern: RegExp;
}

export class GitIgnore {
  private readonly rules: Rule[] = [];

  /** Adds the rules of the ignore file in `folder` (workspace-relative, "" for the root). */
  add(folder: string, text: string): void {
    const base = folder ? `${folder.replace(/\/+$/, '')}/` : '';
    for (const raw of text.split(/\r?\n/)) {
      let line = raw.replace(/(?<!\\)\s+$/, '');
      if (!line || line.startsWith('#')) continue;
      const negate = line.startsWith('!');
      if (negate) line = line.slice(1);
      if (line.startsWith('\\')) line = line.slice(1);
      const dirOnly = line.endsWith('/');
      if (dirOnly) line = line.replace(/\/+$/, '');
      if (!line) continue;
      // A slash anywhere but the end anchors the pattern to the ignore file's folder.
      const anchored = line.includes('/');
      if (line.startsWith('/')) line = line.slice(1);
      const body = globToRegex(line);
      this.rules.push({ base, negate, dirOnly, pattern: new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`) });
    }
  }

  get size(): number {
    return this.rules.length;
  }

  /** True when the workspace-relative file path is ignored (itself or through a folder). */
  ignores(path: string): boolean {
    if (this.rules.length === 0) return false;
    const parts = path.split('/');
    // A file under an ignored folder is ignored, whatever a later rule says of the file (as in git).
    for (let i = 1; i < parts.length; i++) {
      if (this.match(parts.slice(0, i).join('/'), true)) return true;
    }
    return this.match(path, false);
  }

  private match(path: string, isDir: boolean): boolean {
    let ignored = false;
    for (const rule of this.rules) {
      if (rule.dirOnly && !isDir) continue;
      if (rule.base && !path.startsWith(rule.base)) continue;
      if (rule.pattern.test(path.slice(rule.base.length))) ignored = !rule.negate;
    }
    return ignored;
  }
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        // `**/` is any number of folders (none included), a trailing `**` everything below.
        out += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        const set = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${set}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < glob.length) out += escape(glob[++i]!);
    else out += escape(c);
  }
  return out;
}

function escape(c: string): string {
  return /[.+^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
