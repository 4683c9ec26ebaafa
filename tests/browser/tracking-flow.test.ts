// Issue 6 §8 end to end in real Chromium, the way a person works: two short MNIST runs that
// differ only in learning rate (cpu backend: deterministic), then compare them, evaluate one and
// drill into a confusion-matrix cell, download the runs table as CSV, and reproduce a run. The
// oracles are read independently of the app's UI code: stored records and metric points with
// raw IndexedDB, the CSV parsed by papaparse, the cell's count from the matrix itself.
import Papa from 'papaparse';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { showTraining } from './dock.js';
import { openApp, screenshot } from './page.js';
import { waitFor } from './storage-helpers.js';
import { endedRun, pointsOf, runOf, runsOf, trainTinyRun, type RawRun } from './tracking-helpers.js';
import { showView } from './views.js';

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});

/** Writes the project's learning rate in the Training tab's settings (autosaved with the project). */
async function setLearningRate(page: Page, lr: string): Promise<void> {
  await showTraining(page);
  const details = page.getByTestId('training-config');
  if (!(await details.evaluate((d: HTMLDetailsElement) => d.open))) await details.locator('summary').click();
  await page.getByTestId('cfg-learningRate').fill(lr);
  await page.getByTestId('save-status').and(page.locator('[data-state=saved]')).waitFor({ timeout: 30_000 });
}

const row = (page: Page, id: string) => page.locator(`[data-testid="run-row"][data-run-id="${id}"]`);

/** Opens the Runs view's panel `id` (Curves, Compare, Evaluate). */
async function showPanel(page: Page, id: 'curves' | 'compare' | 'evaluate'): Promise<void> {
  await page.getByTestId(`runs-panel-${id}`).click();
}

