// The Training panel's settings, estimate, charts and log console, in real Chromium: form edits
// reach the stored project (read with raw IndexedDB, never through the app) within a second,
// an invalid value is refused inline with the project schema's words and not stored, the
// estimate's memory is what the engine's summary reports for the stored settings, and a short
// MNIST run on wasm fills the learning-rate, gradient-norm and samples/s charts and logs its backend.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { summarize } from '../../src/engine/graph/summary.js';
import { trainingSchema } from '../../src/engine/project/schema.js';
import type { Graph, TrainingConfig } from '../../src/engine/project/types.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { showTraining } from './dock.js';
import { screenshot } from './page.js';
import { openTab, readStore, waitFor } from './storage-helpers.js';

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});

interface StoredProject { updatedAt: number; draft: { graph: Graph; training: TrainingConfig } }
const stored = async (page: Page) => (await readStore<StoredProject>(page, 'projects'))[0]!;

/** Waits for the stored project to satisfy `ok`; returns it and how long after `since` it got there. */
async function storedWhen(page: Page, what: string, ok: (p: StoredProject) => boolean, since: number) {
  const p = await waitFor(what, async () => {
    const s = await stored(page);
    return s && ok(s) ? s : null;
  }, 5_000);
  return { p, ms: Date.now() - since };
}

/** The memory the engine reports for the stored project's graph and settings (the CLI's `inspect` numbers). */
const engineMemory = (p: StoredProject) => summarize(analyzeGraph(p.draft.graph), p.draft.training).trainingMemory.totalBytes;

/** Points per series a chart holds ("12,12,12" → [12, 12, 12]). */
const chartPoints = async (page: Page, testId: string) => ((await page.getByTestId(testId).getAttribute('data-points')) ?? '').split(',').map(Number);

