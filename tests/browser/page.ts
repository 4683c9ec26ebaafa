// Helpers for driving the app page: open it with a long-task observer installed before any
// script runs, read the observed long tasks, and save screenshots under tests/screenshots/.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import type { Browser, Page } from 'playwright-core';

/**
 * tests/screenshots/ is the committed visual record; runs write to a temp folder unless
 * UPDATE_SCREENSHOTS=1 asks to refresh the record (then look at them before committing).
 */
export const SCREENSHOTS = process.env['UPDATE_SCREENSHOTS'] === '1' ? resolve(import.meta.dirname, '../screenshots') : join(tmpdir(), 'neuralforge-screenshots');

export interface LongTask {
  readonly startTime: number;
  readonly duration: number;
}

declare global {
  interface Window {
    __longTasks: LongTask[];
    __longFrames: LongTask[];
  }
}

/**
 * A new page on the app. The observer is registered by an init script, i.e. before the app's
 * own code, so every long task (>50 ms on the main thread) from the first one is recorded.
 */
export async function openApp(browser: Browser, url: string): Promise<{ page: Page; logs: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
  await page.addInitScript(() => {
    window.__longTasks = [];
    window.__longFrames = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ startTime: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    // Long animation frames (> 50 ms including style, layout and paint): logged, for diagnosis.
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longFrames.push({ startTime: e.startTime, duration: e.duration });
    }).observe({ type: 'long-animation-frame', buffered: true });
  });
  await page.goto(url);
  return { page, logs };
}

/** The page's clock now (performance.now()), to cut the long-task list into windows. */
export const pageNow = (page: Page): Promise<number> => page.evaluate(() => performance.now());

export const longTasksSince = (page: Page, since: number): Promise<LongTask[]> =>
  page.evaluate((t) => window.__longTasks.filter((l) => l.startTime >= t), since);

export const longFramesSince = (page: Page, since: number): Promise<LongTask[]> =>
  page.evaluate((t) => window.__longFrames.filter((l) => l.startTime >= t), since);

/**
 * Blocks the page's main thread for `ms` inside one of its own tasks (a timer): the
 * observer must report it, which shows the long-task check can fail. page.evaluate itself
 * runs outside the page's task accounting, so it would not count.
 */
export async function blockMainThread(page: Page, ms: number): Promise<void> {
  await page.evaluate((d) => new Promise<void>((resolve) => setTimeout(() => {
    const end = performance.now() + d;
    while (performance.now() < end);
    resolve();
  }, 0)), ms);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
