// Pan, node drag and wheel zoom on a generated graph: rAF intervals in the page (what a person
// sees, raster included) and the page's main-thread work per input frame (from a trace).
import type { Page } from 'playwright-core';
import { denseChains } from '../tests/helpers/big-graph.js';
import { openEditor, openGraph, summarize, newBenchContext, zoomInTo, type BenchBrowser, type Summary } from './editor-page.js';
import { traceInput, type TraceStats } from './editor-trace.js';

export type Gesture = 'drag' | 'pan' | 'wheel';

export interface GestureResult {
  readonly gesture: Gesture;
  readonly nodes: number;
  readonly events: number;
  readonly wallMs: number;
  /** Intervals between requestAnimationFrame callbacks while the gesture ran. */
  readonly rafMs: Summary;
  /** Main-thread frame tasks that handled the gesture's events. */
  readonly taskMs: Summary;
  readonly handlersMs: Summary;
  readonly styleLayoutMs: Summary;
  readonly paintMs: Summary;
  /** Median ms of each timeline phase per input frame (JSON only). */
  readonly phases: Readonly<Record<string, number>>;
  readonly busy: number;
  /** false: run again without a trace, to show the trace's own cost; frame tasks then come from LoAF. */
  readonly traced: boolean;
  /** Long animation frames (> 50 ms) during the gesture: whole frame, and its style+layout+paint part. */
  readonly longFrames: { readonly count: number; readonly durationMs: Summary; readonly renderMs: Summary };
}

const MOVES = 60;
const WHEELS = 30;

/** Runs every gesture on a `count`-node graph (10 chains per 500 nodes) in a fresh context. */
export async function measureGestures(chrome: BenchBrowser, url: string, count: number): Promise<GestureResult[]> {
  const context = await newBenchContext(chrome);
  try {
    const { page, errors } = await openEditor(context, url);
    await openGraph(page, `Generated ${count}`, denseChains(count));
    // Fit shows the whole graph at the zoom floor; zoom in until a node is big enough to grab.
    await zoomInTo(page, 0.6);
    await page.waitForTimeout(300);
    const results: GestureResult[] = [];
    for (const kind of ['drag', 'pan', 'wheel'] as const) results.push(await gesture(chrome, page, count, kind, true));
    results.push(await gesture(chrome, page, count, 'pan', false));
    if (errors.length) throw new Error(`page errors while measuring ${count} nodes: ${errors.join('; ')}`);
    return results;
  } finally {
    await context.close();
  }
}

async function gesture(chrome: BenchBrowser, page: Page, count: number, kind: Gesture, traced: boolean): Promise<GestureResult> {
  const pane = (await page.getByTestId('canvas').boundingBox())!;
  const act = await gestureSteps(page, pane, kind);
  await startRaf(page);
  const trace = traced ? await traceInput(chrome.browser, page) : null;
  const t0 = Date.now();
  const events = await act();
  const wallMs = Date.now() - t0;
  const stats = trace ? await trace.stop(kind === 'wheel' ? ['wheel'] : ['pointermove', 'mousemove']) : { frames: [], busy: NaN };
  const { intervals, longFrames } = await stopRaf(page);
  await page.waitForTimeout(400); // let the drop's save and any trailing frame settle
  return result(kind, count, events, wallMs, intervals, stats, traced, longFrames);
}

type Box = { x: number; y: number; width: number; height: number };

/** The input sequence for `kind`, prepared (target chosen) before timing starts. */
async function gestureSteps(page: Page, pane: Box, kind: Gesture): Promise<() => Promise<number>> {
  switch (kind) {
    case 'drag': {
      const b = await nodeInView(page, pane);
      return async () => {
        await page.mouse.move(b.x + 10, b.y + b.height / 2);
        await page.mouse.down();
        for (let i = 1; i <= MOVES; i++) await page.mouse.move(b.x + 10 + i * 2, b.y + b.height / 2 + i);
        await page.mouse.up();
        return MOVES;
      };
    }
    case 'pan': {
      const p = await backgroundPoint(page, pane);
      return async () => {
        const before = await page.locator('.canvas-viewport').getAttribute('style');
        await page.mouse.move(p.x, p.y);
        await page.mouse.down();
        for (let i = 1; i <= MOVES; i++) await page.mouse.move(p.x - i * 3, p.y + i * 2);
        await page.mouse.up();
        if ((await page.locator('.canvas-viewport').getAttribute('style')) === before) throw new Error('the pan gesture did not move the viewport (it started on a node?)');
        return MOVES;
      };
    }
    case 'wheel':
      return async () => {
        await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
        for (let i = 0; i < WHEELS; i++) await page.mouse.wheel(0, i % 2 ? 60 : -60);
        return WHEELS;
      };
    default: {
      const never: never = kind;
      throw new Error(`unknown gesture ${String(never)}`);
    }
  }
}