describe('tracking and evaluation, end to end (issue 6 §8)', () => {
  it('compares two runs with different learning rates, drills into a confusion cell, exports CSV and reproduces a run', async () => {
    const { page, logs } = await openApp(chrome.browser, inject('appUrl'));
    try {
      // Two runs that differ only in their learning rate.
      await setLearningRate(page, '0.01');
      const fast = await trainTinyRun(page, logs);
      await setLearningRate(page, '0.001');
      const slow = await trainTinyRun(page, logs);
      expect((fast.config['optimizer'] as { learningRate: number }).learningRate).toBe(0.01);
      expect((slow.config['optimizer'] as { learningRate: number }).learningRate).toBe(0.001);

      // Compare: tick both, open Compare; one curve each, and the diff names the learning rate.
      await showView(page, 'runs');
      await row(page, fast.id).waitFor({ timeout: 30_000 });
      await row(page, slow.id).getByTestId('run-pick').check();
      await row(page, fast.id).getByTestId('run-pick').check();
      await page.getByTestId('runs-compare').click();
      await page.getByTestId('compare-panel').waitFor({ timeout: 30_000 });
      await waitFor('two legend entries', async () => (await page.getByTestId('compare-legend-item').count()) === 2, 30_000);
      const diff = page.getByTestId('compare-diff');
      await diff.waitFor({ timeout: 30_000 });
      await waitFor('the learning rate in the diff', async () => /learningRate/.test((await diff.textContent()) ?? ''), 30_000);
      expect(await diff.textContent()).toMatch(/0\.01/);
      expect(await diff.textContent()).toMatch(/0\.001/);
      await screenshot(page, 'tracking-flow-compare');

      // Evaluate the faster run on 300 test images and drill into a non-empty cell.
      await row(page, fast.id).locator('td').nth(1).click();
      await waitFor('the run shown', async () => (await row(page, fast.id).getAttribute('data-selected')) === 'true', 30_000);
      await showPanel(page, 'evaluate');
      await page.getByTestId('eval-max-samples').fill('300');
      await page.getByTestId('evaluate-button').click();
      const matrix = page.getByTestId('confusion-matrix');
      await matrix.waitFor({ timeout: 180_000 });
      const cells = await page.getByTestId('confusion-cell').evaluateAll((els) =>
        els.map((e) => ({ t: e.getAttribute('data-true'), p: e.getAttribute('data-pred'), n: Number(e.getAttribute('data-count')) })),
      );
      expect(cells.reduce((a, c) => a + c.n, 0)).toBe(300);
      // An off-diagonal (misclassified) cell when there is one, else the fullest cell.
      const pick = cells.filter((c) => c.t !== c.p && c.n > 0).sort((a, b) => b.n - a.n)[0] ?? cells.sort((a, b) => b.n - a.n)[0]!;
      await page.locator(`[data-testid=confusion-cell][data-true="${pick.t}"][data-pred="${pick.p}"]`).click();
      const grid = page.getByTestId('cell-samples');
      await waitFor(`${pick.n} samples of the cell`, async () => (await grid.locator('[data-testid=sample-card][data-loss]:not([data-loss=""])').count()) === pick.n, 60_000);
      const cards = await grid.getByTestId('sample-card').evaluateAll((els) => els.map((e) => [e.getAttribute('data-true'), e.getAttribute('data-pred')]));
      expect(cards.every(([t, p]) => t === pick.t && p === pick.p)).toBe(true);
      await screenshot(page, 'tracking-flow-evaluate');

      // The runs table as CSV: one row per run, with each run's learning rate and final loss.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('runs-download-csv').click()]);
      const csv = await readFile((await download.path())!, 'utf8');
      const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });
      expect(parsed.errors).toEqual([]);
      const stored = await runsOf(page);
      expect(parsed.data).toHaveLength(stored.length);
      const idCol = parsed.meta.fields!.find((f) => /^(id|run id)$/i.test(f))!;
      const lrCol = parsed.meta.fields!.find((f) => /learningRate/.test(f))!;
      const lossCol = parsed.meta.fields!.find((f) => /^(final )?loss$/i.test(f))!;
      expect(idCol && lrCol && lossCol, JSON.stringify(parsed.meta.fields)).toBeTruthy();
      for (const r of [fast, slow]) {
        const line = parsed.data.find((d) => d[idCol] === r.id);
        expect(line, `${r.id} in ${csv}`).toBeDefined();
        expect(Number(line![lrCol])).toBe((r.config['optimizer'] as { learningRate: number }).learningRate);
        expect(Number(line![lossCol])).toBeCloseTo(r.finalMetrics['loss']!, 6);
      }

      // Reproduce the slower run: a new run, tagged, with the same step losses bit for bit.
      const known = (await runsOf(page)).map((r) => r.id);
      await row(page, slow.id).getByTestId('run-reproduce').click();
      const again: RawRun = await endedRun(page, known);
      expect(again.status, logs.join('\n')).toBe('completed');
      expect(again.tags).toContain(`reproduces:${slow.id}`);
      expect(again.seed).toBe(slow.seed);
      // The trainer stores a step at most every 100 ms, so compare the steps both runs kept.
      const lossByStep = async (id: string) => new Map((await pointsOf(page, id, 'step')).map((p) => [p.index, p.values['loss']]));
      const [a, b] = [await lossByStep(slow.id), await lossByStep(again.id)];
      const shared = [...a.keys()].filter((k) => b.has(k));
      expect(shared.length).toBeGreaterThanOrEqual(3);
      for (const k of shared) expect(b.get(k), `step ${k}`).toBe(a.get(k));
      expect(again.finalMetrics['loss']).toBe(slow.finalMetrics['loss']);
      expect((await runOf(page, slow.id))?.status).toBe('completed'); // the original is untouched
    } catch (e) {
      await screenshot(page, 'tracking-flow-failure').catch(() => undefined);
      throw new Error(`${String(e)}\n${logs.slice(-40).join('\n')}`);
    } finally {
      await page.close();
    }
  }, 600_000);
});
