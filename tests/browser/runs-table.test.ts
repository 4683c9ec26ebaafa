// The runs table (issue 6 §2) in real Chromium: three tiny MNIST runs trained on the cpu backend
// with different learning rates, then sorting by a metric, the best cell, the query filter and
// its error, a name, tags and notes that survive a reload, ticks that enable Compare, and the CSV
// and JSON downloads parsed (papaparse) and checked against the stored records, read with raw
// IndexedDB (never through the app) as the oracle.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { showTraining } from './dock.js';
import { screenshot } from './page.js';
import { openTab, putRecords, readStore, waitFor } from './storage-helpers.js';
import { showView } from './views.js';

interface RawRun {
  id: string;
  status: string;
  name: string | null;
  notes: string;
  tags: string[];
  config: { optimizer: { learningRate: number } };
  finalMetrics: Record<string, number>;
}

const runsOf = (page: Page) => readStore<RawRun>(page, 'runs');
const storedLr = (page: Page) => readStore<{ draft: { training: { optimizer: { learningRate?: number } } } }>(page, 'projects').then((p) => p[0]?.draft.training.optimizer.learningRate);
const LRS = [0.001, 0.05, 0.01];

/** Sets the project's learning rate in the Training tab's settings and waits until it is stored. */
async function setLearningRate(page: Page, lr: number): Promise<void> {
  const form = page.getByTestId('training-config');
  if ((await form.getAttribute('open')) === null) await form.locator('summary').click();
  await page.getByTestId('cfg-learningRate').fill(String(lr));
  await waitFor(`learning rate ${lr} stored`, async () => (await storedLr(page)) === lr, 10_000);
}

/** Trains the default MLP on 256 MNIST samples for one epoch on cpu; returns the ended run's id. */
async function trainTiny(page: Page, logs: string[], lr: number): Promise<string> {
  await showTraining(page);
  await setLearningRate(page, lr);
  await page.getByTestId('epochs').fill('1');
  await page.getByTestId('batch-size').fill('32');
  await page.getByTestId('train-samples').fill('256');
  const known = (await runsOf(page)).map((r) => r.id);
  await page.getByTestId('start').click();
  const run = await waitFor('the run to end', async () => (await runsOf(page)).find((r) => !known.includes(r.id) && r.status !== 'running') ?? null, 120_000);
  expect(run.status, logs.join('\n')).toBe('completed');
  return run.id;
}

const shownIds = (page: Page) => page.getByTestId('run-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id')!));
const row = (page: Page, id: string) => page.locator(`[data-testid="run-row"][data-run-id="${id}"]`);
const header = (page: Page, col: string) => page.locator(`[data-testid="runs-col"][data-col="${col}"]`);

async function download(page: Page, testId: string): Promise<{ name: string; text: string }> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: d.suggestedFilename(), text: readFileSync((await d.path())!, 'utf8') };
}

let chrome: LaunchedBrowser;
let context: BrowserContext;
beforeAll(async () => {
  chrome = await launchChromium();
  context = await chrome.browser.newContext({ viewport: { width: 1280, height: 1300 }, acceptDownloads: true });
});
afterAll(async () => {
  await context?.close();
  await chrome?.close();
});

