// The page's own main-thread work per input event, from a Chromium performance trace: each
// rAF-aligned pointer/wheel event is dispatched inside the frame task that then updates style,
// layout and paint records, so that task's length is what the page costs per frame. Rasterising
// (SwiftShader here, the GPU elsewhere) runs on other threads and is not in it.
import type { Browser, Page } from 'playwright-core';

/** Trace categories for the timeline events parsed below. */
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'];

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly args?: { readonly name?: string; readonly data?: { readonly type?: string } };
}

/** One frame task that handled at least one input event, in ms. */
export interface InputFrame {
  /** The whole task: input handlers, style, layout, paint records, commit. */
  readonly taskMs: number;
  /** Event listeners of the measured input types (script). */
  readonly handlersMs: number;
  /** Style recalculation and layout. */
  readonly styleLayoutMs: number;
  /** Pre-paint, paint records, layerize and commit to the compositor. */
  readonly paintMs: number;
  /** Each timeline phase's own total in this task (for the JSON: which phase dominates). */
  readonly phases: Readonly<Record<string, number>>;
}

export interface TraceStats {
  readonly frames: readonly InputFrame[];
  /** Share of the traced window the renderer's main thread spent in tasks (0…1). */
  readonly busy: number;
}

const TASK = 'ThreadControllerImpl::RunTask';
const STYLE_LAYOUT = new Set(['UpdateLayoutTree', 'Layout']);
const PAINT = new Set(['PrePaint', 'Paint', 'Layerize', 'Commit']);
const PHASES = ['EventDispatch', 'FunctionCall', 'HitTest', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'UpdateLayer'];

/** Starts a trace of `page`'s renderer; `stop()` returns the input frames of the given event types. */
export async function traceInput(browser: Browser, page: Page): Promise<{ stop(types: readonly string[]): Promise<TraceStats> }> {
  await browser.startTracing(page, { categories: CATEGORIES });
  return {
    async stop(types) {
      const buffer = await browser.stopTracing();
      return inputFrames((JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents, types);
    },
  };
}

/** Parses a trace: finds the renderer main thread that dispatched `types`, then its frame tasks. */
export function inputFrames(events: readonly TraceEvent[], types: readonly string[]): TraceStats {
  const mainThreads = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const isInput = (e: TraceEvent) => e.name === 'EventDispatch' && types.includes(e.args?.data?.type ?? '');
  const perThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph !== 'X' || !mainThreads.has(key)) continue;
    const list = perThread.get(key);
    if (list) list.push(e);
    else perThread.set(key, [e]);
  }
  const [, thread] = [...perThread.values()].map((es) => [es.filter(isInput).length, es] as const).sort((a, b) => b[0] - a[0])[0] ?? [0, []];
  const sorted = [...thread].sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  // Outermost tasks only (a nested run loop would count twice).
  const tasks: TraceEvent[] = [];
  for (const e of sorted) if (e.name === TASK && !(tasks.length && e.ts < tasks.at(-1)!.ts + (tasks.at(-1)!.dur ?? 0))) tasks.push(e);
  const frames: InputFrame[] = [];
  let i = 0;
  for (const task of tasks) {
    const end = task.ts + (task.dur ?? 0);
    while (i < sorted.length && sorted[i]!.ts < task.ts) i++;
    const inside: TraceEvent[] = [];
    for (let j = i; j < sorted.length && sorted[j]!.ts < end; j++) if (sorted[j] !== task) inside.push(sorted[j]!);
    if (!inside.some(isInput)) continue;
    const phases = Object.fromEntries(PHASES.map((p) => [p, outermost(inside, (e) => e.name === p)]));
    frames.push({ taskMs: ms(task.dur), handlersMs: outermost(inside, isInput), styleLayoutMs: outermost(inside, (e) => STYLE_LAYOUT.has(e.name)), paintMs: outermost(inside, (e) => PAINT.has(e.name)), phases });
  }
  const window = tasks.length ? tasks.at(-1)!.ts + (tasks.at(-1)!.dur ?? 0) - tasks[0]!.ts : 0;
  return { frames, busy: window > 0 ? tasks.reduce((s, t) => s + (t.dur ?? 0), 0) / window : 0 };
}

/** Total ms of the events matching `pick`, not counting one nested inside another. */
function outermost(events: readonly TraceEvent[], pick: (e: TraceEvent) => boolean): number {
  let total = 0;
  let until = -Infinity;
  for (const e of events) {
    if (!pick(e) || e.ts < until) continue;
    total += e.dur ?? 0;
    until = e.ts + (e.dur ?? 0);
  }
  return ms(total);
}

const ms = (us: number | undefined) => (us ?? 0) / 1000;
