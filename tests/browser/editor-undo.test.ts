// Undo/redo in real Chromium: edits made through the layer table, a click on the canvas and the
// editor's shortcuts (set a param, delete, duplicate, auto-layout), undone and redone by
// keyboard, checked against the graph stored in IndexedDB (read with the raw API) at every
// point; after a reload the history still undoes; "?" shows the shortcuts overlay.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { NodeId } from '../../src/engine/ids.js';
import type { Graph } from '../../src/engine/project/types.js';
import { layoutGraph } from '../../src/editor/graph-edit/layout.js';
import { unordered } from '../editor/graph-edit-helpers.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { showDockTab } from './dock.js';
import { screenshot } from './page.js';
import { openTab, readProjects, waitFor } from './storage-helpers.js';

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});

const storedGraph = async (page: Page): Promise<Graph | null> => ((await readProjects(page))[0]?.draft.graph as unknown as Graph | undefined) ?? null;
const same = (a: Graph, b: Graph) => JSON.stringify(unordered(a)) === JSON.stringify(unordered(b));

/** Waits until the stored graph equals `expected` (order aside); returns it as stored. */
async function storedEquals(page: Page, expected: Graph, what: string): Promise<Graph> {
  return waitFor(`the stored graph ${what}`, async () => {
    const g = await storedGraph(page);
    return g && same(g, expected) ? g : null;
  }, 3000);
}

describe('undo and redo in the editor', () => {
  it('undoes and redoes edits by keyboard, the stored graph following at each point, also after a reload', async () => {
    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 1000 } });
    try {
      const { page, logs } = await openTab(context, inject('appUrl'));
      await expect.poll(() => page.getByTestId('project-name').inputValue(), { timeout: 15_000 }).toBe('MLP on MNIST');
      const g0 = await waitFor('the first project in IndexedDB', () => storedGraph(page));
      const keys = async (...combos: string[]) => {
        await page.getByTestId('editor-shell').focus();
        for (const k of combos) await page.keyboard.press(k);
      };
      const undoButton = page.getByTestId('cmd-undo');
      expect(await undoButton.isDisabled()).toBe(true);

      // 1. A param set in the layer table (the dock's Layers tab) is an undo step too.
      await showDockTab(page, 'layers');
      await page.getByTestId('param-hidden1-units').fill('64');
      const g1 = await waitFor('units 64 on disk', async () => {
        const g = await storedGraph(page);
        return g?.nodes.find((n) => n.id === 'hidden1')?.params['units'] === 64 ? g : null;
      });
      expect(await undoButton.getAttribute('title')).toMatch(/^Undo Set hidden1 params/);
      await showDockTab(page, 'properties');

      // 2. Click one layer on the canvas and delete it; undo puts it back with its edges in their ports.
      await page.locator('[data-testid=canvas-node][data-node-id=hidden2]').click();
      await page.keyboard.press('Delete');
      const withoutHidden2 = { nodes: g1.nodes.filter((n) => n.id !== 'hidden2'), edges: g1.edges.filter((e) => e.source !== 'hidden2' && e.target !== 'hidden2') };
      expect(withoutHidden2.edges.length).toBe(g1.edges.length - 2);
      await storedEquals(page, withoutHidden2, 'without hidden2');
      await page.keyboard.press('Control+Z');
      await storedEquals(page, g1, 'after undoing the delete of hidden2');

      // Select all, delete: the graph is empty; undo brings back every node and edge.
      await keys('Control+A', 'Delete');
      await storedEquals(page, { nodes: [], edges: [] }, 'after deleting everything');
      await keys('Control+Z');
      await storedEquals(page, g1, 'after undoing the delete');

      // 3. Duplicate everything: twice the nodes, twice the edges (internal edges kept).
      await keys('Control+A', 'Control+D');
      const g3 = await waitFor('the duplicate on disk', async () => {
        const g = await storedGraph(page);
        return g && g.nodes.length === 2 * g1.nodes.length ? g : null;
      });
      expect(g3.edges).toHaveLength(2 * g1.edges.length);
      expect(new Set(g3.nodes.map((n) => n.id)).size).toBe(g3.nodes.length);

      // 4. Auto-layout: the positions dagre gives this graph in Node.
      await keys('Shift+L');
      const expectedAt = layoutGraph(g3);
      const g4 = await waitFor('the layout on disk', async () => {
        const g = await storedGraph(page);
        return g && g.nodes.every((n) => JSON.stringify(n.position) === JSON.stringify(expectedAt.get(n.id as NodeId))) ? g : null;
      });

      // 5. Undo everything, one step at a time, then redo with both redo keys.
      await keys('Control+Z');
      await storedEquals(page, g3, 'after undoing the layout');
      await keys('Control+Z');
      await storedEquals(page, g1, 'after undoing the duplicate');
      // The undone delete was dropped from the redo list by the duplicate: the param is next.
      await keys('Control+Z');
      await storedEquals(page, g0, 'after undoing the param');
      expect(await undoButton.isDisabled()).toBe(true);
      await keys('Control+Shift+Z');
      await storedEquals(page, g1, 'after redoing the param');

      // 6. Reload: the history is still there.
      await page.reload();
      await expect.poll(() => page.getByTestId('project-name').inputValue(), { timeout: 15_000 }).toBe('MLP on MNIST');
      await expect.poll(() => undoButton.isDisabled(), { timeout: 5000 }).toBe(false);
      await keys('Control+Z');
      await storedEquals(page, g0, 'after undoing the param again, after the reload');
      await keys('Control+Y');
      await storedEquals(page, g1, 'after redoing it with Ctrl+Y');
      await keys('Control+Y', 'Control+Y');
      await storedEquals(page, g4, 'after redoing everything');

      // 7. "?" shows every command with its keys; Escape closes it.
      await keys('?');
      const overlay = page.getByTestId('help-overlay');
      await overlay.waitFor({ state: 'visible' });
      expect(await overlay.getByTestId('help-row').count()).toBeGreaterThanOrEqual(15);
      expect(await overlay.locator('[data-command=undo] kbd').textContent()).toBe('Ctrl+Z');
      await screenshot(page, 'editor-help-overlay');
      await page.keyboard.press('Escape');
      await overlay.waitFor({ state: 'hidden' });
      expect(logs.filter((l) => l.startsWith('[pageerror]')), logs.join('\n')).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
