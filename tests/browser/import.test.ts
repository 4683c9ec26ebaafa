// Importing a dataset from the page: a zip of PNGs (one class per folder) goes through the
// file input to the worker, which decodes the images there (createImageBitmap/OffscreenCanvas),
// turns them to grayscale at the template's [28, 28, 1], and trains. A non-image file is listed
// as skipped; a zip with one class fails the run with the loader's message in the panel, and
// a table that does not fit the template fails with the trainer's.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { classZip } from './image-zip.js';
import { openApp, screenshot } from './page.js';
import { showTraining } from './dock.js';

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});

// Luminance ≈ 181 vs ≈ 10 of 255. Every pixel of an image has about the same brightness, so
// to the MLP the two classes differ along one direction only, and the decision needs a bias
// shift, which Adam at 1e-3 makes slowly; a near-black class puts the threshold close to 0,
// so a few hundred small steps separate them (mid-grey pairs, 132 vs 36, needed ~25 epochs
// and still wobbled).
const RED = [255, 150, 150] as const;
const BLUE = [0, 0, 90] as const;

/** Picks the MLP on wasm (fast for dense layers), imports `zip` and starts a short run. */
async function importAndStart(page: Page, zip: Uint8Array, name: string): Promise<void> {
  await page.getByTestId('template-picker').selectOption('mlp');
  await page.getByTestId('backend-picker').selectOption('wasm');
  await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
  await page.getByTestId('dataset-picker').selectOption('file');
  await page.getByTestId('dataset-file').setInputFiles({ name, mimeType: 'application/zip', buffer: Buffer.from(zip) });
  // ~350 small steps (~3 s on wasm): see RED and BLUE for why a brightness-only task needs them.
  await page.getByTestId('epochs').fill('25');
  await page.getByTestId('batch-size').fill('4');
  await page.getByTestId('start').click();
}

describe('importing an image zip', () => {
  it('trains on two colour classes, listing a non-image file as skipped', async () => {
    const zip = classZip({ red: RED, blue: BLUE }, 40, { 'red/notes.txt': new TextEncoder().encode('not an image') });
    const { page, logs } = await openApp(chrome.browser, inject('appUrl'));
    try {
      await showTraining(page);
      await importAndStart(page, zip, 'colours.zip');
      const summary = page.getByTestId('run-summary');
      await summary.waitFor({ timeout: 300_000 });
      await screenshot(page, 'import-done');
      expect(await summary.getAttribute('data-run-status'), `${await summary.textContent()}\n${logs.join('\n')}`).toBe('completed');

      const ds = page.getByTestId('dataset-summary');
      expect(await ds.getAttribute('data-classes')).toBe('2');
      // 80 images, 20% stratified test → 64, of which 10% validation.
      expect(Number(await ds.getAttribute('data-test'))).toBe(16);
      expect(Number(await ds.getAttribute('data-train')) + Number(await ds.getAttribute('data-validation'))).toBe(64);
      expect(await page.getByTestId('skipped-file').getAttribute('data-path')).toBe('red/notes.txt');
      expect(await ds.textContent()).toContain('1 file skipped');

      expect(await summary.getAttribute('data-backend')).toBe('wasm');
      expect(Number(await summary.getAttribute('data-val-accuracy'))).toBeGreaterThanOrEqual(0.9);
      expect(await summary.textContent()).toMatch(/test accuracy (9\d|100)\.\d%/);
    } finally {
      await page.close();
    }
  });

  it('fails a zip with a single class folder, showing the loader message', async () => {
    const { page, logs } = await openApp(chrome.browser, inject('appUrl'));
    try {
      await showTraining(page);
      await importAndStart(page, classZip({ red: RED }, 5), 'one-class.zip');
      const summary = page.getByTestId('run-summary');
      await summary.waitFor({ timeout: 120_000 });
      expect(await summary.getAttribute('data-run-status'), logs.join('\n')).toBe('failed');
      expect(await summary.textContent()).toContain('one-class.zip: only one class folder ("red")');
      // No half state: nothing was trained and no dataset was reported.
      expect(await page.getByTestId('dataset-summary').count()).toBe(0);
      expect(await page.getByTestId('epoch-row').count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('fails a table that does not fit the template input, with the trainer message', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${(i % 7) / 7},${(i % 5) / 5},${i % 2 ? 'yes' : 'no'}`);
    const csv = new TextEncoder().encode(['a,b,target', ...rows].join('\n'));
    const { page, logs } = await openApp(chrome.browser, inject('appUrl'));
    try {
      await showTraining(page);
      await page.getByTestId('template-picker').selectOption('mlp');
      await page.getByTestId('dataset-picker').selectOption('file');
      await page.getByTestId('dataset-file').setInputFiles({ name: 'table.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByTestId('label-column').fill('target');
      await page.getByTestId('start').click();
      const summary = page.getByTestId('run-summary');
      await summary.waitFor({ timeout: 120_000 });
      expect(await summary.getAttribute('data-run-status'), logs.join('\n')).toBe('failed');
      expect(await summary.textContent()).toContain("samples are [null,2] but the model's Input takes [null,28,28,1]");
      expect(await page.getByTestId('epoch-row').count()).toBe(0);
    } finally {
      await page.close();
    }
  });
});
