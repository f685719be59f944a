/**
 * Entry point of the storage worker (a worker_threads thread; bundled as
 * dist/storageWorker.js). It owns the HistoryEngine — sql.js, the database,
 * the journal — so no query, search, export, import or compaction ever runs
 * on the extension host's thread. Requests are handled one at a time in
 * arrival order, each answered exactly once. Besides requests it follows
 * other windows' journal appends (file watching plus a periodic check) and
 * compacts when the history has been quiet. No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

import { StorageError, describeError } from './errors';
import { HistoryEngine } from './historyEngine';
import type { ImportProgress } from './importControl';
import { loadSqlJs } from './sqlJsLoader';
import type { StorageLogger } from './types';
import { ENGINE_METHODS, type ErrorParts, type WorkerConfig, type WorkerMessage, type WorkerRequest } from './workerProtocol';

const port = parentPort;
if (!port) throw new Error('storageWorker must run as a worker thread');
const config = workerData as WorkerConfig;
const post = (message: WorkerMessage): void => port.postMessage(message);

const logger: StorageLogger = {
  info: (message, data) => post({ type: 'log', level: 'info', message, data: data ? { ...data } : undefined }),
  warn: (message, data) => post({ type: 'log', level: 'warn', message, data: data ? { ...data } : undefined }),
  error: (message, data) => post({ type: 'log', level: 'error', message, data: data ? { ...data } : undefined }),
};

function errorParts(error: unknown): ErrorParts {
  if (error instanceof StorageError) return { kind: error.kind, message: error.message, action: error.action };
  return { kind: 'internal', message: `The history engine failed: ${describeError(error)}` };
}

let engine: HistoryEngine | undefined;
let lastRequestAt = Date.now();
const methods = new Set<string>(ENGINE_METHODS);

function handle(request: WorkerRequest): void {
  lastRequestAt = Date.now();
  try {
    if (!engine) throw new StorageError('closed', 'The chat history is not open.');
    if (!methods.has(request.method)) throw new StorageError('internal', `Unknown history request ${request.method}.`);
    const method = engine[request.method] as (...args: unknown[]) => unknown;
    const value = method.apply(engine, request.progress ? withProgress(request) : [...request.args]);
    post({ type: 'reply', id: request.id, ok: true, value });
    if (request.method === 'close') shutdown();
  } catch (error) {
    post({ type: 'reply', id: request.id, ok: false, error: errorParts(error) });
  }
}

/**
 * The request's arguments with an `onProgress` added to its last argument (the
 * client always sends an options object there when it asks for progress).
 * Posts at most every 100 ms, and on each new stage.
 */
function withProgress(request: WorkerRequest): unknown[] {
  const args = [...request.args];
  const options: unknown = args.pop();
  let lastStage: ImportProgress['stage'] | undefined;
  let lastAt = 0;
  const onProgress = (progress: ImportProgress): void => {
    const now = Date.now();
    if (progress.stage === lastStage && now - lastAt < 100) return;
    lastStage = progress.stage;
    lastAt = now;
    post({ type: 'progress', id: request.id, progress: { ...progress } });
  };
  return [...args, { ...(typeof options === 'object' ? options : {}), onProgress }];
}

function follow(): void {
  if (!engine || engine.isClosed) return;
  try {
    engine.refreshFromDisk();
  } catch (error) {
    logger.warn('could not follow the history journal', { error: describeError(error) });
  }
}

let watcher: fs.FSWatcher | undefined;
let followTimer: NodeJS.Timeout | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let followSoon: NodeJS.Timeout | undefined;

function startBackground(journalName: string): void {
  try {
    watcher = fs.watch(config.folder, (_event, name) => {
      if (name !== journalName && name !== path.basename(journalName, '.journal')) return;
      // Appends come in bursts; one read after the burst is enough.
      followSoon ??= setTimeout(() => {
        followSoon = undefined;
        follow();
      }, 30);
    });
    watcher.on('error', () => watcher?.close());
  } catch (error) {
    logger.warn('file watching is unavailable; following the journal by polling only', { error: describeError(error) });
  }
  followTimer = setInterval(follow, config.followIntervalMs ?? 1_000);
  const idleMs = config.idleCompactMs ?? 30_000;
  idleTimer = setInterval(() => {
    if (!engine || engine.isClosed || Date.now() - lastRequestAt < idleMs) return;
    try {
      engine.compactIfDue(true);
    } catch (error) {
      logger.warn('idle compaction failed', { error: describeError(error) });
    }
  }, Math.max(1_000, Math.min(idleMs, 30_000)));
}

function shutdown(): void {
  watcher?.close();
  clearInterval(followTimer);
  clearInterval(idleTimer);
  clearTimeout(followSoon);
  port?.close();
}

async function main(): Promise<void> {
  try {
    const sql = await loadSqlJs(config.wasmPath ? { wasmPath: config.wasmPath } : {});
    engine = new HistoryEngine({
      folder: config.folder,
      fileName: config.fileName,
      sql,
      logger,
      lock: config.lock,
      compactMinBytes: config.compactMinBytes,
      compactRatio: config.compactRatio,
      onExternalChange: (report) => post({ type: 'external-change', report }),
      onPersistError: (error) => post({ type: 'persist-error', error: errorParts(error) }),
    });
  } catch (error) {
    post({ type: 'open-failed', error: errorParts(error) });
    port?.close();
    return;
  }
  post({ type: 'ready', recovery: engine.recovery, migration: engine.migration, path: engine.path });
  startBackground(`${path.basename(engine.path)}.journal`);
}

port.on('message', (request: WorkerRequest) => handle(request));
void main();
