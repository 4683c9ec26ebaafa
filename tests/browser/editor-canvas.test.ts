// The graph canvas in real Chromium: a template's nodes with the engine's shapes; a node drag
// stored as one change; connecting ports with the mouse (a refused drop says why); applying a
// fix on a broken edge; fit view; SVG/PNG export; frame times on a generated 500-node graph.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { shapeText } from '../../src/editor/canvas/node-summary.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { findTemplate } from '../../src/engine/templates/index.js';
import { denseChains } from '../helpers/big-graph.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { SCREENSHOTS } from './page.js';
import { openTab, putRecords, readStore, waitFor } from './storage-helpers.js';

interface StoredNode { id: string; kind: string; params: Record<string, unknown>; position?: { x: number; y: number } }
interface StoredEdge { source: string; target: string; targetInput: number }
interface StoredProject { id: string; name: string; updatedAt: number; draft: { name: string; graph: { nodes: StoredNode[]; edges: StoredEdge[] } } & Record<string, unknown> }

declare global {
  interface Window { __projectPuts: number }
}

let chrome: LaunchedBrowser;
let context: BrowserContext;
let page: Page;
let logs: string[];

beforeAll(async () => {
  chrome = await launchChromium();
  context = await chrome.browser.newContext({ viewport: { width: 1300, height: 1100 }, acceptDownloads: true });
  // Counts writes of project records, to show a drag is saved once, not per frame.
  await context.addInitScript(() => {
    window.__projectPuts = 0;
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'projects') window.__projectPuts++;
      return put.apply(this, args);
    };
  });
  ({ page, logs } = await openTab(context, inject('appUrl')));
  await waitFor('the first project', async () => (await page.getByTestId('project-name').inputValue().catch(() => '')) === 'MLP on MNIST', 20_000);
});
afterAll(async () => {
  await chrome?.close();
});

