/**
 * The QuickPicks of the `@file` and `@folder` sources. Each opens at once (busy) and fills
 * when the workspace listing arrives, so a large workspace never makes the picker wait;
 * the editor's QuickPick matches fuzzily on the label and the folder. Escape picks nothing.
 */
import * as vscode from 'vscode';
import { listWorkspaceFiles, type WorkspaceFile } from './workspaceFiles';

interface Pick<T> extends vscode.QuickPickItem {
  value: T;
}

async function pickFrom<T>(title: string, placeholder: string, items: () => Promise<Pick<T>[]>): Promise<T | undefined> {
  const qp = vscode.window.createQuickPick<Pick<T>>();
  qp.title = title;
  qp.placeholder = placeholder;
  qp.matchOnDescription = true;
  qp.busy = true;
  qp.show();
  const chosen = new Promise<T | undefined>((resolve) => {
    qp.onDidAccept(() => {
      resolve(qp.selectedItems[0]?.value);
      qp.hide();
    });
    qp.onDidHide(() => resolve(undefined));
  });
  items().then(
    (list) => {
      qp.items = list;
      qp.busy = false;
    },
    (error: unknown) => {
      qp.busy = false;
      qp.placeholder = `Could not list the workspace's files: ${String(error)}`;
    },
  );
  try {
    return await chosen;
  } finally {
    qp.dispose();
  }
}

export function pickWorkspaceFile(): Promise<WorkspaceFile | undefined> {
  return pickFrom('Attach a file', 'Type to find a file (files.exclude and .gitignore respected)', async () =>
    (await listWorkspaceFiles()).map((f) => {
      const cut = f.path.lastIndexOf('/');
      return { label: cut < 0 ? f.path : f.path.slice(cut + 1), description: cut < 0 ? '' : f.path.slice(0, cut), value: f };
    }),
  );
}

/** A folder of the workspace (as a path prefix, "" for everything) with the files under it. */
export async function pickWorkspaceFolder(): Promise<{ folder: string; files: WorkspaceFile[] } | undefined> {
  const folder = await pickFrom('Attach a folder', 'Type to find a folder: a tree summary and the files that fit are attached', async () => {
    const files = await listWorkspaceFiles();
    const counts = new Map<string, number>([['', files.length]]);
    for (const f of files) {
      for (let cut = f.path.indexOf('/'); cut >= 0; cut = f.path.indexOf('/', cut + 1)) {
        const dir = f.path.slice(0, cut);
        counts.set(dir, (counts.get(dir) ?? 0) + 1);
      }
    }
    return [...counts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([dir, n]) => ({ label: dir ? `${dir}/` : '(whole workspace)', description: `${n} file${n === 1 ? '' : 's'}`, value: dir }));
  });
  if (folder === undefined) return undefined;
  const files = await listWorkspaceFiles();
  return { folder, files: folder ? files.filter((f) => f.path.startsWith(`${folder}/`)) : files };
}
