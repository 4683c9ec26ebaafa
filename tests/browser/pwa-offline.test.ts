// The offline app in real Chromium: one visit installs the service worker and its precache;
// then, with the network off (context.setOffline), a reload loads the app from the cache, a
// new empty project is built in the editor (Input → Flatten → Dense 10 softmax, from the palette,
// shapes checked against the engine), a short MNIST run trains it (TF.js's wasm and the digits
// from the cache) and an ONNX export is
// validated by onnxruntime-web (its 28 MB wasm from the cache). Chromium's own installability
// check (DevTools Page.getInstallabilityErrors) passes, and the manifest's icons are real PNGs
// of the sizes it declares.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Graph } from '../../src/engine/project/types.js';
import { shapeText } from '../../src/editor/canvas/node-summary.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { showTraining } from './dock.js';
import { screenshot } from './page.js';
import { waitForServiceWorker } from './pwa-helpers.js';
import { openTab, readProjects, readStore, waitFor } from './storage-helpers.js';
import { showView } from './views.js';

let chrome: LaunchedBrowser;
let context: BrowserContext;
beforeAll(async () => {
  chrome = await launchChromium();
  context = await chrome.browser.newContext({ viewport: { width: 1200, height: 1400 } });
});
afterAll(async () => {
  await context?.close();
  await chrome?.close();
});

/** A PNG's width and height, from its IHDR chunk (PNG spec §11.2.2). */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

interface ManifestIcon { src: string; sizes: string; type: string; purpose?: string }

