// Reusable blocks in real Chromium: LeNet's two conv+pool pairs grouped with Ctrl+G into a block
// exposing `filters`, drawn as one box with the engine's output shape; the block parameter set
// in Properties changes both convs (checked in IndexedDB) and the shapes downstream; a second
// instance dragged from the palette; undo/redo back to the original graph as stored; expand,
// collapse, reload. Then the canvas by keyboard: Tab in, arrow to the next node, Enter selects it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { shapeText } from '../../src/editor/canvas/node-summary.js';
import { candidateBlockParams, collapsedView, groupIntoBlock, setBlockParam } from '../../src/engine/blocks/index.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { applyChange } from '../../src/engine/graph/changes.js';
import { nodeId } from '../../src/engine/ids.js';
import type { Graph } from '../../src/engine/project/types.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { SCREENSHOTS } from './page.js';
import { openTab, readProjects, waitFor } from './storage-helpers.js';

let chrome: LaunchedBrowser;
let context: BrowserContext;
let page: Page;
let logs: string[];

beforeAll(async () => {
  chrome = await launchChromium();
  context = await chrome.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  ({ page, logs } = await openTab(context, inject('appUrl')));
  await waitFor('the first project', async () => (await page.getByTestId('project-name').inputValue().catch(() => '')) === 'MLP on MNIST', 20_000);
});
afterAll(async () => {
  await chrome?.close();
});

const NAME = 'LeNet-5 on MNIST';
const STACK = ['c1', 's2', 'c3', 's4'];
/** JSON with object keys sorted: equal graphs compare equal whatever order their keys were written in. */
const canon = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));
const stored = async (): Promise<Graph | null> => ((await readProjects(page)).find((p) => p.name === NAME)?.draft.graph as unknown as Graph | undefined) ?? null;
/** Waits until the graph in IndexedDB passes `test`; returns it. */
const storedWhen = (what: string, test: (g: Graph) => boolean, ms = 5000) => waitFor(what, async () => {
  const g = await stored();
  return g && test(g) ? g : null;
}, ms);
const storedEquals = (what: string, expected: Graph) => storedWhen(what, (g) => canon(g) === canon(expected));
const node = (id: string) => page.locator(`[data-testid=canvas-node][data-node-id="${id}"]`);
const boxes = () => page.getByTestId('canvas-block');
const keys = async (...combos: string[]) => {
  for (const k of combos) await page.keyboard.press(k);
};