describe('training panel', () => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await chrome.browser.newContext({ viewport: { width: 1200, height: 1800 } });
  });
  afterAll(async () => {
    await context?.close();
  });

  it('writes the settings to the project, refuses invalid ones, estimates, and charts a run', async () => {
    const { page, logs } = await openTab(context, inject('appUrl'));
    await showTraining(page);
    await page.getByTestId('save-status').and(page.locator('[data-state=saved]')).waitFor({ timeout: 60_000 }); // the project is open and stored
    const form = page.getByTestId('training-config');
    await form.waitFor();
    // The settings start folded (the Training tab puts the run's curves first); a click opens them.
    expect(await form.getAttribute('open')).toBeNull();
    await form.locator('summary').click();

    // The estimate is there before Start, and its memory is the engine's for the stored settings.
    const estimate = page.getByTestId('estimate');
    expect(await estimate.textContent()).toMatch(/^≈ .+ for \d+ epochs? · [\d.]+ (KiB|MiB|GiB) training memory at batch \d+/);
    const before = await stored(page);
    expect(Number(await estimate.getAttribute('data-bytes'))).toBe(engineMemory(before));

    // SGD with momentum and a cosine schedule: stored within a second of the last edit.
    await page.getByTestId('cfg-optimizer').selectOption('sgd');
    await page.getByTestId('cfg-momentum').fill('0.9');
    await page.getByTestId('cfg-schedule').selectOption('cosine');
    await page.getByTestId('cfg-warmupSteps').fill('4');
    const edited = Date.now();
    const { p: after, ms } = await storedWhen(page, 'sgd + cosine stored', (p) => p.draft.training.schedule?.name === 'cosine' && p.draft.training.schedule.warmupSteps === 4, edited);
    expect(ms).toBeLessThanOrEqual(1_000 + 100); // autosave's second, plus one 50 ms poll
    expect(after.draft.training.optimizer).toEqual({ name: 'sgd', momentum: 0.9, ...(before.draft.training.optimizer?.learningRate !== undefined ? { learningRate: before.draft.training.optimizer.learningRate } : {}) });
    expect(after.draft.training.schedule).toEqual({ name: 'cosine', warmupSteps: 4 });
    // The estimate followed: SGD with momentum keeps one slot per weight where Adam kept two.
    await waitFor('the estimate to follow', async () => Number(await estimate.getAttribute('data-bytes')) === engineMemory(after));
    expect(engineMemory(after)).toBeLessThan(engineMemory(before));

    // Batch size 0 is refused at its input, in the schema's words, and never stored.
    const schemaSays = trainingSchema.safeParse({ batchSize: 0 }).error!.issues[0]!.message;
    await page.getByTestId('cfg-batchSize').fill('0');
    const error = page.getByTestId('cfg-batchSize-error');
    await error.waitFor();
    expect(await error.textContent()).toBe(schemaSays);
    expect(await error.getAttribute('role')).toBe('alert');
    await page.waitForTimeout(1_500);
    expect((await stored(page)).draft.training.batchSize).toBe(before.draft.training.batchSize);
    await page.getByTestId('cfg-batchSize').fill('');
    await error.waitFor({ state: 'detached' });

    // Early stopping that must fire after epoch 2 (no epoch beats the best loss by 10), so the
    // worker's own warning shows that the stored settings are the ones it trains with.
    await page.getByTestId('cfg-earlyStopping').check();
    await page.getByTestId('cfg-monitor').fill('loss');
    await page.getByTestId('cfg-patience').fill('0');
    await page.getByTestId('cfg-minDelta').fill('10');
    await storedWhen(page, 'early stopping stored', (p) => JSON.stringify(p.draft.training.earlyStopping) === JSON.stringify({ monitor: 'loss', patience: 0, minDelta: 10 }), Date.now());

    // A short run on wasm (MLP on 500 MNIST digits, batch 32, up to 3 epochs: 16 steps each).
    await page.getByTestId('backend-picker').selectOption('wasm');
    await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
    await page.getByTestId('epochs').fill('3');
    await page.getByTestId('batch-size').fill('32');
    await page.getByTestId('train-samples').fill('500');
    await page.getByTestId('start').click();
    // Pause once points arrive, to look at a run in progress.
    await waitFor('the first step points', async () => (await chartPoints(page, 'chart-step-loss'))[0]! > 0, 120_000);
    await page.getByTestId('pause').click().catch(() => undefined); // the run may already be done on a fast machine
    await screenshot(page, 'training-panel-running');
    if (await page.getByTestId('resume').isVisible()) await page.getByTestId('resume').click();
    const summary = page.getByTestId('run-summary');
    await summary.waitFor({ timeout: 120_000 });
    expect(await summary.getAttribute('data-run-status'), `${await summary.textContent()}\n${logs.join('\n')}`).toBe('completed');

    // Every step point carries its learning rate, gradient norm and throughput.
    const [loss, smoothed, lr] = await chartPoints(page, 'chart-step-loss');
    expect(loss).toBeGreaterThan(0);
    expect(smoothed).toBe(loss);
    expect(lr).toBe(loss);
    const [norm] = await chartPoints(page, 'chart-grad-norm');
    expect(norm).toBe(loss);
    const [speed] = await chartPoints(page, 'chart-samples-per-sec');
    expect(speed).toBe(loss);

    // The console logged the phases and the backend, and the early stop as a highlighted warning, newest last.
    const lines = await page.getByTestId('log-line').evaluateAll((ls) => ls.map((l) => ({ level: l.getAttribute('data-level'), role: l.getAttribute('role'), cls: l.className, text: l.textContent ?? '' })));
    expect(lines.some((l) => l.level === 'info' && /backend wasm on CPU/.test(l.text)), JSON.stringify(lines)).toBe(true);
    expect(lines.filter((l) => l.level === 'warning')).toEqual([
      { level: 'warning', role: 'status', cls: 'log-line warning', text: 'warning stopped early at epoch 2: loss has not improved since epoch 1' },
    ]);
    expect(await page.getByTestId('epoch-row').count()).toBe(2);
    expect(lines.findIndex((l) => /loading-data/.test(l.text))).toBeLessThan(lines.findIndex((l) => /^· training/.test(l.text)));
    expect(lines.at(-1)!.text).toMatch(/run completed after 2 epochs/);

    // After the run the estimate times from this backend's measured pace.
    await waitFor('a measured estimate', async () => (await estimate.getAttribute('data-basis')) === 'measured');
    await screenshot(page, 'training-panel-done');
  });
});
