// The runs benchmark (issue 6 §Benchmark) in headless Chromium on the production build: 200 runs
// × 10,000 step points (+ 10 epoch points each) seeded into IndexedDB, then per cold page load
// (new page, HTTP cache off, no service worker): navigation → the runs table's first rows
// painted, and tick all 200 → Compare → first and last curve drawn, with every long task.
// Writes bench/results/runs.json + a table in bench/README.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { firstProject, seedRuns, type SeedRun } from '../tests/browser/runs-seed.js';
import { serveStatic } from '../tests/browser/static-server.js';
import { waitFor } from '../tests/browser/storage-helpers.js';
import { launchBench, summarize, type BenchBrowser, type Summary } from './editor-page.js';
import { writeSuite, type Row } from './harness.js';

const RUNS = 200;
const STEPS = 10_000;
const EPOCHS = 10;
const LOADS = 3;

interface Timing {
  readonly firstRows: number;
  /** The app already open on the editor: Runs clicked → the frame after the first rows. */
  readonly reopenRows: number;
  readonly reopenTasks: readonly { start: number; duration: number }[];
  readonly firstCurve: number;
  readonly allCurves: number;
  /** Long tasks (start, duration) from navigation to the first rows, and from the tick to the last curve. */
  readonly loadTasks: readonly { start: number; duration: number }[];
  readonly compareTasks: readonly { start: number; duration: number }[];
}

/** Records long tasks, the first run row's frame and the chart's draws, before the app's first script. */
function initScript(): void {
  const w = window as unknown as { __bench: { tasks: { start: number; duration: number }[]; rows: number; curves: { at: number; n: number }[] } };
  const b: typeof w.__bench = (w.__bench = { tasks: [], rows: -1, curves: [] });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) b.tasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  let framed = false;
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes' && r.target instanceof Element && r.target.matches('[data-testid=compare-chart]')) {
        const pts = r.target.getAttribute('data-points') ?? '';
        const n = pts ? pts.split(',').length : 0;
        // The frame after the setData: uPlot has drawn by then.
        if (n > 0) requestAnimationFrame(() => b.curves.push({ at: performance.now(), n }));
        continue;
      }
      if (framed) continue;
      for (const n of r.addedNodes)
        if (n instanceof Element && (n.matches('[data-testid=run-row]') || n.querySelector('[data-testid=run-row]'))) {
          framed = true;
          requestAnimationFrame(() => (b.rows = performance.now()));
        }
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-points'] });
}

type BenchState = { tasks: { start: number; duration: number }[]; rows: number; curves: { at: number; n: number }[] };
const state = (page: Page) => page.evaluate(() => (window as unknown as { __bench: BenchState }).__bench);

async function load(context: BrowserContext, url: string): Promise<Timing> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  try {
    await page.goto(`${url}#/runs`, { waitUntil: 'commit' });
    await page.waitForFunction(() => (window as unknown as { __bench: BenchState }).__bench.rows >= 0, undefined, { timeout: 60_000, polling: 20 });
    await waitFor(`${RUNS} run rows`, async () => (await page.getByTestId('run-row').count()) === RUNS, 60_000);
    await page.waitForTimeout(300); // long-task entries arrive a task late
    const loaded = await state(page);
    // What a person does in an open app: leave for the editor, then open the Runs view again
    // (the session already holds the runs, so this is the table's own render).
    await page.locator('[data-testid=nav-bar] [data-route=editor]').click();
    await page.getByTestId('view-editor').waitFor({ state: 'visible' });
    await page.waitForTimeout(1_000);
    const reopen = await page.evaluate(
      () =>
        new Promise<{ start: number; end: number }>((done) => {
          const start = performance.now();
          const frame = () => (document.querySelector('[data-testid=run-row]') ? requestAnimationFrame(() => done({ start, end: performance.now() })) : requestAnimationFrame(frame));
          location.hash = '#/runs';
          requestAnimationFrame(frame);
        }),
    );
    await page.waitForTimeout(300);
    const reopened = await state(page);
    const t0 = await page.evaluate(() => performance.now());
    await page.getByTestId('runs-pick-all').check();
    await page.getByTestId('runs-compare').click();
    await page.waitForFunction((n) => (window as unknown as { __bench: BenchState }).__bench.curves.some((c) => c.n === n), RUNS, { timeout: 300_000, polling: 100 });
    await page.waitForTimeout(300);
    const done = await state(page);
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    const all = done.curves.find((c) => c.n === RUNS)!.at;
    return {
      firstRows: loaded.rows,
      reopenRows: reopen.end - reopen.start,
      reopenTasks: reopened.tasks.filter((t) => t.start >= reopen.start && t.start <= reopen.end),
      firstCurve: done.curves[0]!.at - t0,
      allCurves: all - t0,
      loadTasks: loaded.tasks.filter((t) => t.start <= loaded.rows),
      compareTasks: done.tasks.filter((t) => t.start >= t0 && t.start <= all),
    };
  } finally {
    await page.close();
  }
}

