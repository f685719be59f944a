/**
 * The storage worker bundled with esbuild, once per test process, as the
 * extension ships it (dist/storageWorker.js): starting it is a plain worker
 * start instead of compiling its TypeScript through tsx in every new thread.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { build } from 'esbuild';

export const STORAGE_WORKER_SOURCE = path.resolve(__dirname, '../../../src/extension/storage/storageWorker.ts');

let bundled: Promise<string> | undefined;

/** Bundles the storage worker (and `extra` entries beside it); resolves with the folder. */
export async function bundleWithWorker(outdir: string, extra: Record<string, string> = {}): Promise<void> {
  await build({
    entryPoints: { storageWorker: STORAGE_WORKER_SOURCE, ...extra },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outdir,
    outExtension: { '.js': '.js' },
    logLevel: 'error',
  });
  // Bundled sql.js looks for its wasm beside the bundle, as in dist/.
  await fs.copyFile(require.resolve('sql.js/dist/sql-wasm.wasm'), path.join(outdir, 'sql-wasm.wasm'));
}

/** Path of the bundled storage worker. */
export function storageWorkerBundle(): Promise<string> {
  bundled ??= (async () => {
    const outdir = await fs.mkdtemp(path.join(os.tmpdir(), 'nt-worker-'));
    await bundleWithWorker(outdir);
    return path.join(outdir, 'storageWorker.js');
  })();
  return bundled;
}
