/**
 * Webview streaming bench in chromium (the browser-test harness: real page, real CSP).
 * Streams a markdown reply through the page the way the host does — one `stream` message per
 * animation frame — and reports main-thread task time per token (CDP Performance metrics),
 * long tasks (PerformanceObserver 'longtask', counting only name === 'self') and first paint of
 * a 5,000-message conversation. Every figure is also measured, in the same run, against a
 * baseline build that re-renders the whole reply on every update (the naive approach), and
 * printed as a ratio. Nothing here asserts a time: `npx tsx test/bench/webview.bench.ts`.
 *
 * BENCH_TOKENS (default 5000) and BENCH_RATE (tokens/s, default 5000) change the stream.
 */
import { readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebviewPage, mochaHooks } from '../browser/harness';
import { webviewVariant } from '../browser/probe';
import { assistantEntry, conversation, snapshot, userEntry } from '../browser/fixtures';
import os from 'node:os';
import { WINDOW_ENTRIES } from '../../src/extension/core/transcriptWindow';

const TOKENS = Number(process.env.BENCH_TOKENS ?? 5000);
const RATE = Number(process.env.BENCH_RATE ?? 5000);

/** A long, realistic reply cut into ~4-character tokens. */
function replyTokens(count: number): string[] {
  const paragraphs = [
    'Streaming parsers keep a small amount of state between chunks: the unfinished tail, the current event, and the **decoder** that may hold half a UTF-8 sequence. ',
    'Each `data:` line appends to the event buffer; a blank line dispatches it. Comments start with a colon and are ignored, which makes them useful as keep-alives. ',
    '- decode with `TextDecoder` in streaming mode\n- split on blank lines, keep the tail\n- normalise CRLF before splitting\n\n',
    '```ts\nfor await (const chunk of body) {\n  tail += decoder.decode(chunk, { stream: true });\n  const parts = tail.split("\\n\\n");\n  tail = parts.pop() ?? "";\n  for (const p of parts) handle(p);\n}\n```\n\n',
    '| field | meaning |\n|---|---|\n| data | payload |\n| id | last event id |\n| retry | reconnect delay |\n\n',
  ];
  let text = '';
  let i = 0;
  while (text.length < count * 4) {
    text += paragraphs[i % paragraphs.length]!;
    if (i % 3 === 2) text += '\n\n';
    i++;
  }
  const tokens: string[] = [];
  for (let at = 0; tokens.length < count; at += 4) tokens.push(text.slice(at, at + 4));
  return tokens;
}

interface StreamResult {
  taskMs: number;
  scriptMs: number;
  /** Style recalculation and layout, the parts of task time that are neither script nor paint. */
  styleMs: number;
  layoutMs: number;
  wallMs: number;
  longTasks: number;
  longestMs: number;
  posts: number;
}

type Cdp = Awaited<ReturnType<WebviewPage['context']['newCDPSession']>>;

async function metrics(cdp: Cdp): Promise<Record<string, number>> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

