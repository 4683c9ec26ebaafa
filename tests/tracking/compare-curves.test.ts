// The Compare panel's curve reader over fake-indexeddb: a resumed run's curve starts with the run
// it continues (cut at the checkpoint), long series are read in pages and cut to the point budget
// with their extremes, times become seconds since the start, and a vanished parent is reported.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearCurveCache, POINTS_PER_RUN, runCurves } from '../../src/editor/compare/curve-cache.js';
import { loadSides } from '../../src/editor/compare/diff-sides.js';
import { runLabels } from '../../src/editor/compare/run-labels.js';
import { diffRuns } from '../../src/engine/tracking/run-diff.js';
import { openStorageDb } from '../../src/storage/db/index.js';
import type { MetricPoint, RunId, StorageDb } from '../../src/storage/types.js';
import { resumedFromTag } from '../../src/workers/run-tags.js';
import { RUN_A, RUN_B, sampleDataset, sampleRun, sampleVersion, T0, V1, V2 } from '../fixtures/storage/sample.js';

let db: StorageDb;
beforeEach(async () => {
  clearCurveCache();
  db = await openStorageDb({ indexedDB: new IDBFactory(), name: 'nf' });
});
afterEach(() => db.close());

/** Steps from..to-1 of `runId`: loss = 1000 / (step + 1), one spike, 10 ms apart from `start`. */
const steps = (runId: RunId, from: number, to: number, start: number): MetricPoint[] =>
  Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    return { runId, scope: 'step', index: i, values: { loss: i === 2222 ? 5000 : 1000 / (i + 1), accuracy: i / to }, time: start + (i - from) * 10 };
  });

describe('runCurves', () => {
  it('reads a long run in pages, cut to the budget with its first, last, min and max points', async () => {
    await db.putRun(sampleRun(RUN_A));
    await db.appendMetrics(steps(RUN_A, 0, 5000, T0));
    const c = await runCurves(db, sampleRun(RUN_A));
    const loss = c.step.get('loss')!;
    expect(loss.stored).toBe(5000);
    expect(loss.y.length).toBeLessThanOrEqual(POINTS_PER_RUN);
    expect([loss.index[0], loss.index.at(-1)]).toEqual([0, 4999]);
    expect(Math.max(...loss.y)).toBe(5000); // the spike at step 2222
    expect(Math.min(...loss.y)).toBe(1000 / 5000);
    expect(loss.seconds.at(-1)).toBeCloseTo(49.99, 6);
    expect(c.continues).toEqual([]);
    expect(c.missingParent).toBeNull();
  });

  it("starts a resumed run's curve with the run it continues, up to the checkpoint", async () => {
    const parent = sampleRun(RUN_A);
    const child = sampleRun(RUN_B, { tags: [resumedFromTag({ runId: RUN_A, globalStep: 299, epoch: 1 })] });
    await db.putRun(parent);
    await db.putRun(child);
    await db.appendMetrics([...steps(RUN_A, 0, 500, T0), ...steps(RUN_B, 300, 600, T0 + 60_000)]);
    const loss = (await runCurves(db, child)).step.get('loss')!;
    expect(loss.stored).toBe(600); // 300 of A (0…299) then 300 of B (300…599); A's 300…499 left out
    expect(Array.from(loss.index)).toEqual(Array.from({ length: 600 }, (_, i) => i));
    expect(loss.seconds[300]).toBeCloseTo(60, 6); // B's first point, a minute after A's start
    const c = await runCurves(db, child);
    expect(c.continues).toEqual([RUN_A]);
    // The parent deleted: the curve is B's own, and the panel can say what is missing.
    await db.deleteRun(RUN_A);
    clearCurveCache();
    const alone = await runCurves(db, child);
    expect(alone.missingParent).toBe(RUN_A);
    expect(alone.step.get('loss')!.stored).toBe(300);
  });

  it('caches a finished run and reads a running one again once it has more epochs', async () => {
    await db.putRun(sampleRun(RUN_A));
    await db.appendMetrics(steps(RUN_A, 0, 10, T0));
    const first = runCurves(db, sampleRun(RUN_A));
    expect(runCurves(db, sampleRun(RUN_A))).toBe(first);
    expect(runCurves(db, sampleRun(RUN_A, { epochs: 4 }))).not.toBe(first);
  });
});

describe('loadSides', () => {
  it('reads both versions and the kept dataset; a version gone leaves an empty graph to say so', async () => {
    await db.putVersion(sampleVersion(V1, null, 32));
    await db.putVersion(sampleVersion(V2, V1, 64));
    await db.putDataset(sampleDataset());
    const a = sampleRun(RUN_A);
    const b = sampleRun(RUN_B, { config: { ...a.config, optimizer: { name: 'adam', learningRate: 0.001 } } });
    const [sa, sb] = await loadSides(db, a, b);
    expect([sa.version?.id, sb.version?.id]).toEqual([V1, V2]);
    expect(sa.side.dataset).toEqual({ name: 'iris.csv', version: 'c'.repeat(64), source: 'file', splits: { train: 120, validation: 15, test: 15 } });
    const d = diffRuns(sa.side, sb.side);
    expect(d.hyperparameters).toEqual([{ path: 'optimizer.learningRate', before: 0.01, after: 0.001 }]);
    expect(d.architecture.nodes.map((n) => n.change)).toEqual(['changed']); // 32 → 64 units
    const gone = await loadSides(db, sampleRun(RUN_A, { versionId: 'ver-deleted' as never }), b);
    expect(gone[0].version).toBeNull();
    expect(gone[0].side.graph).toEqual({ nodes: [], edges: [] });
  });
});

describe('runLabels', () => {
  it('names a run by its name, else short id and the settings that vary', () => {
    const a = sampleRun(RUN_A);
    const b = sampleRun('b7c1d2e3-0000' as RunId, { config: { ...a.config, optimizer: { name: 'adam', learningRate: 0.001 } } });
    const c = sampleRun(RUN_B, { name: 'my best', config: { ...a.config, optimizer: { name: 'adam', learningRate: 0.1 } } });
    expect([...runLabels([a, b, c]).values()]).toEqual(['runa · learningRate 0.01', 'b7c1d2 · learningRate 1e-3', 'my best']);
  });
});
