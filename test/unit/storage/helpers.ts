/**
 * Shared fixtures for storage tests: temp folders that clean themselves up,
 * a controllable clock, a logger that records, the history engine opened
 * in-process on real files (the code the storage worker runs), and the async
 * HistoryStore with its real worker thread.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { HistoryEngine, type EngineOptions } from '../../../src/extension/storage/historyEngine';
import { openHistoryStore, type HistoryStore, type OpenHistoryOptions } from '../../../src/extension/storage/historyStore';
import { loadSqlJs } from '../../../src/extension/storage/sqlJsLoader';
import { storageWorkerBundle } from './workerBundle';
import type { Clock, StorageLogger } from '../../../src/extension/storage/types';

export class TestClock implements Clock {
  constructor(public time = Date.UTC(2026, 0, 1, 12, 0, 0)) {}
  now(): number {
    return this.time;
  }
  advance(ms = 1000): void {
    this.time += ms;
  }
}

export class RecordingLogger implements StorageLogger {
  readonly entries: { level: string; message: string; data?: Readonly<Record<string, unknown>> }[] = [];
  info(message: string, data?: Readonly<Record<string, unknown>>): void {
    this.entries.push({ level: 'info', message, data });
  }
  warn(message: string, data?: Readonly<Record<string, unknown>>): void {
    this.entries.push({ level: 'warn', message, data });
  }
  error(message: string, data?: Readonly<Record<string, unknown>>): void {
    this.entries.push({ level: 'error', message, data });
  }
}

const folders: string[] = [];
const stores: { close(): unknown }[] = [];

export async function tempFolder(): Promise<string> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'nt-storage-'));
  folders.push(folder);
  return folder;
}

/** The history engine, in-process and synchronous, on a real folder. */
export async function openStore(options: Partial<EngineOptions> & { folder?: string } = {}): Promise<HistoryEngine> {
  const store = new HistoryEngine({
    clock: new TestClock(),
    sql: await loadSqlJs(),
    ...options,
    folder: options.folder ?? (await tempFolder()),
  });
  stores.push(store);
  return store;
}

/** The async facade with its real worker thread. */
export async function openWorkerStore(options: Partial<OpenHistoryOptions> & { folder?: string } = {}): Promise<HistoryStore> {
  const store = await openHistoryStore({
    workerPath: await storageWorkerBundle(),
    ...options,
    folder: options.folder ?? (await tempFolder()),
  });
  stores.push(store);
  return store;
}

/**
 * A fresh in-process store on its own clock for every test of the calling suite, closed and
 * removed after it; `use` hands the pair to the suite's variables.
 */
export function storeEachTest(use: (fresh: { clock: TestClock; store: HistoryEngine }) => void): void {
  beforeEach(async () => {
    const clock = new TestClock();
    use({ clock, store: await openStore({ clock }) });
  });
  afterEach(cleanup);
}

/** Closes stores and removes temp folders created by the test that just ran. */
export async function cleanup(): Promise<void> {
  for (const store of stores.splice(0)) {
    try {
      await store.close();
    } catch {
      // already closed, or the test broke it on purpose
    }
  }
  for (const folder of folders.splice(0)) await fs.rm(folder, { recursive: true, force: true });
}

export async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
