/**
 * History storage benchmark on real files, through the production path (the
 * async HistoryStore and its worker thread). Two parts:
 *
 *  1. The table, re-measured the same way at 2k / 10k / 30k messages:
 *     one settled message (append + flush), how long the host's event loop is
 *     blocked per save, and bytes written per message. Beside it, in the same
 *     run, the previous design's cost on the same database: export the whole
 *     image on the host thread and rewrite the whole file.
 *  2. The numbers at 10k and 100k: host event-loop delay p99 during
 *     send → stream → settle → search, bytes per settled message (journal +
 *     amortised compaction) against 4 × its size + 4 KB, open to first query
 *     against a plain readFile of the snapshot, search p95, host heap.
 *
 *   npx tsx test/bench/storage.bench.ts                  # 2k, 10k, 30k, 100k
 *   npx tsx test/bench/storage.bench.ts 10000 100000     # chosen sizes
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

import { writeFileAtomic } from '../../src/extension/storage/atomicFile';
import { HISTORY_FILE_NAME, openHistoryStore, type HistoryStore, type OpenHistoryOptions } from '../../src/extension/storage/historyStore';
import { loadSqlJs } from '../../src/extension/storage/sqlJsLoader';
import { storageWorkerBundle } from '../unit/storage/workerBundle';
import { corpus, messageText, queries } from './storageCorpus';

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function time<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const start = performance.now();
  const result = await fn();
  return [performance.now() - start, result];
}

const ms = (n: number): string => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
const mb = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MB`;
const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
const ratio = (a: number, b: number): string => `×${(a / b).toFixed(2)}`;
const hist = (h: IntervalHistogram): { p99: number; max: number } => ({ p99: h.percentile(99) / 1e6, max: h.max / 1e6 });

interface Row {
  messages: number;
  file: number;
  settledMs: number;
  blockedMs: number;
  bytesPerMessage: number;
  oldSaveMs: number;
  oldBlockedMs: number;
  oldBytes: number;
}
const table: Row[] = [];

// A full collection before reading the host heap, so it shows what is live, not what is garbage.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;


async function benchSize(messages: number, numbers: boolean): Promise<void> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'nt-bench-'));
  const snapshot = path.join(folder, HISTORY_FILE_NAME);
  const journal = `${snapshot}.journal`;
  const options: OpenHistoryOptions = { folder, workerPath: await storageWorkerBundle(), idleCompactMs: 3_600_000 };
  try {
    console.log(`\n── ${messages.toLocaleString('en')} messages ──────────────────────────────`);
    let data: ReturnType<typeof corpus> | undefined = corpus(messages);
    let json: string | undefined = JSON.stringify(data);
    const average = json.length / messages;
    console.log(`corpus: ${data.conversations.length} conversations, ${mb(json.length)} of JSON (${average.toFixed(0)} B/message with its fields)`);

    let store: HistoryStore = await openHistoryStore(options);
    const [importMs, imported] = await time(() => store.importJson(json!));
    // Keep only what the rest needs, so the host heap below is the store's, not the corpus's.
    const list = queries(data, 250);
    const conversationId = imported.conversationIds[data.conversations[1]?.id ?? ''] ?? '';
    data = undefined;
    json = undefined;
    await store.compact();
    const size = (await fs.stat(snapshot)).size;
    console.log(`build: import ${ms(importMs)} (in the worker), snapshot ${mb(size)}`);
    await store.close();

    // Open to first query, against reading the snapshot's bytes.
    const opens: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [openMs, opened] = await time(async () => {
        const s = await openHistoryStore(options);
        await s.listConversations({ limit: 1 });
        return s;
      });
      opens.push(openMs);
      if (i < 2) await opened.close();
      else store = opened;
    }
    const reads: number[] = [];
    for (let i = 0; i < 3; i++) reads.push((await time(() => fs.readFile(snapshot)))[0]);
    const openMs = percentile(opens, 50);
    const readMs = percentile(reads, 50);
    const engineOpenMs = (await store.stats()).openMs;
    console.log(`open to first query: ${ms(openMs)} median of 3, of which the engine's own open (read + load snapshot + replay) ${ms(engineOpenMs)}; the rest is starting the worker and sql.js`);
    console.log(`  baseline readFile of the snapshot ${ms(readMs)}: engine open ${ratio(engineOpenMs, readMs)}, whole ${ratio(openMs, readMs)} (goal ≤ ×1.5)`);

    // The table: one settled message, append + flush (resolved = fdatasync'd), and the host's blocked time.
    const settled: number[] = [];
    const texts: number[] = [];
    const journalBefore = (await fs.stat(journal)).size;
    const stats0 = await store.stats();
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    for (let i = 0; i < 30; i++) {
      const content = messageText('assistant');
      texts.push(Buffer.byteLength(content));
      const [t] = await time(async () => {
        await store.appendMessage({ conversationId, role: 'assistant', content, cost: { usd: '0.0012', source: 'usage' }, promptTokens: 900, completionTokens: 300 });
        await store.flush();
      });
      settled.push(t);
    }
    loop.disable();
    const stats1 = await store.stats();
    const compactions = stats1.generation - stats0.generation;
    const journalBytes = compactions === 0 ? (await fs.stat(journal)).size - journalBefore : NaN;
    const perMessageJournal = journalBytes / 30;
    // Amortised compaction: a snapshot of size S is written each time the journal reaches its threshold T.
    const threshold = Math.max(1024 * 1024, 0.5 * stats1.snapshotBytes);
    const perMessage = perMessageJournal + (stats1.snapshotBytes * perMessageJournal) / threshold;
    const messageSize = percentile(texts, 50);
    const blocked = hist(loop);
    console.log(`settled message (append + flush): p50 ${ms(percentile(settled, 50))}, p95 ${ms(percentile(settled, 95))}`);
    console.log(`  host event loop during those saves: p99 ${ms(blocked.p99)}, max ${ms(blocked.max)}`);
    console.log(`  bytes per settled message: journal ${kb(perMessageJournal)} + amortised compaction = ${kb(perMessage)} for ${kb(messageSize)} of text (goal < 4 × text + 4 KB = ${kb(4 * messageSize + 4096)})`);

    // The previous design, same database, same run: export the whole image on the host thread, rewrite the file.
    const sql = await loadSqlJs();
    const db = new sql.Database(await fs.readFile(snapshot));
    const [exportMs, image] = await time(() => db.export());
    const [writeMs] = await time(() => writeFileAtomic(path.join(folder, 'old-design.bin'), image));
    db.close();
    console.log(`previous design per save (whole export on the host + atomic rewrite): ${ms(exportMs + writeMs)}, host blocked ${ms(exportMs)}+, ${mb(image.byteLength)} written`);
    table.push({
      messages,
      file: size,
      settledMs: percentile(settled, 50),
      blockedMs: blocked.max,
      bytesPerMessage: perMessage,
      oldSaveMs: exportMs + writeMs,
      oldBlockedMs: exportMs,
      oldBytes: image.byteLength,
    });

    if (numbers) {
      // send → stream (1 s partial saves, here back to back) → settle → search, watching the host's loop.
      const idle = monitorEventLoopDelay({ resolution: 1 });
      idle.enable();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      idle.disable();
      const busy = monitorEventLoopDelay({ resolution: 1 });
      const searches: number[] = [];
      let streamedBytes = 0;
      let streamedText = 0;
      const jb = (await fs.stat(journal)).size;
      const g0 = (await store.stats()).generation;
      busy.enable();
      for (let turn = 0; turn < 20; turn++) {
        const user = await store.appendMessage({ conversationId, role: 'user', content: messageText('user') });
        const reply = await store.appendMessage({ conversationId, parentId: user.id, role: 'assistant', content: '', status: 'partial' });
        const full = messageText('assistant');
        for (let part = 1; part <= 5; part++) await store.updateMessage(reply.id, { content: full.slice(0, Math.floor((full.length * part) / 6)) });
        await store.updateMessage(reply.id, { content: full, status: 'complete', finishReason: 'stop', cost: { usd: '0.0021', source: 'usage' } });
        streamedText += Buffer.byteLength(full);
        const q = list[turn % list.length]!;
        searches.push((await time(() => store.search({ text: q.text })))[0]);
      }
      busy.disable();
      if ((await store.stats()).generation === g0) streamedBytes = (await fs.stat(journal)).size - jb;
      const during = hist(busy);
      console.log(`host event loop during send → stream (5 partial saves) → settle → search ×20: p99 ${ms(during.p99)}, max ${ms(during.max)} — idle baseline p99 ${ms(hist(idle).p99)} (goal p99 < 5 ms)`);
      if (streamedBytes) console.log(`  journal per streamed turn (user + reply with 5 partial saves): ${kb(streamedBytes / 20)} for ${kb(streamedText / 20)} of reply text`);

      for (const warm of list.slice(0, 10)) await store.search({ text: warm.text });
      const all: number[] = [];
      for (const q of list) all.push((await time(() => store.search({ text: q.text })))[0]);
      const [listMs] = await time(() => store.listConversations({ limit: 50 }));
      console.log(`search through the worker (${list.length} queries, limit 20, snippets): p50 ${ms(percentile(all, 50))}, p95 ${ms(percentile(all, 95))} (goal p95 < 50 ms) — archive page ${ms(listMs)}`);

      // Only the export's length outlives this line, so the heap reading below does not count the export.
      const [exportJsonMs, exportedLength] = await time(async () => (await store.exportJson()).length);
      console.log(`export JSON (all, in the worker): ${ms(exportJsonMs)}, ${mb(exportedLength)}`);
      // The worker's last reply stays reachable until the next one arrives, so ask for the
      // stats first: the heap read after that no longer holds the export.
      const worker = (await store.stats()).workerMemory;
      gc();
      const host = process.memoryUsage();
      console.log(`host JS heap ${mb(host.heapUsed)} (the database is not in it) — worker: heap ${mb(worker.heapUsedBytes)}, database and buffers ${mb(worker.externalBytes)}`);
    }
    await store.close();
  } finally {
    await fs.rm(folder, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  console.log(`node ${process.version}, ${os.cpus().length} cpus, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  for (const size of sizes.length > 0 ? sizes : [2_000, 10_000, 30_000, 100_000]) await benchSize(size, size >= 10_000);
  console.log('\n| history | file | one settled message (append + flush) | host event loop blocked per save | bytes written per message | previous design, same run (save / blocked / bytes) |');
  console.log('|---|---|---|---|---|---|');
  for (const r of table) {
    console.log(`| ${r.messages.toLocaleString('en')} messages | ${mb(r.file)} | ${ms(r.settledMs)} | ${ms(r.blockedMs)} | ${kb(r.bytesPerMessage)} | ${ms(r.oldSaveMs)} / ${ms(r.oldBlockedMs)} / ${mb(r.oldBytes)} |`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
