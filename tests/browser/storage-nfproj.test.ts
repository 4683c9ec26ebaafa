// .nfproj round trip through the page: export downloads a file from one browser profile, and
// importing it into a fresh profile brings the same project (name, edited params, runs) back.
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RUN_A, sampleMetrics, sampleRun } from '../fixtures/storage/sample.js';
import { launchChromium, type LaunchedBrowser } from './chromium.js';
import { showDockTab } from './dock.js';
import { showView } from './views.js';
import { nodeParams, openTab, putRecords, readProjects, readStore, waitFor } from './storage-helpers.js';

let chrome: LaunchedBrowser;
beforeAll(async () => {
  chrome = await launchChromium();
});
afterAll(async () => {
  await chrome?.close();
});

describe('.nfproj export and import', () => {
  it('exports from one profile and imports into a fresh one as the same project', async () => {
    const source = await chrome.browser.newContext({ acceptDownloads: true });
    let bytes: Buffer;
    let exportedId: string;
    try {
      const { page } = await openTab(source, inject('appUrl'));
      const name = page.getByTestId('project-name');
      await expect.poll(() => name.inputValue(), { timeout: 15_000 }).toBe('MLP on MNIST');
      await name.fill('Shared digits model');
      await showDockTab(page, 'layers');
      await page.getByTestId('param-hidden2-units').fill('48');
      const saved = await waitFor('the edits on disk', async () => {
        const [p] = await readProjects(page);
        return p && p.name === 'Shared digits model' && nodeParams(p, 'hidden2')?.['units'] === 48 ? p : null;
      }, 2000);
      exportedId = saved.id;
      // A run needs the architecture version it trained: both written straight into IndexedDB.
      const version = { schema: 1, id: 'v-x', projectId: saved.id, parent: null, message: 'trained', createdAt: saved.updatedAt, graphHash: 'a'.repeat(64), graph: saved.draft.graph, totals: { params: 1, trainableParams: 1, flops: 1 } };
      await putRecords(page, 'versions', [version]);
      await putRecords(page, 'runs', [{ ...sampleRun(RUN_A, { projectId: saved.id as never, versionId: 'v-x' as never, datasetVersion: null }), schema: 2 }]);
      await putRecords(page, 'metrics', sampleMetrics(RUN_A, 'epoch', 3).map((m) => ({ ...m, schema: 1 })));

      await page.getByTestId('show-projects').click();
      await page.getByTestId('project-export').click();
      await page.getByTestId('export-checkpoints').selectOption('none');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
      expect(download.suggestedFilename()).toBe('Shared-digits-model.nfproj');
      bytes = readFileSync((await download.path())!);
    } finally {
      await source.close();
    }

    // Outside check of the file: a zip (fflate, in Node) whose entries carry the project.
    const entries = unzipSync(new Uint8Array(bytes));
    const text = Object.values(entries).map((b) => new TextDecoder().decode(b)).join('\n');
    expect(text).toContain('Shared digits model');

    const target = await chrome.browser.newContext();
    try {
      const { page, logs } = await openTab(target, inject('appUrl'));
      const name = page.getByTestId('project-name');
      await expect.poll(() => name.inputValue(), { timeout: 15_000 }).toBe('MLP on MNIST');
      await page.getByTestId('show-projects').click();
      await page.getByTestId('import-nfproj').setInputFiles({ name: 'Shared-digits-model.nfproj', mimeType: 'application/zip', buffer: bytes });
      const listError = page.getByTestId('project-list-error');
      await waitFor('the imported project to open', async () => (await name.inputValue()) === 'Shared digits model' || (await listError.count()) > 0);
      expect(await listError.count(), (await listError.allTextContents()).join()).toBe(0);
      expect(await name.inputValue()).toBe('Shared digits model');
      expect(await page.getByTestId('project-row').count()).toBe(2);
      await showDockTab(page, 'layers'); // the layer table is the editor's
      expect(await page.getByTestId('param-hidden2-units').inputValue()).toBe('48');
      await showView(page, 'projects');

      const projects = await readProjects(page);
      const imported = projects.find((p) => p.name === 'Shared digits model')!;
      expect(imported.id, 'an import gets a fresh id').not.toBe(exportedId);
      expect(nodeParams(imported, 'hidden2')).toEqual({ units: 48, activation: 'relu' });
      const runs = await readStore<{ projectId: string; finalMetrics: Record<string, number> }>(page, 'runs');
      expect(runs.map((r) => [r.projectId, r.finalMetrics])).toEqual([[imported.id, { loss: 0.25, accuracy: 0.9 }]]);
      expect(logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);

      // The list renames the open project and deletes another one (after asking).
      const row = (text: string) => page.locator('[data-testid=project-row]', { hasText: text });
      await row('Shared digits model').getByTestId('project-rename').click();
      await page.getByTestId('rename-input').fill('Renamed import');
      await page.getByTestId('rename-input').press('Enter');
      await expect.poll(() => name.inputValue()).toBe('Renamed import');
      await waitFor('the rename on disk', async () => (await readProjects(page)).some((p) => p.id === imported.id && p.name === 'Renamed import'), 2000);
      await row('MLP on MNIST').getByTestId('project-delete').click();
      await row('MLP on MNIST').getByTestId('project-delete-confirm').click();
      await row('MLP on MNIST').waitFor({ state: 'detached' });
      expect((await readProjects(page)).map((p) => p.name)).toEqual(['Renamed import']);

      // A damaged file is refused with a message naming the problem, and nothing is added.
      await page.getByTestId('import-nfproj').setInputFiles({ name: 'broken.nfproj', mimeType: 'application/zip', buffer: bytes.subarray(0, bytes.length - 30) });
      await page.getByTestId('project-list-error').waitFor();
      expect(await page.getByTestId('project-list-error').textContent()).toContain('This project file cannot be imported');
      expect((await readProjects(page)).length).toBe(1);
    } finally {
      await target.close();
    }
  });
});
