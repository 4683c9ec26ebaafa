// The offline benchmark (issue 8): cold start of the production build in headless Chromium,
// navigation start → the editor's first canvas node painted, in a fresh tab: without a service
// worker (blocked), with it online, and with it offline (context.setOffline); plus the service
// worker's install time on a first visit and the precache's size, read from Cache Storage.
import type { BrowserContext, Page } from 'playwright-core';
import { buildAndServe } from '../tests/browser/app-server.js';
import { launchChromium } from '../tests/browser/chromium.js';
import { waitForServiceWorker } from '../tests/browser/pwa-helpers.js';
import { writeSuite, type Row } from './harness.js';

const LOADS = 7;

type Mode = 'no service worker' | 'service worker, online' | 'service worker, offline';

/** Records, from before the app's first script, when the first canvas node is painted (the frame after it is inserted). */
function initScript(): void {
  const w = window as unknown as { __nfPainted: number };
  w.__nfPainted = -1;
  new MutationObserver((records, observer) => {
    for (const r of records)
      for (const n of r.addedNodes) {
        if (!(n instanceof Element) || !(n.matches('[data-testid=canvas-node]') || n.querySelector('[data-testid=canvas-node]'))) continue;
        observer.disconnect();
        requestAnimationFrame(() => (w.__nfPainted = performance.now()));
        return;
      }
  }).observe(document, { subtree: true, childList: true });
}

/** One load in a fresh tab of `context`: ms from navigation start to the first node painted. */
async function loadOnce(context: BrowserContext, url: string): Promise<number> {
  const page = await context.newPage();
  try {
    await page.addInitScript(initScript);
    await page.goto(`${url}/#/editor`);
    const handle = await page.waitForFunction(() => {
      const t = (window as unknown as { __nfPainted: number }).__nfPainted;
      return t >= 0 ? t : null;
    }, null, { timeout: 60_000, polling: 20 });
    return (await handle.jsonValue()) as number;
  } finally {
    await page.close();
  }
}

/** What the service worker precached: entries and bytes, summed over Cache Storage. */
async function precacheSize(page: Page): Promise<{ files: number; bytes: number }> {
  return page.evaluate(async () => {
    let files = 0;
    let bytes = 0;
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        files++;
        bytes += (await (await cache.match(request))!.arrayBuffer()).byteLength;
      }
    }
    return { files, bytes };
  });
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;

export async function runOffline(): Promise<void> {
  const app = await buildAndServe();
  const chrome = await launchChromium();
  try {
    const times: Record<Mode, number[]> = { 'no service worker': [], 'service worker, online': [], 'service worker, offline': [] };
    // No service worker: every load in its own context (nothing cached; the server sends no-store).
    for (let i = 0; i < LOADS; i++) {
      const context = await chrome.browser.newContext({ serviceWorkers: 'block' });
      times['no service worker'].push(await loadOnce(context, app.url));
      await context.close();
    }
    // With it: one first visit installs it; later tabs of that profile load from its cache.
    const context = await chrome.browser.newContext();
    const first = await context.newPage();
    await first.goto(app.url);
    const installMs = await waitForServiceWorker(first);
    const precache = await precacheSize(first);
    await first.close();
    for (let i = 0; i < LOADS; i++) times['service worker, online'].push(await loadOnce(context, app.url));
    await context.setOffline(true);
    for (let i = 0; i < LOADS; i++) times['service worker, offline'].push(await loadOnce(context, app.url));
    await context.close();

    const note = 'fresh tab, navigation start → first canvas node painted; software raster, 2 shared cores: relative numbers matter';
    const rows: Row[] = (Object.keys(times) as Mode[]).map((mode) => ({ name: `cold start, ${mode}`, medianMs: median(times[mode]), p95Ms: p95(times[mode]), runs: LOADS, note, data: { loadsMs: times[mode] } }));
    rows.push({
      name: 'service worker install on a first visit (precache complete)',
      medianMs: installMs,
      p95Ms: installMs,
      runs: 1,
      note: `precache: ${precache.files} files, ${(precache.bytes / 2 ** 20).toFixed(1)} MiB`,
      data: precache,
    });
    writeSuite('offline', `Offline cold start in headless Chromium ${chrome.browser.version()} (${chrome.source}), production build on loopback (issue 8)`, rows);
  } finally {
    await chrome.close();
    await app.close();
  }
}
