// (d) Pause, Resume and Stop from the page act on the run in the worker: no steps while
// paused, steps again after Resume, and Stop ends the run early with status "stopped".
// On wasm, which trains the MLP in well under a second per epoch here, so steps come quickly.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { openApp, screenshot } from './page.js';
import { showTraining } from './dock.js';

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});

const lastStep = async (page: Page) => Number(await page.getByTestId('run-status').getAttribute('data-last-step'));
const status = (page: Page) => page.getByTestId('run-status').getAttribute('data-status');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, cond: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('run controls', () => {
  it('pause holds the run, resume continues it, stop ends it early', async () => {
    const { page, logs } = await openApp(chrome.browser, inject('appUrl'));
    try {
      await showTraining(page);
      await page.getByTestId('template-picker').selectOption('mlp');
      await page.getByTestId('backend-picker').selectOption('wasm');
      await page.getByTestId('epochs').fill('50'); // far more than the test lets it run
      await page.getByTestId('start').click();
      await waitFor('the first steps', async () => (await lastStep(page)) >= 5);

      await page.getByTestId('pause').click();
      await waitFor('paused', async () => (await status(page)) === 'paused');
      await sleep(500); // let step messages already in flight arrive
      const atPause = await lastStep(page);
      await sleep(2000);
      expect(await lastStep(page), 'steps arrived while paused').toBe(atPause);
      await screenshot(page, 'controls-paused');

      await page.getByTestId('resume').click();
      await waitFor('steps after resume', async () => (await lastStep(page)) > atPause + 3);
      expect(await status(page)).toBe('running');

      await page.getByTestId('stop').click();
      const summary = page.getByTestId('run-summary');
      await summary.waitFor({ timeout: 60_000 });
      expect(await summary.getAttribute('data-run-status'), logs.join('\n')).toBe('stopped');
      const skipped = (await page.getByTestId('skipped').count()) ? await page.getByTestId('skipped').textContent() : '';
      expect(await summary.getAttribute('data-backend'), `${skipped}\n${logs.join('\n')}`).toBe('wasm');
      expect(await page.getByTestId('epoch-row').count()).toBeLessThan(50);
      const atStop = await lastStep(page);
      await sleep(1000);
      expect(await lastStep(page), 'steps arrived after stop').toBe(atStop);
      expect(await page.getByTestId('start').isEnabled()).toBe(true);
      await screenshot(page, 'controls-stopped');
    } finally {
      await page.close();
    }
  });

  it('moves a model wasm cannot train (LeNet-5) to another backend before the first step, and says why', async () => {
    const { page, logs } = await openApp(chrome.browser, inject('appUrl'));
    try {
      await showTraining(page);
      await page.getByTestId('template-picker').selectOption('lenet5');
      await page.getByTestId('backend-picker').selectOption('wasm');
      await page.getByTestId('backend-name').waitFor();
      const t0 = Date.now();
      await page.getByTestId('start').click();
      await waitFor('the training phase', async () => (await page.getByTestId('run-status').getAttribute('data-phase')) === 'training', 120_000);
      const used = await page.getByTestId('backend-name').textContent();
      expect(used, logs.join('\n')).not.toBe('wasm');
      expect(await page.getByTestId('skipped').textContent()).toMatch(/wasm skipped: wasm cannot train this model: no Conv2DBackpropFilter kernel/);
      await screenshot(page, 'lenet-wasm-fallback');
      const t1 = Date.now();
      await page.getByTestId('stop').click();
      await page.getByTestId('run-summary').waitFor({ timeout: 120_000 });
      console.log(`LeNet on ${used}: training phase after ${t1 - t0} ms, stopped ${Date.now() - t1} ms after Stop`);
      expect(await page.getByTestId('run-summary').getAttribute('data-run-status')).toBe('stopped');
      expect(await page.getByTestId('run-summary').getAttribute('data-backend')).toBe(used);
    } finally {
      await page.close();
    }
  });
});
