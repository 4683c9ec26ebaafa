// The export studio in real Chromium. (1) The MLP exports to ONNX with its seeded initial
// weights in the exporter worker, whose onnxruntime-web (wasm served from our origin) validates
// it — the wasm row passes, the webgpu row passes or says why not — and the downloaded file, run
// by onnxruntime-web in Node, gives what TF.js gives for the same project. (2) After a short
// MNIST run trained with the page's own controls, the studio defaults to that run's checkpoint
// and the ONNX export carries the CHECKPOINT's weights: onnxruntime-web on the download matches
// TF.js in Node with the arrays read raw from OPFS, and differs from the initial-weights export;
// after a reload the history lists both exports with their reports, and an entry deletes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import type { Graph } from '../../src/engine/project/types.js';
import { findTemplate } from '../../src/engine/templates/index.js';
import { weightKeys, writeNamed, type NamedArray } from '../../src/engine/train/checkpoint.js';
import { TRAINING_DEFAULTS } from '../../src/engine/train/config.js';
import { decodeCheckpoint } from '../../src/storage/checkpoint-codec.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { showTraining } from './dock.js';
import { showView } from './views.js';
import { openApp, screenshot } from './page.js';
import { readStore, waitFor } from './storage-helpers.js';

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
  ort.env.wasm.numThreads = 1;
});
afterAll(async () => {
  await chrome?.close();
});

const X = Float32Array.from({ length: 2 * 784 }, (_, i) => (i % 29) / 29);

/** TF.js in Node on `graph`: its seeded initial weights, or `weights` written in by name. */
function tfjsPredict(graph: Graph, x: Float32Array, weights?: readonly NamedArray[]): Float32Array {
  const { model } = compileGraph(analyzeGraph(graph), { seed: findTemplate('mlp')!.project().training.seed ?? TRAINING_DEFAULTS.seed });
  if (weights) {
    const keys = weightKeys(model);
    writeNamed(model.weights.map((w, i) => ({ key: keys[i]!, variable: w.read() as tf.Variable })), weights, 'weights');
  }
  const y = tf.tidy(() => (model.predict(tf.tensor(x, [2, 28, 28, 1])) as tf.Tensor).dataSync() as Float32Array);
  model.dispose();
  return y;
}

async function runDownload(page: Page): Promise<{ name: string; y: Float32Array }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
  const session = await ort.InferenceSession.create(readFileSync(await download.path()));
  const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', X, [2, 28, 28, 1]) });
  const y = out[session.outputNames[0]!]!;
  expect(y.dims).toEqual([2, 10]);
  await session.release();
  return { name: download.suggestedFilename(), y: y.data as Float32Array };
}

async function exportOnnx(page: Page, logs: string[]): Promise<void> {
  await page.getByTestId('export-format').selectOption('onnx');
  const t0 = Date.now();
  await page.getByTestId('export-run').click();
  await page.getByTestId('export-busy').waitFor({ state: 'detached', timeout: 60_000 });
  const result = page.getByTestId('export-result');
  await result.or(page.getByTestId('export-error')).waitFor({ timeout: 60_000 });
  expect(await result.isVisible(), `${await page.getByTestId('export-studio').textContent()}\n${logs.join('\n')}`).toBe(true);
  console.log(`ONNX export and validation in the page: ${Date.now() - t0} ms; ${await page.getByTestId('export-size').textContent()}`);
}

const row = (page: Page, runtime: string) => page.getByTestId('export-result').locator(`[data-testid=validation-row][data-runtime="onnxruntime-web/${runtime}"]`);
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

