// A full disk, for real in Chromium: an init script makes IndexedDB writes fail the way each
// browser reports a full quota; an edit then shows the clear message, the stored record stays
// the last good one (also after a reload), and the storage panel frees space item by item.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RUN_A, sampleCheckpoint, sampleDataset, sampleMetrics, sampleRun } from '../fixtures/storage/sample.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { screenshot } from './page.js';
import { openTab, putRecords, readProjects, readStore, waitFor } from './storage-helpers.js';

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});

const VARIANTS = ['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED', 'code-22', 'transaction-abort'] as const;
type Variant = (typeof VARIANTS)[number];

declare global {
  interface Window {
    __nfQuota?: Variant;
  }
}

/** Installed before the app's code: while `window.__nfQuota` names a variant, every put fails that way. */
function installQuotaFaults(): void {
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    switch (window.__nfQuota) {
      case undefined:
        return put.apply(this, args);
      case 'QuotaExceededError': // Chromium, Safari, current Firefox
        throw new DOMException('The current transaction exceeded its quota limitations.', 'QuotaExceededError');
      case 'NS_ERROR_DOM_QUOTA_REACHED': // older Firefox
        throw new DOMException('Persistent storage maximum size reached', 'NS_ERROR_DOM_QUOTA_REACHED');
      case 'code-22': // old WebKit: only the legacy numeric code says what happened
        throw Object.assign(new Error('QUOTA_EXCEEDED_ERR: DOM Exception 22'), { code: 22 });
      case 'transaction-abort': {
        // The request is accepted; the transaction then aborts, and its error is the quota error.
        const request = put.apply(this, args);
        const tx = this.transaction;
        Object.defineProperty(tx, 'error', { configurable: true, get: () => new DOMException('Quota exceeded while committing.', 'QuotaExceededError') });
        tx.abort();
        return request;
      }
    }
  };
}

const setFault = (page: Page, v: Variant | null) => page.evaluate((x) => (window.__nfQuota = x ?? undefined), v);
const storedName = async (page: Page) => (await readProjects(page))[0]?.name;

/** Files in the app's OPFS folder, by path. */
function opfsFiles(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const out: Record<string, number> = {};
    const walk = async (dir: FileSystemDirectoryHandle, at: string): Promise<void> => {
      for await (const [name, h] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
        if (h.kind === 'directory') await walk(h as FileSystemDirectoryHandle, `${at}${name}/`);
        else out[`${at}${name}`] = (await (h as FileSystemFileHandle).getFile()).size;
      }
    };
    const root = await navigator.storage.getDirectory();
    await walk(await root.getDirectoryHandle('neuralforge', { create: true }), '');
    return out;
  });
}

function writeOpfs(page: Page, path: string, size: number): Promise<void> {
  return page.evaluate(
    async ({ path, size }) => {
      let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('neuralforge', { create: true });
      const parts = path.split('/');
      for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p, { create: true });
      const w = await (await dir.getFileHandle(parts.at(-1)!, { create: true })).createWritable();
      await w.write(new Uint8Array(size).fill(7));
      await w.close();
    },
    { path, size },
  );
}