/** Streams `tokens` into entry `id` at `rate` tokens/s from a page-scheduled timer (its work counts as the page's). */
async function streamInto(p: WebviewPage, id: string, tokens: string[], rate: number): Promise<{ wallMs: number; posts: number }> {
  return p.page.evaluate(
    ({ id, tokens, rate }) =>
      new Promise<{ wallMs: number; posts: number }>((done) => {
        const start = performance.now();
        let sent = 0;
        let posts = 0;
        // Like the host: whatever arrived since the last frame goes out as one message.
        const tick = () => {
          const due = Math.min(tokens.length, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
          if (due > sent) {
            window.postMessage({ type: 'chat/stream', conversationId: 'c1', messageId: id, content: tokens.slice(sent, due).join(''), reasoning: '' }, '*');
            sent = due;
            posts++;
          }
          if (sent < tokens.length) setTimeout(tick, 16);
          else setTimeout(() => requestAnimationFrame(() => setTimeout(() => done({ wallMs: performance.now() - start, posts }), 50)), 50);
        };
        tick();
      }),
    { id, tokens, rate },
  );
}

/** Posts `perFrame` tokens per animation frame, each after the previous frame painted: the same work for every build. */
async function streamFrames(p: WebviewPage, id: string, tokens: string[], perFrame: number): Promise<{ wallMs: number; posts: number }> {
  return p.page.evaluate(
    ({ id, tokens, perFrame }) =>
      new Promise<{ wallMs: number; posts: number }>((done) => {
        const start = performance.now();
        let sent = 0;
        let posts = 0;
        const next = () => {
          if (sent >= tokens.length) {
            setTimeout(() => done({ wallMs: performance.now() - start, posts }), 50);
            return;
          }
          window.postMessage({ type: 'chat/stream', conversationId: 'c1', messageId: id, content: tokens.slice(sent, sent + perFrame).join(''), reasoning: '' }, '*');
          sent += perFrame;
          posts++;
          requestAnimationFrame(() => setTimeout(next, 0));
        };
        next();
      }),
    { id, tokens, perFrame },
  );
}

/**
 * One page per build: a warm-up reply first (so neither build is measured compiling its code),
 * then the measured reply in a second entry of the same conversation.
 */
async function stream(bundle: string, tokens: string[], rate: number, mode: 'realtime' | 'frames' = 'realtime', target = 'a1'): Promise<StreamResult> {
  const p = await WebviewPage.open({ bundle, width: 900, height: 900 });
  try {
    const warm = replyTokens(1500);
    const q = userEntry('u1', 'Explain streaming SSE parsing.');
    await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([q, assistantEntry('w1', '', { status: 'streaming' })], { streamingId: 'w1' }) }) });
    await streamInto(p, 'w1', warm, rate);
    const done = assistantEntry('w1', warm.join(''));
    await p.post({
      type: 'chat/conversation',
      conversation: conversation([q, done, userEntry('u2', 'Again, longer.'), assistantEntry('a1', '', { status: 'streaming' })], { streamingId: 'a1' }),
    });
    await p.page.waitForTimeout(300);
    await p.page.evaluate(() => {
      const w = window as unknown as { __long: { n: number; max: number } };
      w.__long = { n: 0, max: 0 };
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.name !== 'self') continue; // only this page's own tasks
          w.__long.n++;
          w.__long.max = Math.max(w.__long.max, e.duration);
        }
      }).observe({ type: 'longtask', buffered: false });
    });
    const cdp = await p.context.newCDPSession(p.page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const before = await metrics(cdp);
    const result = mode === 'frames' ? await streamFrames(p, target, tokens, Math.max(1, Math.round(rate / 60))) : await streamInto(p, target, tokens, rate);
    const after = await metrics(cdp);
    await cdp.detach();
    const long = await p.page.evaluate(() => (window as unknown as { __long: { n: number; max: number } }).__long);
    const text = await p.page.locator('article[data-id="a1"] .md').evaluate((el) => el.textContent?.length ?? 0);
    if (target === 'a1' && text < tokens.join('').length * 0.5) throw new Error(`the reply did not render (${text} chars)`);
    if (target !== 'a1' && text > 0) throw new Error('the floor run drew text');
    return {
      taskMs: ((after.TaskDuration ?? 0) - (before.TaskDuration ?? 0)) * 1000,
      scriptMs: ((after.ScriptDuration ?? 0) - (before.ScriptDuration ?? 0)) * 1000,
      styleMs: ((after.RecalcStyleDuration ?? 0) - (before.RecalcStyleDuration ?? 0)) * 1000,
      layoutMs: ((after.LayoutDuration ?? 0) - (before.LayoutDuration ?? 0)) * 1000,
      wallMs: result.wallMs,
      longTasks: long.n,
      longestMs: long.max,
      posts: result.posts,
    };
  } finally {
    await p.close();
  }
}

/**
 * Time from posting a conversation of `count` messages to the next frame after it rendered,
 * median of `runs` fresh pages. `cold`: it is the page's first snapshot (code not yet compiled);
 * warm: the app has already drawn another conversation, as when one is opened from history.
 */
