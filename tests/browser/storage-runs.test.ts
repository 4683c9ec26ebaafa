// Runs kept on the device, in real Chromium against real IndexedDB and OPFS: (a) a short MNIST
// run with checkpoints every few steps is listed after a reload with its stored curve, and a
// run resumed from one of its checkpoints continues that curve; (b) a tab killed while a
// checkpoint is being written (files in OPFS, manifest not yet in IndexedDB) leaves the previous
// checkpoint loadable: the run reads 'interrupted', the partial files are collected, no manifest
// names a missing file, and the earlier checkpoint resumes. IndexedDB and OPFS are read with the
// raw browser APIs, never through the app, as the oracle.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { screenshot } from './page.js';
import { showTraining } from './dock.js';
import { openTab, readStore, waitFor } from './storage-helpers.js';
import { showView } from './views.js';

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});

interface RawRun { id: string; versionId: string; status: string; resumedFrom: string | null; epochs: number; tags: string[] }
interface RawPoint { runId: string; scope: 'step' | 'epoch'; index: number; values: Record<string, number> }
interface RawCheckpoint { id: string; runId: string; kind: string; epoch: number; globalStep: number; files: { path: string; bytes: number }[] }

const runsOf = (page: Page) => readStore<RawRun>(page, 'runs');
const pointsOf = async (page: Page, runId: string, scope: RawPoint['scope']) =>
  (await readStore<RawPoint>(page, 'metrics')).filter((p) => p.runId === runId && p.scope === scope).sort((a, b) => a.index - b.index);
const manifestsOf = async (page: Page, runId?: string) => (await readStore<RawCheckpoint>(page, 'checkpoints')).filter((c) => !runId || c.runId === runId);

/** Every file in the app's OPFS folder with its size, listed with the raw File System API. */
function opfsFiles(page: Page): Promise<{ path: string; bytes: number }[]> {
  return page.evaluate(async () => {
    type Entry = [string, { kind: 'file' | 'directory' }];
    const out: { path: string; bytes: number }[] = [];
    const root = await navigator.storage.getDirectory();
    const top = await root.getDirectoryHandle('neuralforge').catch(() => null);
    const walk = async (dir: FileSystemDirectoryHandle, at: string): Promise<void> => {
      for await (const [name, h] of (dir as unknown as { entries(): AsyncIterable<Entry> }).entries()) {
        if (h.kind === 'directory') await walk(h as FileSystemDirectoryHandle, `${at}${name}/`);
        else out.push({ path: at + name, bytes: (await (h as FileSystemFileHandle).getFile()).size });
      }
    };
    if (top) await walk(top, '');
    return out.sort((a, b) => (a.path < b.path ? -1 : 1));
  });
}

const status = (page: Page) => page.getByTestId('run-status');
const attr = async (page: Page, name: string) => (await status(page).getAttribute(name)) ?? '';

/** MNIST MLP on wasm (fast here), a few hundred samples, batch 32: ~14 steps an epoch. */
async function setUpRun(page: Page, o: { epochs: number; checkpointSteps?: number }) {
  await showTraining(page);
  await page.getByTestId('save-status').and(page.locator('[data-state=saved]')).waitFor({ timeout: 60_000 }); // the project is open and stored
  await page.getByTestId('backend-picker').selectOption('wasm');
  await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
  await page.getByTestId('epochs').fill(String(o.epochs));
  await page.getByTestId('batch-size').fill('32');
  await page.getByTestId('train-samples').fill('500');
  if (o.checkpointSteps) await page.getByTestId('checkpoint-steps').fill(String(o.checkpointSteps));
}

async function finished(page: Page, logs: string[]): Promise<string> {
  const summary = page.getByTestId('run-summary');
  await summary.waitFor({ timeout: 120_000 });
  expect(await summary.getAttribute('data-run-status'), `${await summary.textContent()}\n${logs.join('\n')}`).toBe('completed');
  return attr(page, 'data-run-id');
}

/** The epoch table as [epoch, loss] pairs. */
const epochRows = (page: Page) =>
  page.getByTestId('epoch-row').evaluateAll((rows) => rows.map((r) => [Number(r.getAttribute('data-epoch')), Number(r.getAttribute('data-loss'))]));

