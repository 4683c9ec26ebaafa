// (a) In a real Chromium with SwiftShader, the trainer worker finds a WebGPU adapter, reports
// it as a software adapter, and the page says so. Also: wasm loads its binaries from our own
// origin, and a model wasm cannot train (LeNet: no Conv2DBackpropFilter) is moved elsewhere
// before the first step, with the reason shown.
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

describe('backend choice in the browser', () => {
  it('auto passes over the software WebGPU adapter for a CPU backend, and says why', async () => {
    const { page, logs } = await openApp(chrome.browser, inject('appUrl'));
    try {
      await showTraining(page);
      await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('backend-name').textContent(), logs.join('\n')).toBe('wasm');
      expect(await page.getByTestId('skipped').textContent()).toMatch(/webgpu skipped: webgpu would run on a software GPU \(swiftshader\)/);
      expect(await page.getByTestId('software-warning').count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('an explicit WebGPU pick reports the SwiftShader adapter and warns about a software GPU', async () => {
    const { page, logs } = await openApp(chrome.browser, inject('appUrl'));
    try {
      await showTraining(page);
      await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
      await page.getByTestId('backend-picker').selectOption('webgpu');
      await page.waitForFunction(() => document.querySelector('[data-testid="backend-name"]')?.textContent === 'webgpu', undefined, { timeout: 60_000 });
      expect(await page.getByTestId('backend-name').textContent(), logs.join('\n')).toBe('webgpu');
      const adapter = (await page.getByTestId('adapter').textContent()) ?? '';
      expect(adapter).toMatch(/swiftshader/i);
      const warning = page.getByTestId('software-warning');
      expect(await warning.isVisible()).toBe(true);
      expect(await warning.textContent()).toMatch(/software GPU.*expect it to be slow/);
      await screenshot(page, 'backend-swiftshader');
      console.log(`browser: ${chrome.source} ${chrome.browser.version()}; adapter: ${adapter}`);
    } finally {
      await page.close();
    }
  });
});