async function firstPaint(bundle: string, count: number, cold: boolean, windowed = false, runs = 3): Promise<{ ms: number; rendered: number }> {
  const times: number[] = [];
  let rendered = 0;
  for (let run = 0; run < runs; run++) {
    const p = await WebviewPage.open({ bundle, width: 900, height: 900 });
    try {
      if (!cold) {
        await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([userEntry('w1', 'warm-up'), assistantEntry('w2', 'Warm **up** `code`.')], { id: 'c0' }) }) });
        await p.page.waitForTimeout(200);
      }
      const many = Array.from({ length: count }, (_, i) =>
        i % 2 === 0 ? userEntry(`m${i}`, `Question ${i}: how does the parser handle chunk ${i}?`) : assistantEntry(`m${i}`, `Answer ${i}: keep the **tail**, split on blank lines, and \`decode\` with { stream: true }.`),
      );
      // Windowed: what the host sends now, the newest entries and how many are older (paged in on request).
      const shown = windowed && count > WINDOW_ENTRIES ? { ...conversation(many.slice(-WINDOW_ENTRIES)), earlier: count - WINDOW_ENTRIES } : conversation(many);
      const message = cold ? { type: 'view/snapshot', snapshot: snapshot({ conversation: shown }) } : { type: 'chat/conversation', conversation: shown };
      const ms = await p.page.evaluate(
        (m) =>
          new Promise<number>((done) => {
            const t0 = performance.now();
            window.postMessage(m, '*');
            // The message task, Lit's microtask updates, then the frame that paints them.
            setTimeout(() => requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0)), 0);
          }),
        message,
      );
      times.push(ms);
      rendered = await p.page.locator('nt-entry').count();
    } finally {
      await p.close();
    }
  }
  times.sort((x, y) => x - y);
  return { ms: times[Math.floor(times.length / 2)]!, rendered };
}