/** 200 runs over a grid of learning rates, batch sizes and optimizers; curves differ by run. */
function seedSpec(versionId: string): SeedRun[] {
  const t0 = Date.UTC(2026, 10, 1);
  return Array.from({ length: RUNS }, (_, i) => ({
    id: `bench-run-${String(i).padStart(3, '0')}`,
    name: i % 10 === 0 ? `sweep ${i}` : null,
    versionId,
    learningRate: 10 ** (-4 + (i % 20) / 6),
    batchSize: [16, 32, 64, 128][i % 4]!,
    optimizer: i % 3 === 0 ? 'sgd' : 'adam',
    valLoss: 0.2 + ((i * 37) % 100) / 100,
    loss0: 1 + (i % 7) / 3,
    steps: STEPS,
    epochs: EPOCHS,
    msPerStep: 20 + (i % 5) * 5,
    startedAt: t0 + i * 3_600_000,
  }));
}

async function seed(chrome: BenchBrowser, context: BrowserContext, url: string): Promise<number> {
  const page = await context.newPage();
  try {
    await page.goto(url);
    await page.getByTestId('save-status').and(page.locator('[data-state=saved]')).waitFor({ timeout: 60_000 });
    const { project, version } = await waitFor('the first project and its version', () => firstProject(page).catch(() => null), 30_000);
    const t = Date.now();
    await seedRuns(page, project.id, project.draft.training, seedSpec(version.id));
    console.log(`runs bench: seeded ${RUNS} runs × ${STEPS} steps in ${Math.round((Date.now() - t) / 1000)} s (${chrome.label})`);
    return Date.now() - t;
  } finally {
    await page.close();
  }
}

const maxOf = (tasks: readonly { duration: number }[]) => tasks.reduce((m, t) => Math.max(m, t.duration), 0);
const row = (name: string, s: Summary, target: string, note: string, data?: object): Row => ({ name, medianMs: s.median, p95Ms: s.max, runs: s.n, target, note, ...(data ? { data } : {}) });

export async function runRuns(): Promise<void> {
  const root = resolve(import.meta.dirname, '..');
  const outDir = mkdtempSync(join(tmpdir(), 'nf-bench-runs-'));
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
  const server = await serveStatic(outDir, { cache: 'no-store' });
  const chrome = await launchBench('vsync');
  try {
    // One context for all loads: the seeded database stays; each load is a new page with the HTTP cache off.
    const context = await chrome.browser.newContext({ viewport: { width: 1300, height: 1100 }, serviceWorkers: 'block' });
    await context.addInitScript('globalThis.__name ??= (f) => f;');
    await context.addInitScript(initScript);
    const seedMs = await seed(chrome, context, server.url);
    const loads: Timing[] = [];
    for (let i = 0; i < LOADS; i++) {
      loads.push(await load(context, server.url));
      const l = loads.at(-1)!;
      console.log(`load ${i + 1}: rows ${l.firstRows.toFixed(0)} ms, reopened ${l.reopenRows.toFixed(0)} ms, first curve ${l.firstCurve.toFixed(0)} ms, all ${l.allCurves.toFixed(0)} ms, longest task ${maxOf(l.loadTasks).toFixed(0)} / ${maxOf(l.compareTasks).toFixed(0)} ms`);
    }
    const s = (f: (t: Timing) => number) => summarize(loads.map(f));
    const over = (f: (t: Timing) => readonly { duration: number }[], ms: number) => loads.map((l) => f(l).filter((t) => t.duration > ms).length).join(', ');
    const rows: Row[] = [
      row('navigation → first run rows painted (200 runs stored)', s((l) => l.firstRows), '≤ 500 ms', `p95 column = max; ${chrome.label}`),
      row('tick all 200 → Compare → first curve drawn', s((l) => l.firstCurve), '', ''),
      row('tick all 200 → Compare → all 200 curves drawn', s((l) => l.allCurves), '', `${RUNS} × ${STEPS} step points read page by page, ≤ 1,000 drawn per run`),
      row('longest task, load → first rows', s((l) => maxOf(l.loadTasks)), '≤ 100 ms', `tasks > 100 ms per load: ${over((l) => l.loadTasks, 100)}`),
      row('app open on the editor: Runs clicked → first rows painted', s((l) => l.reopenRows), '≤ 500 ms', 'the session already holds the 200 runs'),
      row('longest task, Runs clicked → first rows', s((l) => maxOf(l.reopenTasks)), '≤ 100 ms', `tasks > 100 ms per load: ${over((l) => l.reopenTasks, 100)}`),
      row('longest task, tick all → all curves', s((l) => maxOf(l.compareTasks)), '≤ 100 ms', `tasks > 100 ms per load: ${over((l) => l.compareTasks, 100)}; > 50 ms: ${over((l) => l.compareTasks, 50)}`, { loads, seedMs }),
    ];
    writeSuite('runs', `Runs table and Compare, 200 runs × 10,000 steps, headless Chromium, SwiftShader, no GPU (issue 6)`, rows, ['median (ms)', 'max (ms)']);
    await context.close();
  } finally {
    await chrome.close();
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
