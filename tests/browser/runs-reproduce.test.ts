// "Reproduce" in the Runs view, in real Chromium: a tiny MNIST run on the cpu backend is trained
// again from its row, and the two runs' stored step losses (raw IndexedDB, the oracle) are
// identical step by step, with the same seed, config, data and graph version, and the new run
// tagged `reproduces:<id>`. A run whose data is gone shows why and starts nothing.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { openApp, screenshot } from './page.js';
import { putRecords, readStore, waitFor } from './storage-helpers.js';
import { endedRun, pointsOf, runOf, runsOf, trainTinyRun } from './tracking-helpers.js';
import { showView } from './views.js';

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});

const actions = (page: import('playwright-core').Page, id: string) => page.locator(`[data-testid="run-actions"][data-run-id="${id}"]`);

describe('reproduce a run', () => {
  it('re-runs a cpu run with identical step losses, and refuses a run whose data is gone', async () => {
    const { page, logs } = await openApp(chrome.browser, inject('appUrl'));
    const original = await trainTinyRun(page, logs);

    await showView(page, 'runs');
    const row = actions(page, original.id);
    await row.waitFor({ timeout: 30_000 });
    await row.getByTestId('run-reproduce').click();
    // While it trains, every Reproduce button says why it is disabled.
    await waitFor('Reproduce disabled while training', async () => (await row.getByTestId('run-reproduce').isDisabled()) && ((await row.getByTestId('run-reproduce').getAttribute('title')) ?? '').includes('A run is training'), 30_000);
    const copy = await endedRun(page, [original.id]);
    expect(copy.status, logs.join('\n')).toBe('completed');

    // The oracle: the stored records and step metrics, read with raw IndexedDB.
    expect(copy.tags).toContain(`reproduces:${original.id}`);
    expect(copy.tags.filter((t) => !t.startsWith('reproduces:'))).toEqual(original.tags); // train-samples:1024 kept
    expect(copy).toMatchObject({ seed: original.seed, config: original.config, versionId: original.versionId, datasetName: original.datasetName, datasetVersion: original.datasetVersion, backend: 'cpu' });
    // Both runs' epoch points are written (after their steps) before the curves are compared.
    await waitFor('both epoch points', async () => (await pointsOf(page, original.id, 'epoch')).length === 1 && (await pointsOf(page, copy.id, 'epoch')).length === 1);
    const a = await pointsOf(page, original.id, 'step');
    const b = await pointsOf(page, copy.id, 'step');
    // The trainer reports a step only when 100 ms passed since the last report (on cpu here: every
    // other step, 1, 3, 5, 7), so compare every step both runs kept: the same running loss, bit for bit.
    const lossAt = new Map(a.map((p) => [p.index, p.values['loss']]));
    const common = b.filter((p) => lossAt.has(p.index));
    expect(common.length, JSON.stringify({ a: a.map((p) => p.index), b: b.map((p) => p.index) })).toBeGreaterThanOrEqual(4);
    expect(common.map((p) => [p.index, p.values['loss']])).toEqual(common.map((p) => [p.index, lossAt.get(p.index)]));
    expect(new Set(a.map((p) => p.values['loss'])).size).toBeGreaterThan(1); // a real curve, not a constant
    // The epoch's mean loss covers every step, kept or not; validation and test results too.
    const [ea, eb] = [(await pointsOf(page, original.id, 'epoch'))[0]!, (await pointsOf(page, copy.id, 'epoch'))[0]!];
    expect([eb.values['loss'], eb.values['valLoss']]).toEqual([ea.values['loss'], ea.values['valLoss']]);
    expect((await runOf(page, copy.id))!.finalMetrics).toEqual(original.finalMetrics);

    // The new run's row names the run it reproduces, and its curves are the ones on show.
    const link = actions(page, copy.id).getByTestId('run-reproduces');
    await link.waitFor({ timeout: 30_000 });
    expect(await link.textContent()).toBe(`reproduces ${original.id.replace(/^run-/, '')}`);
    await waitFor('the reproduced run on show', async () => (await page.getByTestId('run-status').getAttribute('data-run-id')) === copy.id);
    expect(Number(await page.getByTestId('run-status').getAttribute('data-points'))).toBe(b.length);
    expect(await row.getByTestId('run-reproduce').isEnabled()).toBe(true);
    await screenshot(page, 'runs-reproduce');

    // A run trained on an imported file that is no longer on the device: shown, nothing starts.
    const orphan = { ...(await readStore<Record<string, unknown>>(page, 'runs')).find((r) => r['id'] === original.id)!, id: 'run-orphan-1', datasetName: 'gone.csv', datasetVersion: 'f'.repeat(64), startedAt: Date.now() };
    await putRecords(page, 'runs', [orphan]);
    await page.reload();
    await showView(page, 'runs');
    const orphanRow = actions(page, 'run-orphan-1');
    await orphanRow.waitFor({ timeout: 30_000 });
    const before = (await runsOf(page)).map((r) => r.id).sort();
    await orphanRow.getByTestId('run-reproduce').click();
    const error = orphanRow.getByTestId('run-reproduce-error');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.textContent()).toBe(
      `Cannot reproduce: the data run run-orphan-1 trained on ("gone.csv", version ${'f'.repeat(64)}) is no longer on this device: import the same file again, then reproduce`,
    );
    await new Promise((r) => setTimeout(r, 1000)); // a run that started by mistake would be stored by now
    expect((await runsOf(page)).map((r) => r.id).sort()).toEqual(before);
    expect(await page.getByTestId('run-status').getAttribute('data-status')).not.toBe('running');
    expect(await runOf(page, 'run-orphan-1')).toMatchObject({ datasetName: 'gone.csv', status: 'completed' });
  });
});