/** A screenshot of the editor alone (see tests/browser/page.ts for where it goes). */
async function shot(name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.getByTestId('editor').screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
const node = (id: string) => page.locator(`[data-testid=canvas-node][data-node-id="${id}"]`);
const projects = () => readStore<StoredProject>(page, 'projects');
const storedNode = async (name: string, id: string) => (await projects()).find((p) => p.name === name)?.draft.graph.nodes.find((n) => n.id === id);

/** Writes `graph` as a new project (a copy of a stored record) and opens it from the project list. */
async function openSeeded(name: string, graph: { nodes: StoredNode[]; edges: StoredEdge[] }): Promise<void> {
  const [base] = await projects();
  const id = `seed-${name.replace(/\W+/g, '-')}`;
  await putRecords(page, 'projects', [{ ...base!, id, name, updatedAt: Date.now(), draft: { ...base!.draft, name, graph } }]);
  await page.reload();
  await expect.poll(() => page.getByTestId('project-name').inputValue(), { timeout: 20_000 }).not.toBe('');
  await page.getByTestId('show-projects').click();
  await page.locator(`[data-testid=project-row][data-project-id="${id}"]`).getByTestId('project-open').click();
  await expect.poll(() => page.getByTestId('project-name').inputValue()).toBe(name);
}

/** Presses on the centre of `from` and releases on the centre of `to` in small steps. */
async function dragBetween(from: { x: number; y: number }, to: { x: number; y: number }, hover?: () => Promise<void>) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await hover?.();
  await page.mouse.up();
}
const centre = async (sel: string) => {
  const b = (await page.locator(sel).boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
};

describe('the canvas with a template', () => {
  it('shows every node with its shape, saves a drag once, fits the view and exports SVG and PNG', async () => {
    await page.getByTestId('template-picker').selectOption('lenet5');
    await expect.poll(() => page.getByTestId('project-name').inputValue()).toBe('LeNet-5 on MNIST');
    const tpl = findTemplate('lenet5')!.project().graph;
    const analysis = analyzeGraph(tpl);
    await expect.poll(() => page.getByTestId('canvas-node').count()).toBe(tpl.nodes.length);
    for (const n of tpl.nodes) expect(await node(n.id).getByTestId('node-shape').textContent(), n.id).toBe(shapeText(analysis.nodes.get(n.id)!.output!.shape));
    expect(await page.getByTestId('canvas-edge').count()).toBe(tpl.edges.length);
    expect(await page.locator('[data-testid=edge-label][data-source=c3]').textContent()).toBe('[B, 10, 10, 16]');
    await shot('editor-canvas-lenet5');

    // Drag c3 by (+150, +40) pixels over ~1 s: the stored position changes once, at the drop.
    const before = (await storedNode('LeNet-5 on MNIST', 'c3'))!.position!;
    await page.waitForTimeout(600); // let the template's own save settle
    const puts0 = await page.evaluate(() => window.__projectPuts);
    const box = (await node('c3').boundingBox())!;
    const zoom = box.width / 200;
    const start = { x: box.x + 30, y: box.y + box.height / 2 };
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    for (let i = 1; i <= 15; i++) {
      await page.mouse.move(start.x + i * 10, start.y + (i * 40) / 15);
      await page.waitForTimeout(60);
    }
    expect((await storedNode('LeNet-5 on MNIST', 'c3'))!.position, 'nothing is stored mid-drag').toEqual(before);
    await page.mouse.up();
    const after = await waitFor('the moved c3 on disk', async () => {
      const p = (await storedNode('LeNet-5 on MNIST', 'c3'))?.position;
      return p && p.x !== before.x ? p : null;
    });
    expect(after.x - before.x).toBeCloseTo(150 / zoom, -0.5);
    expect(after.y - before.y).toBeCloseTo(40 / zoom, -0.5);
    await page.waitForTimeout(800);
    expect(await page.evaluate(() => window.__projectPuts) - puts0, 'one drag, one write').toBe(1);
    const moved = (await node('c3').boundingBox())!;
    expect(moved.x - box.x).toBeCloseTo(150, -1);

    // Pan far away by dragging the background, then fit: every node is inside the canvas.
    const pane = (await page.getByTestId('canvas').boundingBox())!;
    await dragBetween({ x: pane.x + 20, y: pane.y + pane.height - 20 }, { x: pane.x + pane.width - 20, y: pane.y + 20 });
    const outside = async () => {
      let n = 0;
      for (const b of await page.getByTestId('canvas-node').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect)))
        if (b.left < pane.x || b.right > pane.x + pane.width || b.top < pane.y || b.bottom > pane.y + pane.height) n++;
      return n;
    };
    expect(await outside()).toBeGreaterThan(0);
    await page.getByTestId('fit-view').click();
    await expect.poll(outside).toBe(0);

    // SVG export: a well-formed document with every node id; PNG: a real PNG image.
    const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
    const svg = readFileSync((await svgDownload.path())!, 'utf8');
    for (const n of tpl.nodes) expect(svg).toContain(`data-node-id="${n.id}"`);
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return { error: doc.querySelector('parsererror')?.textContent ?? null, groups: doc.querySelectorAll('g[data-node-id]').length, paths: doc.querySelectorAll('path').length };
    }, svg);
    expect(parsed).toEqual({ error: null, groups: tpl.nodes.length, paths: tpl.edges.length });
    const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
    const png = readFileSync((await pngDownload.path())!);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16), 'PNG width = 2 × SVG width').toBe(2 * Number(/width="(\d+(?:\.\d+)?)"/.exec(svg)![1]));
    expect(logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
  });
});