/** The run's row in the Runs list, and each of its checkpoints. */
const runRow = (page: Page, id: string) => page.locator(`[data-testid="run-row"][data-run-id="${id}"]`);

describe('runs kept on the device', () => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await chrome.browser.newContext({ viewport: { width: 1200, height: 1600 } });
  });
  afterAll(async () => {
    await context?.close();
  });

  it('lists a run with its curve after a reload, and a resumed run continues the curve', async () => {
    const { page, logs } = await openTab(context, inject('appUrl'));
    await setUpRun(page, { epochs: 2, checkpointSteps: 5 });
    await page.getByTestId('start').click();
    const first = await finished(page, logs);

    // The run's architecture version is stored with its totals, and the project's head moved to it.
    const firstRun = (await runsOf(page)).find((r) => r.id === first)!;
    const versions = await readStore<{ id: string; parent: string | null; totals: { params: number } }>(page, 'versions');
    expect(versions.find((v) => v.id === firstRun.versionId)?.totals.params).toBe(235_146); // MLP 784-256-128-10: 784·256+256 + 256·128+128 + 128·10+10
    await waitFor('the head version', async () => (await readStore<{ headVersion: string | null }>(page, 'projects'))[0]?.headVersion === firstRun.versionId);

    await page.reload();
    await showView(page, 'runs');
    const row = runRow(page, first);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.getAttribute('data-status')).toBe('completed');
    // The selected run comes back with the project, and its stored curve is drawn.
    await waitFor('the stored run on show', async () => (await attr(page, 'data-status')) === 'stored' && (await attr(page, 'data-run-id')) === first, 30_000);
    const steps = await pointsOf(page, first, 'step');
    const epochs = await pointsOf(page, first, 'epoch');
    expect(epochs.map((p) => p.index)).toEqual([1, 2]);
    expect(await epochRows(page)).toEqual(epochs.map((p) => [p.index, p.values['loss']]));
    expect(Number(await attr(page, 'data-points'))).toBe(steps.length);
    expect(Number(await attr(page, 'data-last-step'))).toBe(steps.at(-1)!.index);
    await screenshot(page, 'runs-stored');

    // Resume from the earliest periodic checkpoint (mid-epoch 1), one epoch longer than before.
    const manifests = await manifestsOf(page, first);
    const from = manifests.filter((c) => c.kind === 'periodic').sort((a, b) => a.globalStep - b.globalStep)[0]!;
    expect(from, JSON.stringify(manifests)).toBeDefined();
    await showTraining(page);
    await page.getByTestId('backend-picker').selectOption('wasm');
    await page.getByTestId('epochs').fill('3');
    await showView(page, 'runs');
    await row.locator(`[data-testid="run-checkpoint"][data-checkpoint-id="${from.id}"] [data-testid="resume-from"]`).click();
    const second = await finished(page, logs);
    expect(second).not.toBe(first);

    const run = (await runsOf(page)).find((r) => r.id === second)!;
    expect(run).toMatchObject({ status: 'completed', resumedFrom: from.id, epochs: 3 });
    const ownSteps = await pointsOf(page, second, 'step');
    const ownEpochs = await pointsOf(page, second, 'epoch');
    expect(ownSteps[0]!.index).toBeGreaterThan(from.globalStep);
    expect(ownEpochs.map((p) => p.index)).toEqual([1, 2, 3].filter((e) => e > from.epoch));
    // The chart: the first run's points up to the checkpoint, then the resumed run's.
    const before = steps.filter((p) => p.index <= from.globalStep);
    expect(Number(await attr(page, 'data-first-step'))).toBe(before[0]!.index);
    expect(Number(await attr(page, 'data-points'))).toBe(before.length + ownSteps.length);
    const final = (await manifestsOf(page, second)).find((c) => c.kind === 'final')!;
    // Steps are reported at most ~10 times a second, so the last point may precede the final step.
    expect(Number(await attr(page, 'data-last-step'))).toBe(ownSteps.at(-1)!.index);
    expect(ownSteps.at(-1)!.index).toBeLessThanOrEqual(final.globalStep);
    const firstFinal = manifests.find((c) => c.kind === 'final')!;
    expect(final.globalStep).toBe((firstFinal.globalStep / 2) * 3); // 2 epochs before, 3 now
    const shown = await epochRows(page);
    expect(shown).toEqual([...epochs.filter((p) => p.index <= from.epoch), ...ownEpochs].map((p) => [p.index, p.values['loss']]));
    expect(shown.map(([e]) => e)).toEqual([1, 2, 3]);
    for (const p of [...ownSteps, ...ownEpochs]) expect(Number.isFinite(p.values['loss']), JSON.stringify(p)).toBe(true);
    expect(await runRow(page, second).getAttribute('data-status')).toBe('completed');
    await screenshot(page, 'runs-resumed');
    await page.close();
  });
});

