/**
 * The host's end of the tokenizer worker (countWorker.ts): started on the first request,
 * requests sent with ids, every reply matched to its request. If the worker dies, every
 * request in flight is rejected (never left hanging) and the next one starts a new worker.
 * The worker is unref'd while idle so it never keeps a process alive alone.
 * No `vscode` import.
 */
import { Worker } from 'node:worker_threads';

import type { EncoderLoader, EncodingName } from '../tokenCounter';
import { countReplySchema, type CountRequest, type CountWorkerData } from './countProtocol';

interface Pending {
  resolve(tokens: number): void;
  reject(error: Error): void;
}

export class CountWorkerClient {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  /** `entry` is the worker script: dist/countWorker.js, or countWorker.ts under tests (through tsx). */
  constructor(
    private readonly entry: string,
    private readonly data: CountWorkerData,
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  /** Builds the encoding's encoder in the worker; resolves once it can count. */
  async load(encoding: EncodingName): Promise<void> {
    await this.request((id) => ({ op: 'load', id, encoding }));
  }

  count(encoding: EncodingName, text: string): Promise<number> {
    return this.request((id) => ({ op: 'count', id, encoding, text }));
  }

  /** Ends the thread; requests in flight are rejected, later ones refused. */
  async dispose(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.fail(worker, 'closed');
    await worker?.terminate();
  }

  private request(make: (id: number) => CountRequest): Promise<number> {
    if (this.closed) return Promise.reject(new Error('The tokenizer has been closed.'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage(make(id));
    });
  }

  private start(): Worker {
    // Under tests and scripts the worker is TypeScript source: load it through tsx's require hook.
    const worker = this.entry.endsWith('.ts')
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(this.entry)});`, { eval: true, workerData: this.data, name: 'neural-terminal-tokenizer' })
      : new Worker(this.entry, { workerData: this.data, name: 'neural-terminal-tokenizer' });
    this.worker = worker;
    worker.unref();
    worker.on('message', (raw: unknown) => {
      const parsed = countReplySchema.safeParse(raw);
      if (!parsed.success) {
        this.onError(`tokenizer worker sent a message that does not fit the protocol: ${parsed.error.message}`);
        return;
      }
      const reply = parsed.data;
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) waiter.resolve(reply.tokens);
      else waiter.reject(new Error(`Could not count tokens: ${reply.message}`));
    });
    worker.on('error', (error) => this.fail(worker, error.message));
    worker.on('exit', (code) => this.fail(worker, `exit code ${code}`));
    return worker;
  }

  /** The worker stopped: everything it owed is rejected, and the next request starts a new one. */
  private fail(worker: Worker | undefined, reason: string): void {
    if (!worker || this.worker !== worker) return;
    this.worker = undefined;
    const error = new Error(`The tokenizer stopped (${reason}).`);
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
    if (!this.closed) this.onError(`tokenizer worker stopped: ${reason}`);
  }
}

/** Encoders that live in the worker: loading one builds it there; counting posts the text. */
export function workerEncoderLoader(client: CountWorkerClient): EncoderLoader {
  return async (encoding) => {
    await client.load(encoding);
    return { countTokens: (text) => client.count(encoding, text) };
  };
}
