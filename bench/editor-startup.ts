// Opening the app: navigation start → first nodes painted → interactive (nodes on the canvas,
// then 500 ms without a long task; a palette click must then add a node), with a cold cache (a
// fresh browser context per load: no HTTP cache, no service worker, empty storage) and warm.
import type { BrowserContext, Page } from 'playwright-core';
import { summarize, newBenchContext, type BenchBrowser, type Summary } from './editor-page.js';

/** A TTI-like quiet window: no main-thread task over 50 ms for this long after the nodes show. */
const QUIET_MS = 500;

export interface LoadTiming {
  /** First contentful paint (Paint Timing API). */
  readonly fcp: number;
  /** The first canvas node in the DOM, then its frame's rAF callbacks (painted right after). */
  readonly nodesPainted: number;
  /** max(nodesPainted, end of the last long task before QUIET_MS of quiet). */
  readonly interactive: number;
  /** Palette click (the event's time) → the inserted node in the DOM. */
  readonly clickToNode: number;
  readonly longTasks: number;
  /** Same-origin JS the page itself fetched before `interactive` (paths), in start order. */
  readonly startupJs: readonly string[];
  /** How many of them came from the HTTP cache (transfer size 0). */
  readonly cachedJs: number;
}

export interface StartupResult {
  readonly cache: 'cold' | 'warm';
  readonly loads: readonly LoadTiming[];
  readonly fcp: Summary;
  readonly nodesPainted: Summary;
  readonly interactive: Summary;
  readonly clickToNode: Summary;
}

/** Records long tasks and the first canvas node from before the app's first script runs. */
function initScript(): void {
  const w = window as unknown as { __bench: { longTasks: { start: number; end: number }[]; nodes: number; clicks: number[]; inserted: number[] } };
  const b: typeof w.__bench = (w.__bench = { longTasks: [], nodes: -1, clicks: [], inserted: [] });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) b.longTasks.push({ start: e.startTime, end: e.startTime + e.duration });
  }).observe({ type: 'longtask', buffered: true });
  let framed = false;
  new MutationObserver((records) => {
    for (const r of records)
      for (const n of r.addedNodes) {
        if (!(n instanceof Element) || !(n.matches('[data-testid=canvas-node]') || n.querySelector('[data-testid=canvas-node]'))) continue;
        const now = performance.now();
        if (!framed) requestAnimationFrame(() => (b.nodes = performance.now()));
        framed = true;
        b.inserted.push(now);
      }
  }).observe(document, { subtree: true, childList: true });
  addEventListener('click', (e) => b.clicks.push(e.timeStamp), { capture: true });
}

/**
 * The end of the last long task (or the nodes' frame) followed by QUIET_MS without one. Long-task
 * entries arrive in a later task than the one they measure, so a found window is checked again.
 */
async function quietSince(page: Page): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const found = await page.waitForFunction((quiet) => {
      const b = (window as unknown as { __bench: { longTasks: { end: number }[]; nodes: number } }).__bench;
      const since = Math.max(b.nodes, ...b.longTasks.map((t) => t.end));
      return performance.now() - since >= quiet ? since : null;
    }, QUIET_MS, { timeout: 30_000, polling: 50 });
    const since = (await found.jsonValue()) as number;
    await page.waitForTimeout(100);
    const late = await page.evaluate(({ t, q }) => (window as unknown as { __bench: { longTasks: { start: number; end: number }[] } }).__bench.longTasks.some((l) => l.end > t && l.start < t + q), { t: since, q: QUIET_MS });
    if (!late) return since;
  }
  throw new Error(`the page never had ${QUIET_MS} ms without a long task`);
}

/** One load of the app in `context`; the page is closed afterwards. */
async function load(context: BrowserContext, url: string): Promise<LoadTiming> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => (window as unknown as { __bench: { nodes: number } }).__bench.nodes >= 0, undefined, { timeout: 30_000, polling: 20 });
    const tti = await quietSince(page);
    const nodesBefore = await page.getByTestId('canvas-node').count();
    await page.evaluate(() => ((window as unknown as { __bench: { inserted: number[]; clicks: number[] } }).__bench.inserted = []));
    await page.locator('[data-testid=palette-item][data-kind=Dense]').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=canvas-node]').length === n + 1, nodesBefore, { timeout: 10_000 });
    const t = await page.evaluate(() => {
      const b = (window as unknown as { __bench: { longTasks: { start: number }[]; nodes: number; clicks: number[]; inserted: number[] } }).__bench;
      const nav = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      return {
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
        nodes: b.nodes,
        click: b.clicks.at(-1) ?? NaN,
        inserted: b.inserted[0] ?? NaN,
        longTasks: b.longTasks.length,
        js: nav.filter((r) => new URL(r.name).origin === location.origin && r.name.endsWith('.js')).map((r) => ({ path: new URL(r.name).pathname, start: r.startTime, cached: r.transferSize === 0 })),
      };
    });
    if (errors.length) throw new Error(`page errors while loading: ${errors.join('; ')}`);
    return { fcp: t.fcp, nodesPainted: t.nodes, interactive: tti, clickToNode: t.inserted - t.click, longTasks: t.longTasks, startupJs: t.js.filter((j) => j.start <= tti).map((j) => j.path), cachedJs: t.js.filter((j) => j.start <= tti && j.cached).length };
  } finally {
    await page.close();
  }
}

/** `runs` cold loads (a new context each) or one untimed load then `runs` warm ones in one context. */
export async function measureStartup(chrome: BenchBrowser, url: string, cache: 'cold' | 'warm', runs: number): Promise<StartupResult> {
  const loads: LoadTiming[] = [];
  const fresh = async () => {
    const c = await newBenchContext(chrome);
    await c.addInitScript(initScript);
    return c;
  };
  if (cache === 'cold') {
    for (let i = 0; i < runs; i++) {
      const context = await fresh();
      try {
        loads.push(await load(context, url));
      } finally {
        await context.close();
      }
    }
  } else {
    const context = await fresh();
    try {
      await load(context, url);
      for (let i = 0; i < runs; i++) loads.push(await load(context, url));
    } finally {
      await context.close();
    }
  }
  const s = (k: 'fcp' | 'nodesPainted' | 'interactive' | 'clickToNode') => summarize(loads.map((l) => l[k]));
  return { cache, loads, fcp: s('fcp'), nodesPainted: s('nodesPainted'), interactive: s('interactive'), clickToNode: s('clickToNode') };
}

