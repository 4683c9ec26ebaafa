// Datasets kept on the device, in real Chromium against real IndexedDB and OPFS: (a) a CSV
// imported for a run is kept (record + hash-named OPFS chunks) and the run records its version;
// after a reload the picker lists it and a run trains from it without importing it again, under
// the same version; (b) a tab killed in the middle of an import (chunks written, record not yet)
// leaves no record, the earlier dataset intact, and the orphan chunk is collected at the next
// start; deleting the kept dataset from the picker removes its record and chunk, not the runs'
// versions; (c) a folder upload is kept as one zip holding exactly the files on disk, the same
// folder uploaded again is not kept twice, and it trains again from the device. IndexedDB and OPFS are read with the raw browser APIs, never through the app; versions
// are recomputed with node:crypto.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadCsv } from '../../src/engine/data/index.js';
import { CURRENT_VERSION, type Project } from '../../src/engine/project/types.js';
import { sampleProject } from '../fixtures/storage/sample.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { encodePng, noisySquare } from './image-zip.js';
import { screenshot } from './page.js';
import { showTraining } from './dock.js';
import { loadFixtureInOrigin, openTab, readStore, waitFor } from './storage-helpers.js';

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});

const HOUSES = readFileSync(new URL('../fixtures/data/houses.csv', import.meta.url));
/** The same table with one more row: different content, so a different version and new chunks. */
const MORE_HOUSES = Buffer.concat([HOUSES, Buffer.from('\n99.9,2,Paris,yes,mid')]);

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** A dataset version as storage defines it (SHA-256 over each 4 MiB chunk's hash + "\n"); these files are one chunk. */
const versionOf = (b: Uint8Array) => sha256(Buffer.from(`${sha256(b)}\n`));

/** A classifier whose Input fits houses.csv as the worker will encode it (the engine's own loader counts the features). */
async function housesProject(): Promise<Project> {
  const seed = 1;
  const data = await loadCsv(HOUSES, { label: 'price_band', seed, task: 'classification', fileName: 'houses.csv' });
  const features = data.train.x.shape[0]!;
  const node = (id: string, kind: string, params: Record<string, unknown>, y: number) => ({ id: id as never, kind, params, position: { x: 0, y } });
  return {
    format: 'neuralforge-project', version: CURRENT_VERSION, name: 'Houses', description: 'price band from a table',
    graph: {
      nodes: [node('in', 'Input', { shape: [features] }, 0), node('h', 'Dense', { units: 16, activation: 'relu' }, 100), node('out', 'Dense', { units: data.classes!.length, activation: 'softmax' }, 200)],
      edges: [{ source: 'in' as never, target: 'h' as never, targetInput: 0 }, { source: 'h' as never, target: 'out' as never, targetInput: 0 }],
    },
    training: { optimizer: { name: 'adam', learningRate: 0.01 }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], batchSize: 8, epochs: 2, seed, validationSplit: 0.2 },
    dataset: {},
  };
}

interface RawDataset { id: string; name: string; version: string; format: string; chunks: string[]; bytes: number; classes: string[] | null; source: { source: string; path?: string; label?: string } }
interface RawRun { id: string; status: string; datasetVersion: string | null; datasetName: string }

/** Every file under the app's OPFS datasets/ folder with its size and SHA-256, read with the raw File System API. */
function opfsDatasetFiles(page: Page): Promise<{ path: string; bytes: number; sha256: string }[]> {
  return page.evaluate(async () => {
    type Entry = [string, { kind: 'file' | 'directory' }];
    const out: { path: string; bytes: number; sha256: string }[] = [];
    const root = await navigator.storage.getDirectory();
    const top = await root.getDirectoryHandle('neuralforge').catch(() => null);
    const hex = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
    const walk = async (dir: FileSystemDirectoryHandle, at: string): Promise<void> => {
      for await (const [name, h] of (dir as unknown as { entries(): AsyncIterable<Entry> }).entries()) {
        if (h.kind === 'directory') await walk(h as FileSystemDirectoryHandle, `${at}${name}/`);
        else {
          const bytes = await (await (h as FileSystemFileHandle).getFile()).arrayBuffer();
          out.push({ path: at + name, bytes: bytes.byteLength, sha256: hex(await crypto.subtle.digest('SHA-256', bytes)) });
        }
      }
    };
    const datasets = top && (await top.getDirectoryHandle('datasets').catch(() => null));
    if (datasets) await walk(datasets, 'datasets/');
    return out.sort((a, b) => (a.path < b.path ? -1 : 1));
  });
}

