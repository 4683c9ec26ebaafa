// The export studio in real Chromium: the MLP exports to ONNX in the exporter worker, whose
// onnxruntime-web (wasm served from our origin) validates it — the wasm row passes, the webgpu
// row passes or says why not — and the downloaded file, run by onnxruntime-web in Node, gives
// what TF.js gives for the same project. An ONNX file from PyTorch imports and its layers appear;
// a hostile file is refused with a message within a second.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { findTemplate } from '../../src/engine/templates/index.js';
import { TRAINING_DEFAULTS } from '../../src/engine/train/config.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { openApp, screenshot } from './page.js';

const root = join(import.meta.dirname, '../..');
let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});

/** What the page exports: the MLP template with its seeded initial weights, predicted by TF.js here. */
function mlpReference(x: Float32Array): Float32Array {
  const project = findTemplate('mlp')!.project();
  const { model } = compileGraph(analyzeGraph(project.graph), { seed: project.training.seed ?? TRAINING_DEFAULTS.seed });
  return tf.tidy(() => (model.predict(tf.tensor(x, [2, 28, 28, 1])) as tf.Tensor).dataSync() as Float32Array);
}

describe('export studio', () => {
  it('exports the MLP to ONNX with a passing wasm validation, a download that runs, and imports ONNX files', async () => {
    const { page, logs } = await openApp(chrome.browser, inject('appUrl'));
    const wasmRequests: string[] = [];
    page.on('request', (r) => void (r.url().endsWith('.wasm') && wasmRequests.push(r.url())));
    try {
      await expect.poll(() => page.getByTestId('project-name').inputValue(), { timeout: 30_000 }).toBe('MLP on MNIST');
      await page.getByTestId('export-format').selectOption('onnx');
      const t0 = Date.now();
      await page.getByTestId('export-run').click();
      const result = page.getByTestId('export-result');
      await result.or(page.getByTestId('export-error')).waitFor({ timeout: 60_000 });
      expect(await result.isVisible(), `${await page.getByTestId('export-studio').textContent()}\n${logs.join('\n')}`).toBe(true);
      console.log(`ONNX export and validation in the page: ${Date.now() - t0} ms; ${await page.getByTestId('export-size').textContent()}`);

      expect(await page.getByTestId('export-stale').count()).toBe(0);
      const row = (runtime: string) => page.locator(`[data-testid=validation-row][data-runtime="onnxruntime-web/${runtime}"]`);
      expect(await row('wasm').getAttribute('data-status')).toBe('pass');
      const webgpu = await row('webgpu').getAttribute('data-status');
      const webgpuText = await row('webgpu').getByTestId('validation-result').textContent();
      console.log(`webgpu row: ${webgpu}: ${webgpuText}`);
      expect(webgpu === 'pass' || (webgpu === 'error' && /^did not run: .+/.test(webgpuText ?? ''))).toBe(true);
      await screenshot(page, 'export-studio');
      // onnxruntime's wasm came from the app's own origin (no CDN).
      expect(wasmRequests.filter((u) => /ort-wasm/.test(u)).map((u) => new URL(u).origin)).toEqual([new URL(inject('appUrl')).origin]);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
      expect(download.suggestedFilename()).toBe('model.onnx');
      const file = await download.path();
      ort.env.wasm.numThreads = 1;
      const session = await ort.InferenceSession.create(readFileSync(file));
      const x = Float32Array.from({ length: 2 * 784 }, (_, i) => (i % 29) / 29);
      const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', x, [2, 28, 28, 1]) });
      const y = out[session.outputNames[0]!]!;
      expect(y.dims).toEqual([2, 10]);
      const expected = mlpReference(x);
      expect(Math.max(...Array.from(y.data as Float32Array, (v, i) => Math.abs(v - expected[i]!)))).toBeLessThan(1e-4);

      // Import an ONNX model made by PyTorch: it opens as the current project, its layers listed.
      await page.getByTestId('import-file').setInputFiles(join(root, 'tests/fixtures/onnx/cnn.onnx'));
      await page.getByTestId('import-result').or(page.getByTestId('import-error')).waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('import-result').isVisible(), await page.getByTestId('import-model').textContent() ?? '').toBe(true);
      await expect.poll(() => page.locator('[data-testid=layer-row]').count(), { timeout: 10_000 }).toBeGreaterThan(5);
      const kinds = await page.locator('[data-testid=layer-row]').evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
      expect(kinds.join(' ')).toMatch(/Conv2D/);
      expect(kinds.join(' ')).toMatch(/BatchNormalization/);
      expect(await page.getByTestId('export-weights').textContent()).toBe('with imported weights');
      expect(await page.getByTestId('export-result').count()).toBe(0); // the MLP's result is not shown for the imported model
      await screenshot(page, 'export-studio-imported');

      // A hostile file: refused, with the importer's message, within a second.
      const hostile = Buffer.from(Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) & 0xff));
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

  it("ships onnxruntime-web's wasm binary once, as an asset of our own origin", () => {
    const wasm = readdirSync(join(inject('appDir'), 'assets')).filter((f) => /^ort-wasm.*\.wasm$/.test(f));
    expect(wasm).toHaveLength(1);
    expect(wasm[0]).toMatch(/^ort-wasm-simd-threaded\.jsep-[\w-]+\.wasm$/);
  });
});
