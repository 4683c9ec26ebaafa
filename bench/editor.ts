// The editor benchmark (issue 5 §6) in headless Chromium on the production build: pan, drag and
// wheel on generated 100/500/1000-node graphs, edit → shapes on screen, time to interactive
// (cold and warm cache) and the initial JavaScript. Writes bench/results/editor.json + a table.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { buildMnistFile } from '../src/engine/data/node-files.js';
import { findTemplate } from '../src/engine/templates/index.js';
import { fanOut } from '../tests/helpers/big-graph.js';
import { waitFor } from '../tests/browser/storage-helpers.js';
import { bundleReport, total, type BundleReport } from './editor-bundle.js';
import { measureEdits, type EditCase, type EditResult } from './editor-edit.js';
import { measureGestures, type GestureResult } from './editor-frames.js';
import { launchBench, openGraph, triple, type FrameClock } from './editor-page.js';
import { serveStatic } from '../tests/browser/static-server.js';
import { measureStartup, type StartupResult } from './editor-startup.js';
import { editorRows } from './editor-rows.js';
import { writeSuite } from './harness.js';

const SIZES = [100, 500, 1000] as const;
const EDITS = 20;
const LOADS = 7;

export interface EditorBench {
  readonly browser: string;
  readonly gestures: readonly (GestureResult & { readonly clock: FrameClock })[];
  readonly edits: readonly EditResult[];
  readonly startup: readonly StartupResult[];
  readonly bundle: BundleReport;
}

const lenet = findTemplate('lenet5')!.project().graph;
const fan500 = fanOut(500);
const EDIT_CASES: readonly EditCase[] = [
  { name: '500-node graph: Dense `stem` units (498 shapes below it)', graph: fan500, nodeId: 'stem', param: 'units', values: [48, 40], open: (page) => openGraph(page, 'Fan-out 500', fan500) },
  {
    name: 'LeNet-5: Conv2D `c3` filters',
    graph: lenet,
    nodeId: 'c3',
    param: 'filters',
    values: [20, 24],
    open: async (page: Page) => {
      await page.getByTestId('template-picker').selectOption('lenet5');
      await waitFor('LeNet-5 open', async () => (await page.getByTestId('project-name').inputValue()) === 'LeNet-5 on MNIST');
      await waitFor('its nodes', async () => (await page.getByTestId('canvas-node').count()) === lenet.nodes.length);
    },
  },
];

export async function runEditor(): Promise<void> {
  const t0 = Date.now();
  const root = resolve(import.meta.dirname, '..');
  await buildMnistFile({ force: false });
  const outDir = mkdtempSync(join(tmpdir(), 'nf-bench-editor-'));
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
  console.log(`editor bench: built the app in ${Date.now() - t0} ms`);
  const server = await serveStatic(outDir, { cache: 'static-host' });
  try {
    const vsync = await launchBench('vsync');
    const gestures: EditorBench['gestures'][number][] = [];
    const startup: StartupResult[] = [];
    const edits: EditResult[] = [];
    try {
      for (const cache of ['cold', 'warm'] as const) {
        startup.push(await measureStartup(vsync, server.url, cache, LOADS));
        const s = startup.at(-1)!;
        console.log(`${cache} load: first nodes ${triple(s.nodesPainted)}, interactive ${triple(s.interactive)} ms`);
      }
      for (const n of SIZES) for (const g of await measureGestures(vsync, server.url, n)) gestures.push({ ...g, clock: 'vsync' });
      console.log(`gestures measured (${Date.now() - t0} ms so far)`);
      for (const c of EDIT_CASES) edits.push(await measureEdits(vsync, server.url, c, EDITS));
    } finally {
      await vsync.close();
    }
    const free = await launchBench('unthrottled');
    try {
      for (const g of await measureGestures(free, server.url, 500)) gestures.push({ ...g, clock: 'unthrottled' });
    } finally {
      await free.close();
    }
    const loaded = startup.filter((s) => s.cache === 'cold').flatMap((s) => s.loads.flatMap((l) => l.startupJs));
    const bundle = bundleReport(outDir, loaded);
    const result: EditorBench = { browser: vsync.label, gestures, edits, startup, bundle };
    writeSuite('editor', `Editor in headless ${vsync.label}, SwiftShader software raster (issue 5 §6)`, editorRows(result), ['median', 'p95']);
    console.log(`editor bench: ${Math.round((Date.now() - t0) / 1000)} s in all; startup JS gzip ${(total(bundle.loaded, 'gzip') / 1024).toFixed(1)} KiB`);
  } finally {
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
