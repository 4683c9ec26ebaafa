// Trained weights in share links (issue 8 §3): a tiny MNIST model (170 params) trained one epoch is
// shared with its weights; a fresh context opens the link, sees "with trained weights", forks, and
// the fork's stored checkpoint holds the original run's weights bit for bit (weights.bin bytes and
// array directory compared, read raw from IndexedDB + OPFS). Oracle for the link: Node's decoder.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeShare, decodeSharedWeights, encodeShare, encodeSharedWeights } from '../../src/engine/share/index.js';
import { GraphBuilder, project } from '../../src/engine/templates/builder.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { SCREENSHOTS } from './page.js';
import { openTab, readStore, waitFor } from './storage-helpers.js';

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});

/** Input [28,28,1] → 7×7 average pool → Flatten (16) → Dense 10 softmax: 170 params, 680 bytes of weights. */
function tinyProject() {
  const g = new GraphBuilder();
  g.chain(g.input('image', [28, 28, 1]), [
    ['pool', 'AveragePooling2D', { poolSize: [7, 7] }],
    ['flatten', 'Flatten', {}],
    ['logits', 'Dense', { units: 10, activation: 'softmax' }],
  ]);
  return project('Tiny MNIST', 'pooled pixels, one dense layer', g.build(), {
    optimizer: { name: 'adam', learningRate: 0.01 }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], batchSize: 32, epochs: 1,
  }, { source: 'builtin', name: 'mnist' });
}

interface Ckpt { id: string; runId: string; projectId: string; kind: string; files: { path: string }[] }
interface Stored { kind: string; weights: number[]; directory: unknown }

/** A checkpoint's raw weights.bin bytes and its state.json array directory, read straight from OPFS. */
function readCheckpoint(page: Page, c: Ckpt): Promise<Stored> {
  return page.evaluate(async (c) => {
    const file = async (path: string) => {
      let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('neuralforge');
      const parts = path.split('/');
      for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p);
      return (await dir.getFileHandle(parts.at(-1)!)).getFile();
    };
    const weights = c.files.find((f) => f.path.endsWith('/weights.bin'))!;
    const state = JSON.parse(await (await file(c.files.find((f) => f.path.endsWith('/state.json'))!.path)).text()) as Record<string, unknown>;
    return { kind: c.kind, weights: Array.from(new Uint8Array(await (await file(weights.path)).arrayBuffer())), directory: (state['arrays'] as { weights: unknown }).weights };
  }, c);
}

async function openShareDialog(page: Page): Promise<{ url: string; weights: { state: string | null; text: string } }> {
  await page.getByTestId('share').click();
  await page.getByTestId('share-dialog').waitFor();
  const w = page.getByTestId('share-weights');
  await w.waitFor({ timeout: 20_000 });
  const out = { url: await page.getByTestId('share-link').inputValue(), weights: { state: await w.getAttribute('data-state'), text: (await w.textContent()) ?? '' } };
  return out;
}

