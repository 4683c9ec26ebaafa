// Shared pieces of the editor benchmark: launching Chromium with optional frame-rate flags,
// opening the app, seeding a generated graph into its IndexedDB and opening it, and summaries.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Graph } from '../src/engine/project/types.js';
import { launchChromium } from '../tests/browser/chromium.js';
import { putRecords, readStore, waitFor } from '../tests/browser/storage-helpers.js';

/** `vsync`: Chromium's default 60 Hz frame clock; `unthrottled`: frames as fast as the machine can draw them. */
export type FrameClock = 'vsync' | 'unthrottled';
const CLOCK_FLAGS: Record<FrameClock, readonly string[]> = { vsync: [], unthrottled: ['--disable-gpu-vsync', '--disable-frame-rate-limit'] };

export interface BenchBrowser {
  readonly browser: Browser;
  readonly label: string;
  close(): Promise<void>;
}

/** Headless Chromium (Debian's, else the packaged one) with `clock`'s flags. */
export async function launchBench(clock: FrameClock): Promise<BenchBrowser> {
  const { browser, source, close } = await launchChromium(CLOCK_FLAGS[clock]);
  return { browser, label: `Chromium ${browser.version()} (${source})`, close };
}

/** The canvas is 1300 × 1100 CSS px in the editor tests; the benchmark uses the same window. */
const VIEWPORT = { width: 1300, height: 1100 } as const;

/**
 * A fresh context (own cache and storage). tsx compiles the bench with esbuild's keepNames, which
 * wraps named functions inside page.evaluate callbacks in `__name(…)`: the page gets a no-op one.
 */
export async function newBenchContext(chrome: BenchBrowser): Promise<BrowserContext> {
  const context = await chrome.browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript('globalThis.__name ??= (f) => f;');
  return context;
}

/** A new page on the app in `context`, once its first project is open; page errors are collected. */
export async function openEditor(context: BrowserContext, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await waitFor('the first project', async () => (await page.getByTestId('project-name').inputValue().catch(() => '')) !== '', 30_000);
  return { page, errors };
}

interface StoredProject { id: string; name: string; updatedAt: number; draft: Record<string, unknown> }

/**
 * Writes `graph` as a new project (a copy of the open one's record) and opens it from the project
 * list, as the editor-canvas test does; resolves once the canvas shows every node.
 */
export async function openGraph(page: Page, name: string, graph: Graph): Promise<void> {
  const [base] = await readStore<StoredProject>(page, 'projects');
  if (!base) throw new Error('no stored project to copy the seeded one from');
  const id = `bench-${name.replace(/\W+/g, '-')}`;
  await putRecords(page, 'projects', [{ ...base, id, name, updatedAt: Date.now(), draft: { ...base.draft, name, graph } }]);
  await page.reload();
  await waitFor('the reloaded project', async () => (await page.getByTestId('project-name').inputValue().catch(() => '')) !== '', 30_000);
  await page.getByTestId('show-projects').click();
  await page.locator(`[data-testid=project-row][data-project-id="${id}"]`).getByTestId('project-open').click();
  await waitFor(`"${name}" open`, async () => (await page.getByTestId('project-name').inputValue()) === name);
  await waitFor(`${graph.nodes.length} nodes on the canvas`, async () => (await page.getByTestId('canvas-node').count()) === graph.nodes.length, 60_000);
}

/** The canvas zoom, read from the viewport's transform. */
export async function canvasZoom(page: Page): Promise<number> {
  const style = (await page.locator('.canvas-viewport').getAttribute('style')) ?? '';
  const m = /scale\(([\d.]+)\)/.exec(style);
  if (!m) throw new Error(`no scale() in the canvas viewport's style "${style}"`);
  return Number(m[1]);
}

/** Zooms in with the keyboard (the "+" command) until the zoom reaches `min`, at most 12 steps. */
export async function zoomInTo(page: Page, min: number): Promise<number> {
  await page.getByTestId('canvas').focus();
  for (let i = 0; i < 12 && (await canvasZoom(page)) < min; i++) {
    await page.keyboard.press('+');
    await page.waitForTimeout(50);
  }
  return canvasZoom(page);
}

export interface Summary {
  readonly median: number;
  readonly p95: number;
  readonly max: number;
  readonly n: number;
}

/** Median, 95th percentile (nearest rank) and maximum; NaN for an empty list. */
export function summarize(values: readonly number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return { median: NaN, p95: NaN, max: NaN, n: 0 };
  const rank = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  const mid = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return { median: mid, p95: rank(0.95), max: s.at(-1)!, n: s.length };
}

/** "12.3 / 15.0 / 20.1" (median / p95 / max, ms). */
export const triple = (s: Summary) => `${s.median.toFixed(1)} / ${s.p95.toFixed(1)} / ${s.max.toFixed(1)}`;
