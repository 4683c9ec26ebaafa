// readMetricsPage over fake-indexeddb: pages of one series, in index order, that join back into
// exactly what readMetrics returns, and clear errors for a bad page request.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorageDb } from '../../src/storage/db/index.js';
import type { MetricPoint, RunId, StorageDb } from '../../src/storage/types.js';
import { RUN_A, RUN_B, sampleMetrics } from '../fixtures/storage/sample.js';

let db: StorageDb;
beforeEach(async () => {
  db = await openStorageDb({ indexedDB: new IDBFactory(), name: 'nf' });
});
afterEach(() => db.close());

describe('readMetricsPage', () => {
  it('reads a series page by page; the pages join into readMetrics', async () => {
    await db.appendMetrics([...sampleMetrics(RUN_A, 'step', 23), ...sampleMetrics(RUN_A, 'epoch', 3), ...sampleMetrics(RUN_B, 'step', 4)]);
    const pages: (readonly MetricPoint[])[] = [];
    for (let from = 0; ; ) {
      const page = await db.readMetricsPage(RUN_A, 'step', from, 10);
      if (page.length === 0) break;
      pages.push(page);
      from = page.at(-1)!.index + 1;
    }
    expect(pages.map((p) => p.length)).toEqual([10, 10, 3]);
    expect(pages.flat()).toEqual(await db.readMetrics(RUN_A, 'step'));
    expect((await db.readMetricsPage(RUN_A, 'step', 20.5, 10)).map((p) => p.index)).toEqual([21, 22]);
    expect((await db.readMetricsPage(RUN_A, 'epoch', 0, 2)).map((p) => p.index)).toEqual([1, 2]);
    expect(await db.readMetricsPage('run-none' as RunId, 'step', 0, 5)).toEqual([]);
  });

  it('refuses a page size that is not a positive integer, and a NaN start', () => {
    expect(() => db.readMetricsPage(RUN_A, 'step', 0, 0)).toThrow(/page size must be a positive integer; got 0/);
    expect(() => db.readMetricsPage(RUN_A, 'step', Number.NaN, 5)).toThrow(/page start must be a number/);
  });
});
