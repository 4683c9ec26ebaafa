// The Evaluate panel in real Chromium against the real evaluator worker: a LeNet-5 trained for
// one short epoch on MNIST (cpu backend), evaluated on 300 test images. The oracles are the
// page's own data, read independently: the confusion cells must sum to the samples evaluated
// and their diagonal to the accuracy shown; a clicked cell's grid must hold exactly that many
// samples, each with that true/predicted pair; worst examples must come sorted by loss;
// Grad-CAM must paint a non-flat heat map of the image's size; PCA must plot N points.
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { build, type Rollup } from 'vite';
import solid from 'vite-plugin-solid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { openApp, screenshot } from './page.js';
import { watchCsp } from './pwa-helpers.js';
import { showTraining } from './dock.js';
import { waitFor } from './storage-helpers.js';
import { showView } from './views.js';

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});

const SAMPLES = 300;
const CLASSES = 10;

const ints = (page: Page, selector: string, attr: string) => page.locator(selector).evaluateAll((els, a) => els.map((e) => Number(e.getAttribute(a))), attr);

/** Cards of a grid, once every one has its sample (data-true is set when loaded). */
async function loadedCards(page: Page, grid: string, count: number) {
  const cards = page.locator(`[data-testid=${grid}] [data-testid=sample-card]`);
  await waitFor(`${count} loaded cards in ${grid}`, async () => (await cards.count()) === count && (await cards.evaluateAll((els) => els.every((e) => e.getAttribute('data-loss') !== ''))), 60_000);
  return cards.evaluateAll((els) => els.map((e) => ({ index: Number(e.dataset['index']), t: e.dataset['true'] ?? '', p: e.dataset['pred'] ?? '', loss: Number(e.dataset['loss']) })));
}

/** Distinct RGBA values on a canvas and its backing-store size. */
const canvasStats = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const colours = new Set<number>();
    for (let i = 0; i < d.length; i += 4) colours.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
    return { width: c.width, height: c.height, colours: colours.size };
  });

