/**
 * Huge content in the webview (chromium, the real page and CSP): how long the view stays busy
 * after it is handed a conversation holding one 5 MB reply, or 10,000 entries, and its longest
 * task. "Busy" is the time from posting the message until the page first has a whole idle
 * period (requestIdleCallback with ≥ 45 ms to spare): sliced rendering that keeps going counts
 * as busy; "task" is the page's main-thread task time in that span (CDP). Baselines, same run:
 * the 5 MB reply rendered whole (what "show all" does, and what every open did before replies
 * were collapsed), and a 40-entry conversation for the 10,000 entries.
 *
 *   npx tsx test/bench/hugeContent.bench.ts
 */
import * as os from 'node:os';

import { WebviewPage } from '../browser/harness';
import { assistantEntry, conversation, snapshot, userEntry } from '../browser/fixtures';
import { hugeReply } from './markdownShapes';
import { WINDOW_ENTRIES } from '../../src/extension/core/transcriptWindow';

const REPLY_MB = Number(process.env.BENCH_REPLY_MB ?? 5);
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 10_000);
/** The whole-render baseline is far slower than the collapsed open: measured on a smaller reply and scaled per MB. */
const WHOLE_MB = Number(process.env.BENCH_WHOLE_MB ?? 1);
/** `entries` runs only the long-conversation cases (the whole snapshot against the host's window). */
const ONLY = process.env.BENCH_ONLY;

interface Busy {
  busyMs: number;
  taskMs: number;
  longestMs: number;
  entries: number;
}

/** Posts `message` and measures until the page is idle; `then` runs before the clock stops (e.g. a click). */
async function busy(p: WebviewPage, message: unknown, click?: string): Promise<Busy> {
  await p.page.evaluate(() => {
    const w = window as unknown as { __long: { max: number } };
    w.__long = { max: 0 };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === 'self') w.__long.max = Math.max(w.__long.max, e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  const cdp = await p.context.newCDPSession(p.page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const task = async (): Promise<number> => ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
  const before = await task();
  const busyMs = await p.page.evaluate(
    ([m, selector]) =>
      new Promise<number>((done) => {
        const t0 = performance.now();
        if (m) window.postMessage(m, '*');
        if (selector) {
          // Clicked as soon as it exists (the reader's "show all").
          const find = (): void => {
            const button = [...document.querySelectorAll('nt-app')].flatMap((a) => [...(a.shadowRoot?.querySelectorAll('nt-transcript') ?? [])])
              .flatMap((t) => [...(t.shadowRoot?.querySelectorAll('nt-entry') ?? [])])
              .map((e) => e.shadowRoot?.querySelector<HTMLButtonElement>(selector))
              .find((b) => b);
            if (button) button.click();
            else setTimeout(find, 0);
          };
          find();
        }
        const idle = (): void => {
          requestIdleCallback((deadline) => (deadline.timeRemaining() >= 45 ? done(performance.now() - t0) : idle()));
        };
        setTimeout(idle, 0);
      }),
    [message, click] as const,
  );
  const taskMs = (await task()) - before;
  await cdp.detach();
  const longestMs = await p.page.evaluate(() => (window as unknown as { __long: { max: number } }).__long.max);
  return { busyMs, taskMs, longestMs, entries: await p.page.locator('nt-entry').count() };
}

async function warmPage(): Promise<WebviewPage> {
  const p = await WebviewPage.open({ width: 900, height: 900 });
  await p.post({ type: 'view/snapshot', snapshot: snapshot({ conversation: conversation([userEntry('w1', 'warm-up'), assistantEntry('w2', 'Warm **up** `code`.\n\n```ts\nconst x = 1;\n```')], { id: 'c0' }) }) });
  await p.page.waitForTimeout(300);
  return p;
}

const row = (name: string, b: Busy): string =>
  `| ${name} | ${b.busyMs.toFixed(0)} ms | ${b.taskMs.toFixed(0)} ms | ${b.longestMs.toFixed(0)} ms | ${b.entries} |`;

async function main(): Promise<void> {
  console.log(`huge content bench — chromium; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const reply = hugeReply(REPLY_MB * 2 ** 20);
  const replyConversation = conversation([userEntry('u1', 'Print the whole log.'), assistantEntry('a1', reply)]);
  const many = Array.from({ length: ENTRIES }, (_, i) =>
    i % 2 === 0 ? userEntry(`m${i}`, `Question ${i}: how does the parser handle chunk ${i}?`) : assistantEntry(`m${i}`, `Answer ${i}: keep the **tail**, split on blank lines, and \`decode\` with { stream: true }.`),
  );
  const results: [string, Busy][] = [];
  const run = async (name: string, message: unknown, click?: string): Promise<Busy> => {
    const p = await warmPage();
    try {
      const b = await busy(p, message, click);
      results.push([name, b]);
      return b;
    } finally {
      await p.close();
    }
  };
  const replies = ONLY === 'entries' ? undefined : await (async () => {
    const collapsed = await run(`${REPLY_MB} MB reply opened (collapsed)`, { type: 'chat/conversation', conversation: replyConversation });
    const wholeConversation = conversation([userEntry('u1', 'Print the whole log.'), assistantEntry('a1', hugeReply(WHOLE_MB * 2 ** 20))]);
    const whole = await run(`${WHOLE_MB} MB reply opened and shown whole ("show all" at once)`, { type: 'chat/conversation', conversation: wholeConversation }, 'button.show-all');
    return { collapsed, whole };
  })();
  const small = await run('40 entries opened', { type: 'chat/conversation', conversation: conversation(many.slice(0, 40)) });
  const big = await run(`${ENTRIES.toLocaleString('en')} entries posted whole (the first round's snapshot)`, { type: 'chat/conversation', conversation: conversation(many) });
  // What the host sends now: the newest entries of the branch and how many are older (chat/loadEarlier pages them in).
  const windowed = await run(`${ENTRIES.toLocaleString('en')} entries as the host sends them (newest ${WINDOW_ENTRIES} + earlier count)`, {
    type: 'chat/conversation',
    conversation: { ...conversation(many.slice(-WINDOW_ENTRIES)), earlier: ENTRIES - WINDOW_ENTRIES },
  });
  console.log('\n| case | busy until idle | main-thread task time | longest task | entries drawn |');
  console.log('|---|---|---|---|---|');
  for (const [name, b] of results) console.log(row(name, b));
  if (replies) {
    const { collapsed, whole } = replies;
    const scale = REPLY_MB / WHOLE_MB;
    console.log(`\n${REPLY_MB} MB reply collapsed / whole (the ${WHOLE_MB} MB whole render scaled ×${scale}) = ×${(collapsed.busyMs / (whole.busyMs * scale)).toFixed(4)} busy, ×${(collapsed.taskMs / (whole.taskMs * scale)).toFixed(4)} task time`);
  }
  console.log(`${ENTRIES.toLocaleString('en')} entries / 40 entries = ×${(big.busyMs / small.busyMs).toFixed(2)} busy, ×${(big.taskMs / small.taskMs).toFixed(2)} task time`);
  console.log(`${ENTRIES.toLocaleString('en')} entries windowed / posted whole = ×${(windowed.busyMs / big.busyMs).toFixed(3)} busy, ×${(windowed.taskMs / big.taskMs).toFixed(3)} task time`);
  console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
