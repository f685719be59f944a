/**
 * A `CacheStore` backed by one file, written atomically (temp file + rename) so
 * a crash mid-write leaves the previous copy intact. Node `fs` only; the caller
 * picks the path (e.g. under the extension's global storage). No `vscode` import.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CacheStore } from './catalog';

export function fileCacheStore(path: string): CacheStore {
  return {
    async read() {
      try {
        return await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async write(text) {
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
      try {
        await writeFile(temp, text, { encoding: 'utf8', flush: true });
        await rename(temp, path);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
  };
}