const datasetsOf = (page: Page) => readStore<RawDataset>(page, 'datasets');
const runsOf = (page: Page) => readStore<RawRun>(page, 'runs');
const runIdOf = async (page: Page) => (await page.getByTestId('run-status').getAttribute('data-run-id')) ?? '';

/** Opens the editor's Training tab, waits for the open project to be stored, and picks wasm (fast for dense layers here). */
async function ready(page: Page) {
  await showTraining(page);
  await page.getByTestId('save-status').and(page.locator('[data-state=saved]')).waitFor({ timeout: 60_000 });
  await page.getByTestId('backend-picker').selectOption('wasm');
  await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
}

async function importCsv(page: Page, name: string, bytes: Buffer) {
  await page.getByTestId('dataset-picker').selectOption('file');
  await page.getByTestId('dataset-file').setInputFiles({ name, mimeType: 'text/csv', buffer: bytes });
  await page.getByTestId('label-column').fill('price_band');
}

async function finished(page: Page, logs: string[]): Promise<string> {
  const summary = page.getByTestId('run-summary');
  await summary.waitFor({ timeout: 120_000 });
  expect(await summary.getAttribute('data-run-status'), `${await summary.textContent()}\n${logs.join('\n')}`).toBe('completed');
  return runIdOf(page);
}

