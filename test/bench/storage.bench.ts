/**
 * History store benchmark at 10k and 100k messages, on real files:
 * open, append + persist, search p50/p95, export, file size, memory, and what
 * a merge with another window's write costs. Every figure is printed next to a
 * baseline measured in the same run, so a slow machine shows as slow
 * baselines rather than as a mystery.
 *
 *   npx tsx test/bench/storage.bench.ts            # 10k and 100k
 *   npx tsx test/bench/storage.bench.ts 10000      # one size
 *
 * Goal (issue 5): search p95 < 50 ms at 100k. The query mix is fixed below and
 * must not be made easier to meet it.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

import { EXPORT_FORMAT, EXPORT_VERSION, type ExportFile } from '../../src/extension/storage/exportFormat';
import { HISTORY_FILE_NAME, openHistoryStore, type HistoryStore } from '../../src/extension/storage/historyStore';
import { writeFileAtomic } from '../../src/extension/storage/atomicFile';

// ── deterministic corpus ─────────────────────────────────────────────────────

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const random = rng(20261125);
const COMMON = (
  'the of and to a in is it you that he was for on are with as i his they be at one have this from or had by not ' +
  'but what some we can out other were all there when up use your how said an each she which do their time if will ' +
  'way about many then them write would like so these her long make thing see him two has look more day could go ' +
  'come did number sound no most people my over know water than call first who may down side been now find code ' +
  'function error return value type string file test build run data model request response token cost stream'
).split(' ');
const RARE = Array.from({ length: 30_000 }, () => {
  const length = 4 + Math.floor(random() * 7);
  let word = '';
  for (let i = 0; i < length; i++) word += String.fromCharCode(97 + Math.floor(random() * 26));
  return word;
});

/** Zipf-like: a few words are everywhere (as in real chats), most are rare. */
function word(): string {
  if (random() < 0.45) return COMMON[Math.floor(random() ** 1.6 * COMMON.length)] ?? 'the';
  return RARE[Math.floor(random() ** 2.2 * RARE.length)] ?? 'x';
}

function sentence(words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(word());
  return `${out.join(' ')}.`;
}

function messageText(role: 'user' | 'assistant'): string {
  if (role === 'user') return sentence(8 + Math.floor(random() * 30));
  const parts: string[] = [];
  const paragraphs = 1 + Math.floor(random() * 4);
  for (let p = 0; p < paragraphs; p++) parts.push(sentence(20 + Math.floor(random() * 60)));
  if (random() < 0.3) parts.push(`\`\`\`ts\nconst ${word()} = ${word()}(${word()});\nreturn ${word()};\n\`\`\``);
  return parts.join('\n\n');
}

export function corpus(messages: number): ExportFile {
  const perConversation = 50;
  const conversations: ExportFile['conversations'] = [];
  let time = Date.UTC(2024, 0, 1);
  for (let c = 0; c * perConversation < messages; c++) {
    const count = Math.min(perConversation, messages - c * perConversation);
    const list: ExportFile['conversations'][number]['messages'] = [];
    for (let i = 0; i < count; i++) {
      const role = i % 2 === 0 ? 'user' : 'assistant';
      time += 1000 + Math.floor(random() * 60_000);
      list.push({
        id: `m${c}-${i}`, parentId: i === 0 ? null : `m${c}-${i - 1}`, role, content: messageText(role),
        promptTokens: role === 'assistant' ? 500 + i * 40 : null, completionTokens: role === 'assistant' ? 300 : null,
        reasoningTokens: null, cachedTokens: null,
        cost: role === 'assistant' ? { usd: `0.000${1000 + Math.floor(random() * 9000)}`, source: 'usage' } : null,
        latencyMs: role === 'assistant' ? 1500 : null, ttftMs: role === 'assistant' ? 300 : null,
        modelId: role === 'assistant' ? 'anthropic/claude-sonnet-4' : null, generationId: null, finishReason: 'stop',
        status: 'complete', createdAt: time, metadata: {}, copiedFromMessageId: null,
      });
    }
    conversations.push({
      id: `c${c}`, title: sentence(3 + Math.floor(random() * 4)), modelId: 'anthropic/claude-sonnet-4', status: c % 7 === 0 ? 'archived' : 'active',
      createdAt: list[0]?.createdAt ?? time, updatedAt: time, tags: c % 5 === 0 ? ['work'] : [], systemPrompt: null,
      parentConversationId: null, forkedFromMessageId: null, activeLeafId: null, totalCostUsd: '0', totalTokens: 0, messages: list,
    });
  }
  return { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: time, conversations };
}

// ── measuring ────────────────────────────────────────────────────────────────

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function time<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const start = performance.now();
  const result = await fn();
  return [performance.now() - start, result];
}

/** CPU time of this process for a synchronous call: what the work costs, whatever else the machine is doing. */
function cpuTime<T>(fn: () => T): [number, number, T] {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const result = fn();
  const used = process.cpuUsage(cpu);
  return [performance.now() - wall, (used.user + used.system) / 1000, result];
}

