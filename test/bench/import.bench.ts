/**
 * Importing a large history file: how long the extension host's event loop is
 * blocked. The production path reads the file asynchronously and hands its
 * bytes to the storage worker, which decodes, parses, checks and writes them;
 * the baseline, in the same run on the same file, is the previous path — the
 * same engine doing the same import on the host's own thread. Also: the
 * import's wall time both ways, and how soon a cancel takes effect.
 *
 *   npx tsx test/bench/import.bench.ts          # 50 MB
 *   npx tsx test/bench/import.bench.ts 10       # 10 MB
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

import { HistoryEngine } from '../../src/extension/storage/historyEngine';
import { openHistoryStore } from '../../src/extension/storage/historyStore';
import { loadSqlJs } from '../../src/extension/storage/sqlJsLoader';
import { storageWorkerBundle } from '../unit/storage/workerBundle';
import { corpus } from './storageCorpus';

const targetMb = Number(process.argv[2] ?? 50);
const ms = (n: number): string => `${n.toFixed(n < 10 ? 1 : 0)} ms`;

interface Loop {
  p99: number;
  max: number;
}

/** Runs `fn` while sampling the host's event loop every millisecond. */
async function watched<T>(fn: () => Promise<T>): Promise<{ loop: Loop; wall: number; value: T }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const start = performance.now();
  const value = await fn();
  const wall = performance.now() - start;
  // One more turn so a block at the very end is recorded too.
  await new Promise((resolve) => setTimeout(resolve, 5));
  h.disable();
  return { loop: { p99: h.percentile(99) / 1e6, max: h.max / 1e6 }, wall, value };
}

async function main(): Promise<void> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'nt-import-bench-'));
  try {
    // ~850 B of JSON per message: pick the message count for the size asked.
    const json = JSON.stringify(corpus(Math.round((targetMb * 2 ** 20) / 850)));
    const file = path.join(root, 'export.json');
    await fs.writeFile(file, json);
    const conversations = (JSON.parse(json) as { conversations: unknown[] }).conversations.length;
    console.log(`file: ${(json.length / 2 ** 20).toFixed(1)} MB, ${conversations} conversations; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const workerPath = await storageWorkerBundle();

    const idle = await watched(() => new Promise((resolve) => setTimeout(resolve, 2_000)));

    // Previous path: the engine on the host's thread (what blocked the host 4–8 s).
    const sql = await loadSqlJs();
    const engine = new HistoryEngine({ folder: path.join(root, 'old'), sql });
    const old = await watched(async () => engine.importBytes(await fs.readFile(file)));
    engine.close();

    // Production path: async read, bytes handed to the worker.
    const store = await openHistoryStore({ folder: path.join(root, 'new'), workerPath, idleCompactMs: 3_600_000 });
    const stages: string[] = [];
    const now = await watched(async () =>
      store.importBytes(await fs.readFile(file), { transfer: true, onProgress: (p) => stages.push(p.stage) }),
    );
    if (now.value.messages !== old.value.messages) throw new Error(`imported ${now.value.messages} messages, the old path ${old.value.messages}`);

    // Cancel: abort when the worker says it is checking; time until the import has stopped.
    const abort = new AbortController();
    let abortedAt = 0;
    const cancelled = await store
      .importBytes(await fs.readFile(file), {
        signal: abort.signal,
        transfer: true,
        onProgress: (p) => {
          if (p.stage !== 'checking' || abortedAt) return;
          abortedAt = performance.now();
          abort.abort();
        },
      })
      .then(() => 'committed (the cancel came too late)', (e: unknown) => (e instanceof Error ? e.message : String(e)));
    const cancelMs = performance.now() - abortedAt;
    await store.close();

    console.log(`\n| path | host event loop p99 | host blocked (max delay) | import wall time |`);
    console.log(`|---|---|---|---|`);
    console.log(`| idle baseline (2 s, nothing running) | ${ms(idle.loop.p99)} | ${ms(idle.loop.max)} | — |`);
    console.log(`| previous: engine on the host thread | ${ms(old.loop.p99)} | ${ms(old.loop.max)} | ${ms(old.wall)} |`);
    console.log(`| now: async read + storage worker | ${ms(now.loop.p99)} | ${ms(now.loop.max)} | ${ms(now.wall)} |`);
    console.log(`\nhost blocked: now / previous = ×${(now.loop.max / old.loop.max).toFixed(3)}; wall time now / previous = ×${(now.wall / old.wall).toFixed(2)}`);
    console.log(`progress stages seen on the host: ${[...new Set(stages)].join(' → ')} (${stages.length} events)`);
    console.log(`cancel during checking: stopped ${ms(cancelMs)} after the abort — ${cancelled}`);
    console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