describe('share links with trained weights', () => {
  it('shares a trained tiny model with its weights; the fork stores them bit for bit', async () => {
    const appUrl = inject('appUrl');
    const tiny = encodeShare(tinyProject());
    if (!tiny.ok) throw new Error('tiny project does not fit a link');
    // The author gets the tiny project by forking a link of it, then trains it one epoch.
    const author = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page: a, logs } = await openTab(author, `${appUrl}/${tiny.fragment}`);
    await a.getByTestId('shared-view').waitFor({ timeout: 30_000 });
    expect(await a.getByTestId('shared-weights').count()).toBe(0);
    await a.getByTestId('fork').click();
    await waitFor('the fork in the editor', async () => (await a.getByTestId('project-name').inputValue().catch(() => '')) === 'Tiny MNIST', 30_000);
    const dockTab = a.getByTestId('dock-tab-training');
    if (await dockTab.count()) await dockTab.click();
    await a.getByTestId('backend-picker').selectOption('cpu');
    await a.getByTestId('epochs').fill('1');
    await a.getByTestId('batch-size').fill('32');
    await a.getByTestId('train-samples').fill('512');
    await a.getByTestId('start').click();
    const summary = a.getByTestId('run-summary');
    await summary.waitFor({ timeout: 120_000 });
    expect(await summary.getAttribute('data-run-status'), `${await summary.textContent()}\n${logs.join('\n')}`).toBe('completed');
    const [run] = await waitFor('the completed run', async () => {
      const runs = await readStore<{ id: string; status: string }>(a, 'runs');
      return runs.length === 1 && runs[0]!.status === 'completed' ? runs : null;
    }, 20_000);
    const original = await waitFor('a best or final checkpoint', async () => {
      const cs = (await readStore<Ckpt>(a, 'checkpoints')).filter((c) => c.runId === run!.id);
      return cs.find((c) => c.kind === 'best') ?? cs.find((c) => c.kind === 'final') ?? null;
    }, 20_000);
    const originalStored = await readCheckpoint(a, original);

    // Share: the dialog says the weights are in, and the link carries exactly the checkpoint's bytes.
    const shared = await openShareDialog(a);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await a.getByTestId('share-dialog').screenshot({ path: join(SCREENSHOTS, 'share-weights-included.png') });
    expect(shared.weights).toEqual({ state: 'included', text: expect.stringContaining('Weights included (170 params)') });
    const decoded = decodeShare(new URL(shared.url).hash);
    if (!decoded.ok || !decoded.envelope.weights) throw new Error('the link carries no weights');
    const linkArrays = decodeSharedWeights(decoded.envelope.weights);
    expect(linkArrays.map((w) => [w.name, w.shape])).toEqual([['logits/kernel', [16, 10]], ['logits/bias', [10]]]);
    const linkBytes = linkArrays.flatMap((w) => Array.from(new Uint8Array(w.values.buffer, w.values.byteOffset, w.values.byteLength)));
    expect(linkBytes).toEqual(originalStored.weights);

    // The reader: a fresh context opens the link, sees the weights, forks.
    const reader = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page: r } = await openTab(reader, shared.url);
    await r.getByTestId('shared-view').waitFor({ timeout: 30_000 });
    const note = r.getByTestId('shared-weights');
    expect(await note.getAttribute('data-state')).toBe('ok');
    expect(await note.textContent()).toBe('with trained weights (170 params)');
    await r.screenshot({ path: join(SCREENSHOTS, 'share-weights-opened.png') });
    await r.getByTestId('fork').click();
    await waitFor('the fork in the editor', async () => (await r.getByTestId('project-name').inputValue().catch(() => '')) === 'Tiny MNIST', 30_000);
    const forkRuns = await readStore<{ id: string; status: string; tags: string[] }>(r, 'runs');
    expect(forkRuns.map((x) => [x.status, x.tags])).toEqual([['completed', ['imported']]]);
    const forkCkpts = await readStore<Ckpt>(r, 'checkpoints');
    expect(forkCkpts.map((c) => c.kind)).toEqual(['final']);
    const forkStored = await readCheckpoint(r, forkCkpts[0]!);
    expect(forkStored.weights).toEqual(originalStored.weights);
    expect(forkStored.directory).toEqual(originalStored.directory);
    await author.close();
    await reader.close();
  });

  it('refuses to fork a link whose weights do not fit its graph, and stores nothing', async () => {
    const wrong = encodeSharedWeights([
      { name: 'logits/kernel', shape: [16, 9], dtype: 'float32', values: new Float32Array(144) },
      { name: 'logits/bias', shape: [9], dtype: 'float32', values: new Float32Array(9) },
    ]);
    const link = encodeShare(tinyProject(), { weights: wrong });
    if (!link.ok || link.weightsDropped) throw new Error('the test link did not keep its weights');
    const ctx = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page } = await openTab(ctx, `${inject('appUrl')}/${link.fragment}`);
    await page.getByTestId('shared-view').waitFor({ timeout: 30_000 });
    const note = page.getByTestId('shared-weights');
    expect(await note.getAttribute('data-state')).toBe('bad');
    expect(await note.textContent()).toBe("The link's weights cannot be used: layer logits needs 170 parameters but the link brings 153");
    await page.getByTestId('fork').click();
    const error = page.getByTestId('fork-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('do not fit its graph');
    expect(await page.getByTestId('shared-view').count()).toBe(1);
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).not.toContain('neuralforge');
    await ctx.close();
  });
});