describe('blocks in the editor', () => {
  it('groups, parameterises, instantiates, undoes, expands and survives a reload', async () => {
    await page.getByTestId('template-picker').selectOption('lenet5');
    await expect.poll(() => page.getByTestId('project-name').inputValue()).toBe(NAME);
    const g0 = await storedWhen('LeNet stored', (g) => g.nodes.length === 9);

    // Select the two conv+pool pairs by shift-click, then Ctrl+G: name it and expose `filters`.
    await node('c1').click();
    for (const id of STACK.slice(1)) await node(id).click({ modifiers: ['Shift'] });
    await keys('Control+G');
    await page.getByTestId('group-dialog').waitFor();
    await page.getByTestId('group-name').fill('Conv stack');
    await page.locator('[data-testid=group-param][data-param=filters]').check();
    await page.getByTestId('group-ok').click();

    // One box instead of four nodes, carrying the engine's output shape of s4.
    const params = candidateBlockParams(g0, STACK.map(nodeId)).filter((p) => p.name === 'filters');
    const expected = groupIntoBlock(g0, STACK.map(nodeId), { name: 'Conv stack', params }).changes.reduce(applyChange, g0);
    const box0 = collapsedView(expected, analyzeGraph(expected)).boxes[0]!;
    await expect.poll(() => boxes().count()).toBe(1);
    expect(await boxes().getByTestId('node-shape').textContent()).toBe(shapeText(box0.outputs[0]!.shape!));
    expect(await boxes().getByTestId('node-shape').textContent()).toBe('[B, 5, 5, 16]');
    for (const id of STACK) expect(await node(id).count(), id).toBe(0);
    // The edges into and out of the box keep their shape labels.
    expect(await page.locator('[data-testid=edge-label][data-source=s4]').textContent()).toBe('[B, 5, 5, 16]');
    const g1 = await storedWhen('the group and block on disk', (g) => g.groups?.length === 1 && g.blocks?.length === 1);
    expect(g1.groups![0]).toMatchObject({ name: 'Conv stack', nodes: STACK, collapsed: true });
    expect(canon(g1)).toBe(canon(expected)); // the engine's own grouping of the stored graph
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.getByTestId('editor').screenshot({ path: join(SCREENSHOTS, 'editor-block-collapsed.png') });

    // Properties shows the block; setting filters writes both convs; the shape downstream follows.
    await expect.poll(() => page.getByTestId('prop-block-name').inputValue()).toBe('Conv stack');
    await page.getByTestId('prop-filters').fill('8');
    await page.getByTestId('prop-filters').press('Enter');
    const g2 = await storedWhen('both convs at 8 filters', (g) => ['c1', 'c3'].every((id) => g.nodes.find((n) => n.id === id)?.params['filters'] === 8));
    const oracle = setBlockParam(g1, g1.groups![0]!.id, 'filters', 8).reduce(applyChange, g1);
    expect(canon(g2)).toBe(canon(oracle));
    const flatten = analyzeGraph(oracle).nodes.get(nodeId('flatten'))!.output!.shape;
    await expect.poll(() => node('flatten').getByTestId('node-shape').textContent()).toBe(shapeText(flatten));
    expect(shapeText(flatten)).toBe('[B, 200]');
    expect(await boxes().getByTestId('node-shape').textContent()).toBe('[B, 5, 5, 8]');

    // A second instance dragged from the palette's Blocks section.
    const target = (await page.getByTestId('canvas').boundingBox())!;
    await page.getByTestId('palette-block').first().dragTo(page.getByTestId('canvas'), { targetPosition: { x: target.width - 300, y: 150 } });
    await expect.poll(() => boxes().count()).toBe(2);
    const g3 = await storedWhen('two instances on disk', (g) => g.groups?.length === 2 && g.nodes.length === 13);
    expect(g3.groups![1]!.nodes).toEqual(['c1_2', 's2_2', 'c3_2', 's4_2']);
    expect(g3.nodes.find((n) => n.id === 'c1_2')!.params['filters']).toBe(6); // the template's values, not the first instance's

    // Undo the whole sequence back to the original graph, then redo it.
    await page.getByTestId('editor-shell').focus();
    await keys('Control+Z');
    await storedEquals('after undoing the instance', g2);
    await keys('Control+Z');
    await storedEquals('after undoing filters', g1);
    await keys('Control+Z');
    await storedEquals('after undoing the grouping', g0);
    await expect.poll(() => boxes().count()).toBe(0);
    await keys('Control+Shift+Z', 'Control+Shift+Z', 'Control+Shift+Z');
    await storedEquals('after redoing everything', g3);
    await expect.poll(() => boxes().count()).toBe(2);

    // Expand one (double-click): a frame around its four nodes; collapse it again from the frame.
    await boxes().first().dblclick();
    await expect.poll(() => page.getByTestId('group-frame').count()).toBe(1);
    for (const id of STACK) expect(await node(id).count(), id).toBe(1);
    await storedWhen('expanded on disk', (g) => g.groups?.[0]?.collapsed === false);
    await page.getByTestId('block-collapse').click();
    await expect.poll(() => boxes().count()).toBe(2);
    await storedWhen('collapsed on disk', (g) => g.groups?.[0]?.collapsed === true);

    // A reload finds the blocks and groups where they were.
    await page.reload();
    await expect.poll(() => page.getByTestId('project-name').inputValue(), { timeout: 20_000 }).toBe(NAME);
    await expect.poll(() => boxes().count()).toBe(2);
    expect(await page.getByTestId('palette-block').count()).toBe(1);
    // The block is in use, so the palette refuses to delete it.
    expect(await page.getByTestId('palette-block-delete').isDisabled()).toBe(true);
    expect(logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
  });

  it('drives the canvas by keyboard: Tab enters on the selected node, arrows move focus, Enter selects', async () => {
    await node('f5').click();
    await expect.poll(() => page.getByTestId('prop-id').textContent()).toBe('f5');
    await page.getByTestId('palette-search').focus();
    // Tab until focus reaches the canvas: it lands on the selected node, f5.
    let focused: string | null = null;
    for (let i = 0; i < 12 && focused === null; i++) {
      await keys('Tab');
      focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset['focusKey'] ?? null);
    }
    expect(focused).toBe('f5');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Dense f5, output [B, 120]');
    // Down: the node under f5 is f6; Enter selects it and Properties shows it.
    await keys('ArrowDown');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset['focusKey'])).toBe('f6');
    await keys('Enter');
    await expect.poll(() => page.getByTestId('prop-id').textContent()).toBe('f6');
    // Up twice from f6 goes past f5 to flatten, then up again to the collapsed block above it.
    await keys('ArrowUp', 'ArrowUp', 'ArrowUp');
    const key = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset['focusKey']);
    expect(key).toMatch(/^group-/);
    await keys('Space');
    await expect.poll(() => page.getByTestId('prop-block-name').inputValue()).toBe('Conv stack');
  });
});