/** First paint of 40 and 5,000 messages, cold and warm, posted whole (the first round's way) and windowed (the host's way now). */
async function printPaint(bundle: string): Promise<void> {
  const paint = {
    cold40: await firstPaint(bundle, 40, true),
    cold5k: await firstPaint(bundle, 5000, true),
    cold5kWindow: await firstPaint(bundle, 5000, true, true),
    warm40: await firstPaint(bundle, 40, false),
    warm5k: await firstPaint(bundle, 5000, false),
    warm5kWindow: await firstPaint(bundle, 5000, false, true),
  };
  console.log(`\nfirst paint of a conversation (posted → next frame, median of 3; includes structured clone and zod validation); load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`  opened in a running view: 5,000 messages ${paint.warm5k.ms.toFixed(0)} ms posted whole, ${paint.warm5kWindow.ms.toFixed(0)} ms windowed (×${(paint.warm5kWindow.ms / paint.warm5k.ms).toFixed(2)}); 40 messages ${paint.warm40.ms.toFixed(0)} ms (${paint.warm5k.rendered} newest entries drawn)`);
  console.log(`  first snapshot after load: 5,000 messages ${paint.cold5k.ms.toFixed(0)} ms posted whole, ${paint.cold5kWindow.ms.toFixed(0)} ms windowed (×${(paint.cold5kWindow.ms / paint.cold5k.ms).toFixed(2)}); 40 messages ${paint.cold40.ms.toFixed(0)} ms (code still cold)`);
}

function bundleSizes(dir: string): { file: string; bytes: number; gzip: number }[] {
  const out: { file: string; bytes: number; gzip: number }[] = [];
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
      else if (name.endsWith('.js')) {
        const data = readFileSync(full);
        out.push({ file: `${prefix}${name}`, bytes: data.length, gzip: gzipSync(data).length });
      }
    }
  };
  walk(dir, '');
  return out.sort((a, b) => b.bytes - a.bytes);
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const ratio = (a: number, b: number) => (b > 0 ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');

async function main(): Promise<void> {
  const incremental = await webviewVariant('bench-incremental', {});
  if (process.env.BENCH_ONLY === 'paint') return printPaint(incremental);
  const naive = await webviewVariant('bench-naive', { NT_BENCH_NAIVE_MARKDOWN: 'true' });
  const tokens = replyTokens(TOKENS);
  const short = replyTokens(1000);

  console.log(`webview bench — chromium, ${TOKENS} tokens at ${RATE} tok/s, one post per frame`);
  // Same work for both builds: one post of rate/60 tokens per painted frame.
  const inc1k = await stream(incremental, short, RATE, 'frames');
  // The floor: the same posts for a message no entry shows (message handling, the frame buffer,
  // the browser's frames, the driver's own timers). Both builds pay it; no renderer can remove it.
  const floor1k = await stream(incremental, short, RATE, 'frames', 'absent');
  const floor = await stream(incremental, tokens, RATE, 'frames', 'absent');
  const nai1k = await stream(naive, short, RATE, 'frames');
  const inc = await stream(incremental, tokens, RATE, 'frames');
  const nai = await stream(naive, tokens, RATE, 'frames');
  // Real time, as a fast model would: whatever the page keeps up with, and the long tasks it suffers.
  const incLive = await stream(incremental, tokens, RATE, 'realtime');
  const naiLive = await stream(naive, tokens, RATE, 'realtime');
  const row = (name: string, r: StreamResult, n: number) =>
    `  ${name.padEnd(16)} ${r.taskMs.toFixed(0).padStart(6)} ms main thread (${r.scriptMs.toFixed(0).padStart(5)} ms script, ${r.styleMs.toFixed(0)} style, ${r.layoutMs.toFixed(0)} layout)  ${(r.taskMs / n).toFixed(3)} ms/token  ${String(r.longTasks).padStart(3)} long tasks${r.longTasks ? ` (max ${r.longestMs.toFixed(0)} ms)` : ''}  ${r.posts} posts, ${(r.wallMs / 1000).toFixed(1)} s`;
  const per = Math.round(RATE / 60);
  console.log(`\n1,000-token reply, ${per} tokens per frame`);
  console.log(row('incremental', inc1k, 1000));
  console.log(row('naive re-render', nai1k, 1000));
  console.log(row('floor (no entry)', floor1k, 1000));
  console.log(`  incremental / naive: ${ratio(inc1k.taskMs, nai1k.taskMs)} of main-thread time, ${ratio(inc1k.scriptMs, nai1k.scriptMs)} of script time`);
  console.log(`  above the floor, incremental / naive: ${ratio(inc1k.taskMs - floor1k.taskMs, nai1k.taskMs - floor1k.taskMs)} of main-thread time`);
  console.log(`\n${TOKENS.toLocaleString('en-US')}-token reply, ${per} tokens per frame`);
  console.log(row('incremental', inc, TOKENS));
  console.log(row('naive re-render', nai, TOKENS));
  console.log(row('floor (no entry)', floor, TOKENS));
  console.log(`  incremental / naive: ${ratio(inc.taskMs, nai.taskMs)} of main-thread time, ${ratio(inc.scriptMs, nai.scriptMs)} of script time`);
  console.log(`  above the floor, incremental / naive: ${ratio(inc.taskMs - floor.taskMs, nai.taskMs - floor.taskMs)} of main-thread time`);
  console.log(`\n${TOKENS.toLocaleString('en-US')} tokens in real time at ${RATE} tok/s (posts limited to one per 16 ms)`);
  console.log(row('incremental', incLive, TOKENS));
  console.log(row('naive re-render', naiLive, TOKENS));
  await printPaint(incremental);

  const dev = bundleSizes(join(__dirname, '..', '..', 'dist', 'webview'));
  const prod = bundleSizes(join(__dirname, '..', '..', 'test-results', 'browser', 'bundle-bench-incremental'));
  console.log('\nbundle (production build: minified / gzip)');
  for (const f of prod) console.log(`  ${f.file.padEnd(34)} ${kb(f.bytes).padStart(9)} ${kb(f.gzip).padStart(9)}`);
  const eager = prod.filter((f) => !f.file.includes('languages-'));
  console.log(`  loaded at start: ${kb(eager.reduce((a, f) => a + f.bytes, 0))} (${kb(eager.reduce((a, f) => a + f.gzip, 0))} gzip); highlighting chunk on demand`);
  console.log(`  (dev build in dist/webview: ${kb(dev.reduce((a, f) => a + f.bytes, 0))} unminified)`);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => mochaHooks.afterAll());