/** A checkpoint's files read with the raw OPFS API in the page (not through the app), decoded in Node. */
async function checkpointFromOpfs(page: Page, files: readonly { path: string }[]) {
  const contents = await page.evaluate(async (paths) => {
    const top = await (await navigator.storage.getDirectory()).getDirectoryHandle('neuralforge');
    const out: [string, number[]][] = [];
    for (const p of paths) {
      const parts = p.split('/');
      let dir = top;
      for (const d of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(d);
      const file = await (await dir.getFileHandle(parts.at(-1)!)).getFile();
      out.push([parts.at(-1)!, Array.from(new Uint8Array(await file.arrayBuffer()))]);
    }
    return out;
  }, files.map((f) => f.path));
  return decodeCheckpoint(new Map(contents.map(([name, bytes]) => [name, Uint8Array.from(bytes)])), 'from OPFS');
}

interface RawCheckpoint { id: string; runId: string; kind: string; epoch: number; files: { path: string }[] }

describe('export studio', () => {
  it('exports the MLP with its initial weights, then a trained checkpoint, and keeps both in the history', async () => {
    const { page, logs } = await openApp(chrome.browser, inject('appUrl'));
    const wasmRequests: string[] = [];
    page.on('request', (r) => void (r.url().endsWith('.wasm') && wasmRequests.push(r.url())));
    try {
      await expect.poll(() => page.getByTestId('project-name').inputValue(), { timeout: 30_000 }).toBe('MLP on MNIST');
      const graph = findTemplate('mlp')!.project().graph;
      await showView(page, 'export');
      expect(await page.getByTestId('export-weights').getAttribute('data-kind')).toBe('initial');
      await exportOnnx(page, logs);
      expect(await page.getByTestId('export-stale').count()).toBe(0);
      expect(await row(page, 'wasm').getAttribute('data-status')).toBe('pass');
      const webgpu = await row(page, 'webgpu').getAttribute('data-status');
      const webgpuText = await row(page, 'webgpu').getByTestId('validation-result').textContent();
      console.log(`webgpu row: ${webgpu}: ${webgpuText}`);
      expect(webgpu === 'pass' || (webgpu === 'error' && /^did not run: .+/.test(webgpuText ?? ''))).toBe(true);
      // onnxruntime's wasm came from the app's own origin (no CDN).
      expect(wasmRequests.filter((u) => /ort-wasm/.test(u)).map((u) => new URL(u).origin)).toEqual([new URL(inject('appUrl')).origin]);
      const initial = await runDownload(page);
      expect(initial.name).toBe('model.onnx');
      expect(maxAbs(initial.y, tfjsPredict(graph, X))).toBeLessThan(1e-4);

      // Train a short run with the page's own controls (the editor's Training tab): wasm, one epoch on 256 samples.
      await showTraining(page);
      await page.getByTestId('backend-picker').selectOption('wasm');
      await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
      await page.getByTestId('epochs').fill('1');
      await page.getByTestId('batch-size').fill('32');
      await page.getByTestId('train-samples').fill('256');
      const t0 = Date.now();
      await page.getByTestId('start').click();
      const summary = page.getByTestId('run-summary');
      await summary.waitFor({ timeout: 120_000 });
      expect(await summary.getAttribute('data-run-status'), `${await summary.textContent()}\n${logs.join('\n')}`).toBe('completed');
      const runId = await page.getByTestId('run-status').getAttribute('data-run-id');
      console.log(`trained run ${runId} in ${Date.now() - t0} ms`);
      const manifests = (await readStore<RawCheckpoint>(page, 'checkpoints')).filter((c) => c.runId === runId);
      const expected = manifests.find((c) => c.kind === 'best') ?? manifests.find((c) => c.kind === 'final')!;
      expect(expected, JSON.stringify(manifests)).toBeDefined();

      await showView(page, 'export');
      await exportOnnx(page, logs);
      // The default was the selected run's best (else final) checkpoint, and the worker exported it.
      const weights = page.getByTestId('export-weights');
      expect(await weights.getAttribute('data-checkpoint-id')).toBe(expected.id);
      expect(await weights.getAttribute('data-run-id')).toBe(runId);
      expect(await page.getByTestId('export-result').getAttribute('data-weights')).toBe('checkpoint');
      const runs = await readStore<{ id: string; versionId: string }>(page, 'runs');
      const versionId = runs.find((r) => r.id === runId)!.versionId;
      expect(await page.getByTestId('export-result').getAttribute('data-version-id')).toBe(versionId);
      expect(await page.getByTestId('export-architecture').textContent()).toMatch(new RegExp(`^Exports the architecture this run trained: version ${versionId.slice(0, 8)} \\(the same as the canvas\\)`));
      expect(await page.getByTestId('export-result').getByTestId('validation-report').getAttribute('data-passed')).toBe('true');
      await screenshot(page, 'export-studio-checkpoint');
      const trained = await runDownload(page);
      const checkpoint = await checkpointFromOpfs(page, expected.files);
      expect(maxAbs(trained.y, tfjsPredict(graph, X, checkpoint.weights))).toBeLessThan(1e-4);
      const moved = maxAbs(trained.y, initial.y);
      console.log(`max |Δ| between the checkpoint's and the initial weights' outputs: ${moved}`);
      expect(moved).toBeGreaterThan(1e-3);

      // After a reload (the export view stays open), the history lists both exports with their reports; deleting one works.
      await page.reload();
      const entries = page.getByTestId('export-history-entry');
      await waitFor('two history entries', async () => (await entries.count()) === 2, 30_000);
      const first = entries.nth(0); // newest first: the checkpoint export
      expect(await first.getAttribute('data-checkpoint-id')).toBe(expected.id);
      expect(await first.getAttribute('data-run-id')).toBe(runId);
      expect(await first.getAttribute('data-version-id')).toBe(versionId);
      expect(await first.getAttribute('data-passed')).toBe('true');
      expect(await first.getAttribute('data-file-name')).toBe('model.onnx');
      expect(await first.getByTestId('export-history-verdict').textContent()).toBe('validation passed');
      expect(await first.getByTestId('export-history-diffs').textContent()).toMatch(/^wasm: max \|Δ\| \d\.\de-\d+, mean \d\.\de-\d+ \(pass\)/);
      expect(await entries.nth(1).getAttribute('data-checkpoint-id')).toBe('');
      const stored = await readStore<{ id: string; bytes: number; runId: string | null }>(page, 'exports');
      expect(stored.map((e) => e.runId).sort()).toEqual([null, runId].sort());
      expect(Number(await first.getAttribute('data-bytes'))).toBe(stored.find((e) => e.runId === runId)!.bytes);
      await screenshot(page, 'export-history');
      await entries.nth(1).getByTestId('export-history-delete').click();
      await waitFor('one history entry', async () => (await entries.count()) === 1, 10_000);
      expect((await readStore(page, 'exports')).length).toBe(1);
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
