// Importing a folder of images from the page: a real folder of two-class PNGs on disk goes
// through an <input webkitdirectory> (Playwright uploads the directory), the page transfers
// every file's bytes to the worker, which drops the top folder name, decodes the images
// there and trains the MLP at [28, 28, 1].
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { encodePng, noisySquare } from './image-zip.js';
import { openApp, screenshot } from './page.js';
import { showTraining } from './dock.js';

// The colours of import.test.ts (see there why a near-black class trains quickly).
const CLASSES = { red: [255, 150, 150], blue: [0, 0, 90] } as const;

let chrome: LaunchedBrowser;
let root: string;
let folder: string;
beforeAll(async () => {
  chrome = await launchChromium();
  root = mkdtempSync(join(tmpdir(), 'nf-folder-'));
  folder = join(root, 'colours');
  let seed = 1;
  for (const [name, colour] of Object.entries(CLASSES)) {
    mkdirSync(join(folder, name), { recursive: true });
    for (let i = 0; i < 40; i++) writeFileSync(join(folder, name, `${i}.png`), encodePng(28, 28, noisySquare(28, colour, 25, seed++)));
  }
});
afterAll(async () => {
  await chrome?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('importing a folder of images', () => {
  it('trains on two colour classes from a folder upload', async () => {
    const { page, logs } = await openApp(chrome.browser, inject('appUrl'));
    try {
      await showTraining(page);
      await page.getByTestId('template-picker').selectOption('mlp');
      await page.getByTestId('backend-picker').selectOption('wasm');
      await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
      await page.getByTestId('dataset-picker').selectOption('folder');
      await page.getByTestId('dataset-folder').setInputFiles(folder);
      expect(await page.getByTestId('folder-info').textContent()).toContain('colours/ · 80 files');
      await page.getByTestId('epochs').fill('25');
      await page.getByTestId('batch-size').fill('4');
      await page.getByTestId('start').click();

      const summary = page.getByTestId('run-summary');
      await summary.waitFor({ timeout: 300_000 });
      await screenshot(page, 'folder-done');
      expect(await summary.getAttribute('data-run-status'), `${await summary.textContent()}\n${logs.join('\n')}`).toBe('completed');
      const ds = page.getByTestId('dataset-summary');
      expect(await ds.getAttribute('data-classes')).toBe('2');
      expect(await ds.textContent()).toContain('file:colours');
      expect(Number(await ds.getAttribute('data-test'))).toBe(16);
      expect(Number(await summary.getAttribute('data-val-accuracy'))).toBeGreaterThanOrEqual(0.9);
    } finally {
      await page.close();
    }
  });
});
