// Helpers for the storage browser tests: read and write the page's IndexedDB with the raw API
// (never through the app), wait for conditions, and bundle the fixture loader for the page.
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { build, type Rollup } from 'vite';

export const DB_NAME = 'neuralforge';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` every 50 ms; throws naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, cond: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A tab in `context` on the app, with its console collected. */
export async function openTab(context: BrowserContext, url: string): Promise<{ page: Page; logs: string[] }> {
  const page = await context.newPage();
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
  await page.goto(url);
  return { page, logs };
}

/** Every record of `store`, read with plain IndexedDB inside the page (the app's code is not involved). */
export function readStore<T = Record<string, unknown>>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    ({ name, store }) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(store)) return (db.close(), resolve([]));
          const req = db.transaction(store, 'readonly').objectStore(store).getAll();
          req.onsuccess = () => (db.close(), resolve(req.result as T[]));
          req.onerror = () => (db.close(), reject(req.error));
        };
      }),
    { name: DB_NAME, store },
  );
}

/** Writes raw records into `store` with plain IndexedDB inside the page. */
export function putRecords(page: Page, store: string, records: readonly unknown[]): Promise<void> {
  return page.evaluate(
    ({ name, store, records }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(store, 'readwrite');
          for (const r of records) tx.objectStore(store).put(r);
          tx.oncomplete = () => (db.close(), resolve());
          tx.onerror = () => (db.close(), reject(tx.error));
        };
      }),
    { name: DB_NAME, store, records: records as unknown[] },
  );
}

/** The stored project records, in no particular order. */
export interface RawProject {
  id: string;
  name: string;
  description: string;
  updatedAt: number;
  schema: number;
  draft: { name: string; graph: { nodes: { id: string; kind: string; params: Record<string, unknown> }[] } };
  ui: { selectedRunId: string | null };
}
export const readProjects = (page: Page) => readStore<RawProject>(page, 'projects');

/** A node's params in a stored project. */
export const nodeParams = (p: RawProject, id: string) => p.draft.graph.nodes.find((n) => n.id === id)?.params;

let loaderCode: Promise<string> | null = null;
/**
 * tests/helpers/idb-fixtures.ts (and the app's schema steps it replays) bundled as a script
 * that sets `window.nfFixtures = { loadFixture, dumpDb }`; built once per test file.
 */
export function fixtureLoaderScript(): Promise<string> {
  loaderCode ??= (async () => {
    const root = resolve(import.meta.dirname, '../..');
    const out = (await build({
      root,
      configFile: false,
      logLevel: 'error', // zod's annotations make Rollup chatty; errors still show
      build: { write: false, minify: false, lib: { entry: resolve(root, 'tests/helpers/idb-fixtures.ts'), formats: ['iife'], name: 'nfFixtures' } },
    })) as Rollup.RollupOutput | Rollup.RollupOutput[];
    const chunk = (Array.isArray(out) ? out[0]! : out).output.find((o) => o.type === 'chunk');
    if (!chunk || chunk.type !== 'chunk') throw new Error('the fixture loader bundle has no code');
    return chunk.code;
  })();
  return loaderCode;
}

/**
 * Loads a fixture dump into the origin's IndexedDB before the app has ever run there: a blank
 * page of the same origin (served by a route, so no app code runs) loads it, then the caller
 * navigates to the app.
 */
export async function loadFixtureInOrigin(page: Page, appUrl: string, dump: unknown): Promise<void> {
  const blank = new URL('/__fixture-loader.html', appUrl).href;
  await page.route(blank, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>fixture</title>' }));
  await page.goto(blank);
  await page.addScriptTag({ content: await fixtureLoaderScript() });
  await page.evaluate(
    async ({ name, dump }) => {
      const f = (window as unknown as { nfFixtures: { loadFixture(factory: IDBFactory, name: string, dump: unknown): Promise<void> } }).nfFixtures;
      await f.loadFixture(indexedDB, name, dump);
    },
    { name: DB_NAME, dump },
  );
  await page.unroute(blank);
}
