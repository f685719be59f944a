/**
 * The page's main-thread tasks from a DevTools trace, for the benches: each task's wall time and
 * the thread's CPU time in it. BENCH_DEBUG=1 lists the longest tasks with what they spent it on.
 */
import type { WebviewPage } from '../browser/harness';

/** One main-thread task of the page: wall time and the thread's CPU time in it. */
export interface Task {
  readonly ms: number;
  readonly cpuMs: number;
}

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: { data?: { message?: string } };
}

/**
 * Runs `work` under a DevTools trace and returns the page's main-thread tasks between the
 * page's 'nt-render-from' and 'nt-render-until' marks (`console.timeStamp`). CPU time is the figure that holds on a
 * loaded machine: a busy machine stretches a task's wall time, not the work in it.
 */
export async function traced<T>(p: WebviewPage, work: () => Promise<T>): Promise<{ result: T; tasks: Task[] }> {
  const cdp = await p.context.newCDPSession(p.page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (d: { value: object[] }) => events.push(...(d.value as TraceEvent[])));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['toplevel', 'devtools.timeline'] }, transferMode: 'ReportEvents' });
  const result = await work();
  const complete = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  const mark = (message: string) => events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === message);
  const from = mark('nt-render-from');
  const until = mark('nt-render-until');
  if (!from || !until) return { result, tasks: [] };
  const tasks = events
    .filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.ph === 'X' && e.pid === from.pid && e.tid === from.tid && e.ts >= from.ts && e.ts < until.ts)
    .map((e) => ({ ms: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? e.dur ?? 0) / 1000, e }));
  if (process.env.BENCH_DEBUG) {
    for (const { e } of [...tasks].sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 3)) {
      const inner = events.filter((x) => x.ph === 'X' && x.tid === e.tid && x.pid === e.pid && x.ts >= e.ts && x.ts + (x.dur ?? 0) <= e.ts + (e.dur ?? 0) && x !== e);
      console.log(`    task #${tasks.findIndex((t) => t.e === e)} of ${tasks.length} at +${((e.ts - from.ts) / 1000).toFixed(0)} ms: ${((e.dur ?? 0) / 1000).toFixed(1)} ms wall, ${((e.tdur ?? 0) / 1000).toFixed(1)} ms CPU: ${[...inner].sort((a, b) => (b.tdur ?? 0) - (a.tdur ?? 0)).slice(0, 12).map((x) => `${x.name} ${((x.dur ?? 0) / 1000).toFixed(1)}/${((x.tdur ?? 0) / 1000).toFixed(1)}`).join(', ')}`);
    }
  }
  return { result, tasks };
}

/** The longest task by wall or CPU time (0 when there is none). */
export const longest = (tasks: readonly Task[], key: keyof Task): number => Math.max(0, ...tasks.map((t) => t[key]));
