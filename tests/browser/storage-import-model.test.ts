// A model imported from the project list becomes a project of its own, in real Chromium against
// real IndexedDB and OPFS. An ONNX file whose CumSum has no mapping shows that op by name before
// anything is created (and Cancel creates nothing). PyTorch's cnn.onnx, confirmed, opens as a
// new project with its layers; after a reload it is still there, the export studio defaults to
// its imported weights (stored as an 'imported' run's checkpoint), and the exported ONNX run by
// onnxruntime-web in Node reproduces onnxruntime on the original file (NCHW → NHWC inputs). A
// hostile file shows the importer's own message within a second.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { importOnnx } from '../../src/engine/import/onnx/index.js';
import { attr, floats, int64s, model, node, random, valueInfo } from '../import/build.js';
import { feeds, fixture, runOrt, toOurLayout } from '../import/helpers.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { showDockTab } from './dock.js';
import { openApp, screenshot } from './page.js';
import { showView } from './views.js';
import { readProjects, readStore, waitFor } from './storage-helpers.js';

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
  ort.env.wasm.numThreads = 1;
});
afterAll(async () => {
  await chrome?.close();
});

const root = join(import.meta.dirname, '../..');

/** x → Gemm → Relu → y, and a CumSum (no NeuralForge kind) on the side output z. */
function withCumSum(): Buffer {
  const bytes = model({
    nodes: [node('Gemm', ['x', 'W', 'b'], ['h'], [attr.int('transB', 1)], '/fc/Gemm'), node('Relu', ['h'], ['y'], [], '/act/Relu'), node('CumSum', ['h', 'axis'], ['z'], [], '/cumsum')],
    inputs: [valueInfo('x', ['batch', 4])],
    outputs: [valueInfo('y', ['batch', 3]), valueInfo('z', ['batch', 3])],
    initializers: [floats('W', [3, 4], random(12, 1)), floats('b', [3], random(3, 2)), int64s('axis', [], [1])],
  });
  return Buffer.from(bytes);
}

async function openProjects(page: Page): Promise<void> {
  if ((await page.getByTestId('project-list').count()) === 0) await page.getByTestId('show-projects').click();
  await page.getByTestId('project-list').waitFor();
}

const layerKinds = (page: Page) => page.locator('[data-testid=layer-row]').evaluateAll((rows) => rows.map((r) => r.textContent ?? '').join(' '));