describe('quota exceeded', () => {
  it('for every browser\'s variant: says what failed, keeps the last good record, and it survives a reload', async () => {
    const context = await chrome.browser.newContext({ viewport: { width: 1200, height: 900 } });
    await context.addInitScript(installQuotaFaults);
    try {
      const { page, logs } = await openTab(context, inject('appUrl'));
      const name = page.getByTestId('project-name');
      await expect.poll(() => name.inputValue(), { timeout: 15_000 }).toBe('MLP on MNIST');
      const banner = page.getByTestId('quota-banner');

      for (const variant of VARIANTS) {
        await name.fill(`good before ${variant}`);
        await waitFor(`the good edit (${variant})`, async () => (await storedName(page)) === `good before ${variant}`, 2000);

        await setFault(page, variant);
        await name.fill(`lost to ${variant}`);
        await banner.waitFor({ timeout: 3000 });
        const text = await banner.textContent();
        expect(text, `${variant}\n${logs.join('\n')}`).toContain('Storage is full: your last change was not saved.');
        expect(text).toContain(`Not enough storage to save your latest changes to "good before ${variant}"`);
        expect(text).toContain('Nothing already saved was lost. Free space by deleting runs, checkpoints or datasets');
        expect(await page.getByTestId('save-status').getAttribute('data-state')).toBe('error');
        expect(await storedName(page), variant).toBe(`good before ${variant}`);
        if (variant === 'QuotaExceededError') await screenshot(page, 'storage-quota-banner');

        await page.reload(); // the init script runs again; the fault flag is gone with the old document
        await expect.poll(() => name.inputValue(), { timeout: 15_000 }).toBe(`good before ${variant}`);
        expect(await banner.count()).toBe(0);
      }

      // "Try again now" after space was freed saves the pending edit.
      await setFault(page, 'QuotaExceededError');
      await name.fill('kept until there was room');
      await banner.waitFor();
      await setFault(page, null);
      await banner.getByRole('button', { name: 'Try again now' }).click();
      await banner.waitFor({ state: 'detached' });
      expect(await storedName(page)).toBe('kept until there was room');
    } finally {
      await context.close();
    }
  });

  it('the storage panel lists runs, checkpoints and datasets with their sizes, and deleting one frees it', async () => {
    const context = await chrome.browser.newContext({ viewport: { width: 1200, height: 900 } });
    try {
      const { page } = await openTab(context, inject('appUrl'));
      await expect.poll(() => page.getByTestId('project-name').inputValue(), { timeout: 15_000 }).toBe('MLP on MNIST');
      const projectId = (await readProjects(page))[0]!.id as never;
      const ckptPath = `checkpoints/${RUN_A}/ckpt-1/weights.bin`;
      const dataset = sampleDataset({ bytes: 200_000 });
      const chunkPath = `datasets/chunks/${dataset.chunks[0]}`;
      await writeOpfs(page, ckptPath, 300_000);
      await writeOpfs(page, chunkPath, 200_000);
      await putRecords(page, 'runs', [{ ...sampleRun(RUN_A, { projectId }), schema: 2 }]);
      await putRecords(page, 'metrics', sampleMetrics(RUN_A, 'step', 50).map((m) => ({ ...m, schema: 1 })));
      await putRecords(page, 'checkpoints', [{ ...sampleCheckpoint('ckpt-1', RUN_A, { projectId, files: [{ path: ckptPath, bytes: 300_000, sha256: 'e'.repeat(64) }], bytes: 300_000 }), schema: 1 }]);
      await putRecords(page, 'datasets', [{ ...dataset, schema: 1 }]);

      await page.getByTestId('show-storage').click();
      const item = (kind: string) => page.locator(`[data-testid=storage-item][data-kind=${kind}]`);
      await item('checkpoint').waitFor();
      expect(Number(await item('checkpoint').getAttribute('data-bytes'))).toBe(300_000); // measured in OPFS
      expect(await item('checkpoint').textContent()).toContain('293.0 KiB');
      expect(Number(await item('dataset').getAttribute('data-bytes'))).toBe(200_000);
      expect(Number(await item('run').getAttribute('data-bytes'))).toBeGreaterThan(50 * 60); // record + 50 metric points
      await screenshot(page, 'storage-panel-items');

      await item('checkpoint').getByTestId('delete-item').click();
      await item('checkpoint').waitFor({ state: 'detached' });
      expect(await opfsFiles(page)).not.toHaveProperty(ckptPath);
      expect(await readStore(page, 'checkpoints')).toEqual([]);

      await item('dataset').getByTestId('delete-item').click();
      await item('dataset').waitFor({ state: 'detached' });
      expect(await opfsFiles(page)).not.toHaveProperty(chunkPath);
      expect(await readStore(page, 'datasets')).toEqual([]);

      await item('run').getByTestId('delete-item').click();
      await item('run').waitFor({ state: 'detached' });
      expect(await readStore(page, 'runs')).toEqual([]);
      expect(await readStore(page, 'metrics')).toEqual([]);
      await page.getByTestId('storage-empty').waitFor();
    } finally {
      await context.close();
    }
  });
});