describe('the runs table', () => {
  let page: Page;
  let logs: string[];
  let ids: string[] = [];
  let stored: RawRun[] = [];

  it('lists three trained runs with the learning rate that varies and their final metrics; sorts by a metric and marks the best', async () => {
    ({ page, logs } = await openTab(context, inject('appUrl')));
    await showTraining(page);
    await page.getByTestId('save-status').and(page.locator('[data-state=saved]')).waitFor({ timeout: 60_000 });
    await page.getByTestId('backend-picker').selectOption('cpu');
    await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
    for (const lr of LRS) ids.push(await trainTiny(page, logs, lr));
    stored = (await runsOf(page)).filter((r) => ids.includes(r.id));
    expect(stored.map((r) => [r.name, r.notes])).toEqual(ids.map(() => [null, ''])); // new runs: unnamed, no notes
    const byId = new Map(stored.map((r) => [r.id, r]));
    expect(ids.map((id) => byId.get(id)!.config.optimizer.learningRate)).toEqual(LRS);

    await showView(page, 'runs');
    await waitFor('three rows', async () => (await page.getByTestId('run-row').count()) === 3, 20_000);
    expect(await page.getByTestId('runs-count').textContent()).toBe('3 of 3 runs');
    const cols = await page.getByTestId('runs-col').evaluateAll((hs) => hs.map((h) => h.getAttribute('data-col')));
    expect(cols.slice(0, 5)).toEqual(['name', 'status', 'startedAt', 'durationMs', 'epochs']);
    expect(cols).toContain('param:optimizer.learningRate');
    // Only the learning rate differs between the runs' settings.
    expect(cols.filter((c) => c!.startsWith('param:'))).toEqual(['param:optimizer.learningRate']);
    const metrics = Object.keys(stored[0]!.finalMetrics).sort();
    expect(metrics).toContain('loss');
    expect(cols.filter((c) => c!.startsWith('metric:'))).toEqual(metrics.map((m) => `metric:${m}`));
    // Newest first before any sort.
    expect(await shownIds(page)).toEqual([...ids].reverse());

    // Sort by final loss: ascending, then descending, announced with aria-sort.
    const byLoss = [...stored].sort((a, b) => a.finalMetrics['loss']! - b.finalMetrics['loss']!).map((r) => r.id);
    await header(page, 'metric:loss').getByRole('button').click();
    expect(await header(page, 'metric:loss').getAttribute('aria-sort')).toBe('ascending');
    expect(await shownIds(page)).toEqual(byLoss);
    await header(page, 'metric:loss').getByRole('button').press('Enter'); // keyboard reaches it too
    expect(await header(page, 'metric:loss').getAttribute('aria-sort')).toBe('descending');
    expect(await shownIds(page)).toEqual([...byLoss].reverse());
    expect(await header(page, 'startedAt').getAttribute('aria-sort')).toBe('none');

    // The best (lowest) loss is marked on the run that has it, and only there.
    const best = page.locator('td[data-col="metric:loss"][data-best="true"]');
    expect(await best.count()).toBe(1);
    expect(await best.getAttribute('title')).toBe('best (lowest)');
    expect(await best.locator('xpath=..').getAttribute('data-run-id')).toBe(byLoss[0]);
    if (metrics.includes('accuracy')) {
      const bestAcc = Math.max(...stored.map((r) => r.finalMetrics['accuracy']!));
      const holders = stored.filter((r) => r.finalMetrics['accuracy'] === bestAcc).map((r) => r.id).sort();
      const marked = page.locator('td[data-col="metric:accuracy"][data-best="true"]');
      expect(await marked.evaluateAll((cells) => cells.map((c) => c.parentElement!.getAttribute('data-run-id')!).sort())).toEqual(holders);
      expect(await marked.first().getAttribute('title')).toBe('best (highest)');
    }
  });

  it('filters with the query language, and names a bad token with its position while keeping the last good filter', async () => {
    const search = page.getByTestId('runs-search');
    await search.fill('optimizer.learningRate:0.005..0.1');
    const inRange = stored.filter((r) => r.config.optimizer.learningRate >= 0.005).map((r) => r.id).sort();
    await waitFor('the range filter', async () => (await page.getByTestId('runs-count').textContent()) === '2 of 3 runs');
    expect((await shownIds(page)).sort()).toEqual(inRange);
    expect(await page.getByTestId('runs-search-error').count()).toBe(0);

    await search.fill('optimizer.learningRate:0.005..0.1 valLos<0.3');
    const error = page.getByTestId('runs-search-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^"valLos" \(at 35\) is not a column of these runs; numeric columns: .*loss.*— showing the last filter that worked\.$/);
    expect((await shownIds(page)).sort(), 'the last good filter still applies').toEqual(inRange);
    await search.fill('loss<<1');
    expect(await error.textContent()).toMatch(/^"loss<<1" \(at 1\) is not a filter/);

    await search.fill('nothing-is-called-this');
    await waitFor('no match', async () => (await page.getByTestId('runs-count').textContent()) === '0 of 3 runs');
    expect(await page.locator('.rt-empty').textContent()).toBe('No run matches “nothing-is-called-this”.');
    expect(await page.getByTestId('runs-download-csv').isDisabled()).toBe(true);
    await search.fill('');
    await waitFor('every run again', async () => (await page.getByTestId('run-row').count()) === 3);
  });

  it('names, tags and annotates a run; system tags stay read-only; all of it survives a reload', async () => {
    const target = ids[0]!;
    await row(page, target).locator('.rt-show').click();
    await waitFor('the run picked', async () => (await row(page, target).getAttribute('data-selected')) === 'true');
    const details = page.getByTestId('run-details');
    expect(await details.getAttribute('data-run-id')).toBe(target);
    // The trainer's tag is shown read-only: no remove button, and a person cannot add one like it.
    const system = details.locator('[data-testid="run-tag"][data-tag="train-samples:256"]');
    expect(await system.getAttribute('data-system')).toBe('true');
    expect(await system.locator('button').count()).toBe(0);

    await page.getByTestId('run-name-input').fill('  slow learner  ');
    await page.getByTestId('run-name-input').press('Enter');
    await waitFor('the name stored', async () => (await runsOf(page)).find((r) => r.id === target)?.name === 'slow learner');
    await waitFor('the field to show the stored (trimmed) name', async () => (await page.getByTestId('run-name-input').inputValue()) === 'slow learner');
    // Notes typed but not saved yet survive a tag being saved (which re-reads the runs).
    const notes = 'lr 1e-3 is too timid for one epoch';
    await page.getByTestId('run-notes').fill(notes);
    const input = page.getByTestId('run-tag-input');
    await input.fill('baseline, lr-sweep');
    await input.press('Enter');
    await waitFor('two tags stored', async () => (await runsOf(page)).find((r) => r.id === target)?.tags.includes('lr-sweep'));
    await details.locator('[data-testid="run-tag"][data-tag="lr-sweep"]').waitFor(); // the runs were re-read
    await waitFor('the save to finish', async () => page.getByTestId('run-notes').isEnabled());
    expect(await page.getByTestId('run-notes').inputValue()).toBe(notes);
    expect((await runsOf(page)).find((r) => r.id === target)?.notes).toBe('');
    await page.getByTestId('run-details-save').click();
    await waitFor('the notes stored', async () => (await runsOf(page)).find((r) => r.id === target)?.notes === notes);
    await input.fill('reproduces:abc');
    await input.press('Enter');
    await page.getByTestId('run-details-error').waitFor();
    expect(await page.getByTestId('run-details-error').textContent()).toMatch(/^"reproduces:abc" is a tag the app keeps for itself/);
    await details.locator('[data-testid="run-tag"][data-tag="lr-sweep"] [data-testid="run-tag-remove"]').click();
    await waitFor('lr-sweep removed', async () => !(await runsOf(page)).find((r) => r.id === target)?.tags.includes('lr-sweep'));
    expect((await runsOf(page)).find((r) => r.id === target)).toMatchObject({ name: 'slow learner', notes: 'lr 1e-3 is too timid for one epoch', tags: ['train-samples:256', 'baseline'] });

    // Words search names, tags and notes.
    await page.getByTestId('runs-search').fill('baseline timid');
    await waitFor('one match', async () => (await page.getByTestId('runs-count').textContent()) === '1 of 3 runs');
    expect(await shownIds(page)).toEqual([target]);

    await page.reload();
    await showView(page, 'runs');
    await row(page, target).waitFor({ timeout: 30_000 });
    expect(await row(page, target).locator('.rt-run-name').textContent()).toBe('slow learner');
    expect(await row(page, target).locator('td[data-col="tags"] li').allTextContents()).toEqual(['train-samples:256', 'baseline']);
    await row(page, target).locator('.rt-show').click();
    await waitFor('the details of the run', async () => (await page.getByTestId('run-details').getAttribute('data-run-id')) === target);
    expect(await page.getByTestId('run-name-input').inputValue()).toBe('slow learner');
    expect(await page.getByTestId('run-notes').inputValue()).toBe('lr 1e-3 is too timid for one epoch');
  });

  it('ticks runs for comparison: Compare needs two, "tick all shown" ticks every row shown', async () => {
    const compare = page.getByTestId('runs-compare');
    expect(await compare.isDisabled()).toBe(true);
    await row(page, ids[0]!).getByTestId('run-pick').check();
    expect(await compare.isDisabled()).toBe(true);
    await row(page, ids[1]!).getByTestId('run-pick').check();
    expect(await row(page, ids[1]!).getAttribute('data-selected'), 'a tick does not also show the run').toBe('false');
    expect(await compare.isDisabled()).toBe(false);
    expect(await compare.textContent()).toBe('Compare 2 runs');
    await page.getByTestId('runs-pick-all').check();
    expect(await compare.textContent()).toBe('Compare 3 runs');
    expect(await page.getByTestId('run-pick').evaluateAll((b) => b.every((x) => (x as HTMLInputElement).checked))).toBe(true);
    await page.getByTestId('runs-pick-all').uncheck();
    expect(await compare.textContent()).toBe('Compare 0 runs');
    await row(page, ids[1]!).getByTestId('run-pick').check();
    await row(page, ids[2]!).getByTestId('run-pick').check();
    await compare.click();
    expect(await page.getByTestId('runs-panel-compare').getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('runs-panel-curves').click();
  });

  it('downloads the shown rows and columns as CSV and JSON, matching the stored runs', async () => {
    await header(page, 'metric:loss').getByRole('button').click(); // ascending: the sort is a fresh page's
    stored = (await runsOf(page)).filter((r) => ids.includes(r.id));
    const order = [...stored].sort((a, b) => a.finalMetrics['loss']! - b.finalMetrics['loss']!);
    expect(await shownIds(page)).toEqual(order.map((r) => r.id));
    const project = (await readStore<{ name: string }>(page, 'projects'))[0]!;
    const base = project.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');

    // A column hidden with "Columns" leaves the table and the files alike.
    await page.getByTestId('runs-columns').locator('summary').click();
    await page.locator('[data-testid="runs-column-toggle"][data-col="backend"]').uncheck();
    expect(await header(page, 'backend').count()).toBe(0);
    expect(await page.getByTestId('runs-columns').locator('summary').textContent()).toBe('Columns (1 hidden)');
    await page.getByTestId('runs-columns').locator('summary').click();

    const csv = await download(page, 'runs-download-csv');
    expect(csv.name).toBe(`${base}-runs.csv`);
    expect(csv.text.endsWith('\r\n')).toBe(true);
    const parsed = Papa.parse<Record<string, string>>(csv.text.trimEnd(), { header: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data.map((r) => r['Run id'])).toEqual(order.map((r) => r.id));
    expect(parsed.data.map((r) => Number(r['optimizer.learningRate']))).toEqual(order.map((r) => r.config.optimizer.learningRate));
    expect(parsed.data.map((r) => Number(r['loss']))).toEqual(order.map((r) => r.finalMetrics['loss']));
    expect(parsed.data.map((r) => r['Run'])).toEqual(order.map((r) => r.name ?? r.id));
    expect(parsed.meta.fields).toEqual(['Run id', ...(await page.locator('[data-testid="runs-col"] .rt-label').allTextContents())]);
    expect(parsed.meta.fields).not.toContain('Backend');

    const json = await download(page, 'runs-download-json');
    expect(json.name).toBe(`${base}-runs.json`);
    const doc = JSON.parse(json.text) as { format: string; version: number; rows: { id: string; values: Record<string, unknown> }[] };
    expect([doc.format, doc.version]).toEqual(['neuralforge-runs', 1]);
    expect(doc.rows.map((r) => r.id)).toEqual(order.map((r) => r.id));
    expect(doc.rows.map((r) => r.values['metric:loss'])).toEqual(order.map((r) => r.finalMetrics['loss']));
    expect(doc.rows.map((r) => r.values['param:optimizer.learningRate'])).toEqual(order.map((r) => r.config.optimizer.learningRate));
    expect(Object.keys(doc.rows[0]!.values)).not.toContain('backend');
    await page.getByTestId('runs-columns').locator('summary').click();
    await page.getByTestId('runs-columns').getByRole('button', { name: 'Show all' }).click();
    await page.getByTestId('runs-columns').locator('summary').click();
    expect(await header(page, 'backend').count()).toBe(1);
    await page.locator('.rt-scroll').evaluate((el) => el.scrollTo(0, 0)); // the header clicks scrolled it sideways
    await screenshot(page, 'runs-table');
    expect(logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
  });

  it('locks the name, notes and tags of a run that is training (here: in another tab, which holds its lock), saying why', async () => {
    const [template] = (await readStore<Record<string, unknown> & { id: string }>(page, 'runs')).filter((r) => r.id === ids[1]);
    // The trainer holds a Web Lock per run while it trains; a 'running' record whose lock is held stays 'running'.
    await page.evaluate(() => {
      void navigator.locks.request('nf-run-run-live', () => new Promise<void>((release) => ((window as unknown as { __release: () => void }).__release = release)));
    });
    await putRecords(page, 'runs', [{ ...template!, id: 'run-live', status: 'running', endedAt: null, epochs: 0, finalMetrics: {}, startedAt: Date.now() }]);
    // Saving a tag on another run re-reads the runs: the live one appears.
    await row(page, ids[2]!).locator('.rt-show').click();
    await waitFor('the details of the third run', async () => (await page.getByTestId('run-details').getAttribute('data-run-id')) === ids[2]);
    await page.getByTestId('run-tag-input').fill('fast');
    await page.getByTestId('run-tag-input').press('Enter');
    await row(page, 'run-live').waitFor({ timeout: 10_000 });
    expect(await row(page, 'run-live').getAttribute('data-status')).toBe('running');
    await row(page, 'run-live').locator('.rt-show').click();
    await waitFor('the live run on show', async () => (await page.getByTestId('run-details').getAttribute('data-run-id')) === 'run-live');
    const reason = 'This run is training: name, notes and tags can be changed once it has ended.';
    for (const id of ['run-name-input', 'run-notes', 'run-tag-input']) {
      expect(await page.getByTestId(id).isDisabled(), id).toBe(true);
      expect(await page.getByTestId(id).getAttribute('title'), id).toBe(reason);
    }
    expect(await page.getByTestId('run-details').locator('.rt-details-status').textContent()).toBe(reason);
    // Clean up: the run ends (its lock is let go) and its record goes.
    await page.evaluate(() => (window as unknown as { __release: () => void }).__release());
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('neuralforge');
          open.onsuccess = () => {
            const tx = open.result.transaction('runs', 'readwrite');
            tx.objectStore('runs').delete('run-live');
            tx.oncomplete = () => (open.result.close(), resolve());
            tx.onerror = () => reject(tx.error);
          };
        }),
    );
  });

  it('renders 200 more runs quickly when the Runs view opens, with no long task over 100 ms', async () => {
    const [template] = (await readStore<Record<string, unknown> & { id: string; config: { optimizer: Record<string, unknown> } }>(page, 'runs')).filter((r) => r.id === ids[1]);
    const extra = Array.from({ length: 200 }, (_, i) => ({
      ...template!,
      id: `run-bulk-${String(i).padStart(3, '0')}`,
      name: i % 3 === 0 ? `bulk ${i}` : null,
      startedAt: 1_700_000_000_000 + i * 60_000,
      endedAt: 1_700_000_030_000 + i * 60_000,
      config: { ...template!.config, optimizer: { ...template!.config.optimizer, learningRate: 1e-4 * (1 + i) } },
      finalMetrics: { loss: 2 / (1 + i / 50), accuracy: i / 250, valLoss: 2.1 / (1 + i / 60) },
    }));
    await putRecords(page, 'runs', extra);
    await page.addInitScript(() => {
      (window as unknown as { __rtLong: number[] }).__rtLong = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) (window as unknown as { __rtLong: number[] }).__rtLong.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.reload();
    await showView(page, 'runs');
    await waitFor('203 rows', async () => (await page.getByTestId('run-row').count()) === 203, 30_000);
    await showView(page, 'editor'); // the Runs view unmounts; the session keeps its rows
    const { ms, long, before } = await page.evaluate(async () => {
      const w = window as unknown as { __rtLong: number[] };
      w.__rtLong.length = 0;
      const before = document.querySelectorAll('[data-testid=run-row]').length;
      const t0 = performance.now();
      document.querySelector<HTMLElement>('[data-testid=nav-bar] [data-route=runs]')!.click();
      await new Promise<void>((resolve) => {
        const tick = () => (document.querySelectorAll('[data-testid=run-row]').length === 203 ? resolve() : requestAnimationFrame(tick));
        tick();
      });
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))); // until painted
      const ms = performance.now() - t0;
      await new Promise((r) => setTimeout(r, 200)); // let the observer report
      return { ms, long: [...w.__rtLong], before };
    });
    console.log(`runs view with 203 runs: first render ${ms.toFixed(0)} ms; long tasks ${JSON.stringify(long.map(Math.round))}`);
    expect(before, 'the rows are drawn when the view opens, not kept hidden').toBe(0);
    expect(ms).toBeLessThan(1_000); // the benchmark wants ≤ 500 ms; measured ~160 ms here, with room for a busy 2-core CI machine
    expect(long.filter((d) => d > 100)).toEqual([]);
    expect(await page.getByTestId('runs-count').textContent()).toBe('203 of 203 runs');
    // The columns follow the runs: the learning rate still varies; the best loss is a seeded one.
    const best = page.locator('td[data-col="metric:loss"][data-best="true"]');
    expect(await best.locator('xpath=..').getAttribute('data-run-id')).toBe('run-bulk-199');
  });
});
