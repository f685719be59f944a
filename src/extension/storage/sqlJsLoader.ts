/**
 * Loads sql.js lazily: the module and its WebAssembly are fetched on the first
 * open, never at extension activation. Owns where `sql-wasm.wasm` is looked up
 * (the packaged extension ships it next to the bundle). No `vscode` import.
 */
import type { SqlJsStatic } from 'sql.js';

import { StorageError, describeError } from './errors';

export interface SqlJsLocation {
  /** Absolute path of sql-wasm.wasm (the extension passes `<extension>/dist/sql-wasm.wasm`). */
  readonly wasmPath?: string;
  /** Full control over how sql.js resolves its files; wins over wasmPath. */
  readonly locateFile?: (file: string) => string;
}

// One instance per wasm location: compiling the module costs ~50 ms and
// several stores (tests, a second window's probe) can share it.
const loaded = new Map<string, Promise<SqlJsStatic>>();

export function loadSqlJs(location: SqlJsLocation = {}): Promise<SqlJsStatic> {
  const key = location.locateFile ? 'custom' : (location.wasmPath ?? 'default');
  const cached = location.locateFile ? undefined : loaded.get(key);
  if (cached) return cached;
  const promise = instantiate(location);
  if (!location.locateFile) {
    loaded.set(key, promise);
    // A failed load must not poison later attempts (e.g. a wasm path fixed by the user).
    promise.catch(() => loaded.delete(key));
  }
  return promise;
}

async function instantiate(location: SqlJsLocation): Promise<SqlJsStatic> {
  try {
    // Dynamic import keeps sql.js out of activation; bundlers turn it into a lazy require.
    const mod = await import('sql.js');
    const init = mod.default;
    const { wasmPath, locateFile } = location;
    const config = locateFile
      ? { locateFile }
      : wasmPath
        ? { locateFile: (file: string) => (file.endsWith('.wasm') ? wasmPath : file) }
        : {};
    return await init(config);
  } catch (error) {
    throw new StorageError(
      'io',
      `Could not load the SQLite engine (sql.js): ${describeError(error)}`,
      'Reinstall the Neural Terminal extension.',
      { cause: error },
    );
  }
}