/** A point on the empty canvas background (where a press pans), searched top-middle first. */
async function backgroundPoint(page: Page, pane: Box): Promise<{ x: number; y: number }> {
  const p = await page.evaluate((b) => {
    for (let dy = 30; dy < b.height - 150; dy += 20)
      for (const fx of [0.5, 0.6, 0.4, 0.7, 0.3]) {
        const x = b.x + b.width * fx, y = b.y + dy;
        const el = document.elementFromPoint(x, y);
        if (el?.closest('.canvas-pane') && !el.closest('.nopan, button, input, .canvas-tools, [data-testid=minimap]')) return { x, y };
      }
    return null;
  }, pane);
  if (!p) throw new Error('no empty background on the canvas to pan from');
  return p;
}

async function nodeInView(page: Page, pane: Box): Promise<Box> {
  const boxes = await page.getByTestId('canvas-node').evaluateAll((els, p) =>
    els.map((e) => e.getBoundingClientRect()).filter((r) => r.left > p.x + 10 && r.top > p.y + 40 && r.right < p.x + p.width - 260 && r.bottom < p.y + p.height - 200).map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })), pane);
  if (!boxes[0]) throw new Error('no node fully in view to drag');
  return boxes[0];
}

interface LongFrame { duration: number; render: number }
interface RafState { frames: number[]; stop: boolean; long: LongFrame[]; observer: PerformanceObserver }

/** Starts recording rAF times and long animation frames (LoAF) in the page. */
async function startRaf(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __benchRaf: RafState };
    const state: RafState = {
      frames: [],
      stop: false,
      long: [],
      observer: new PerformanceObserver((list) => {
        for (const e of list.getEntries() as (PerformanceEntry & { styleAndLayoutStart: number; renderStart: number })[])
          state.long.push({ duration: e.duration, render: e.startTime + e.duration - (e.renderStart || e.styleAndLayoutStart) });
      }),
    };
    w.__benchRaf = state;
    state.observer.observe({ type: 'long-animation-frame' });
    const tick = (t: number) => {
      state.frames.push(t);
      if (!state.stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

async function stopRaf(page: Page): Promise<{ intervals: number[]; longFrames: LongFrame[] }> {
  const { ts, long } = await page.evaluate(async () => {
    const state = (window as unknown as { __benchRaf: RafState }).__benchRaf;
    state.stop = true;
    await new Promise((r) => setTimeout(r, 100)); // LoAF entries arrive after their frame
    state.observer.disconnect();
    return { ts: state.frames, long: state.long };
  });
  return { intervals: ts.slice(1).map((t, i) => t - ts[i]!), longFrames: long };
}

function result(gesture: Gesture, nodes: number, events: number, wallMs: number, raf: number[], t: TraceStats, traced: boolean, long: LongFrame[]): GestureResult {
  const pick = (k: 'taskMs' | 'handlersMs' | 'styleLayoutMs' | 'paintMs') => summarize(t.frames.map((f) => f[k]));
  const phaseNames = Object.keys(t.frames[0]?.phases ?? {});
  const phases = Object.fromEntries(phaseNames.map((p) => [p, summarize(t.frames.map((f) => f.phases[p] ?? 0)).median]));
  return {
    gesture, nodes, events, wallMs, rafMs: summarize(raf), taskMs: pick('taskMs'), handlersMs: pick('handlersMs'), styleLayoutMs: pick('styleLayoutMs'), paintMs: pick('paintMs'), phases, busy: t.busy, traced,
    longFrames: { count: long.length, durationMs: summarize(long.map((l) => l.duration)), renderMs: summarize(long.map((l) => l.render)) },
  };
}
