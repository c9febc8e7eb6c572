/**
 * What a page's main thread spent its longest tasks on, read from a Chrome trace (Playwright's
 * `browser.startTracing` with TRACE_CATEGORIES). The 'longtask' observer only says that a task took
 * 50 ms or more; this says what was inside it: the trace's own events (script, style, layout, paint,
 * garbage collection) and, from V8's sampling profiler, the JavaScript functions by self time. A
 * benchmark prints it to find the cause of a long task; on a busy machine a task also grows by the
 * time its thread waited for a core, which shows as time no event accounts for.
 */

/** Enough for every main-thread task with its wall and thread (CPU) time and what it ran. */
export const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'];
/**
 * Also V8's sampling profiler, for the JavaScript functions inside a task. Starting it is itself a long
 * task (left out of the summary) and it slows scripts: for finding causes, not for figures.
 */
export const PROFILE_CATEGORIES = [...TRACE_CATEGORIES, 'v8', 'v8.execute', 'disabled-by-default-v8.cpu_profiler'];

interface TraceEvent {
  readonly name: string;
  readonly cat?: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly id?: string;
  readonly args?: Record<string, unknown>;
}

export interface TaskReport {
  /** Wall time of the task, ms. */
  readonly ms: number;
  /** CPU time of the thread during the task, ms (less than `ms` when the thread waited for a core). */
  readonly cpuMs: number | null;
  /** The task's events by name (nested ones included), total ms each, largest first. */
  readonly parts: readonly { readonly name: string; readonly ms: number }[];
  /** JavaScript functions by self time within the task (sampled), largest first. */
  readonly functions: readonly { readonly name: string; readonly ms: number }[];
}

/** The renderer main thread that ran scripts from `origin` (the page, not the browser's own UI). */
function pageMainThread(events: readonly TraceEvent[], origin: string): { pid: number; tid: number } | null {
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && (e.args?.name as string) === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const counts = new Map<string, number>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (!mains.has(key)) continue;
    const url = ((e.args?.data as { url?: string } | undefined)?.url ?? '') as string;
    if (url.startsWith(origin)) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  if (!best) return null;
  const [pid, tid] = best[0].split(':').map(Number);
  return { pid, tid };
}

function describe(e: TraceEvent): string {
  const data = e.args?.data as { functionName?: string; url?: string; lineNumber?: number; type?: string } | undefined;
  if (e.name === 'FunctionCall' && data) return `FunctionCall ${data.functionName || '(anonymous)'} ${(data.url ?? '').split('/').pop()}:${data.lineNumber ?? '?'}`;
  if (e.name === 'EventDispatch' && data?.type) return `EventDispatch ${data.type}`;
  return e.name;
}

/** Samples of V8's profiler on one thread: [time µs, function name] pairs. */
function profileSamples(events: readonly TraceEvent[], pid: number, tid: number): [number, string][] {
  const names = new Map<number, string>();
  const out: [number, string][] = [];
  // A thread's profile is a 'Profile' event and 'ProfileChunk's with the same id, on that thread.
  const ids = new Set(events.filter((e) => e.name === 'Profile' && e.pid === pid && e.tid === tid).map((e) => e.id));
  let t = 0;
  for (const e of events) {
    if (e.name === 'Profile' && ids.has(e.id)) t = ((e.args?.data as { startTime?: number })?.startTime ?? t);
    if (e.name !== 'ProfileChunk' || !ids.has(e.id)) continue;
    const data = e.args?.data as { cpuProfile?: { nodes?: { id: number; callFrame: { functionName: string; url?: string; lineNumber?: number } }[]; samples?: number[] }; timeDeltas?: number[] };
    for (const n of data.cpuProfile?.nodes ?? []) {
      const f = n.callFrame;
      names.set(n.id, `${f.functionName || '(anonymous)'} ${(f.url ?? '').split('/').pop()}:${f.lineNumber ?? '?'}`);
    }
    const samples = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      t += deltas[i] ?? 0;
      out.push([t, names.get(samples[i]) ?? String(samples[i])]);
    }
  }
  return out.sort((a, b) => a[0] - b[0]);
}

function top(m: Map<string, number>, n: number) {
  return [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10 }));
}

export interface TraceSummary {
  /** Top-level tasks of the page's main thread, and their CPU time in all, ms. */
  readonly tasks: number;
  readonly cpuMs: number;
  /** The most CPU one task used, ms. */
  readonly maxTaskCpuMs: number;
  /** The longest tasks by wall time, and the ones that used the most CPU. */
  readonly longest: readonly TaskReport[];
  readonly busiest: readonly TaskReport[];
}

const isTask = (e: TraceEvent) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask';

/**
 * The page's main-thread tasks in a trace: how many, their CPU time, and the `count` longest (wall) and
 * busiest (CPU) with what filled them. Starting the trace's own profiler is a long task of its own: left out.
 */
export function traceSummary(trace: string | Buffer, origin: string, count = 3): TraceSummary | null {
  const events = (JSON.parse(String(trace)) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = pageMainThread(events, origin);
  if (!main) return null;
  const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && typeof e.dur === 'number');
  const profilerStarts = mine.filter((e) => e.name === 'CpuProfiler::StartProfiling');
  // Nested RunTasks (a task inside a task) would be counted twice: keep the outermost.
  const all = mine.filter(isTask).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const outer: TraceEvent[] = [];
  let end = -Infinity;
  for (const task of all) {
    if (task.ts < end) continue;
    end = task.ts + task.dur!;
    if (!profilerStarts.some((p) => p.ts >= task.ts && p.ts < end)) outer.push(task);
  }
  const samples = profileSamples(events, main.pid, main.tid);
  const pick = (key: (e: TraceEvent) => number) => [...outer].sort((a, b) => key(b) - key(a)).slice(0, count).map((t) => report(t, mine, samples));
  return {
    tasks: outer.length,
    cpuMs: Math.round(outer.reduce((s, t) => s + (t.tdur ?? t.dur!), 0) / 1000),
    maxTaskCpuMs: Math.round(outer.reduce((m, t) => Math.max(m, t.tdur ?? t.dur!), 0) / 100) / 10,
    longest: pick((t) => t.dur!),
    busiest: pick((t) => t.tdur ?? 0),
  };
}

function report(task: TraceEvent, mine: readonly TraceEvent[], samples: readonly [number, string][]): TaskReport {
  {
    const end = task.ts + task.dur!;
    const parts = new Map<string, number>();
    for (const e of mine) {
      if (e === task || e.ts < task.ts || e.ts >= end || isTask(e)) continue;
      parts.set(describe(e), (parts.get(describe(e)) ?? 0) + e.dur!);
    }
    const fns = new Map<string, number>();
    for (let i = 0; i < samples.length; i++) {
      const [t, name] = samples[i];
      if (t < task.ts || t >= end) continue;
      const next = samples[i + 1]?.[0] ?? t;
      fns.set(name, (fns.get(name) ?? 0) + Math.min(next - t, end - t));
    }
    return { ms: Math.round(task.dur! / 100) / 10, cpuMs: task.tdur === undefined ? null : Math.round(task.tdur / 100) / 10, parts: top(parts, 8), functions: top(fns, 8) };
  }
}