describe('import a model from the project list', () => {
  it('shows unmapped ops before creating anything, then keeps an imported CNN as a project whose export reproduces the file', async () => {
    const { page, logs } = await openApp(chrome.browser, inject('appUrl'));
    try {
      await expect.poll(() => page.getByTestId('project-name').inputValue(), { timeout: 30_000 }).toBe('MLP on MNIST');
      await openProjects(page);
      const before = (await readProjects(page)).length;

      // Unmapped ops by name, before the person confirms; Cancel leaves storage as it was.
      await page.getByTestId('import-file').setInputFiles({ name: 'side-cumsum.onnx', mimeType: 'application/octet-stream', buffer: withCumSum() });
      const preview = page.getByTestId('import-preview');
      await preview.or(page.getByTestId('import-error')).waitFor({ timeout: 60_000 });
      expect(await preview.isVisible(), `${await page.getByTestId('import-model').textContent()}\n${logs.join('\n')}`).toBe(true);
      expect(await preview.getAttribute('data-unmapped')).toBe('1');
      expect(await page.locator('[data-testid=import-unmapped] li').first().textContent()).toBe('CumSum ×1: /cumsum');
      await page.getByTestId('import-cancel').click();
      expect((await readProjects(page)).length).toBe(before);

      // PyTorch's CNN: confirmed, it becomes a new project that opens with its layers.
      await page.getByTestId('import-file').setInputFiles(join(root, 'tests/fixtures/onnx/cnn.onnx'));
      await preview.waitFor({ timeout: 30_000 });
      expect(await preview.getAttribute('data-unmapped')).toBe('0');
      await page.getByTestId('import-confirm').click();
      const result = page.getByTestId('import-result');
      await result.or(page.getByTestId('import-error')).waitFor({ timeout: 30_000 });
      expect(await result.isVisible(), await page.getByTestId('import-model').textContent() ?? '').toBe(true);
      expect(await result.getAttribute('data-weights-kept')).toBe('true');
      const projectId = (await result.getAttribute('data-project-id'))!;
      await expect.poll(() => page.getByTestId('project-name').inputValue(), { timeout: 10_000 }).toBe('cnn');
      await screenshot(page, 'import-model-project');
      await showDockTab(page, 'layers'); // the layer table is the editor's
      await page.getByTestId('layer-row').first().waitFor();
      expect(await layerKinds(page)).toMatch(/Conv2D.*BatchNormalization/);
      await showView(page, 'projects');

      // Stored: the project, its version, the imported run and its final checkpoint (raw IndexedDB).
      const stored = (await readProjects(page)).find((p) => p.id === projectId)!;
      expect(stored).toMatchObject({ name: 'cnn' });
      const run = (await readStore<{ id: string; projectId: string; status: string; tags: string[]; epochs: number }>(page, 'runs')).find((r) => r.projectId === projectId)!;
      expect(run).toMatchObject({ status: 'completed', tags: ['imported'], epochs: 0 });
      expect(stored.ui.selectedRunId).toBe(run.id);
      const checkpoint = (await readStore<{ id: string; runId: string; kind: string }>(page, 'checkpoints')).find((c) => c.runId === run.id)!;
      expect(checkpoint.kind).toBe('final');

      // A reload: still there, and the export studio defaults to the imported weights.
      await page.reload();
      await expect.poll(() => page.getByTestId('project-name').inputValue(), { timeout: 30_000 }).toBe('cnn');
      await showDockTab(page, 'layers'); // the reload kept the projects view; the layer table is the editor's
      await page.getByTestId('layer-row').first().waitFor();
      expect(await layerKinds(page)).toMatch(/Conv2D.*BatchNormalization/);
      const weights = page.getByTestId('export-weights');
      await waitFor('the imported weights as the default', async () => (await weights.getAttribute('data-checkpoint-id')) === checkpoint.id, 30_000);
      expect(await weights.getAttribute('data-imported')).toBe('true');
      expect(await page.getByTestId('export-architecture').textContent()).toMatch(/training cannot resume from them/);
      // The runs list offers no resume for imported weights (they carry no optimizer state).
      await showView(page, 'runs');
      const importedRow = page.locator(`[data-testid=run-row][data-run-id="${run.id}"]`);
      await importedRow.getByTestId('not-resumable').waitFor({ timeout: 30_000 });
      expect(await importedRow.getByTestId('resume-from').count()).toBe(0);
      await openProjects(page);
      expect(await page.locator(`[data-testid=project-row][data-project-id="${projectId}"]`).count()).toBe(1);

      await showView(page, 'export');
      await page.getByTestId('export-format').selectOption('onnx');
      await page.getByTestId('export-run').click();
      await page.getByTestId('export-result').or(page.getByTestId('export-error')).waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('export-result').isVisible(), `${await page.getByTestId('export-studio').textContent()}\n${logs.join('\n')}`).toBe(true);
      expect(await page.getByTestId('export-result').getByTestId('validation-report').getAttribute('data-passed')).toBe('true');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);

      // The oracle: onnxruntime on the original file (NCHW) and on the export (NHWC), same inputs.
      const bytes = fixture('cnn');
      const imp = importOnnx(bytes);
      const inputs = feeds(imp, 2, 5);
      const io = imp.inputs[0]!;
      const f = inputs.get(io.name)!;
      const original = (await runOrt(bytes, inputs)).get(imp.outputs[0]!.name)!;
      const session = await ort.InferenceSession.create(readFileSync(await download.path()));
      const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', Float32Array.from(toOurLayout(f.data, f.dims, io.axes)), [2, ...io.shape]) });
      const ours = out[session.outputNames[0]!]!.data as Float32Array;
      const diff = Array.from(ours).reduce((m, v, i) => Math.max(m, Math.abs(v - original.data[i]!)), 0);
      console.log(`exported imported CNN vs the original file in onnxruntime: max |Δ| ${diff}`);
      expect(Math.max(...original.data) - Math.min(...original.data)).toBeGreaterThan(0.1);
      expect(diff).toBeLessThan(1e-4);
      await session.release();

      // A hostile file: refused, with the importer's message, within a second.
      const hostile = Buffer.from(Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) & 0xff));
      await openProjects(page);
      const h0 = Date.now();
      await page.getByTestId('import-file').setInputFiles({ name: 'hostile.onnx', mimeType: 'application/octet-stream', buffer: hostile });
      await page.getByTestId('import-error').waitFor({ timeout: 5_000 });
      const refusedIn = Date.now() - h0;
      const message = await page.getByTestId('import-error').textContent();
      console.log(`hostile file refused in ${refusedIn} ms: ${message}`);
      expect(message).toMatch(/^hostile\.onnx: .{10,}/);
      expect(refusedIn).toBeLessThan(1000);
    } finally {
      await page.close();
    }
  });
});
