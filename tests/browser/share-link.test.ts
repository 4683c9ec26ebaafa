// Share a project by link (issue 8 §3, §6): share the MLP template from the editor, open the link
// in a fresh browser context (a different person), see the same graph with the engine's shapes,
// read-only, fork it into storage and train it there; the fork and its run are stored.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { shapeText } from '../../src/editor/canvas/node-summary.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { decodeShare, LINK_BUDGET_BYTES } from '../../src/engine/share/index.js';
import { findTemplate } from '../../src/engine/templates/index.js';
import { storageSnapshot } from '../share/browser-storage-snapshot.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { SCREENSHOTS } from './page.js';
import { openTab, readProjects, readStore, waitFor } from './storage-helpers.js';

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});

const template = findTemplate('mlp')!.project();
const analysis = analyzeGraph(template.graph);
const expected = template.graph.nodes.map((n) => ({ id: n.id, kind: n.kind, shape: shapeText(analysis.nodes.get(n.id)!.output!.shape) }));

/** What the canvas shows for each node: id, kind and shape text. */
const canvasNodes = (page: Page) =>
  page.locator('[data-testid=canvas-node]').evaluateAll((els) =>
    els.map((el) => ({ id: el.getAttribute('data-node-id'), kind: el.querySelector('.node-kind')?.textContent, shape: el.querySelector('[data-testid=node-shape]')?.textContent })),
  );

async function shareLink(page: Page, shot?: string): Promise<{ url: string; bytes: number; weights: string | null }> {
  await page.getByTestId('share').click();
  const dialog = page.getByTestId('share-dialog');
  await dialog.waitFor();
  if (shot) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${shot}.png`) });
  }
  const url = await page.getByTestId('share-link').inputValue();
  const bytes = Number(await page.getByTestId('share-size').getAttribute('data-bytes'));
  const weights = (await page.getByTestId('share-weights').count()) ? await page.getByTestId('share-weights').textContent() : null;
  await page.getByTestId('share-close').click();
  return { url, bytes, weights };
}

describe('share a project by link', () => {
  it('shares, opens elsewhere with the same graph and shapes, forks and trains', async () => {
    const appUrl = inject('appUrl');
    // The author: a first visit opens "MLP on MNIST".
    const author = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page: a } = await openTab(author, appUrl);
    await waitFor('the first project', async () => (await a.getByTestId('project-name').inputValue().catch(() => '')) === 'MLP on MNIST', 30_000);
    const link = await shareLink(a, 'share-dialog');
    expect(link.url.startsWith(`${appUrl}/#share=1.`)).toBe(true);
    expect(link.bytes).toBe(link.url.length - appUrl.length - 1);
    expect(link.bytes).toBeLessThanOrEqual(LINK_BUDGET_BYTES);
    const decoded = decodeShare(new URL(link.url).hash);
    expect(decoded.ok && decoded.envelope.project.graph).toEqual(template.graph);

    // The reader: a fresh context (no storage), opening the link.
    const reader = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    const { page: r, logs } = await openTab(reader, 'about:blank');
    const t0 = Date.now();
    await r.goto(link.url);
    await r.getByTestId('shared-view').waitFor({ timeout: 20_000 });
    await waitFor('every shape', async () => (await canvasNodes(r)).every((n) => n.shape && n.shape !== '—') && (await canvasNodes(r)).length === expected.length, 20_000);
    const openMs = Date.now() - t0;
    expect(await canvasNodes(r)).toEqual(expected);
    expect(await r.getByTestId('shared-name').textContent()).toBe('MLP on MNIST');
    expect(await r.getByTestId('shared-dataset').textContent()).toContain('mnist (built in');
    // Read-only: no palette, no properties editor, and nothing stored by looking.
    expect(await r.getByTestId('palette-search').count()).toBe(0);
    const looked = await storageSnapshot(r);
    expect(looked.databases['neuralforge']).toBeUndefined();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await r.screenshot({ path: join(SCREENSHOTS, 'share-link-opened.png') });
    console.log(`link ${link.bytes} bytes; opened to shapes shown in ${openMs} ms`);

    // Fork: a stored project with the same graph opens in the editor.
    await r.getByTestId('fork').click();
    await waitFor('the fork in the editor', async () => (await r.getByTestId('project-name').inputValue().catch(() => '')) === 'MLP on MNIST', 30_000);
    expect(new URL(r.url()).hash).toBe('#/editor');
    const stored = await readProjects(r);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.draft.graph.nodes.map((n) => ({ id: n.id, kind: n.kind, params: n.params }))).toEqual(template.graph.nodes.map((n) => ({ id: n.id, kind: n.kind, params: n.params })));
    expect(await canvasNodes(r)).toEqual(expected);

    // Train it right away (built-in MNIST): one short epoch on wasm.
    const dockTab = r.getByTestId('dock-tab-training');
    if (await dockTab.count()) await dockTab.click();
    await r.getByTestId('backend-picker').selectOption('wasm');
    await r.getByTestId('epochs').fill('1');
    await r.getByTestId('batch-size').fill('32');
    await r.getByTestId('train-samples').fill('256');
    await r.getByTestId('start').click();
    const summary = r.getByTestId('run-summary');
    await summary.waitFor({ timeout: 180_000 });
    expect(await summary.getAttribute('data-run-status'), `${await summary.textContent()}\n${logs.join('\n')}`).toBe('completed');
    const runs = await waitFor('the stored run', async () => {
      const all = await readStore<{ projectId: string; status: string; epochs: number }>(r, 'runs');
      return all.length === 1 && all[0]!.status === 'completed' ? all : null;
    }, 20_000);
    expect(runs[0]!.projectId).toBe(stored[0]!.id);
    expect(runs[0]!.epochs).toBe(1);

    // Shared again, the link carries the fork's best run, and the reader of it sees its metrics.
    const again = await shareLink(r);
    const withRun = decodeShare(new URL(again.url).hash);
    if (!withRun.ok) throw new Error(withRun.error.message);
    expect(withRun.envelope.bestRun?.epochs).toBe(1);
    expect(Object.keys(withRun.envelope.bestRun?.metrics ?? {})).toContain('loss');
    // MLP on MNIST's trained weights (235,146 params, ~940 KB) cannot ride in a link: the dialog says so, with the size.
    expect(link.weights).toBeNull();
    expect(again.weights).toMatch(/^Weights left out: they would make the link ([5-9]\d\d\.\d KiB|[\d.]+ MiB) \(limit 8\.0 KiB\)/);
    expect(withRun.envelope.weights).toBeUndefined();

    // A project too big for a link gets a project file instead, with the reason.
    let x = 11;
    const noise = Array.from({ length: 10_000 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 16) % 62]).join('');
    await r.getByTestId('project-description').fill(noise);
    await r.getByTestId('share').click();
    const tooLarge = r.getByTestId('share-too-large');
    await tooLarge.waitFor();
    expect(await tooLarge.textContent()).toMatch(/needs [\d.]+ KiB as a link, over the 8\.0 KiB a link can carry/);
    expect(await r.getByTestId('share-link').count()).toBe(0);
    await r.getByTestId('share-dialog').screenshot({ path: join(SCREENSHOTS, 'share-too-large.png') });
    const [download] = await Promise.all([r.waitForEvent('download'), r.getByTestId('share-download').click()]);
    expect(download.suggestedFilename()).toBe('MLP-on-MNIST.nfproj');
    await author.close();
    await reader.close();
  });
});
