// Every stored database fixture of a past schema (tests/fixtures/storage/v<N>.json), loaded into
// a real Chromium IndexedDB before the app first runs there: the app upgrades it, opens the
// fixture's project with its selected run, and every record is rewritten at today's schema.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/storage/db/schema.js';
import { RECORD_STORES, recordVersionAt } from '../../src/storage/records.js';
import type { DbDump } from '../helpers/idb-fixtures.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { showView } from './views.js';
import { loadFixtureInOrigin, readStore, waitFor } from './storage-helpers.js';

const DIR = join(import.meta.dirname, '../fixtures/storage');
const FIXTURES = readdirSync(DIR).filter((f) => /^v\d+\.json$/.test(f)).sort();

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});

describe('migrations from stored fixture databases', () => {
  it('has a fixture for every past schema version', () => {
    const versions = FIXTURES.map((f) => Number(f.slice(1, -5)));
    for (let v = 1; v < SCHEMA_VERSION; v++) expect(versions, `tests/fixtures/storage/v${v}.json`).toContain(v);
  });

  it.each(FIXTURES)('%s: the app opens the fixture\'s project and every record is at the current schema', async (file) => {
    const dump = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as DbDump;
    const project = dump.stores['projects']![0] as { id: string; name: string; ui: { selectedRunId: string | null }; draft: { graph: { nodes: { id: string }[] } } };
    const context = await chrome.browser.newContext();
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await loadFixtureInOrigin(page, inject('appUrl'), dump);
      await page.goto(inject('appUrl'));

      await expect.poll(() => page.getByTestId('project-name').inputValue(), { timeout: 15_000 }).toBe(project.name);
      const rows = await page.getByTestId('layer-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')));
      expect(rows).toEqual(project.draft.graph.nodes.map((n) => n.id));
      if (project.ui.selectedRunId) {
        await showView(page, 'runs');
        const run = page.locator(`[data-testid=run-row][data-run-id="${project.ui.selectedRunId}"]`);
        await expect.poll(() => run.getAttribute('data-selected'), { timeout: 10_000 }).toBe('true');
      }
      expect(errors).toEqual([]);

      const version = await page.evaluate(() => new Promise<number>((resolve, reject) => {
        const r = indexedDB.open('neuralforge');
        r.onsuccess = () => (resolve(r.result.version), r.result.close());
        r.onerror = () => reject(r.error);
      }));
      expect(version).toBe(SCHEMA_VERSION);
      for (const store of RECORD_STORES) {
        const before = dump.stores[store] ?? [];
        const after = await waitFor(`the ${store} records`, async () => {
          const rs = await readStore<{ schema: number }>(page, store);
          return rs.length >= before.length ? rs : null;
        });
        const ids = (rs: readonly unknown[]) => rs.map((r) => JSON.stringify((r as { id?: unknown; runId?: unknown; index?: unknown }).id ?? [(r as { runId: unknown }).runId, (r as { index: unknown }).index]));
        expect(ids(after).sort(), `${store}: no record lost`).toEqual(expect.arrayContaining(ids(before).sort()));
        const want = recordVersionAt(store, SCHEMA_VERSION).schema;
        expect(after.map((r) => r.schema), `${store} records at record schema ${want}`).toEqual(after.map(() => want));
      }
      const runs = await readStore<{ tags: unknown; resumedFrom: unknown }>(page, 'runs');
      for (const r of runs) {
        expect(Array.isArray(r.tags)).toBe(true);
        expect(r).toHaveProperty('resumedFrom');
      }
      const meta = await readStore<{ key: string; schema: number }>(page, 'meta');
      expect(meta.find((m) => m.key === 'app')?.schema).toBe(SCHEMA_VERSION);
    } finally {
      await context.close();
    }
  });
});
