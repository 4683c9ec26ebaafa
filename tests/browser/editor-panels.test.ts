// The editor's panels in real Chromium: palette search and keyboard insert-after-selection, the
// properties panel's live shape preview, inline refusal of invalid values, the status bar's
// totals and diagnostic counts (checked against the engine's own analysis of the stored graph),
// and the templates gallery opening a new project.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { trainingMemory } from '../../src/engine/graph/memory.js';
import type { Graph } from '../../src/engine/project/types.js';
import { TEMPLATES } from '../../src/engine/templates/index.js';
import { shapeText } from '../../src/editor/canvas/node-summary.js';
import { bytes, compact } from '../../src/editor/format.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { screenshot } from './page.js';
import { openTab, readProjects, waitFor, type RawProject } from './storage-helpers.js';

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});

const storedGraph = (p: RawProject): Graph => p.draft.graph as unknown as Graph;
const edgesOf = (p: RawProject) => storedGraph(p).edges.map((e) => `${e.source}->${e.target}:${e.targetInput}`);

/** Waits until the only stored project satisfies `cond`, and returns it. */
const stored = (page: Page, what: string, cond: (p: RawProject) => boolean) =>
  waitFor(what, async () => {
    const ps = await readProjects(page);
    return ps.length === 1 && cond(ps[0]!) ? ps[0]! : null;
  }, 5000);

/** Types into a text field and reads `testids` in the same task: Solid updates the DOM synchronously. */
const typeAndRead = (page: Page, field: string, text: string, testids: readonly string[]) =>
  page.evaluate(({ field, text, testids }) => {
    const input = document.querySelector<HTMLInputElement>(`[data-testid="${field}"]`)!;
    input.focus();
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    return testids.map((t) => document.querySelector(`[data-testid="${t}"]`)?.textContent ?? null);
  }, { field, text, testids });

