// The page's routes in real Chromium at 1280×720: the nav bar switches views, each shown alone;
// back and forward walk them, a reload keeps the view, the editor fits the viewport with no
// document scrollbar (its Training and Layers tabs included), the header keeps the open project's
// name and save status on every view, and nothing on the editor moves while a run streams in.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { showDockTab, showTraining } from './dock.js';
import { screenshot } from './page.js';
import { openTab, waitFor } from './storage-helpers.js';
import { showView } from './views.js';

let chrome: LaunchedBrowser;
let context: BrowserContext;
let page: Page;
let logs: string[];

beforeAll(async () => {
  chrome = await launchChromium();
  context = await chrome.browser.newContext({ viewport: { width: 1280, height: 720 } });
  ({ page, logs } = await openTab(context, inject('appUrl')));
  await waitFor('the first project', async () => (await page.getByTestId('project-name').inputValue().catch(() => '')) === 'MLP on MNIST', 20_000);
});
afterAll(async () => {
  await chrome?.close();
});

const hash = () => page.evaluate(() => location.hash);
const nav = (route: string) => page.locator(`[data-testid=nav-bar] [data-route=${route}]`);
/** The views shown, read from the DOM (the others are display: none). */
const shownViews = () => page.locator('.view[data-testid]').evaluateAll((els) => els.filter((e) => getComputedStyle(e).display !== 'none').map((e) => e.getAttribute('data-testid')));
const headerShowsProject = async (name: string) => {
  expect(await page.getByTestId('project-name').isVisible()).toBe(true);
  expect(await page.getByTestId('project-name').inputValue()).toBe(name);
  expect(await page.getByTestId('save-status').isVisible()).toBe(true);
};
/** The editor fits the viewport: canvas and status bar inside it, and the document does not scroll. */
const expectEditorFits = async (minCanvasWidth: number) => {
  const box = (await page.getByTestId('canvas').boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(720);
  expect(box.width, 'the canvas gets the width the side panels leave').toBeGreaterThan(minCanvasWidth);
  expect(box.height, 'the canvas fills the height between header and status bar').toBeGreaterThan(350);
  const status = (await page.getByTestId('status-bar').boundingBox())!;
  expect(status.y + status.height).toBeLessThanOrEqual(720);
  const dock = (await page.getByTestId('dock').boundingBox())!;
  expect(dock.x + dock.width, 'the dock ends inside the viewport').toBeLessThanOrEqual(1280);
  expect(dock.y + dock.height).toBeLessThanOrEqual(720);
  const doc = await page.evaluate(() => ({ scroll: document.documentElement.scrollHeight, client: document.documentElement.clientHeight, scrollW: document.documentElement.scrollWidth, clientW: document.documentElement.clientWidth }));
  expect(doc.scroll, 'the document must not scroll on the editor view').toBeLessThanOrEqual(doc.client);
  expect(doc.scrollW, 'nor sideways').toBeLessThanOrEqual(doc.clientW);
};

describe('routes', () => {
  it('opens the editor by default, alone, fitting 1280×720 with no document scrollbar on every dock tab', async () => {
    expect(await hash()).toBe('#/editor');
    expect(await shownViews()).toEqual(['view-editor']);
    expect(await nav('editor').getAttribute('aria-current')).toBe('page');
    await page.getByTestId('canvas-node').first().waitFor();
    expect(await page.getByTestId('dock-tab-properties').getAttribute('aria-selected')).toBe('true');
    await expectEditorFits(700);
    // Neither the runs list nor the export studio is on the editor.
    expect(await page.getByTestId('runs-view').count()).toBe(0);
    expect(await page.getByTestId('export-studio').isVisible()).toBe(false);
    await headerShowsProject('MLP on MNIST');

    await showTraining(page);
    expect(await page.getByTestId('start').isVisible()).toBe(true);
    // Every chart shows its empty frame with the waiting line until a point arrives.
    await expect.poll(() => page.getByTestId('chart-waiting').count()).toBe(6);
    expect(await page.getByTestId('chart-waiting').first().textContent()).toBe('waiting for the first step…');
    await expectEditorFits(500);
    await screenshot(page, 'routes-editor-training');

    await showDockTab(page, 'layers');
    expect(await page.getByTestId('layer-row').count(), 'a row per layer on the canvas').toBe(await page.getByTestId('canvas-node').count());
    await expectEditorFits(400);
    const table = (await page.getByTestId('layers').boundingBox())!;
    const dock = (await page.getByTestId('dock').boundingBox())!;
    expect(table.x + table.width, 'the layer table fits the dock, every column shown').toBeLessThanOrEqual(dock.x + dock.width);
    await screenshot(page, 'routes-editor-layers');
    await showDockTab(page, 'properties');
    await screenshot(page, 'routes-editor');
  });

  it('switches views from the nav bar, with back, forward and reload', async () => {
    // A link click changes the hash; the view follows in the hashchange task, so wait for it.
    await nav('runs').click();
    expect(await hash()).toBe('#/runs');
    await expect.poll(shownViews).toEqual(['view-runs']);
    await page.getByTestId('runs-list').waitFor();
    expect(await page.getByTestId('start').count(), 'training starts in the editor, not here').toBe(0);
    expect(await page.getByTestId('canvas').isVisible()).toBe(false);
    await headerShowsProject('MLP on MNIST');

    await nav('export').click();
    await expect.poll(shownViews).toEqual(['view-export']);
    expect(await page.getByTestId('export-studio').isVisible()).toBe(true);
    expect(await page.getByTestId('runs-list').count()).toBe(0);
    await screenshot(page, 'routes-export');

    await page.goBack();
    await expect.poll(shownViews).toEqual(['view-runs']);
    expect(await nav('runs').getAttribute('aria-current')).toBe('page');
    await page.goBack();
    await expect.poll(shownViews).toEqual(['view-editor']);
    await page.goForward();
    await expect.poll(shownViews).toEqual(['view-runs']);

    await page.reload();
    await page.getByTestId('runs-list').waitFor({ state: 'visible', timeout: 20_000 });
    expect(await hash()).toBe('#/runs');
    expect(await shownViews()).toEqual(['view-runs']);
    await headerShowsProject('MLP on MNIST');

    // Loaded on another view, the canvas still fits the graph into its pane once the editor opens.
    await nav('editor').click();
    await page.getByTestId('canvas-node').first().waitFor();
    const pane = (await page.getByTestId('canvas').boundingBox())!;
    for (const n of await page.getByTestId('canvas-node').all()) {
      const b = (await n.boundingBox())!;
      expect(b.x >= pane.x && b.y >= pane.y && b.x + b.width <= pane.x + pane.width && b.y + b.height <= pane.y + pane.height, `node at ${JSON.stringify(b)} outside ${JSON.stringify(pane)}`).toBe(true);
    }
  });

  it('shows the project list, datasets and storage, and a new project opens in the editor', async () => {
    await page.getByTestId('show-projects').click();
    expect(await hash()).toBe('#/projects');
    await page.getByTestId('project-list').waitFor();
    expect(await page.getByTestId('templates-gallery').isVisible()).toBe(true);
    await screenshot(page, 'routes-project-list');

    await nav('datasets').click();
    await page.getByTestId('datasets-view').waitFor();
    await screenshot(page, 'routes-datasets');
    await page.getByTestId('datasets-view').getByRole('link', { name: 'Editor' }).click();
    expect(await hash()).toBe('#/editor');

    await page.getByTestId('show-storage').click();
    await page.getByTestId('storage-usage').waitFor();
    expect(await shownViews()).toEqual(['view-storage']);
    await screenshot(page, 'routes-storage');
    await headerShowsProject('MLP on MNIST');

    await page.getByTestId('template-picker').selectOption('lenet5');
    await waitFor('LeNet-5 open', async () => (await page.getByTestId('project-name').inputValue()).includes('LeNet'));
    expect(await hash()).toBe('#/editor');
    await expect.poll(shownViews).toEqual(['view-editor']);
    await page.getByTestId('canvas-node').first().waitFor();
    await waitFor('the save', async () => (await page.getByTestId('save-status').getAttribute('data-state')) === 'saved');
    await expectEditorFits(700);
    await screenshot(page, 'routes-editor-lenet');

    // Opening a project from the list shows it in the editor.
    await page.getByTestId('show-projects').click();
    await page.locator('[data-testid=project-row]', { hasText: 'MLP on MNIST' }).getByTestId('project-open').click();
    await expect.poll(() => page.getByTestId('project-name').inputValue()).toBe('MLP on MNIST');
    expect(await hash()).toBe('#/editor');
    await page.getByTestId('canvas-node').first().waitFor();
    expect(logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
  });

  it('keeps the editor still while a run streams in, then shows the run in the Runs view', async () => {
    await showTraining(page);
    await page.getByTestId('backend-picker').selectOption('wasm');
    await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
    // Long enough (~2 s on wasm here) to sample the boxes a dozen times or more: 3 epochs of 500
    // samples sometimes ended within 10 samples.
    await page.getByTestId('epochs').fill('5');
    await page.getByTestId('batch-size').fill('32');
    await page.getByTestId('train-samples').fill('1000');
    await expect.poll(() => page.getByTestId('chart-waiting').count()).toBe(6);
    // Every ~100 ms from before Start until the run ends: the box of each watched element.
    const watched = {
      canvas: '[data-testid=canvas]',
      dock: '[data-testid=dock]',
      start: '[data-testid=start]',
      stop: '[data-testid=stop]',
      status: '[data-testid=run-status]',
      log: '[data-testid=log-console]',
      facts: '[data-testid=run-facts]',
      chart: '.chart',
    };
    await page.evaluate((sel) => {
      const w = window as unknown as { __boxes: Record<string, number[][][]>; __sampler: number };
      w.__boxes = {};
      const sample = () => {
        for (const [name, s] of Object.entries(sel)) {
          const boxes = [...document.querySelectorAll(s)].map((e) => {
            const r = e.getBoundingClientRect();
            return [r.x, r.y, r.width, r.height];
          });
          (w.__boxes[name] ??= []).push(boxes);
        }
      };
      sample();
      w.__sampler = window.setInterval(sample, 100);
    }, watched);
    await page.getByTestId('start').click();
    await page.getByTestId('epoch-row').first().waitFor({ timeout: 120_000 });
    await screenshot(page, 'routes-editor-training-live');
    await page.getByTestId('run-summary').waitFor({ timeout: 120_000 });
    const boxes = await page.evaluate(() => {
      const w = window as unknown as { __boxes: Record<string, number[][][]>; __sampler: number };
      clearInterval(w.__sampler);
      return w.__boxes;
    });
    expect(await page.getByTestId('run-summary').getAttribute('data-run-status')).toBe('completed');
    expect(await page.getByTestId('epoch-row').count()).toBe(5);
    expect(await page.getByTestId('chart-waiting').count(), 'the waiting lines went once the points came').toBe(0);
    for (const [name, samples] of Object.entries(boxes)) {
      expect(samples.length, `${name}: sampled from before Start to the end`).toBeGreaterThan(10);
      const first = samples[0]!;
      expect(first.length, `${name} is on the page before Start`).toBeGreaterThan(0);
      let worst = 0;
      for (const s of samples) {
        expect(s.length, `${name}: the same number of elements in every sample`).toBe(first.length);
        s.forEach((b, i) => b.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - first[i]![k]!)))));
      }
      expect(worst, `${name} moved or resized by ${worst.toFixed(1)} px while training`).toBeLessThanOrEqual(1);
    }
    expect(boxes['chart']![0]!.length).toBe(6);

    // The finished run is listed and drawn in the Runs view.
    await showView(page, 'runs');
    await expect.poll(() => page.getByTestId('run-row').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('chart-step-loss').getAttribute('data-points')).not.toBe('0,0,0');
    expect(await shownViews()).toEqual(['view-runs']);
    await screenshot(page, 'routes-runs');
  });
});
