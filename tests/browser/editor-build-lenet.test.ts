// Issue 5 §1 and §7, end to end in real Chromium: empty the first project, build LeNet-5 for MNIST
// with the palette (search + Enter, and a real mouse drag onto the canvas), connect ports with the
// mouse, set params by keyboard, wire the pooled maps straight into the Dense (the deliberate
// mistake), see that edge marked as a warning and fix it with its "Insert a Flatten" button, check
// every shape and the totals against the engine's analysis of the graph read back from IndexedDB,
// train two epochs on WebGPU (SwiftShader) watching the chart grow, then reload and find the
// project, graph, run and curve still there.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { shapeText } from '../../src/editor/canvas/node-summary.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import type { Graph } from '../../src/engine/project/types.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { screenshot } from './page.js';
import { openTab, readProjects, readStore, waitFor, type RawProject } from './storage-helpers.js';
import { showTraining } from './dock.js';
import { showView } from './views.js';

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});

const NAME = 'LeNet from scratch';
const graphOf = (p: RawProject): Graph => p.draft.graph as unknown as Graph;
/** The only stored project once it satisfies `cond`. */
const stored = (page: Page, what: string, cond: (g: Graph, p: RawProject) => boolean, timeoutMs = 5000) =>
  waitFor(what, async () => {
    const ps = await readProjects(page);
    return ps.length === 1 && cond(graphOf(ps[0]!), ps[0]!) ? ps[0]! : null;
  }, timeoutMs);
const edgeList = (g: Graph) => g.edges.map((e) => `${e.source}->${e.target}:${e.targetInput}`).sort();

/** Phase wall times (ms), printed at the end. */
const phases: [string, number][] = [];
let mark = Date.now();
const phase = (name: string) => {
  const now = Date.now();
  phases.push([name, now - mark]);
  mark = now;
};