describe('datasets kept on the device', () => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await chrome.browser.newContext({ viewport: { width: 1200, height: 1400 } });
    const page = await context.newPage();
    await loadFixtureInOrigin(page, inject('appUrl'), { version: 1, stores: { projects: [{ ...sampleProject({ name: 'Houses', headVersion: null, ui: { selectedRunId: null, selectedNodeIds: [] } }), draft: await housesProject(), schema: 1 }] } });
    await page.close();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('keeps an imported CSV with its run\'s version, lists it after a reload, and trains from it again', async () => {
    const url = inject('appUrl');
    const { page, logs } = await openTab(context, url);
    await ready(page);
    await importCsv(page, 'houses.csv', HOUSES);
    await page.getByTestId('start').click();
    const first = await finished(page, logs);

    const [rec, ...others] = await datasetsOf(page);
    expect(others).toEqual([]);
    expect(rec).toMatchObject({ name: 'houses.csv', format: 'csv', bytes: HOUSES.length, version: versionOf(HOUSES), chunks: [sha256(HOUSES)], classes: ['cheap', 'dear', 'mid'], source: { source: 'file', path: 'houses.csv', label: 'price_band' } });
    expect(await opfsDatasetFiles(page)).toEqual([{ path: `datasets/chunks/${sha256(HOUSES)}`, bytes: HOUSES.length, sha256: sha256(HOUSES) }]);
    expect((await runsOf(page)).find((r) => r.id === first)).toMatchObject({ status: 'completed', datasetVersion: rec!.version, datasetName: 'file:houses.csv' });
    expect(await page.getByTestId('dataset-version').getAttribute('data-version')).toBe(rec!.version);

    // After a reload the picker lists it; training from it reads it back from OPFS, nothing is imported.
    await page.reload();
    await ready(page);
    const option = page.locator(`[data-testid="kept-option"][data-version="${rec!.version}"]`);
    await option.waitFor({ state: 'attached', timeout: 15_000 });
    expect(await option.textContent()).toContain('houses.csv');
    await page.getByTestId('dataset-picker').selectOption(`stored:${rec!.id}`);
    const details = page.getByTestId('kept-dataset');
    expect(await details.getAttribute('data-version')).toBe(rec!.version);
    expect(await details.textContent()).toMatch(/csv · 549 B · 3 classes · 24 samples · version [0-9a-f]{8}/);
    expect(await page.getByTestId('label-column').inputValue()).toBe('price_band');
    await screenshot(page, 'datasets-kept');
    await page.getByTestId('start').click();
    const second = await finished(page, logs);
    expect(second).not.toBe(first);
    expect((await runsOf(page)).find((r) => r.id === second)).toMatchObject({ status: 'completed', datasetVersion: rec!.version, datasetName: 'file:houses.csv' });
    expect((await datasetsOf(page)).map((d) => d.id)).toEqual([rec!.id]);
    expect(await page.getByTestId('dataset-version').getAttribute('data-dataset-id')).toBe(rec!.id);
    await page.close();
  });

  it('a tab killed mid-import leaves no record; the orphan chunk is collected at the next start', async () => {
    const url = inject('appUrl');
    const [earlier] = await (async () => {
      const { page } = await openTab(context, url);
      const d = await datasetsOf(page);
      await page.close();
      return d;
    })();
    expect(earlier, 'the first test kept a dataset').toBeDefined();

    const { page } = await openTab(context, `${url}?nf-test-hang-dataset-import=1`);
    await ready(page);
    await importCsv(page, 'more-houses.csv', MORE_HOUSES);
    await page.getByTestId('start').click();
    await page.getByText('test hook: the dataset import hangs after chunk 1').waitFor({ timeout: 60_000 });
    const orphan = `datasets/chunks/${sha256(MORE_HOUSES)}`;
    expect((await opfsDatasetFiles(page)).map((f) => f.path)).toContain(orphan);
    expect((await datasetsOf(page)).map((d) => d.id)).toEqual([earlier!.id]);

    // Kill the tab: its renderer (and the worker in it) dies at once, nothing runs on the way out.
    const cdp = await context.newCDPSession(page);
    const crashed = new Promise<void>((resolve) => page.once('crash', () => resolve()));
    void cdp.send('Page.crash').catch(() => undefined); // never answered: the page dies first
    await Promise.race([crashed, new Promise((r) => setTimeout(r, 10_000))]);
    await page.close().catch(() => undefined);

    const { page: again } = await openTab(context, url);
    await ready(again);
    await waitFor('the orphan chunk collected', async () => !(await opfsDatasetFiles(again)).some((f) => f.path === orphan), 15_000);
    expect(await datasetsOf(again)).toEqual([earlier]);
    expect(await opfsDatasetFiles(again)).toEqual([{ path: `datasets/chunks/${sha256(HOUSES)}`, bytes: HOUSES.length, sha256: sha256(HOUSES) }]);
    expect(await again.locator('[data-testid="kept-option"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-version')))).toEqual([earlier!.version]);

    // Deleting it says what the runs trained on it lose, then removes the record and its chunk; the runs keep the version.
    await again.getByTestId('dataset-picker').selectOption(`stored:${earlier!.id}`);
    await again.getByTestId('dataset-delete').click();
    expect(await again.getByTestId('dataset-delete-confirm').textContent()).toMatch(/2 runs trained on it keep their history and its version, but cannot be trained again/);
    await again.getByTestId('dataset-delete-yes').click();
    await waitFor('the dataset deleted', async () => (await datasetsOf(again)).length === 0 && (await opfsDatasetFiles(again)).length === 0);
    await again.locator('[data-testid="kept-option"]').first().waitFor({ state: 'detached' });
    expect(await again.getByTestId('dataset-picker').inputValue()).toBe('mnist');
    expect((await runsOf(again)).map((r) => r.datasetVersion)).toEqual([earlier!.version, earlier!.version]);
    await again.close();
  });
});