const pos = (x: number, y: number) => ({ x, y });
const seeded = {
  nodes: [
    { id: 'x', kind: 'Input', params: { shape: [16] }, position: pos(0, 0) },
    { id: 'a', kind: 'Dense', params: { units: 8 }, position: pos(-240, 110) },
    { id: 'b', kind: 'Dense', params: { units: 8 }, position: pos(0, 110) },
    { id: 'c', kind: 'Dense', params: { units: 4 }, position: pos(240, 110) },
    { id: 'sum', kind: 'Add', params: {}, position: pos(0, 230) },
    { id: 'img', kind: 'Input', params: { shape: [8, 8, 1] }, position: pos(520, 0) },
    { id: 'conv', kind: 'Conv2D', params: { filters: 4, kernelSize: 3 }, position: pos(520, 110) },
    { id: 'rep', kind: 'RepeatVector', params: { n: 3 }, position: pos(520, 230) },
  ],
  edges: [
    { source: 'x', target: 'a', targetInput: 0 }, { source: 'x', target: 'b', targetInput: 0 }, { source: 'x', target: 'c', targetInput: 0 },
    { source: 'a', target: 'sum', targetInput: 0 }, { source: 'img', target: 'conv', targetInput: 0 }, { source: 'conv', target: 'rep', targetInput: 0 },
  ],
};
const port = (id: string, kind: 'in' | 'out', i = 0) => `[data-testid=canvas-node][data-node-id="${id}"] [data-testid=port-${kind}]${kind === 'in' ? `[data-port="${i}"]` : ''}`;

