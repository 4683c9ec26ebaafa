// Edit → shapes on screen: commits a param in the properties panel (Enter) and times, in the
// page, from the key event to the DOM showing every changed shape on nodes and edge labels,
// counting the animation frames in between. The expected texts come from the engine's analysis.
import type { Page } from 'playwright-core';
import { shapeText } from '../src/editor/canvas/node-summary.js';
import { analyzeGraph } from '../src/engine/graph/analyze.js';
import type { Graph } from '../src/engine/project/types.js';
import { openEditor, openGraph, summarize, newBenchContext, type BenchBrowser, type Summary } from './editor-page.js';

export interface EditCase {
  readonly name: string;
  readonly graph: Graph;
  readonly nodeId: string;
  readonly param: string;
  /** The values committed in turn (the first differs from the stored one). */
  readonly values: readonly [number, number];
  /** Opens the graph in the page (seeded project or template). */
  open(page: Page): Promise<void>;
}

export interface EditResult {
  readonly name: string;
  /** Nodes whose shape text changes with each edit (edge labels from them change too). */
  readonly changedNodes: number;
  readonly changedLabels: number;
  /** Key event → every expected text in the DOM. */
  readonly toDomMs: Summary;
  /** Key event → the rAF callbacks of the first frame that shows them (its paint follows). */
  readonly toFrameMs: Summary;
  /** Animation frames that started between the key event and the DOM update (0 = shown by the next frame). */
  readonly framesBefore: Summary;
  /** Edits discarded because the field's 500 ms commit timer beat the Enter key. */
  readonly committedByTimer: number;
}

interface Expected {
  readonly nodes: Record<string, string>;
  readonly labels: Record<string, string>;
}

/** Shape texts that differ between `graph` and `graph` with `param` of `nodeId` set to `value`. */
export function expectedTexts(graph: Graph, nodeId: string, param: string, value: number): Expected {
  const edited: Graph = { ...graph, nodes: graph.nodes.map((n) => (n.id === nodeId ? { ...n, params: { ...n.params, [param]: value } } : n)) };
  const [before, after] = [analyzeGraph(graph), analyzeGraph(edited)];
  const text = (a: typeof before, id: string) => {
    const s = a.nodes.get(id as never)?.output?.shape;
    return s ? shapeText(s) : '—';
  };
  const nodes: Record<string, string> = {};
  for (const n of graph.nodes) if (text(before, n.id) !== text(after, n.id)) nodes[n.id] = text(after, n.id);
  const labels: Record<string, string> = {};
  for (const e of graph.edges) if (nodes[e.source]) labels[`${e.source}>${e.target}`] = nodes[e.source]!;
  return { nodes, labels };
}

/** `runs` timed edits (after 2 untimed), alternating the case's two values. */
export async function measureEdits(chrome: BenchBrowser, url: string, c: EditCase, runs: number): Promise<EditResult> {
  const context = await newBenchContext(chrome);
  try {
    const { page, errors } = await openEditor(context, url);
    await c.open(page);
    await page.locator(`[data-testid=canvas-node][data-node-id="${c.nodeId}"]`).dispatchEvent('click');
    const field = page.getByTestId(`prop-${c.param}`);
    await field.waitFor();
    const expect = c.values.map((v) => expectedTexts(c.graph, c.nodeId, c.param, v));
    // Going back to the stored value restores the original texts, so alternate between the two edited ones.
    const times: { dom: number; frame: number; frames: number }[] = [];
    let late = 0;
    for (let i = 0; i < runs + 2 && late < runs; i++) {
      const which = i % 2;
      const exp = which === 0 ? expect[0]! : expect[1]!;
      await armRecorder(page, exp);
      await field.fill(String(c.values[which]));
      await field.press('Enter');
      const r = await page.waitForFunction(() => (window as unknown as { __benchEdit: { done: { dom: number; frame: number; frames: number } | null } }).__benchEdit.done, undefined, { timeout: 20_000 });
      const done = (await r.jsonValue()) as { dom: number; frame: number; frames: number };
      // frames < 0: the field's own commit timer fired before Enter (a slow machine): not an Enter edit.
      if (done.frames < 0) late++;
      else if (i >= 2) times.push(done);
      await page.waitForTimeout(150);
    }
    if (errors.length) throw new Error(`page errors while editing ${c.name}: ${errors.join('; ')}`);
    return {
      name: c.name,
      changedNodes: Object.keys(expect[0]!.nodes).length,
      changedLabels: Object.keys(expect[0]!.labels).length,
      toDomMs: summarize(times.map((t) => t.dom)),
      toFrameMs: summarize(times.map((t) => t.frame)),
      framesBefore: summarize(times.map((t) => t.frames)),
      committedByTimer: late,
    };
  } finally {
    await context.close();
  }
}

/**
 * Installs, for one edit: a capture keydown listener (the start: the event's timestamp), a rAF
 * counter, and a MutationObserver that, once every expected text is on screen, records the time
 * (taken before its own check) and when the next frame's callbacks run. A commit that lands
 * before the key (the field's timer) is reported as frames -1.
 */
async function armRecorder(page: Page, exp: Expected): Promise<void> {
  await page.evaluate((x) => {
    type Done = { dom: number; frame: number; frames: number };
    const w = window as unknown as { __benchEdit: { done: Done | null; stop(): void } | undefined };
    w.__benchEdit?.stop();
    let start = -1;
    let frames = 0;
    let live = true;
    const state: { done: Done | null; stop(): void } = { done: null, stop: () => void (live = false) };
    w.__benchEdit = state;
    const tick = () => {
      if (!live) return;
      if (start >= 0) frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Enter' || start >= 0) return;
      start = e.timeStamp;
      if (shown()) finish({ dom: NaN, frame: NaN, frames: -1 });
    };
    const finish = (d: Done) => {
      observer.disconnect();
      window.removeEventListener('keydown', onKey, { capture: true });
      state.done = d;
      live = false;
    };
    window.addEventListener('keydown', onKey, { capture: true });
    const canvas = document.querySelector('[data-testid=canvas]')!;
    // Elements looked up once (a re-check on ~1,000 selectors would cost more than the update);
    // looked up again only if the app replaced one.
    const targets = [
      ...Object.entries(x.nodes).map(([id, t]) => ({ sel: `[data-testid=canvas-node][data-node-id="${id}"] [data-testid=node-shape]`, t })),
      ...Object.entries(x.labels).map(([k, t]) => ({ sel: `[data-testid=edge-label][data-source="${k.split('>')[0]}"][data-target="${k.split('>')[1]}"] span`, t })),
    ].map((e) => ({ ...e, el: canvas.querySelector(e.sel) }));
    const shown = () =>
      targets.every((e) => {
        if (!e.el?.isConnected) e.el = canvas.querySelector(e.sel);
        return e.el?.textContent === e.t;
      });
    const observer = new MutationObserver(() => {
      const now = performance.now();
      if (start < 0 || !shown()) return;
      observer.disconnect();
      const before = frames;
      requestAnimationFrame(() => finish({ dom: now - start, frame: performance.now() - start, frames: before }));
    });
    observer.observe(canvas, { subtree: true, childList: true, characterData: true });
  }, exp);
}