/** The bytes of one OPFS file under the app's folder, read with the raw File System API. */
async function opfsBytes(page: Page, path: string): Promise<Uint8Array> {
  const bytes = await page.evaluate(async (parts) => {
    let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('neuralforge');
    for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p);
    return Array.from(new Uint8Array(await (await (await dir.getFileHandle(parts.at(-1)!)).getFile()).arrayBuffer()));
  }, path.split('/'));
  return Uint8Array.from(bytes);
}

describe('a folder kept on the device', () => {
  let root: string;
  let folder: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'nf-kept-folder-'));
    folder = join(root, 'tiles');
    let seed = 1;
    for (const [name, colour] of Object.entries({ red: [255, 150, 150], blue: [0, 0, 90] } as const)) {
      mkdirSync(join(folder, name), { recursive: true });
      for (let i = 0; i < 10; i++) writeFileSync(join(folder, name, `${i}.png`), encodePng(28, 28, noisySquare(28, colour, 25, seed++)));
    }
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('keeps the files on disk as one zip, once, and trains from it again', async () => {
    const context = await chrome.browser.newContext({ viewport: { width: 1200, height: 1400 } });
    try {
      const { page, logs } = await openTab(context, inject('appUrl'));
      await page.getByTestId('template-picker').selectOption('mlp');
      await ready(page);
      await page.getByTestId('epochs').fill('1');
      await page.getByTestId('batch-size').fill('4');
      const uploadAndRun = async () => {
        await page.getByTestId('dataset-picker').selectOption('folder');
        await page.getByTestId('dataset-folder').setInputFiles(folder);
        await page.getByTestId('start').click();
        return finished(page, logs);
      };
      const first = await uploadAndRun();
      const [rec, ...others] = await datasetsOf(page);
      expect(others).toEqual([]);
      expect(rec).toMatchObject({ name: 'tiles', format: 'image-folder', classes: ['blue', 'red'], source: { source: 'folder', name: 'tiles' } });
      const zip = await opfsBytes(page, `datasets/chunks/${rec!.chunks[0]}`);
      expect(rec!.version).toBe(versionOf(zip));
      const onDisk = Object.fromEntries(['blue', 'red'].flatMap((c) => Array.from({ length: 10 }, (_, i) => [`tiles/${c}/${i}.png`, readFileSync(join(folder, c, `${i}.png`))])));
      const inZip = unzipSync(zip);
      expect(Object.keys(inZip)).toEqual(Object.keys(onDisk).sort());
      for (const [path, bytes] of Object.entries(onDisk)) expect(Buffer.from(inZip[path]!).equals(bytes), path).toBe(true);

      const again = await uploadAndRun(); // the same folder: the same zip, the same record
      expect((await datasetsOf(page)).map((d) => d.id)).toEqual([rec!.id]);
      const summaryOf = async () => ({ ...(await page.getByTestId('dataset-summary').evaluate((e) => ({ ...(e as HTMLElement).dataset }))) });
      const lossesOf = async () => {
        await page.getByTestId('epoch-row').first().waitFor(); // one epoch per run
        return page.getByTestId('epoch-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-loss')));
      };
      const uploaded = await summaryOf();
      const uploadedLosses = await lossesOf();

      await page.getByTestId('dataset-picker').selectOption(`stored:${rec!.id}`);
      await page.getByTestId('start').click();
      const fromStore = await finished(page, logs);
      expect(await summaryOf()).toEqual(uploaded); // same classes and split sizes as the upload
      expect(await lossesOf()).toEqual(uploadedLosses); // same samples in the same splits: the same run
      const runs = await runsOf(page);
      expect([first, again, fromStore].map((id) => runs.find((r) => r.id === id)?.datasetVersion)).toEqual([rec!.version, rec!.version, rec!.version]);
      expect((await opfsDatasetFiles(page)).map((f) => f.path)).toEqual([`datasets/chunks/${rec!.chunks[0]}`]);
      await page.close();
    } finally {
      await context.close();
    }
  });
});
