/**
 * The host's end of the storage worker: starts it, sends requests with ids,
 * matches every reply to its request, and turns the worker's events into
 * callbacks. If the worker dies, every request in flight is rejected with a
 * StorageError (never left hanging) and the next request starts a new worker,
 * which reopens the history from disk — where every reported write already is.
 * The worker is unref'd while idle so it never keeps a process alive alone.
 * No `vscode` import.
 */
import { Worker } from 'node:worker_threads';

import { StorageError, describeError, type StorageErrorKind } from './errors';
import type { MergeReport, RecoveryNotice, StorageLogger } from './types';
import { workerMessageSchema, type EngineArgs, type EngineMethod, type EngineResult, type ErrorParts, type WorkerConfig, type WorkerRequest } from './workerProtocol';
import type { ImportProgress } from './importControl';
import type { MigrationResult } from './migrations';

export interface WorkerEvents {
  readonly logger?: StorageLogger;
  readonly onExternalChange?: (report: MergeReport) => void;
  readonly onPersistError?: (error: StorageError) => void;
}

export interface Opened {
  readonly path: string;
  readonly recovery: RecoveryNotice | undefined;
  readonly migration: MigrationResult;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: StorageError) => void;
  onProgress?: (progress: ImportProgress) => void;
}

export interface CallOptions {
  /** Progress events of this request; its last argument must then be an options object (see WorkerRequest.progress). */
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Buffers handed over to the worker instead of copied (the caller's views of them are emptied). */
  readonly transfer?: readonly ArrayBuffer[];
}

export function toStorageError(parts: ErrorParts | { kind: string; message: string; action?: string }): StorageError {
  return new StorageError(parts.kind as StorageErrorKind, parts.message, parts.action);
}

export class WorkerClient {
  private worker: Worker | undefined;
  private opening: Promise<Opened> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly entry: string,
    private readonly config: WorkerConfig,
    private readonly events: WorkerEvents,
  ) {}

  /** Starts the worker and resolves once the history is open in it. */
  start(): Promise<Opened> {
    this.opening ??= new Promise<Opened>((resolve, reject) => {
      // Under tests and scripts the worker is TypeScript source: load it through tsx's require hook.
      const worker = this.entry.endsWith('.ts')
        ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(this.entry)});`, { eval: true, workerData: this.config, name: 'neural-terminal-storage' })
        : new Worker(this.entry, { workerData: this.config, name: 'neural-terminal-storage' });
      this.worker = worker;
      worker.unref();
      let ready = false;
      worker.on('message', (raw: unknown) => {
        const parsed = workerMessageSchema.safeParse(raw);
        if (!parsed.success) {
          this.events.logger?.error('storage worker sent a message that does not fit the protocol', { error: parsed.error.message });
          return;
        }
        const message = parsed.data;
        switch (message.type) {
          case 'ready':
            ready = true;
            resolve({ path: message.path, recovery: message.recovery, migration: message.migration });
            break;
          case 'open-failed':
            reject(toStorageError(message.error));
            break;
          case 'reply': {
            const waiter = this.pending.get(message.id);
            if (!waiter) break;
            this.pending.delete(message.id);
            this.refIfBusy();
            if (message.ok) waiter.resolve(message.value);
            else waiter.reject(toStorageError(message.error));
            break;
          }
          case 'progress':
            this.pending.get(message.id)?.onProgress?.(message.progress);
            break;
          case 'external-change':
            this.events.onExternalChange?.(message.report);
            break;
          case 'persist-error':
            this.events.onPersistError?.(toStorageError(message.error));
            break;
          case 'log':
            this.events.logger?.[message.level](message.message, message.data);
            break;
        }
      });
      const died = (reason: string): void => {
        if (this.worker !== worker) return;
        this.worker = undefined;
        this.opening = undefined;
        const error = new StorageError('internal', `The history engine stopped (${reason}).`, 'It restarts on the next request; if this repeats, see the logs.');
        if (!ready) reject(error);
        for (const waiter of this.pending.values()) waiter.reject(error);
        this.pending.clear();
        if (!this.closed) this.events.logger?.error('storage worker stopped', { reason });
      };
      worker.on('error', (error) => died(describeError(error)));
      worker.on('exit', (code) => died(`exit code ${code}`));
    });
    return this.opening;
  }

  call<M extends EngineMethod>(method: M, ...args: EngineArgs<M>): Promise<EngineResult<M>> {
    return this.request(method, args);
  }

  async request<M extends EngineMethod>(method: M, args: EngineArgs<M>, options: CallOptions = {}): Promise<EngineResult<M>> {
    if (this.closed) throw new StorageError('closed', 'The chat history has been closed.');
    await this.start();
    const worker = this.worker;
    if (!worker) throw new StorageError('internal', 'The history engine is not running.');
    const id = this.nextId++;
    const request: WorkerRequest = { id, method, args, ...(options.onProgress ? { progress: true } : {}) };
    const value = await new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
      this.refIfBusy();
      worker.postMessage(request, options.transfer ? [...options.transfer] : undefined);
    });
    return value as EngineResult<M>;
  }

  /** Closes the history in the worker (saving anything unsaved) and ends the thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.worker) await this.call('close');
    } finally {
      this.closed = true;
      const worker = this.worker;
      this.worker = undefined;
      await worker?.terminate();
    }
  }

  /** Keeps the process alive while replies are owed, not longer. */
  private refIfBusy(): void {
    if (!this.worker) return;
    if (this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }
}