describe('connecting and fixing', () => {
  it('refuses a misfit connection with its reason, accepts a fitting one, and applies a fix', async () => {
    await openSeeded('Canvas seeded', seeded);
    await expect.poll(() => page.getByTestId('canvas-node').count()).toBe(seeded.nodes.length);
    const stored = async () => (await projects()).find((p) => p.name === 'Canvas seeded')!.draft.graph;

    // c is [B, 4]: Add input 1 is [B, 8]. The reason shows while hovering and after the drop.
    await dragBetween(await centre(port('c', 'out')), await centre(port('sum', 'in', 1)), async () => {
      await expect.poll(() => page.getByTestId('connection-verdict').textContent()).toContain('Add: input 2 is [null,4] but input 1 is [null,8]');
    });
    await expect.poll(() => page.getByTestId('canvas-message').textContent()).toContain('Not connected: Shapes do not fit: Add: input 2 is [null,4] but input 1 is [null,8]');
    await page.waitForTimeout(500);
    expect((await stored()).edges).toHaveLength(seeded.edges.length);
    await shot('editor-canvas-refused');

    await dragBetween(await centre(port('b', 'out')), await centre(port('sum', 'in', 1)));
    await waitFor('the new edge on disk', async () => (await stored()).edges.some((e) => e.source === 'b' && e.target === 'sum' && e.targetInput === 1));
    expect(await page.locator('[data-testid=canvas-edge][data-source=b][data-target=sum]').count()).toBe(1);

    // conv → rep is broken (RepeatVector needs [batch, features]): red, with a fix one click away.
    const broken = page.locator('[data-testid=edge-label][data-source=conv][data-target=rep]');
    expect(await page.locator('[data-testid=canvas-edge][data-source=conv]').getAttribute('class')).toContain('broken');
    expect(await node('rep').getAttribute('class')).toContain('error');
    await shot('editor-canvas-error');
    await broken.getByTestId('apply-fix').click();
    await expect.poll(() => page.locator('.canvas-node.error').count()).toBe(0);
    expect(await node('rep').getByTestId('node-shape').textContent()).toBe('[B, 3, 144]');
    const fixed = await waitFor('the Flatten on disk', async () => {
      const g = await stored();
      return g.nodes.some((n) => n.id === 'flatten_1') ? g : null;
    });
    expect(fixed.edges).toContainEqual({ source: 'flatten_1', target: 'rep', targetInput: 0 });
    expect(fixed.edges).not.toContainEqual({ source: 'conv', target: 'rep', targetInput: 0 });

    // Click selects, ctrl-click adds; dragging one of two selected nodes moves both in one write.
    const selectedIds = () => page.locator('.canvas-node.selected').evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')).sort());
    await node('a').click({ position: { x: 30, y: 20 } });
    await node('b').click({ position: { x: 30, y: 20 }, modifiers: ['Control'] });
    await expect.poll(selectedIds).toEqual(['a', 'b']);
    const [a0, b0] = [(await storedNode('Canvas seeded', 'a'))!.position!, (await storedNode('Canvas seeded', 'b'))!.position!];
    const ab = (await node('a').boundingBox())!;
    await page.waitForTimeout(600);
    const puts0 = await page.evaluate(() => window.__projectPuts);
    await dragBetween({ x: ab.x + 30, y: ab.y + 20 }, { x: ab.x + 30, y: ab.y + 90 });
    const [a1, b1] = await waitFor('both moved on disk', async () => {
      const a = (await storedNode('Canvas seeded', 'a'))!.position!, b = (await storedNode('Canvas seeded', 'b'))!.position!;
      return a.y !== a0.y && b.y !== b0.y ? [a, b] : null;
    });
    expect(a1!.y - a0.y).toBe(b1!.y - b0.y);
    expect(a1!.x - a0.x).toBe(b1!.x - b0.x);
    await page.waitForTimeout(600);
    expect(await page.evaluate(() => window.__projectPuts) - puts0).toBe(1);

    // Shift-drag on the background: a box that selects what it touches (conv, the new Flatten, rep).
    const cv = (await node('conv').boundingBox())!, rp = (await node('rep').boundingBox())!;
    await page.keyboard.down('Shift');
    await dragBetween({ x: cv.x - 8, y: cv.y - 8 }, { x: rp.x + rp.width + 8, y: rp.y + rp.height + 8 }, async () => {
      expect(await page.getByTestId('selection-box').count()).toBe(1);
    });
    await page.keyboard.up('Shift');
    await expect.poll(selectedIds).toEqual(['conv', 'flatten_1', 'rep']);
    expect(await page.locator('[data-testid=minimap] rect.minimap-node').count()).toBe(seeded.nodes.length + 1);
    expect(logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
  });
});

interface FrameStats { median: number; p95: number; frames: number; mean: number; scriptMs: number; layoutMs: number; styleMs: number }

/** rAF intervals (ms) in the page while `act` runs, and main-thread time by kind (Chrome's Performance metrics). */
async function frameTimes(act: () => Promise<void>): Promise<FrameStats> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value])) as Record<string, number>;
  const m0 = await metrics();
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stop: boolean };
    w.__frames = [];
    w.__stop = false;
    const tick = (t: number) => {
      w.__frames.push(t);
      if (!w.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await act();
  const ts = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stop: boolean };
    w.__stop = true;
    return w.__frames;
  });
  const m1 = await metrics();
  await cdp.detach();
  const d = ts.slice(1).map((t, i) => t - ts[i]!).sort((a, b) => a - b);
  const ms = (k: string) => Math.round((m1[k]! - m0[k]!) * 1000);
  return { median: d[Math.floor(d.length / 2)]!, p95: d[Math.floor(d.length * 0.95)]!, frames: d.length, mean: (ts.at(-1)! - ts[0]!) / d.length, scriptMs: ms('ScriptDuration'), layoutMs: ms('LayoutDuration'), styleMs: ms('RecalcStyleDuration') };
}