describe('editor panels', () => {
  it('palette → insert after selection → properties preview and refusal → status bar → gallery', async () => {
    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 1100 } });
    try {
      const { page, logs } = await openTab(context, inject('appUrl'));
      await expect.poll(() => page.getByTestId('project-name').inputValue(), { timeout: 15_000 }).toBe('MLP on MNIST');
      const original = await stored(page, 'the first project', () => true);
      const palette = page.getByTestId('palette');
      const search = page.getByTestId('palette-search');

      // Nothing selected: an Input goes in alone and becomes the selection.
      await search.fill('input');
      await search.press('Enter');
      await expect.poll(() => page.getByTestId('prop-id').textContent()).toBe('input_1');

      // "conv" ranks the convolutions first; ArrowDown + Enter inserts the second, Conv2D, after input_1.
      await search.fill('conv');
      const listed = await palette.getByTestId('palette-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
      expect(listed.slice(0, 4)).toEqual(['Conv1D', 'Conv2D', 'Conv3D', 'Conv2DTranspose']);
      await search.press('ArrowDown');
      await search.press('Enter');
      await expect.poll(() => page.getByTestId('prop-id').textContent()).toBe('conv2d_1');
      expect(await page.getByTestId('prop-kind').textContent()).toBe('Conv2D');
      const withConv = await stored(page, 'conv2d_1 on disk', (p) => edgesOf(p).includes('input_1->conv2d_1:0'));
      expect(storedGraph(withConv).nodes.length).toBe(storedGraph(original).nodes.length + 2);
      // The default Input [28, 28, 1] through a 3×3 valid conv with the default 32 filters.
      const oracle = analyzeGraph(storedGraph(withConv));
      const convShape = oracle.nodes.get('conv2d_1' as never)!.output!.shape;
      expect(convShape).toEqual([null, 26, 26, 32]);
      expect(await page.getByTestId('prop-shape').textContent()).toBe(shapeText(convShape)); // [B, 26, 26, 32]

      // Typing 8 filters: the preview shows the new shape at once, the stored shape has not moved yet.
      const [preview, before] = await typeAndRead(page, 'prop-filters', '8', ['prop-shape-preview', 'prop-shape']);
      expect(preview).toBe('[B, 26, 26, 8]');
      expect(before).toBe('[B, 26, 26, 32]');
      await expect.poll(() => page.getByTestId('prop-shape').textContent()).toBe('[B, 26, 26, 8]');
      const committed = await stored(page, 'filters 8 on disk', (p) => storedGraph(p).nodes.find((n) => n.id === 'conv2d_1')?.params['filters'] === 8);
      expect(analyzeGraph(storedGraph(committed)).nodes.get('conv2d_1' as never)!.output!.shape).toEqual([null, 26, 26, 8]);

      // -3 filters: refused inline with the reason, never stored.
      const [error] = await typeAndRead(page, 'prop-filters', '-3', ['prop-error-filters']);
      expect(error).toBe('filters must be at least 1; got -3');
      await page.waitForTimeout(1200); // past the commit delay and the autosave
      const after = await stored(page, 'the project', () => true);
      expect(storedGraph(after).nodes.find((n) => n.id === 'conv2d_1')?.params['filters']).toBe(8);
      expect(await page.getByTestId('prop-shape').textContent()).toBe('[B, 26, 26, 8]');
      await screenshot(page, 'editor-panels-invalid');
      await page.getByTestId('prop-label').focus(); // leaving the field puts the stored value back
      expect(await page.getByTestId('prop-filters').inputValue()).toBe('8');
      expect(await page.getByTestId('prop-error-filters').count()).toBe(0);

      // Choices and labels commit at once; the schema gives a select for activation.
      await page.getByTestId('prop-activation').selectOption('relu');
      await page.getByTestId('prop-label').fill('stem conv');
      await page.getByTestId('prop-label').press('Tab');
      await stored(page, 'activation and label on disk', (p) => {
        const n = storedGraph(p).nodes.find((x) => x.id === 'conv2d_1');
        return n?.params['activation'] === 'relu' && n.params['filters'] === 8 && n.label === 'stem conv';
      });

      // Dragging a palette row carries its kind under the canvas's drop type.
      const payload = await page.evaluate(() => {
        const dt = new DataTransfer();
        document.querySelector('[data-testid=palette-item][data-kind="Conv2D"]')!.dispatchEvent(new DragEvent('dragstart', { bubbles: true, dataTransfer: dt }));
        return dt.getData('application/x-neuralforge-kind');
      });
      expect(payload).toBe('Conv2D');
      // …and dropping it on the canvas adds that layer where it was dropped (a real mouse drag).
      await search.fill('dropout');
      await page.locator('[data-testid=palette-item][data-kind="Dropout"]').dragTo(page.getByTestId('canvas'), { targetPosition: { x: 160, y: 120 }, force: true });
      await stored(page, 'a dropped Dropout on disk', (p) => storedGraph(p).nodes.some((x) => x.kind === 'Dropout'));

      // An Add after conv2d_1 lacks its second input (an error); then a Dense after the Add.
      await search.fill('add');
      await search.press('Enter');
      await expect.poll(() => page.getByTestId('prop-id').textContent()).toBe('add_1');
      await search.fill('dense');
      await search.press('Enter');
      await expect.poll(() => page.getByTestId('prop-id').textContent()).toBe('dense_1');
      const broken = await stored(page, 'add_1 and dense_1 on disk', (p) => edgesOf(p).includes('add_1->dense_1:0'));
      // Typing in two bursts within one visit to the field is one undo step ("Set units").
      await typeAndRead(page, 'prop-units', '1', []);
      await stored(page, 'units 1 on disk', (p) => storedGraph(p).nodes.find((n) => n.id === 'dense_1')?.params['units'] === 1);
      await typeAndRead(page, 'prop-units', '16', []);
      await stored(page, 'units 16 on disk', (p) => storedGraph(p).nodes.find((n) => n.id === 'dense_1')?.params['units'] === 16);
      await page.getByTestId('cmd-undo').click();
      await stored(page, 'units back to 32 after one undo', (p) => storedGraph(p).nodes.find((n) => n.id === 'dense_1')?.params['units'] === 32);
      expect(await page.getByTestId('prop-units').inputValue()).toBe('32');
      const a = analyzeGraph(storedGraph(broken));
      const errors = a.diagnostics.filter((d) => d.severity === 'error');
      const warnings = a.diagnostics.filter((d) => d.severity === 'warning');
      expect(errors.length).toBeGreaterThan(0);
      const bar = page.getByTestId('status-bar');
      await expect.poll(() => bar.getByTestId('status-errors').getAttribute('data-count')).toBe(String(errors.length));
      expect(await bar.getByTestId('status-warnings').getAttribute('data-count')).toBe(String(warnings.length));
      expect(await bar.getByTestId('status-params').textContent()).toBe(
        `${compact(a.totals.trainableParams)} trainable · ${compact(a.totals.nonTrainableParams)} non-trainable params`,
      );
      expect(await bar.getByTestId('status-flops').textContent()).toBe(compact(a.totals.flops, 'FLOPs'));
      // The estimate uses the project's batch size (the page passes it in) and Adam's two slots.
      const batch = (broken.draft as unknown as { training: { batchSize?: number } }).training.batchSize ?? 32;
      const mem = trainingMemory(a.totals, batch, { name: 'adam' });
      expect(await bar.getByTestId('status-training-memory').textContent()).toBe(`training ${bytes(mem.totalBytes)} at batch ${batch}`);
      expect(await bar.getByTestId('status-activations').textContent()).toBe(`activations ${bytes(mem.activationBytes)}`);

      // Clicking the error count walks the nodes with errors, in diagnostic order, and wraps.
      const errorNodes = [...new Set(errors.map((d) => d.nodeId).filter((id) => id !== null))];
      for (const id of [...errorNodes, errorNodes[0]]) {
        await bar.getByTestId('status-errors').click();
        await expect.poll(() => page.getByTestId('prop-id').textContent()).toBe(id);
      }
      expect(await page.getByTestId('prop-diagnostics').textContent()).toContain(errors.find((d) => d.nodeId === errorNodes[0])!.message);
      await screenshot(page, 'editor-panels');

      // The gallery: one card per template with its graph drawn and its parameter count; a click opens a new project.
      await page.getByTestId('show-templates').click();
      const cards = page.getByTestId('template-card');
      expect(await cards.count()).toBe(TEMPLATES.length);
      for (const t of TEMPLATES) {
        const card = page.locator(`[data-testid=template-card][data-template-id="${t.id}"]`);
        const g = t.project().graph;
        expect(await card.locator('svg rect').count()).toBe(g.nodes.length);
        expect(await card.locator('svg line').count()).toBe(g.edges.length);
        expect(await card.getByTestId('template-params').textContent()).toBe(`${compact(analyzeGraph(g).totals.params)} params`);
      }
      await screenshot(page, 'editor-templates-gallery');
      await page.locator('[data-testid=template-card][data-template-id="lenet5"]').click();
      await expect.poll(() => page.getByTestId('project-name').inputValue()).toBe('LeNet-5 on MNIST');
      const all = await waitFor('two projects', async () => {
        const ps = await readProjects(page);
        return ps.length === 2 ? ps : null;
      });
      const lenet = all.find((p) => p.name === 'LeNet-5 on MNIST')!;
      expect(storedGraph(lenet).nodes.map((n) => n.id)).toEqual(TEMPLATES.find((t) => t.id === 'lenet5')!.project().graph.nodes.map((n) => n.id));
      expect(await page.getByTestId('templates-gallery').count()).toBe(0);
      expect(logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