describe('the Evaluate panel', () => {
  it('evaluates a trained LeNet: matrix drill-down, per-class table, ROC, worst examples, Grad-CAM and PCA', async () => {
    const context = await chrome.browser.newContext({ viewport: { width: 1200, height: 1400 } });
    const page = await context.newPage();
    const logs: string[] = [];
    page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
    // CSP violations in the page and its workers, as securitypolicyviolation events (the oracle for "no inline styles").
    const csp = await watchCsp(context, page);
    await page.goto(inject('appUrl'));
    try {
      await showTraining(page);
      await page.getByTestId('save-status').and(page.locator('[data-state=saved]')).waitFor({ timeout: 60_000 });
      await page.getByTestId('template-picker').selectOption('lenet5');
      await page.getByTestId('backend-picker').selectOption('cpu');
      await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
      await page.getByTestId('epochs').fill('1');
      await page.getByTestId('batch-size').fill('32');
      await page.getByTestId('train-samples').fill('320');
      await page.getByTestId('start').click();
      const summary = page.getByTestId('run-summary');
      await summary.waitFor({ timeout: 180_000 });
      expect(await summary.getAttribute('data-run-status'), `${await summary.textContent()}\n${logs.join('\n')}`).toBe('completed');

      await showView(page, 'runs');
      await page.getByTestId('runs-panel-evaluate').click();
      const panel = page.getByTestId('evaluate-panel');
      await panel.waitFor();
      expect(await page.getByTestId('eval-run').textContent()).toMatch(/on .*MNIST/i);
      expect(await page.getByTestId('eval-checkpoint').locator('option').count()).toBeGreaterThan(0);
      await page.getByTestId('eval-backend').selectOption('cpu');
      await page.getByTestId('eval-max-samples').fill('abc');
      expect(await page.getByTestId('evaluate-button').isDisabled()).toBe(true);
      expect(await page.getByTestId('eval-blocker').textContent()).toMatch(/"abc" is not a whole number/);
      await page.getByTestId('eval-max-samples').fill(String(SAMPLES));
      await page.getByTestId('evaluate-button').click();
      const status = page.getByTestId('eval-status');
      await waitFor('the evaluation', async () => ['done', 'failed'].includes((await status.getAttribute('data-state')) ?? ''), 180_000);
      expect(await status.getAttribute('data-state'), `${await status.textContent()}\n${logs.join('\n')}`).toBe('done');
      expect(await page.getByTestId('eval-facts').getAttribute('data-backend')).toBe('cpu');
      expect(await page.getByTestId('eval-facts').textContent()).toMatch(new RegExp(`${SAMPLES} (test|validation) samples`));

      // Confusion matrix: 10×10 cells summing to the samples shown; the diagonal is the accuracy shown.
      const evalSummary = page.getByTestId('eval-summary');
      expect(Number(await evalSummary.getAttribute('data-samples'))).toBe(SAMPLES);
      const cells = await page.getByTestId('confusion-cell').evaluateAll((els) => els.map((e) => ({ t: Number(e.dataset['true']), p: Number(e.dataset['pred']), n: Number(e.dataset['count']), label: e.getAttribute('aria-label') })));
      expect(cells.length).toBe(CLASSES * CLASSES);
      expect(cells.reduce((s, c) => s + c.n, 0)).toBe(SAMPLES);
      const diagonal = cells.filter((c) => c.t === c.p).reduce((s, c) => s + c.n, 0);
      expect(Number(await evalSummary.getAttribute('data-accuracy'))).toBeCloseTo(diagonal / SAMPLES, 10);
      expect(cells[3 * CLASSES + 5]!.label).toBe(`true 3, predicted 5: ${cells[3 * CLASSES + 5]!.n} sample${cells[3 * CLASSES + 5]!.n === 1 ? '' : 's'}`);

      // Drill into the fullest off-diagonal cell (a mistake), else the fullest cell.
      const off = cells.filter((c) => c.t !== c.p && c.n > 0).sort((a, b) => b.n - a.n)[0] ?? [...cells].sort((a, b) => b.n - a.n)[0]!;
      await page.locator(`[data-testid=confusion-cell][data-true="${off.t}"][data-pred="${off.p}"]`).click();
      expect(await page.getByTestId('cell-samples-title').textContent()).toBe(`true ${off.t}, predicted ${off.p}: ${off.n} sample${off.n === 1 ? '' : 's'}`);
      const inCell = await loadedCards(page, 'cell-grid', off.n);
      expect(inCell.every((c) => c.t === String(off.t) && c.p === String(off.p)), JSON.stringify(inCell)).toBe(true);
      expect(new Set(inCell.map((c) => c.index)).size).toBe(off.n);
      // Thumbnails are the 28×28 digits.
      expect(await page.locator('[data-testid=cell-grid] canvas.sample-image').first().evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([28, 28]);

      // Per-class table: one row per class, supports summing to the samples; sorting by F1 orders the rows.
      const supports = await ints(page, '[data-testid=class-row]', 'data-support');
      expect(supports.length).toBe(CLASSES);
      expect(supports.reduce((a, b) => a + b, 0)).toBe(SAMPLES);
      await page.getByTestId('class-sort-f1').click();
      const f1 = await ints(page, '[data-testid=class-row]', 'data-f1');
      expect(f1).toEqual([...f1].sort((a, b) => b - a));
      // ROC: a curve per class, and the averages.
      expect(await page.getByTestId('roc-curve').count()).toBe(CLASSES);
      expect(await page.getByTestId('roc-averages').textContent()).toMatch(/macro AUC \d\.\d+/);
      await screenshot(page, 'evaluate-classification');

      // Worst examples: 24, sorted by loss (worst first); "more" shows 24 more.
      const worst = await loadedCards(page, 'worst-grid', 24);
      const losses = worst.map((c) => c.loss);
      expect(losses).toEqual([...losses].sort((a, b) => b - a));
      const maxCellLoss = Math.max(...inCell.map((c) => c.loss));
      expect(losses[0]).toBeGreaterThanOrEqual(maxCellLoss - 1e-6); // the worst of all is no better than any cell's worst
      await page.getByTestId('worst-grid-more').click();
      const worst48 = await loadedCards(page, 'worst-grid', 48);
      expect(worst48.slice(0, 24)).toEqual(worst);
      expect(Math.min(...losses)).toBeGreaterThanOrEqual(Math.max(...worst48.slice(24).map((c) => c.loss)));

      // Grad-CAM on the worst sample, from its card.
      await page.locator(`[data-testid=worst-grid] [data-testid=sample-card][data-index="${worst[0]!.index}"]`).click();
      await page.getByTestId('worst-grid-action').click();
      const cam = page.getByTestId('gradcam-view');
      await waitFor('the Grad-CAM map', async () => ['done', 'failed'].includes((await cam.getAttribute('data-state')) ?? ''), 60_000);
      expect(await cam.getAttribute('data-state'), await page.getByTestId('gradcam-status').textContent() ?? '').toBe('done');
      expect(await page.getByTestId('gradcam-status').textContent()).toContain(`Sample #${worst[0]!.index}`);
      const heatMap = await canvasStats(page, 'gradcam-map');
      expect([heatMap.width, heatMap.height]).toEqual([28, 28]);
      expect(heatMap.colours).toBeGreaterThan(8); // a map, not a flat fill
      expect((await canvasStats(page, 'gradcam-overlay')).colours).toBeGreaterThan(8);

      // PCA of the layer before the output, 200 points.
      await page.getByTestId('projection-points').fill('200');
      await page.getByTestId('projection-run').click();
      const proj = page.getByTestId('projection-view');
      await waitFor('the projection', async () => ['done', 'failed'].includes((await proj.getAttribute('data-state')) ?? ''), 60_000);
      expect(await proj.getAttribute('data-state'), await page.getByTestId('projection-status').textContent() ?? '').toBe('done');
      expect(Number(await proj.getAttribute('data-points'))).toBe(200);
      expect(await page.getByTestId('projection-status').textContent()).toMatch(/^200 samples at .* explained variance: \d+\.\d% \+ \d+\.\d%/);
      const plot = await page.locator('[data-testid=projection-view] canvas').evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let coloured = 0;
        for (let i = 0; i < d.length; i += 4) if (Math.max(d[i]!, d[i + 1]!, d[i + 2]!) - Math.min(d[i]!, d[i + 1]!, d[i + 2]!) > 60) coloured++;
        return coloured;
      });
      expect(plot).toBeGreaterThan(200); // class-coloured dots, not just grey axes
      await screenshot(page, 'evaluate-interpretation');

      // t-SNE of the same layer: the same points, no explained variance.
      await page.getByTestId('projection-method').selectOption('tsne');
      await page.getByTestId('projection-run').click();
      await waitFor('the t-SNE projection', async () => ['done', 'failed'].includes((await proj.getAttribute('data-state')) ?? ''), 60_000);
      expect(await page.getByTestId('projection-status').textContent()).toMatch(/^200 samples at [^·]*\.$/);
      expect(Number(await proj.getAttribute('data-points'))).toBe(200);
      // No page errors, and nothing the Content-Security-Policy refused (colours and sizes go through the CSSOM).
      expect(logs.filter((l) => l.startsWith('[pageerror]') || /Content Security Policy|Refused to/.test(l))).toEqual([]);
      expect(csp.violations).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('waits for a running training, evaluates an MLP on the validation split, drills in by keyboard and says why Grad-CAM is unavailable', async () => {
    const { page, logs } = await openApp(chrome.browser, inject('appUrl'));
    try {
      await showTraining(page);
      await page.getByTestId('save-status').and(page.locator('[data-state=saved]')).waitFor({ timeout: 60_000 });
      await page.getByTestId('template-picker').selectOption('mlp');
      await page.getByTestId('backend-picker').selectOption('cpu');
      await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
      await page.getByTestId('epochs').fill('2');
      await page.getByTestId('batch-size').fill('32');
      await page.getByTestId('train-samples').fill('2000');
      await page.getByTestId('start').click();

      // While it trains, Evaluate is disabled and says why.
      await showView(page, 'runs');
      await page.getByTestId('runs-panel-evaluate').click();
      const button = page.getByTestId('evaluate-button');
      await waitFor('the training blocker', async () => /A run is training/.test((await page.getByTestId('eval-blocker').textContent()) ?? ''), 30_000);
      expect(await button.isDisabled()).toBe(true);
      await waitFor('the run to end and Evaluate to be enabled', () => button.isEnabled(), 180_000);
      expect(await page.getByTestId('eval-run').textContent(), logs.join('\n')).toMatch(/\(completed, 2 epochs\)/);
      expect(await page.getByTestId('eval-blocker').textContent()).toBe('');

      await page.getByTestId('eval-backend').selectOption('cpu');
      await page.getByTestId('eval-split').selectOption('validation');
      await button.click();
      const status = page.getByTestId('eval-status');
      await waitFor('the evaluation', async () => ['done', 'failed'].includes((await status.getAttribute('data-state')) ?? ''), 120_000);
      expect(await status.getAttribute('data-state'), `${await status.textContent()}\n${logs.join('\n')}`).toBe('done');
      const facts = page.getByTestId('eval-facts');
      expect([await facts.getAttribute('data-split'), await facts.getAttribute('data-fell-back')]).toEqual(['validation', 'false']);
      const n = Number(await page.getByTestId('eval-summary').getAttribute('data-samples'));
      expect(n).toBeGreaterThan(0);
      const counts = await ints(page, '[data-testid=confusion-cell]', 'data-count');
      expect(counts.reduce((a, b) => a + b, 0)).toBe(n);

      // Row-normalised: each non-empty row's shares add up to 100 % (to rounding).
      await page.getByTestId('confusion-normalise').check();
      const texts = await page.getByTestId('confusion-cell').allTextContents();
      for (let t = 0; t < CLASSES; t++) {
        const row = texts.slice(t * CLASSES, (t + 1) * CLASSES).map((x) => (x === '0' ? 0 : Number(x.replace('%', ''))));
        const support = counts.slice(t * CLASSES, (t + 1) * CLASSES).reduce((a, b) => a + b, 0);
        if (support > 0) expect(Math.abs(row.reduce((a, b) => a + b, 0) - 100), `row ${t}: ${row}`).toBeLessThanOrEqual(CLASSES / 2);
      }

      // Keyboard: focus the first non-empty diagonal cell and press Enter.
      const k = counts.findIndex((c, i) => c > 0 && Math.floor(i / CLASSES) === i % CLASSES);
      const cell = page.getByTestId('confusion-cell').nth(k);
      await cell.focus();
      await page.keyboard.press('Enter');
      const cards = await loadedCards(page, 'cell-grid', Math.min(200, counts[k]!));
      expect(cards.every((c) => c.t === String(Math.floor(k / CLASSES)) && c.p === String(k % CLASSES))).toBe(true);

      // An MLP has no spatial layer: Grad-CAM says why instead of offering a button.
      expect(await page.getByTestId('gradcam-unavailable').textContent()).toMatch(/not convolutional/);
      expect(await page.getByTestId('gradcam-run').count()).toBe(0);
      await screenshot(page, 'evaluate-mlp-validation');
      // No page errors, and nothing the Content-Security-Policy refused (colours and sizes go through the CSSOM).
      expect(logs.filter((l) => l.startsWith('[pageerror]') || /Content Security Policy|Refused to/.test(l))).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

/** tests/browser/evaluate-harness.tsx bundled for a page (the real evaluator client stubbed out), with the panel's CSS. */
async function harnessBundle(): Promise<{ js: string; css: string }> {
  const root = resolve(import.meta.dirname, '../..');
  const out = (await build({
    root,
    configFile: false,
    logLevel: 'error',
    plugins: [
      solid(),
      {
        name: 'stub-evaluator-client',
        enforce: 'pre',
        resolveId: (id) => (id.endsWith('/evaluator-client.js') ? '\0evaluator-client' : null),
        load: (id) => (id === '\0evaluator-client' ? 'export const evaluator = () => { throw new Error("the harness hands in connect"); };' : null),
      },
    ],
    build: { write: false, minify: false, lib: { entry: resolve(root, 'tests/browser/evaluate-harness.tsx'), formats: ['iife'], name: 'nfEvalHarnessBundle' } },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[];
  const output = (Array.isArray(out) ? out[0]! : out).output;
  const js = output.find((o) => o.type === 'chunk');
  if (!js || js.type !== 'chunk') throw new Error('the harness bundle has no code');
  const css = output.flatMap((o) => (o.type === 'asset' && o.fileName.endsWith('.css') ? [String(o.source)] : [])).join('\n');
  return { js: js.code, css };
}

// The fixture's regression data, recomputed here from its definition (the oracle).
const REG = Array.from({ length: 60 }, (_, i) => ({ index: i, actual: Math.fround(i / 10), predicted: Math.fround(i / 10 + (((37 * i) % 11) - 5) / 20) }));

describe('the Evaluate panel with a fake evaluator', () => {
  it('shows regression metrics and residuals, a 100-class matrix that scrolls in its box, and failures with advice', async () => {
    const { js, css } = await harnessBundle();
    const page = await chrome.browser.newPage({ viewport: { width: 1200, height: 1400 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      const url = new URL('/__evaluate-harness.html', inject('appUrl')).href;
      await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Evaluate harness</title><body style="font-family: system-ui; margin: 8px 16px">' }));
      await page.goto(url);
      await page.addStyleTag({ content: css });
      await page.addScriptTag({ content: js });
      const show = (s: string) => page.evaluate((x) => window.nfEvalHarness.show(x as never), s);
      const status = page.getByTestId('eval-status');
      const evaluate = async () => {
        await page.getByTestId('evaluate-button').click();
        await waitFor('the fake evaluation', async () => ['done', 'failed'].includes((await status.getAttribute('data-state')) ?? ''));
      };

      // No run: Evaluate is disabled and says why.
      expect(await page.getByTestId('evaluate-button').isDisabled()).toBe(true);
      expect(await page.getByTestId('eval-blocker').textContent()).toMatch(/Pick a run/);

      // A failure shows the worker's message and what to do.
      await show('missing');
      await evaluate();
      const error = page.getByTestId('eval-error');
      expect(await error.getAttribute('data-code')).toBe('dataset-missing');
      expect(await error.textContent()).toMatch(/is not on this device.*import the same file again/);

      // Regression: metrics against the definitions, the residual plot, worst by |residual|.
      await show('regression');
      await evaluate();
      const r = REG.map((p) => p.actual - p.predicted);
      const mean = REG.reduce((a, p) => a + p.actual, 0) / REG.length;
      const mae = r.reduce((a, x) => a + Math.abs(x), 0) / r.length;
      const rmse = Math.sqrt(r.reduce((a, x) => a + x * x, 0) / r.length);
      const r2 = 1 - r.reduce((a, x) => a + x * x, 0) / REG.reduce((a, p) => a + (p.actual - mean) ** 2, 0);
      const summary = page.getByTestId('eval-summary');
      expect(Number(await summary.getAttribute('data-mae'))).toBeCloseTo(mae, 5);
      expect(Number(await summary.getAttribute('data-rmse'))).toBeCloseTo(rmse, 5);
      expect(Number(await summary.getAttribute('data-r2'))).toBeCloseTo(r2, 5);
      expect(await page.getByTestId('residual-plot').getAttribute('data-points')).toBe('60');
      const worst = await loadedCards(page, 'worst-grid', 24);
      const expected = [...REG].sort((a, b) => Math.abs(b.actual - b.predicted) - Math.abs(a.actual - a.predicted) || a.index - b.index).slice(0, 24);
      expect(worst.map((c) => c.index)).toEqual(expected.map((p) => p.index));
      expect(await page.locator('[data-testid=worst-grid] .sample-table').first().textContent()).toMatch(/^x1 \d+, x2 \d+$/);
      expect(await page.getByTestId('gradcam-unavailable').textContent()).toMatch(/samples are table/);
      await page.getByTestId('projection-run').click();
      await waitFor('the projection', async () => (await page.getByTestId('projection-view').getAttribute('data-state')) === 'done');
      expect(await page.getByTestId('projection-view').getAttribute('data-points')).toBe('60');
      expect(await page.locator('.colour-bar').count()).toBe(1); // coloured by target, not by class
      await screenshot(page, 'evaluate-regression');

      // 100 classes: the matrix scrolls inside its box and the page does not widen.
      await show('classes100');
      await evaluate();
      expect(await page.getByTestId('confusion-matrix').getAttribute('data-classes')).toBe('100');
      expect(await page.getByTestId('confusion-cell').count()).toBe(10_000);
      const box = await page.locator('.confusion-box').evaluate((el) => ({ sw: el.scrollWidth, cw: el.clientWidth, sh: el.scrollHeight, ch: el.clientHeight }));
      expect(box.sw).toBeGreaterThan(box.cw);
      expect(box.sh).toBeGreaterThan(box.ch);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      expect(await page.getByTestId('roc-curve').count()).toBe(100);
      // Cell (true 7, predicted 8): samples i < 1000 with i mod 100 = 7 and i mod 3 = 0.
      const want = Array.from({ length: 1000 }, (_, i) => i).filter((i) => i % 100 === 7 && i % 3 === 0);
      const cell = page.locator('[data-testid=confusion-cell][data-true="7"][data-pred="8"]');
      expect(await cell.getAttribute('aria-label')).toBe(`true class-7, predicted class-8: ${want.length} samples`);
      await cell.click();
      const cards = await loadedCards(page, 'cell-grid', want.length);
      expect(cards.map((c) => c.index)).toEqual(want);
      expect(await page.locator('[data-testid=cell-grid] .sample-text').first().textContent()).toBe(`sample text ${want[0]}`);
      await screenshot(page, 'evaluate-100-classes');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