const ms = (n: number): string => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
const mb = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MB`;
const ratio = (a: number, b: number): string => `×${(a / b).toFixed(1)}`;

export function queries(file: ExportFile, count: number): { kind: string; text: string }[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const messages = file.conversations.flatMap((c) => c.messages);
  const wordsOf = (text: string): string[] => text.split(/[^a-z]+/).filter((w) => w.length > 2);
  const result: { kind: string; text: string }[] = [];
  const kinds = ['word from a message', 'two words', 'prefix', 'phrase', 'rare word'] as const;
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length] ?? 'rare word';
    const words = wordsOf(pick(messages).content);
    const at = Math.floor(random() * Math.max(1, words.length - 1));
    const text =
      kind === 'word from a message' ? (words[at] ?? 'the')
      : kind === 'two words' ? `${words[at] ?? 'the'} ${pick(words) ?? 'code'}`
      : kind === 'prefix' ? `${(words[at] ?? 'functional').slice(0, 4)}*`
      : kind === 'phrase' ? `"${words[at] ?? 'the'} ${words[at + 1] ?? 'code'}"`
      : pick(RARE);
    result.push({ kind, text });
  }
  return result;
}

async function benchSize(messages: number): Promise<void> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'nt-bench-'));
  const file = path.join(folder, HISTORY_FILE_NAME);
  const options = { folder, debounceMs: 60_000, maxWaitMs: 60_000 };
  try {
    console.log(`\n── ${messages.toLocaleString('en')} messages ──────────────────────────────`);
    const data = corpus(messages);
    const json = JSON.stringify(data);
    console.log(`corpus: ${data.conversations.length} conversations, ${mb(json.length)} of JSON`);

    let store: HistoryStore = await openHistoryStore(options);
    const [importMs, imported] = await time(() => store.importJson(json));
    const [firstWriteMs] = await time(() => store.flush());
    const size = (await fs.stat(file)).size;
    console.log(`build: import ${ms(importMs)} (${(importMs / messages * 1000).toFixed(0)} µs/message), first write ${ms(firstWriteMs)}`);
    console.log(`file size: ${mb(size)} (${(size / messages).toFixed(0)} B/message)`);
    await store.close();

    // Open: read + quick_check + schema check, against reading the same bytes.
    const opens: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [openMs, opened] = await time(() => openHistoryStore(options));
      opens.push(openMs);
      if (i < 2) await opened.close();
      else store = opened;
    }
    const [readMs] = await time(() => fs.readFile(file));
    console.log(`open: ${ms(percentile(opens, 50))} median of 3 — baseline readFile ${ms(readMs)} (${ratio(percentile(opens, 50), readMs)})`);
    // Without the checksum sidecar (first open after an unclean exit): PRAGMA quick_check reads every page.
    await store.close();
    await fs.rm(`${file}.sum`);
    const openStall = monitorEventLoopDelay({ resolution: 5 });
    openStall.enable();
    const [slowOpenMs, reopened] = await time(() => openHistoryStore(options));
    openStall.disable();
    store = reopened;
    console.log(`open without checksum (full quick_check): ${ms(slowOpenMs)}, longest stall ${ms(openStall.max / 1e6)}`);
    const memory = process.memoryUsage();
    console.log(`memory after open: rss ${mb(memory.rss)}, external+arrayBuffers ${mb(memory.external)}, JS heap ${mb(memory.heapUsed)}`);

    // Append + persist, and its two parts against a raw write of the same bytes.
    const conversationId = imported.conversationIds[data.conversations[1]?.id ?? ''] ?? '';
    const appendMs: number[] = [];
    const persistMs: number[] = [];
    // The longest stretch the event loop was blocked while persisting: what the
    // extension host (and every other extension in it) feels.
    const stall = monitorEventLoopDelay({ resolution: 5 });
    for (let i = 0; i < 15; i++) {
      const [a] = await time(() => store.appendMessage({ conversationId, role: 'assistant', content: messageText('assistant'), cost: { usd: '0.0012', source: 'usage' } }));
      stall.enable();
      const [p] = await time(() => store.flush());
      stall.disable();
      appendMs.push(a);
      persistMs.push(p);
    }
    const db = (store as unknown as { db: { export(): Uint8Array } }).db;
    const exportTimes: number[] = [];
    let image: Uint8Array = new Uint8Array();
    for (let i = 0; i < 3; i++) {
      const [e, bytes] = await time(() => db.export());
      exportTimes.push(e);
      image = bytes;
    }
    const rawWrites: number[] = [];
    for (let i = 0; i < 3; i++) rawWrites.push((await time(() => fs.writeFile(path.join(folder, 'raw.bin'), image)))[0]);
    const atomicWrites: number[] = [];
    for (let i = 0; i < 3; i++) atomicWrites.push((await time(() => writeFileAtomic(path.join(folder, 'atomic.bin'), image)))[0]);
    console.log(`append (in memory): p50 ${ms(percentile(appendMs, 50))}, p95 ${ms(percentile(appendMs, 95))}`);
    console.log(`persist (lock + export + atomic write + checksum): p50 ${ms(percentile(persistMs, 50))}, p95 ${ms(percentile(persistMs, 95))}`);
    console.log(`  longest event-loop stall during those persists: ${ms(stall.max / 1e6)}`);
    console.log(`  of which db.export() (synchronous, blocks the extension host): ${ms(percentile(exportTimes, 50))}`);
    console.log(`  atomic write of those bytes (temp + fsync + rename + dir fsync): ${ms(percentile(atomicWrites, 50))}`);
    console.log(`  baseline plain writeFile of the same bytes: ${ms(percentile(rawWrites, 50))} — persist ${ratio(percentile(persistMs, 50), percentile(rawWrites, 50))}`);

    // A second window writes; the first window's next save has to merge.
    const other = await openHistoryStore(options);
    other.appendMessage({ conversationId, role: 'user', content: 'from the other window' });
    await other.flush();
    await other.close();
    store.appendMessage({ conversationId, role: 'assistant', content: 'from this window' });
    const mergeStall = monitorEventLoopDelay({ resolution: 5 });
    mergeStall.enable();
    const [mergeMs] = await time(() => store.flush());
    mergeStall.disable();
    console.log(`persist after another window wrote (read + merge + write): ${ms(mergeMs)} (${ratio(mergeMs, percentile(persistMs, 50))} a plain persist), longest stall ${ms(mergeStall.max / 1e6)}`);

    // Search against two baselines: an indexed lookup and a LIKE scan.
    const list = queries(data, 250);
    const byKind = new Map<string, number[]>();
    const all: number[] = [];
    const allCpu: number[] = [];
    let windowed = 0;
    let empty = 0;
    for (const warm of list.slice(0, 10)) store.search({ text: warm.text });
    for (const q of list) {
      const [t, cpu, outcome] = cpuTime(() => store.search({ text: q.text }));
      if (outcome.kind !== 'results') throw new Error(`query refused: ${q.text}`);
      if (outcome.windowed) windowed++;
      if (outcome.hits.length === 0) empty++;
      all.push(t);
      allCpu.push(cpu);
      byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), t]);
    }
    const raw = (store as unknown as { db: { rawRows(sql: string, params: unknown[]): unknown[] } }).db;
    const indexed: number[] = [];
    for (let i = 0; i < 200; i++) indexed.push((await time(() => raw.rawRows('SELECT id, content FROM messages WHERE seq = ?', [1 + Math.floor(random() * messages)])))[0]);
    const likes: number[] = [];
    for (const q of list.slice(0, 5)) likes.push((await time(() => raw.rawRows('SELECT seq FROM messages WHERE content LIKE ? LIMIT 20', [`%${q.text.replace(/[^a-z ]/g, '')}%`])))[0]);
    console.log(`search (${list.length} queries, limit 20, snippets): p50 ${ms(percentile(all, 50))}, p95 ${ms(percentile(all, 95))}, max ${ms(Math.max(...all))} — ${windowed} windowed, ${empty} empty`);
    console.log(`  same, CPU time of this process: p50 ${ms(percentile(allCpu, 50))}, p95 ${ms(percentile(allCpu, 95))}`);
    for (const [kind, times] of byKind) console.log(`  ${kind.padEnd(20)} p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}`);
    console.log(`  baseline indexed row lookup: p50 ${ms(percentile(indexed, 50))} — search p50 ${ratio(percentile(all, 50), percentile(indexed, 50))}`);
    console.log(`  baseline LIKE '%…%' scan (no ranking): p50 ${ms(percentile(likes, 50))} — search p95 is ${(percentile(all, 95) / percentile(likes, 50)).toFixed(2)} of it`);

    const [listMs] = await time(() => store.listConversations({ limit: 50 }));
    console.log(`archive list page (50, sorted by updated): ${ms(listMs)}`);
    const [exportJsonMs, exported] = await time(() => store.exportJson());
    console.log(`export JSON (all): ${ms(exportJsonMs)}, ${mb(exported.length)}`);
    const [exportMdMs] = await time(() => store.exportMarkdown(conversationId));
    console.log(`export Markdown (one conversation): ${ms(exportMdMs)}`);
    const [rebuildMs] = await time(() => store.rebuildDerivedIndexes());
    console.log(`rebuild derived indexes (FTS + totals): ${ms(rebuildMs)}`);
    const peak = process.memoryUsage();
    console.log(`memory at end: rss ${mb(peak.rss)}, external+arrayBuffers ${mb(peak.external)}`);
    await store.close();
  } finally {
    await fs.rm(folder, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  console.log(`node ${process.version}, ${os.cpus().length} cpus, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  for (const size of sizes.length > 0 ? sizes : [10_000, 100_000]) await benchSize(size);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
