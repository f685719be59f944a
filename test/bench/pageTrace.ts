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
  readonly id?: string;
  readonly args?: { data?: { message?: string; startTime?: number; cpuProfile?: CpuProfile; timeDeltas?: number[] } };
}

interface CpuProfile {
  readonly nodes?: { id: number; callFrame: { functionName?: string; url?: string; lineNumber?: number }; parent?: number }[];
  readonly samples?: number[];
}

/** V8's samples from the trace (debug only): when, and which function was running. */
function samplesOf(events: readonly TraceEvent[]): { ts: number; fn: string; stack: string[] }[] {
  const out: { ts: number; fn: string; stack: string[] }[] = [];
  for (const profile of events.filter((e) => e.name === 'Profile')) {
    const frames = new Map<number, { name: string; parent?: number }>();
    let ts = profile.args?.data?.startTime ?? profile.ts;
    for (const chunk of events.filter((e) => e.name === 'ProfileChunk' && e.id === profile.id)) {
      const { cpuProfile, timeDeltas = [] } = chunk.args?.data ?? {};
      for (const n of cpuProfile?.nodes ?? []) {
        const { functionName = '', url = '', lineNumber = -1 } = n.callFrame;
        frames.set(n.id, { name: `${functionName || '(anonymous)'} ${url.split('/').pop() ?? ''}:${lineNumber + 1}`, ...(n.parent !== undefined ? { parent: n.parent } : {}) });
      }
      (cpuProfile?.samples ?? []).forEach((id, i) => {
        ts += timeDeltas[i] ?? 0;
        const stack: string[] = [];
        for (let at: number | undefined = id; at !== undefined && stack.length < 40; at = frames.get(at)?.parent) stack.push(frames.get(at)?.name ?? '?');
        out.push({ ts, fn: stack[0] ?? '?', stack });
      });
    }
  }
  return out;
}

/** The functions most often on the stack within [from, to] (debug only). */
function hotFunctions(samples: readonly { ts: number; fn: string; stack: string[] }[], from: number, to: number): string {
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const inside = samples.filter((x) => x.ts >= from && x.ts <= to);
  for (const x of inside) {
    self.set(x.fn, (self.get(x.fn) ?? 0) + 1);
    for (const f of new Set(x.stack)) total.set(f, (total.get(f) ?? 0) + 1);
  }
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([f, c]) => `${f} ×${c}`).join('; ');
  return `${inside.length} samples — self: ${top(self, 6)}\n      on stack: ${top(total, 14)}`;
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
  const categories = ['toplevel', 'devtools.timeline', ...(process.env.BENCH_DEBUG ? ['disabled-by-default-v8.cpu_profiler'] : [])];
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: categories }, transferMode: 'ReportEvents' });
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
    const samples = samplesOf(events);
    const wallLong = tasks.filter((t) => t.ms > 50).map((t) => t.cpuMs).sort((a, b) => a - b);
    console.log(`    tasks: ${tasks.length}, over 10/20/50 ms CPU: ${[10, 20, 50].map((n) => tasks.filter((t) => t.cpuMs > n).length).join('/')}; over 50 ms wall: ${wallLong.length}, their CPU median ${(wallLong[wallLong.length >> 1] ?? 0).toFixed(1)} ms, max ${(wallLong.at(-1) ?? 0).toFixed(1)} ms`);
    const busy = tasks.filter((t) => t.cpuMs > 10);
    if (busy.length > 0) console.log(`    in the tasks over 10 ms CPU: ${hotFunctions(samples.filter((x) => busy.some((t) => x.ts >= t.e.ts && x.ts <= t.e.ts + (t.e.dur ?? 0))), 0, Infinity)}`);
    for (const { e } of [...tasks].sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 3)) {
      const inner = events.filter((x) => x.ph === 'X' && x.tid === e.tid && x.pid === e.pid && x.ts >= e.ts && x.ts + (x.dur ?? 0) <= e.ts + (e.dur ?? 0) && x !== e);
      console.log(`    task #${tasks.findIndex((t) => t.e === e)} of ${tasks.length} at +${((e.ts - from.ts) / 1000).toFixed(0)} ms: ${((e.dur ?? 0) / 1000).toFixed(1)} ms wall, ${((e.tdur ?? 0) / 1000).toFixed(1)} ms CPU: ${[...inner].sort((a, b) => (b.tdur ?? 0) - (a.tdur ?? 0)).slice(0, 12).map((x) => `${x.name} ${((x.dur ?? 0) / 1000).toFixed(1)}/${((x.tdur ?? 0) / 1000).toFixed(1)}`).join(', ')}`);
      console.log(`      ${hotFunctions(samples, e.ts, e.ts + (e.dur ?? 0))}`);
      for (const x of inner.filter((x) => x.name === 'Layout' && (x.tdur ?? 0) > 5000)) console.log(`      layout ${JSON.stringify(x.args).slice(0, 400)}`);
      if (e.tdur !== undefined && e.tdur > 50_000) {
        const all = events.filter((x) => x.tid === e.tid && x.pid === e.pid && x.ts >= e.ts && x.ts <= e.ts + (e.dur ?? 0) && x !== e);
        console.log(`      all events: ${all.map((x) => `${x.ph}:${x.name}@${((x.ts - e.ts) / 1000).toFixed(1)}${x.dur !== undefined ? `/${(x.dur / 1000).toFixed(1)}/${((x.tdur ?? 0) / 1000).toFixed(1)}` : ''}`).join(' ').slice(0, 3000)}`);
      }
    }
  }
  return { result, tasks };
}

/** The longest task by wall or CPU time (0 when there is none). */
export const longest = (tasks: readonly Task[], key: keyof Task): number => Math.max(0, ...tasks.map((t) => t[key]));