/** Every file under `dir`, as paths relative to it with '/' separators. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile()).map((f) => relative(dir, join(dir, f)).split('\\').join('/'));

describe('offline app', () => {
  it('precaches every file the built app serves, once, except the worker itself and source maps', () => {
    const dir = inject('appDir');
    const listed = [...readFileSync(join(dir, 'sw.js'), 'utf8').matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]!);
    expect(new Set(listed).size, 'duplicate precache entries').toBe(listed.length);
    const served = filesUnder(dir).filter((f) => f !== 'sw.js' && !f.endsWith('.map'));
    expect([...listed].sort()).toEqual(served.sort());
    // The pieces offline use needs, by name: both workers, TF.js's and onnxruntime's wasm, MNIST.
    for (const pattern of [/^assets\/trainer\.worker-.+\.js$/, /^assets\/exporter\.worker-.+\.js$/, /^tfjs-wasm\/tfjs-backend-wasm-threaded-simd\.wasm$/, /^assets\/ort-wasm-simd-threaded\.jsep-.+\.wasm$/, /^data\/mnist\.bin$/, /^index\.html$/, /^manifest\.webmanifest$/]) {
      expect(listed.some((u) => pattern.test(u)), String(pattern)).toBe(true);
    }
    const bytes = listed.reduce((sum, u) => sum + statSync(join(dir, u)).size, 0);
    console.log(`precache: ${listed.length} files, ${(bytes / 2 ** 20).toFixed(1)} MiB`);
  });

  it('declares icons that are PNGs of their stated sizes, a maskable one among them', () => {
    const dir = inject('appDir');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.webmanifest'), 'utf8')) as { name: string; display: string; start_url: string; icons: ManifestIcon[] };
    expect(manifest).toMatchObject({ name: 'NeuralForge', display: 'standalone', start_url: '.' });
    for (const icon of manifest.icons) {
      const [w, h] = pngSize(readFileSync(join(dir, icon.src)));
      expect(`${w}x${h}`, icon.src).toBe(icon.sizes);
    }
    expect(manifest.icons.map((i) => i.sizes).sort()).toEqual(['192x192', '512x512', '512x512']);
    expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);
  });

  it('after one visit, loads, trains and exports with the network off', async () => {
    const { page, logs } = await openTab(context, inject('appUrl'));
    const installMs = await waitForServiceWorker(page);
    // Chromium's own verdict on the manifest, icons and service worker.
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    // Test contexts are incognito-like, which Chromium names as an error; nothing else may be wrong.
    expect(installabilityErrors.filter((e) => e.errorId !== 'in-incognito')).toEqual([]);

    await context.setOffline(true);
    const t0 = Date.now();
    const response = await page.reload();
    expect(response?.fromServiceWorker()).toBe(true);
    await expect.poll(() => page.getByTestId('project-name').inputValue(), { timeout: 30_000 }).toBe('MLP on MNIST');
    console.log(`service worker ready ${installMs} ms after the first visit; offline reload to the open project ${Date.now() - t0} ms`);
    // Really offline: a file the precache does not hold cannot be fetched.
    expect(await page.evaluate(() => fetch('/not-precached.txt').then(() => 'fetched', () => 'failed'))).toBe('failed');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

    // Build a model offline: a new empty project (one Input), then Flatten and Dense from the palette.
    await showView(page, 'projects');
    await page.getByTestId('project-new-empty').click();
    await expect.poll(() => page.getByTestId('project-name').inputValue()).toBe('Untitled');
    await page.locator('[data-testid=canvas-node][data-node-id="input_1"]').click({ position: { x: 30, y: 20 } });
    await expect.poll(() => page.getByTestId('prop-id').textContent()).toBe('input_1');
    const insert = async (query: string, id: string) => {
      await page.getByTestId('editor-shell').focus();
      await page.keyboard.press('/');
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('palette-search');
      await page.keyboard.press('Control+A');
      await page.keyboard.type(query);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('prop-id').textContent()).toBe(id);
    };
    await insert('flatten', 'flatten_1');
    await insert('dense', 'dense_1');
    const units = page.getByTestId('prop-units');
    await units.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('10');
    await page.keyboard.press('Enter');
    await page.getByTestId('prop-activation').selectOption('softmax');
    const built = await waitFor('the built model on disk', async () => {
      const p = (await readProjects(page)).find((x) => x.name === 'Untitled');
      const dense = p?.draft.graph.nodes.find((n) => n.id === 'dense_1');
      return dense?.params['units'] === 10 && dense.params['activation'] === 'softmax' ? p : null;
    }, 10_000);
    // The canvas shows the engine's shapes for the stored graph, and the status bar has no errors.
    const graph = built.draft.graph as unknown as Graph;
    const analysis = analyzeGraph(graph);
    const shownShape = (id: string) => page.locator(`[data-testid=canvas-node][data-node-id="${id}"] [data-testid=node-shape]`).textContent();
    for (const n of graph.nodes) await expect.poll(() => shownShape(n.id)).toBe(shapeText(analysis.nodes.get(n.id)!.output!.shape));
    expect(await Promise.all(['input_1', 'flatten_1', 'dense_1'].map(shownShape))).toEqual(['[B, 28, 28, 1]', '[B, 784]', '[B, 10]']);
    expect(graph.edges.map((e) => `${e.source}->${e.target}`).sort()).toEqual(['flatten_1->dense_1', 'input_1->flatten_1']);
    expect(await page.getByTestId('status-bar').getByTestId('status-errors').getAttribute('data-count')).toBe('0');
    await screenshot(page, 'pwa-offline-built');

    // Train it one short epoch on built-in MNIST with TF.js's wasm backend, both from the cache.
    await showTraining(page);
    await page.getByTestId('backend-picker').selectOption('wasm');
    await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
    await page.getByTestId('epochs').fill('1');
    await page.getByTestId('batch-size').fill('32');
    await page.getByTestId('train-samples').fill('256');
    await page.getByTestId('start').click();
    const summary = page.getByTestId('run-summary');
    await summary.waitFor({ timeout: 120_000 });
    expect(await summary.getAttribute('data-run-status'), `${await summary.textContent()}\n${logs.join('\n')}`).toBe('completed');
    // The run trained the model built offline, not the template.
    const runs = await waitFor('the stored run', async () => {
      const all = await readStore<{ projectId: string; status: string }>(page, 'runs');
      return all.some((r) => r.status === 'completed') ? all : null;
    }, 20_000);
    expect(runs.map((r) => [r.projectId, r.status])).toEqual([[built.id, 'completed']]);

    // Export to ONNX; onnxruntime-web's wasm (from the cache) validates it.
    await showView(page, 'export');
    await page.getByTestId('export-format').selectOption('onnx');
    await page.getByTestId('export-run').click();
    const result = page.getByTestId('export-result');
    await result.or(page.getByTestId('export-error')).waitFor({ timeout: 120_000 });
    expect(await result.isVisible(), `${await page.getByTestId('export-studio').textContent()}\n${logs.join('\n')}`).toBe(true);
    const wasmRow = result.locator('[data-testid=validation-row][data-runtime="onnxruntime-web/wasm"]');
    expect(await wasmRow.getAttribute('data-status')).toBe('pass');
    await screenshot(page, 'pwa-offline-export');
    await context.setOffline(false);
  });
});