describe('build LeNet-5 from scratch, train it, reload', () => {
  it('builds with mouse and keyboard, shows the engine’s shapes, trains on WebGPU and survives a reload', async () => {
    const context = await chrome.browser.newContext({ viewport: { width: 1300, height: 1300 } });
    try {
      const { page, logs } = await openTab(context, inject('appUrl'));
      mark = Date.now();
      // The first visit makes the MNIST MLP template project, whose dataset is the built-in MNIST
      // ("New empty project" has its own test). Rename it, then select all and delete by keyboard.
      await expect.poll(() => page.getByTestId('project-name').inputValue(), { timeout: 20_000 }).toBe('MLP on MNIST');
      const first = await stored(page, 'the first project', () => true);
      expect((first.draft as unknown as { dataset: unknown }).dataset).toEqual({ source: 'builtin', name: 'mnist' });
      await page.getByTestId('project-name').fill(NAME);
      await page.getByTestId('project-name').press('Tab');
      await page.getByTestId('project-description').fill('LeNet-5 built by hand in the editor.');
      await page.getByTestId('project-description').press('Tab');
      await page.getByTestId('editor-shell').focus();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await stored(page, 'an empty graph named LeNet from scratch', (g, p) => g.nodes.length === 0 && g.edges.length === 0 && p.name === NAME);
      expect(await page.getByTestId('canvas-node').count()).toBe(0);
      phase('empty the project');

      const search = page.getByTestId('palette-search');
      const selectedId = () => page.getByTestId('prop-id').textContent();
      /** "/" focuses the palette search (the command table); type the query; Enter inserts after the selection. */
      const insert = async (query: string, kind: string, id: string) => {
        await page.getByTestId('editor-shell').focus();
        await page.keyboard.press('/');
        await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('palette-search');
        await page.keyboard.press('Control+A');
        await page.keyboard.type(query);
        expect(await page.locator('.palette-item.active').getAttribute('data-kind')).toBe(kind);
        await page.keyboard.press('Enter');
        await expect.poll(selectedId).toBe(id);
        expect(await page.getByTestId('prop-kind').textContent()).toBe(kind);
      };
      /** Clicks into a text field, replaces its text by keyboard and commits with Enter. */
      const typeParam = async (name: string, value: string) => {
        const field = page.getByTestId(`prop-${name}`);
        await field.click();
        await page.keyboard.press('Control+A');
        await page.keyboard.type(value);
        await page.keyboard.press('Enter');
      };
      const paramsOf = (g: Graph, id: string) => g.nodes.find((n) => n.id === id)?.params ?? {};

      // Input: the default shape is MNIST's [28, 28, 1].
      await insert('input', 'Input', 'input_1');
      // Conv2D 6@5×5 same relu, inserted after input_1 (so wired to it).
      await insert('conv2d', 'Conv2D', 'conv2d_1');
      await typeParam('filters', '6');
      await typeParam('kernelSize', '5');
      await page.getByTestId('prop-padding').selectOption('same');
      await page.getByTestId('prop-activation').selectOption('relu');
      await stored(page, 'conv2d_1 params on disk', (g) => {
        const p = paramsOf(g, 'conv2d_1');
        return p['filters'] === 6 && p['kernelSize'] === 5 && p['padding'] === 'same' && p['activation'] === 'relu';
      });
      expect(await page.getByTestId('prop-shape').textContent()).toBe('[B, 28, 28, 6]');
      await insert('maxpooling2d', 'MaxPooling2D', 'max_pooling2d_1');
      await insert('conv2d', 'Conv2D', 'conv2d_2');
      await typeParam('filters', '16');
      await typeParam('kernelSize', '5');
      await page.getByTestId('prop-activation').selectOption('relu');
      await insert('maxpooling2d', 'MaxPooling2D', 'max_pooling2d_2');
      await stored(page, 'the conv stack on disk', (g) =>
        edgeList(g).join() === ['conv2d_1->max_pooling2d_1:0', 'conv2d_2->max_pooling2d_2:0', 'input_1->conv2d_1:0', 'max_pooling2d_1->conv2d_2:0'].join() &&
        paramsOf(g, 'conv2d_2')['filters'] === 16 && paramsOf(g, 'conv2d_2')['activation'] === 'relu');
      phase('input + conv stack by keyboard');

      // A real mouse drag of "Dense" from the palette onto an empty spot of the canvas.
      await page.keyboard.press('Escape'); // clears the search: the palette shows every category
      await page.getByTestId('fit-view').click();
      const pane = (await page.getByTestId('canvas').boundingBox())!;
      await page.locator('[data-testid=palette-item][data-kind="Dense"]').dragTo(page.getByTestId('canvas'), { targetPosition: { x: pane.width / 2, y: pane.height - 120 }, force: true });
      await stored(page, 'a dropped Dense on disk', (g) => g.nodes.some((n) => n.id === 'dense_1' && n.kind === 'Dense'));
      expect((await graphOf(await stored(page, 'dense_1 alone', () => true)).edges.filter((e) => e.target === 'dense_1')).length).toBe(0);
      await page.getByTestId('fit-view').click();
      const port = (id: string, kind: 'in' | 'out') => page.locator(`[data-testid=canvas-node][data-node-id="${id}"] [data-testid=port-${kind}]`).first();
      const dragPorts = async (from: string, to: string) => {
        const a = (await port(from, 'out').boundingBox())!, b = (await port(to, 'in').boundingBox())!;
        await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
        await page.mouse.down();
        await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
        await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
        await page.mouse.up();
      };
      // An impossible connection is refused with its reason: conv2d_2's input is taken.
      await dragPorts('dense_1', 'conv2d_2');
      await expect.poll(() => page.getByTestId('canvas-message').textContent()).toContain('already connected to "max_pooling2d_1"');
      // The deliberate mistake: the pooled maps straight into the Dense, with no Flatten.
      await dragPorts('max_pooling2d_2', 'dense_1');
      await stored(page, 'max_pooling2d_2 → dense_1 on disk', (g) => edgeList(g).includes('max_pooling2d_2->dense_1:0'));
      await page.locator('[data-testid=canvas-node][data-node-id="dense_1"]').click({ position: { x: 30, y: 20 } });
      await expect.poll(selectedId).toBe('dense_1');
      await typeParam('units', '120');
      await page.getByTestId('prop-activation').selectOption('relu');
      await insert('dense', 'Dense', 'dense_2');
      await typeParam('units', '84');
      await page.getByTestId('prop-activation').selectOption('relu');
      await insert('dense', 'Dense', 'dense_3');
      await typeParam('units', '10');
      await page.getByTestId('prop-activation').selectOption('softmax');
      const noFlatten = await stored(page, 'the head without Flatten on disk', (g) =>
        paramsOf(g, 'dense_3')['activation'] === 'softmax' && paramsOf(g, 'dense_3')['units'] === 10 && paramsOf(g, 'dense_2')['units'] === 84 && paramsOf(g, 'dense_1')['units'] === 120);
      phase('palette drag, mouse connections, dense head');

      // A Dense on a rank-4 tensor is valid Keras (it applies to the last axis), so the model still
      // compiles, but the head outputs [B, 5, 5, 10]: the engine warns once, on dense_1, where the fix goes.
      const wrong = analyzeGraph(graphOf(noFlatten));
      expect(wrong.nodes.get('dense_3' as never)!.output!.shape).toEqual([null, 5, 5, 10]);
      expect(wrong.valid).toBe(true);
      expect(wrong.diagnostics).toEqual([{
        code: 'last-axis-only', severity: 'warning', nodeId: 'dense_1',
        message: 'Dense applies to the last axis only of its [B, 5, 5, 16] input: its output stays [B, 5, 5, 120]',
        suggestion: 'Insert a Flatten before it to classify the whole image (or a GlobalAveragePooling2D); keep it only for one Dense per position.',
      }]);
      const warning = wrong.diagnostics[0]!;
      expect(await page.locator('[data-testid=canvas-node][data-node-id="dense_3"] [data-testid=node-shape]').textContent()).toBe('[B, 5, 5, 10]');
      // The canvas marks exactly that edge, in the warning colour rather than the error red.
      const intoDense = page.locator('[data-testid=canvas-edge][data-source=max_pooling2d_2][data-target=dense_1]');
      await expect.poll(() => intoDense.getAttribute('class')).toBe('canvas-edge warned');
      expect(await page.locator('[data-testid=canvas-edge].warned').count()).toBe(1);
      expect(await page.locator('[data-testid=canvas-edge].broken').count()).toBe(0);
      const stroke = (sel: string) => page.locator(sel).first().evaluate((el) => getComputedStyle(el).stroke);
      expect(await stroke('[data-testid=canvas-edge].warned')).toBe('rgb(220, 104, 3)');
      expect(await stroke('[data-testid=canvas-edge]:not(.warned)')).toBe('rgb(138, 148, 166)');
      const label = page.locator('[data-testid=edge-label][data-source=max_pooling2d_2]');
      expect(await label.textContent()).toContain('[B, 5, 5, 16]');
      expect(await label.getAttribute('title')).toBe(`${warning.message}. ${warning.suggestion}`);
      // The status bar counts it; its button shows the layer, whose properties give the words.
      const bar = page.getByTestId('status-bar');
      expect(await bar.getByTestId('status-errors').getAttribute('data-count')).toBe('0');
      expect(await bar.getByTestId('status-warnings').getAttribute('data-count')).toBe('1');
      await bar.getByTestId('status-warnings').click();
      await expect.poll(selectedId).toBe('dense_1');
      expect(await page.locator('[data-testid=prop-diagnostics] li.warning[data-code=last-axis-only]').textContent()).toBe(`${warning.message}. ${warning.suggestion}`);
      await page.getByTestId('fit-view').click();
      await screenshot(page, 'build-lenet-without-flatten');
      // Fixed from the edge: its one fix, "Insert a Flatten", rewires pool → Flatten → Dense.
      const fix = label.getByTestId('apply-fix');
      expect(await fix.allTextContents()).toEqual(['Apply fix: Insert a Flatten']);
      await fix.click();
      const built = await stored(page, 'LeNet-5 on disk', (g) => edgeList(g).includes('flatten_1->dense_1:0'));
      const g = graphOf(built);
      expect(edgeList(g)).toEqual([
        'conv2d_1->max_pooling2d_1:0', 'conv2d_2->max_pooling2d_2:0', 'dense_1->dense_2:0', 'dense_2->dense_3:0', 'flatten_1->dense_1:0',
        'input_1->conv2d_1:0', 'max_pooling2d_1->conv2d_2:0', 'max_pooling2d_2->flatten_1:0',
      ]);
      expect(g.nodes.find((n) => n.id === 'flatten_1')?.kind).toBe('Flatten');
      await expect.poll(() => page.locator('[data-testid=canvas-edge].warned').count()).toBe(0);
      expect(await page.locator('[data-testid=edge-label] [data-testid=apply-fix]').count()).toBe(0);
      phase('flatten fix');

      // Every node's shape on the canvas is the engine's, from the graph read back from IndexedDB.
      const a = analyzeGraph(g);
      expect(a.diagnostics).toEqual([]);
      await expect.poll(() => page.locator('[data-testid=canvas-node][data-node-id="dense_3"] [data-testid=node-shape]').textContent()).toBe('[B, 10]');
      for (const n of g.nodes) expect(await page.locator(`[data-testid=canvas-node][data-node-id="${n.id}"] [data-testid=node-shape]`).textContent(), n.id).toBe(shapeText(a.nodes.get(n.id)!.output!.shape));
      expect(a.nodes.get('flatten_1' as never)!.output!.shape).toEqual([null, 400]);
      // LeNet-5 (conv1 'same'): conv1 5·5·1·6+6 = 156; conv2 5·5·6·16+16 = 2,416; flatten 5·5·16 = 400;
      // dense 400·120+120 = 48,120; 120·84+84 = 10,164; 84·10+10 = 850 → 156+2,416+48,120+10,164+850 = 61,706.
      expect(a.totals.params).toBe(61_706);
      expect(a.totals.trainableParams).toBe(61_706);
      expect(await bar.getByTestId('status-params').getAttribute('title')).toBe('61,706 parameters');
      expect(await bar.getByTestId('status-errors').getAttribute('data-count')).toBe('0');
      expect(await bar.getByTestId('status-warnings').getAttribute('data-count')).toBe('0');
      await page.getByTestId('fit-view').click();
      await screenshot(page, 'build-lenet-built');

      // Train 2 epochs on WebGPU (SwiftShader here): 512 samples, batch 64 → 8 steps an epoch.
      // New runs start from the editor's Training tab; the Runs view lists them after the reload.
      await showTraining(page);
      await page.getByTestId('backend-picker').selectOption('webgpu');
      await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('backend-name').textContent()).toBe('webgpu');
      await page.getByTestId('epochs').fill('2');
      await page.getByTestId('batch-size').fill('64');
      await page.getByTestId('train-samples').fill('512');
      phase('pick webgpu');
      await page.getByTestId('start').click();
      const points = async () => Number(await page.getByTestId('run-status').getAttribute('data-points'));
      const early = await waitFor('the first chart points', async () => ((await points()) > 0 ? points() : null), 180_000);
      await screenshot(page, 'build-lenet-training');
      const summary = page.getByTestId('run-summary');
      await summary.waitFor({ timeout: 240_000 });
      expect(await summary.getAttribute('data-run-status'), `${await summary.textContent()}\n${logs.join('\n')}`).toBe('completed');
      expect(await summary.getAttribute('data-backend')).toBe('webgpu');
      const late = await points();
      expect(late, 'the chart grew while training').toBeGreaterThan(early);
      expect(await page.getByTestId('epoch-row').count()).toBe(2);
      const runId = (await page.getByTestId('run-status').getAttribute('data-run-id'))!;
      const stepPoints = (await readStore<{ runId: string; scope: string }>(page, 'metrics')).filter((p) => p.runId === runId && p.scope === 'step').length;
      expect(late).toBe(stepPoints);
      const lossPoints = await page.getByTestId('chart-step-loss').getAttribute('data-points');
      console.log(`trained: ${await summary.textContent()}; step points ${early} early → ${late}`);
      await screenshot(page, 'build-lenet-trained');
      phase('train 2 epochs on webgpu');

      // Reload: the project, its graph, the run and its curve are all still there.
      await page.reload();
      await expect.poll(() => page.getByTestId('project-name').inputValue(), { timeout: 20_000 }).toBe(NAME);
      await showView(page, 'editor'); // the nav bar appears once the workspace is open
      await expect.poll(() => page.getByTestId('canvas-node').count()).toBe(g.nodes.length);
      expect(await page.getByTestId('canvas-edge').count()).toBe(g.edges.length);
      for (const n of g.nodes) expect(await page.locator(`[data-testid=canvas-node][data-node-id="${n.id}"] [data-testid=node-shape]`).textContent(), n.id).toBe(shapeText(a.nodes.get(n.id)!.output!.shape));
      expect(edgeList(graphOf(await stored(page, 'the project after reload', () => true)))).toEqual(edgeList(g));
      await screenshot(page, 'build-lenet-reloaded-editor');
      await showView(page, 'runs');
      const row = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
      await row.waitFor({ timeout: 30_000 });
      expect(await row.getAttribute('data-status')).toBe('completed');
      await waitFor('the stored run on show', async () => (await page.getByTestId('run-status').getAttribute('data-status')) === 'stored' && (await page.getByTestId('run-status').getAttribute('data-run-id')) === runId, 30_000);
      expect(await points()).toBe(stepPoints);
      // The loss columns come back point for point; the learning-rate column does not, because the
      // worker's run store keeps only loss and accuracy per step (src/workers/run-store.ts).
      const lossColumns = (v: string | null) => (v ?? '').split(',').slice(0, 2).join();
      await expect.poll(async () => lossColumns(await page.getByTestId('chart-step-loss').getAttribute('data-points'))).toBe(lossColumns(lossPoints));
      expect(lossColumns(lossPoints)).toBe(`${stepPoints},${stepPoints}`);
      expect(await page.getByTestId('epoch-row').count()).toBe(2);
      await screenshot(page, 'build-lenet-reloaded-runs');
      phase('reload');
      console.log(`phases (ms): ${phases.map(([n, ms]) => `${n} ${ms}`).join('; ')}`);
      expect(logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