describe('a tab killed in the middle of a checkpoint', () => {
  it('leaves the previous checkpoint, which resumes; the run reads interrupted; partial files are collected', async () => {
    const context = await chrome.browser.newContext({ viewport: { width: 1200, height: 1600 } });
    try {
      const url = inject('appUrl');
      // The 2nd checkpoint (step 8) writes its files, then hangs before its manifest.
      const { page, logs } = await openTab(context, `${url}?nf-test-hang-checkpoint=2`);
      await setUpRun(page, { epochs: 2, checkpointSteps: 4 });
      await page.getByTestId('start').click();
      await page.getByText('test hook: checkpoint 2 hangs before its manifest').waitFor({ timeout: 120_000 });
      const runId = await attr(page, 'data-run-id');
      const complete = await manifestsOf(page, runId);
      expect(complete.map((c) => [c.kind, c.globalStep])).toEqual([['periodic', 4]]);
      const dirs = (files: { path: string }[]) => [...new Set(files.filter((f) => f.path.startsWith(`checkpoints/${runId}/`)).map((f) => f.path.split('/')[2]))];
      const partial = dirs(await opfsFiles(page)).filter((d) => d !== complete[0]!.id);
      expect(partial, 'the hung checkpoint wrote its files').toHaveLength(1);

      // Kill the tab: its renderer (and the worker in it) dies at once, nothing runs on the way out.
      const cdp = await context.newCDPSession(page);
      const crashed = new Promise<void>((resolve) => page.once('crash', () => resolve()));
      void cdp.send('Page.crash').catch(() => undefined); // never answered: the page dies first
      await Promise.race([crashed, new Promise((r) => setTimeout(r, 10_000))]);
      await page.close().catch(() => undefined);

      const { page: again, logs: logs2 } = await openTab(context, url);
      await showView(again, 'runs');
      const row = runRow(again, runId);
      await row.waitFor({ timeout: 30_000 });
      await waitFor('the killed run marked interrupted', async () => (await row.getAttribute('data-status')) === 'interrupted', 15_000);
      // Startup collection removed the files without a manifest; every manifest names files that exist.
      await waitFor('the partial checkpoint collected', async () => !(await opfsFiles(again)).some((f) => f.path.includes(partial[0]!)), 15_000);
      const noDangling = async () => {
        const files = new Map((await opfsFiles(again)).map((f) => [f.path, f.bytes]));
        for (const m of await manifestsOf(again)) for (const f of m.files) expect(files.get(f.path), `${m.id}: ${f.path}`).toBe(f.bytes);
        const named = new Set((await manifestsOf(again)).flatMap((m) => m.files.map((f) => f.path)));
        expect([...files.keys()].filter((p) => p.startsWith('checkpoints/') && !named.has(p))).toEqual([]);
      };
      await noDangling();
      await screenshot(again, 'runs-interrupted');

      // The complete checkpoint loads and training continues from step 5.
      await showTraining(again);
      await again.getByTestId('backend-picker').selectOption('wasm');
      await showView(again, 'runs');
      // No sample count given: the mid-epoch checkpoint needs the same 500 samples, which the run's record keeps.
      await row.locator(`[data-testid="run-checkpoint"][data-checkpoint-id="${complete[0]!.id}"] [data-testid="resume-from"]`).click();
      const resumed = await finished(again, [...logs, ...logs2]);
      const steps = await pointsOf(again, resumed, 'step');
      expect(steps[0]!.index).toBeGreaterThanOrEqual(5);
      expect((await runsOf(again)).find((r) => r.id === resumed)).toMatchObject({ status: 'completed', resumedFrom: complete[0]!.id, epochs: 2 });
      await noDangling();
      await again.close();
    } finally {
      await context.close();
    }
  });
});
