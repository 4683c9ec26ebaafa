// Two tabs of one browser profile on the same project, in real Chromium: the second opens
// read-only and says so, follows the first tab's saves, cannot overwrite them, and takes over
// editing once the first tab is closed, or asks an open editing tab to hand over.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { showDockTab } from './dock.js';
import { screenshot } from './page.js';
import { nodeParams, openTab, readProjects, waitFor } from './storage-helpers.js';

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});

describe('two tabs on one project', () => {
  it('the second tab is read-only, follows saves, refuses a stale edit, and takes over when the first closes', async () => {
    const context = await chrome.browser.newContext({ viewport: { width: 1200, height: 900 } });
    try {
      const a = await openTab(context, inject('appUrl'));
      const stateOf = (p: typeof a.page) => p.getByTestId('save-status').getAttribute('data-state');
      await expect.poll(() => a.page.getByTestId('project-name').inputValue(), { timeout: 15_000 }).toBe('MLP on MNIST');
      expect(await stateOf(a.page)).toBe('saved');

      const b = await openTab(context, inject('appUrl'));
      const notice = b.page.getByTestId('read-only-notice');
      await notice.waitFor({ timeout: 15_000 });
      expect(await b.page.getByTestId('project-name').inputValue()).toBe('MLP on MNIST');
      expect(await stateOf(b.page)).toBe('read-only');
      await expect.poll(() => notice.textContent()).toMatch(/This project is open for editing in another tab \(tab [0-9a-f]{4}, editing since [\d:]+.*\)\. This tab is read-only/);
      expect(await b.page.getByTestId('project-name').getAttribute('readonly')).not.toBeNull();
      expect(await stateOf(a.page), 'the first tab keeps editing').toBe('saved');
      await screenshot(b.page, 'storage-tab-read-only');

      // A edits; B shows the change once A has saved.
      await a.page.getByTestId('project-name').fill('Edited in A');
      await showDockTab(a.page, 'layers');
      await a.page.getByTestId('param-hidden1-units').fill('32');
      await expect.poll(() => b.page.getByTestId('project-name').inputValue(), { timeout: 3000 }).toBe('Edited in A');
      await expect.poll(() => b.page.getByTestId('param-hidden1-units').inputValue()).toBe('32');
      const [afterA] = await readProjects(a.page);
      expect(afterA!.name).toBe('Edited in A');

      // B tries anyway (read-only attribute removed, as a script or an extension could): refused, nothing written.
      await b.page.getByTestId('project-name').evaluate((el) => el.removeAttribute('readonly'));
      await b.page.getByTestId('project-name').fill('Stale edit from B');
      await b.page.getByTestId('edit-refused').waitFor();
      expect(await b.page.getByTestId('edit-refused').textContent()).toContain('This tab is read-only while another tab edits this project, so the change was not made');
      expect(await b.page.getByTestId('project-name').inputValue()).toBe('Edited in A');
      await b.page.waitForTimeout(600); // longer than an autosave delay
      const [still] = await readProjects(b.page);
      expect(still).toEqual(afterA);

      // A closes; B takes over and its edits save.
      await a.page.close();
      await b.page.getByTestId('take-over').click();
      await notice.waitFor({ state: 'detached' });
      expect(await stateOf(b.page)).toBe('saved');
      await b.page.getByTestId('project-name').fill('Now edited in B');
      await waitFor('B\'s edit on disk', async () => (await readProjects(b.page))[0]?.name === 'Now edited in B', 1000);
      expect(nodeParams((await readProjects(b.page))[0]!, 'hidden1')?.['units']).toBe(32);
      expect(b.logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);

      // A third tab asks B, still open, to hand over: B flushes its pending edit first, then turns read-only.
      const c = await openTab(context, inject('appUrl'));
      await c.page.getByTestId('read-only-notice').waitFor({ timeout: 15_000 });
      await b.page.getByTestId('project-name').fill('Last words from B');
      await c.page.getByTestId('take-over').click();
      await c.page.getByTestId('read-only-notice').waitFor({ state: 'detached', timeout: 10_000 });
      await expect.poll(() => b.page.getByTestId('read-only-notice').textContent()).toMatch(/Editing moved to another tab/);
      expect(await c.page.getByTestId('project-name').inputValue()).toBe('Last words from B');
      expect((await readProjects(c.page))[0]!.name).toBe('Last words from B');
    } finally {
      await context.close();
    }
  });
});