describe('performance', () => {
  it('drags a node and pans a generated 500-node graph', async () => {
    // 10 chains of an Input and 49 Dense layers.
    const { nodes, edges } = denseChains(500);
    const t0 = Date.now();
    await openSeeded('Five hundred', { nodes: [...nodes], edges: [...edges] });
    await expect.poll(() => page.getByTestId('canvas-node').count(), { timeout: 20_000 }).toBe(500);
    const openMs = Date.now() - t0;
    // Fit shows all 500 (zoom at its floor); zoom in with the keyboard until a node is big enough to grab.
    const zoom = async () => Number(/scale\(([\d.]+)\)/.exec((await page.locator('.canvas-viewport').getAttribute('style'))!)![1]);
    console.log(`500-node graph: zoom after fit ${await zoom()}`);
    await page.getByTestId('canvas').focus();
    for (let i = 0; i < 12 && (await zoom()) < 0.6; i++) {
      await page.keyboard.press('+');
      await page.waitForTimeout(50);
    }
    // Zoomed in, only the cards near the view are mounted (src/editor/canvas/culling.ts).
    const mountedZoomed = await page.getByTestId('canvas-node').count();
    expect(mountedZoomed, 'cards mounted when zoomed in').toBeLessThan(500);
    expect(mountedZoomed).toBeGreaterThan(0);
    const pane = (await page.getByTestId('canvas').boundingBox())!;
    const inView = await page.getByTestId('canvas-node').evaluateAll((els, p) => els.map((e) => ({ id: e.getAttribute('data-node-id')!, r: e.getBoundingClientRect() })).filter(({ r }) => r.left > p.x + 10 && r.top > p.y + 40 && r.right < p.x + p.width - 60 && r.bottom < p.y + p.height - 150).map(({ id }) => id), pane);
    expect(inView.length, `nodes in view; viewport ${await page.locator('.canvas-viewport').getAttribute('style')}; pane ${JSON.stringify(pane)}`).toBeGreaterThan(0);
    const target = node(inView[0]!);
    const b = (await target.boundingBox())!;
    const was = (await storedNode('Five hundred', inView[0]!))!.position!;
    const tDrag = Date.now();
    const drag = await frameTimes(async () => {
      await page.mouse.move(b.x + 10, b.y + b.height / 2);
      await page.mouse.down();
      for (let i = 1; i <= 60; i++) await page.mouse.move(b.x + 10 + i * 2, b.y + b.height / 2 + i);
      await page.mouse.up();
    });
    const dragMs = Date.now() - tDrag;
    const tPan = Date.now();
    const pan = await frameTimes(async () => {
      await page.mouse.move(pane.x + pane.width / 2, pane.y + 30);
      await page.mouse.down();
      for (let i = 1; i <= 60; i++) await page.mouse.move(pane.x + pane.width / 2 - i * 3, pane.y + 30 + i * 2);
      await page.mouse.up();
    });
    const panMs = Date.now() - tPan;
    const line = (what: string, f: FrameStats, wall: number) =>
      `${what}: 60 moves in ${wall} ms; rAF interval median ${f.median.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms, mean ${f.mean.toFixed(1)} ms over ${f.frames} frames; main thread script ${f.scriptMs} ms, style ${f.styleMs} ms, layout ${f.layoutMs} ms`;
    console.log(`500-node graph opened (reload + project list + render) in ${openMs} ms\n${line('drag', drag, dragMs)}\n${line('pan', pan, panMs)}`);
    expect(drag.frames).toBeGreaterThan(10);
    // Headless Chromium rasterises in software on a shared 2-core machine, so frame intervals say
    // little about a real GPU; the page's own work per pointer move must fit well inside a frame.
    expect(drag.median, 'no worse than 15 fps even here').toBeLessThan(67);
    expect(pan.median, 'no worse than 15 fps even here').toBeLessThan(67);
    expect((drag.scriptMs + drag.styleMs + drag.layoutMs) / 60, 'main-thread ms per drag move').toBeLessThan(12);
    expect((pan.scriptMs + pan.styleMs + pan.layoutMs) / 60, 'main-thread ms per pan move').toBeLessThan(12);
    await waitFor('the dragged node on disk', async () => (await storedNode('Five hundred', inView[0]!))?.position?.x !== was.x);
    // Fit the whole graph again: every card is mounted.
    await page.getByTestId('fit-view').click();
    await expect.poll(() => page.getByTestId('canvas-node').count(), { timeout: 10_000 }).toBe(500);
  });
});
