/**
 * Runs test/fixtures/storage/writerChild.ts as real OS processes. The child
 * is bundled once with esbuild so each spawn costs a plain `node` start
 * (the kill -9 test starts dozens of them).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

import { bundleWithWorker } from './workerBundle';

const CHILD_SOURCE = path.resolve(__dirname, '../../fixtures/storage/writerChild.ts');
export const WASM_PATH = require.resolve('sql.js/dist/sql-wasm.wasm');

let bundled: Promise<string> | undefined;

function bundle(): Promise<string> {
  bundled ??= (async () => {
    const outdir = await fs.mkdtemp(path.join(os.tmpdir(), 'nt-writer-'));
    // The child opens the history the way the extension does: through the worker bundled beside it.
    await bundleWithWorker(outdir, { writerChild: CHILD_SOURCE });
    return path.join(outdir, 'writerChild.js');
  })();
  return bundled;
}

export interface Writer {
  readonly child: ChildProcess;
  /** Highest message index the child reported as durably written; -1 before the first. */
  readonly persisted: () => number;
  /** Resolves once the child reported message `index` as durably written (or exited). */
  readonly reached: (index: number) => Promise<void>;
  /** Milliseconds between the child's last two reports: how long one append-and-persist takes here. */
  readonly cycleMs: () => number;
  readonly ready: Promise<void>;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  readonly stderr: () => string;
}

export async function startWriter(
  folder: string,
  conversationId: string,
  label: string,
  count: number | 'forever',
  compactMinBytes = 1024 * 1024,
): Promise<Writer> {
  const script = await bundle();
  const child = spawn(process.execPath, [script, folder, WASM_PATH, conversationId, label, String(count)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // A small threshold (the kill test) makes writers compact every few dozen appends.
    env: { ...process.env, NT_COMPACT_MIN_BYTES: String(compactMinBytes), NT_COMPACT_RATIO: compactMinBytes < 1024 * 1024 ? '0.02' : '0.5' },
  });
  let persisted = -1;
  let stderr = '';
  let lastReportAt = 0;
  let cycle = 50;
  const waiters: { index: number; resolve: () => void }[] = [];
  const wake = (all: boolean): void => {
    for (const waiter of waiters.splice(0)) {
      if (all || waiter.index <= persisted) waiter.resolve();
      else waiters.push(waiter);
    }
  };
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    const event = JSON.parse(line) as { ready?: boolean; persisted?: number };
    if (event.ready) markReady();
    if (typeof event.persisted === 'number') {
      persisted = Math.max(persisted, event.persisted);
      const now = Date.now();
      if (lastReportAt > 0) cycle = now - lastReportAt;
      lastReportAt = now;
      wake(false);
    }
  });
  // 'close' comes after the pipes drained, so every line the child wrote has been seen.
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      markReady();
      wake(true);
      resolve(code);
    });
  });
  const reached = (index: number): Promise<void> =>
    index <= persisted ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ index, resolve }));
  return { child, persisted: () => persisted, reached, cycleMs: () => cycle, ready, exited, stderr: () => stderr };
}
