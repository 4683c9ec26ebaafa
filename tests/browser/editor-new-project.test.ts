// "New empty project" in real Chromium: from the project list it makes "Untitled", then
// "Untitled 2", each saved to IndexedDB (read back with the raw API) and opened in the editor
// on one Input; a layer inserted after the Input goes one row below it, wired; a reload keeps it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { emptyProject } from '../../src/editor/storage/empty-project.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { screenshot } from './page.js';
import { openTab, readProjects, waitFor, type RawProject } from './storage-helpers.js';
import { showView } from './views.js';

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});

type StoredGraph = { nodes: { id: string; kind: string; params: Record<string, unknown>; position?: { x: number; y: number } }[]; edges: { source: string; target: string }[] };
const graphOf = (p: RawProject) => p.draft.graph as unknown as StoredGraph;
const storedNamed = (page: Page, name: string, cond: (p: RawProject) => boolean = () => true) =>
  waitFor(`the stored project "${name}"`, async () => (await readProjects(page)).find((p) => p.name === name && cond(p)) ?? null);

describe('new empty project', () => {
  it('makes Untitled, Untitled 2 with one Input each, opens them in the editor and keeps them over a reload', async () => {
    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const { page, logs } = await openTab(context, inject('appUrl'));
      await expect.poll(() => page.getByTestId('project-name').inputValue(), { timeout: 20_000 }).toBe('MLP on MNIST');

      const newEmpty = async (name: string) => {
        await showView(page, 'projects');
        await page.getByTestId('project-new-empty').click();
        await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/editor');
        await expect.poll(() => page.getByTestId('project-name').inputValue()).toBe(name);
      };
      await newEmpty('Untitled');
      const first = await storedNamed(page, 'Untitled');
      // Exactly what emptyProject builds (the engine's parser accepted it on the way in).
      expect(first.draft).toEqual(JSON.parse(JSON.stringify(emptyProject('Untitled'))));
      expect((first as RawProject & { task: string | null }).task).toBe('classification');
      await expect.poll(() => page.getByTestId('canvas-node').count()).toBe(1);
      expect(await page.locator('[data-testid=canvas-node][data-node-id="input_1"] [data-testid=node-shape]').textContent()).toBe('[B, 28, 28, 1]');
      // The status bar says something is missing: no output yet, and an Input that feeds nothing.
      const bar = page.getByTestId('status-bar');
      expect(await bar.getByTestId('status-errors').getAttribute('data-count')).toBe('1');
      expect(await bar.getByTestId('status-warnings').getAttribute('data-count')).toBe('1');
      await screenshot(page, 'new-empty-project');

      await newEmpty('Untitled 2');
      await storedNamed(page, 'Untitled 2');
      expect((await readProjects(page)).map((p) => p.name).sort()).toEqual(['MLP on MNIST', 'Untitled', 'Untitled 2']);
      await showView(page, 'projects');
      expect(await page.getByTestId('project-row').count()).toBe(3);
      await screenshot(page, 'new-empty-project-list');
      await showView(page, 'editor');

      // Select the Input, then "/" + "flatten" + Enter inserts a Flatten after it: below, wired.
      await page.locator('[data-testid=canvas-node][data-node-id="input_1"]').click({ position: { x: 30, y: 20 } });
      await expect.poll(() => page.getByTestId('prop-id').textContent()).toBe('input_1');
      await page.getByTestId('editor-shell').focus();
      await page.keyboard.press('/');
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('palette-search');
      await page.keyboard.type('flatten');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('prop-id').textContent()).toBe('flatten_1');
      const grown = await storedNamed(page, 'Untitled 2', (p) => graphOf(p).nodes.length === 2);
      const g = graphOf(grown);
      expect(g.edges.map((e) => `${e.source}->${e.target}`)).toEqual(['input_1->flatten_1']);
      expect(g.nodes.map((n) => [n.id, n.position])).toEqual([['input_1', { x: 0, y: 0 }], ['flatten_1', { x: 0, y: 100 }]]);
      const box = async (id: string) => (await page.locator(`[data-testid=canvas-node][data-node-id="${id}"]`).boundingBox())!;
      const [inBox, flatBox] = [await box('input_1'), await box('flatten_1')];
      expect(flatBox.x).toBeCloseTo(inBox.x, 0);
      expect(flatBox.y, 'the Flatten sits below the Input on screen').toBeGreaterThan(inBox.y + inBox.height);
      expect(await page.locator('[data-testid=canvas-node][data-node-id="flatten_1"] [data-testid=node-shape]').textContent()).toBe('[B, 784]');
      await screenshot(page, 'new-empty-project-grown');

      // Saved like any project: after a reload the same project opens with both nodes.
      await page.reload();
      await expect.poll(() => page.getByTestId('project-name').inputValue(), { timeout: 20_000 }).toBe('Untitled 2');
      await showView(page, 'editor');
      await expect.poll(() => page.getByTestId('canvas-node').count()).toBe(2);
      expect(logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
