// A new version while a run trains, in real Chromium, on a private copy of the built app: the
// copy's sw.js changes and the page checks for an update; the prompt appears in its "after
// training" state with Update disabled and the page never reloads while the run lives; when the
// run ends Update enables, and pressing it saves the edit made a moment before (read back from
// IndexedDB, inside the autosave's one-second delay) and reloads exactly once, into the new worker.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { showTraining } from './dock.js';
import { screenshot } from './page.js';
import { serveCopy, waitForServiceWorker } from './pwa-helpers.js';
import { openTab, readStore, waitFor } from './storage-helpers.js';

let chrome: LaunchedBrowser;
let context: BrowserContext;
let app: Awaited<ReturnType<typeof serveCopy>>;
beforeAll(async () => {
  chrome = await launchChromium();
  context = await chrome.browser.newContext({ viewport: { width: 1200, height: 1400 } });
  app = await serveCopy(inject('appDir'));
});
afterAll(async () => {
  await context?.close();
  await chrome?.close();
  await app?.close();
});

describe('app update', () => {
  it('waits for training to end and for the person, saves, then reloads once', async () => {
    const { page, logs } = await openTab(context, app.url);
    await waitForServiceWorker(page);
    // Document loads only ('framenavigated' would also count the app's own hash routing).
    const navigations: string[] = [];
    page.on('load', () => void navigations.push(page.url()));

    // A run that outlives the update check: paused after its first steps (a paused run is still live).
    await showTraining(page);
    await page.getByTestId('backend-picker').selectOption('wasm');
    await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
    await page.getByTestId('epochs').fill('2');
    await page.getByTestId('batch-size').fill('32');
    await page.getByTestId('train-samples').fill('1024');
    await page.getByTestId('start').click();
    await page.getByTestId('pause').and(page.locator(':enabled')).click({ timeout: 60_000 });
    await page.getByTestId('resume').waitFor({ timeout: 30_000 });

    // A new version on the server: any byte change in sw.js makes the browser install it.
    appendFileSync(join(app.dir, 'sw.js'), '\n// next version\n');
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    const banner = page.getByTestId('update-banner');
    await banner.and(page.locator('[data-state=after-training]')).waitFor({ timeout: 60_000 });
    expect(await banner.textContent()).toContain('Update after training finishes');
    expect(await page.getByTestId('update-now').isDisabled()).toBe(true);
    await screenshot(page, 'pwa-update-after-training');
    // The waiting worker stays waiting: nothing activates it, nothing reloads.
    await page.waitForTimeout(2_000);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.waiting !== null)).toBe(true);
    expect(navigations).toEqual([]);

    // The run finishes; Update enables.
    await page.getByTestId('resume').click();
    const summary = page.getByTestId('run-summary');
    await summary.waitFor({ timeout: 180_000 });
    expect(await summary.getAttribute('data-run-status'), logs.join('\n')).toBe('completed');
    await banner.and(page.locator('[data-state=ready]')).waitFor({ timeout: 10_000 });
    expect(await banner.textContent()).toContain('A new version of NeuralForge is ready');
    expect(navigations).toEqual([]);

    // An edit, then Update at once (within the autosave's one-second delay): Update saves it.
    await page.getByTestId('project-name').fill('Saved before the update');
    await page.getByTestId('update-now').click();
    await waitFor('the reload', async () => navigations.length > 0, 60_000);
    await page.waitForLoadState('load');
    await page.waitForTimeout(1_000); // a second reload, if any, would show here
    expect(navigations).toHaveLength(1);
    const projects = await readStore<{ name: string }>(page, 'projects');
    expect(projects.map((p) => p.name)).toContain('Saved before the update');
    // The page now runs under the new worker, and nothing is waiting any more.
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.waiting)).toBeNull();
    expect(await page.getByTestId('update-banner').count()).toBe(0);
  });
});
