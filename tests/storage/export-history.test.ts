// The export history over the real IndexedDB layer (fake-indexeddb): entries written, listed
// newest first per project, read back with the full validation report (NaN diffs and a
// provider's error included), deleted; what lands in the raw object store is read with the
// plain IndexedDB API as the oracle; records from other writers (a bare report, garbage) still
// list; an export names the architecture version whose graph it computes.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { ValidationReport } from '../../src/engine/export/types.js';
import { findTemplate } from '../../src/engine/templates/index.js';
import { openStorageDb } from '../../src/storage/db/index.js';
import { deleteExportEntry, listExportHistory, readExportDetails, recordExport, versionOfGraph, type ExportedWeights } from '../../src/storage/export-history.js';
import { newProjectRecord } from '../../src/storage/session.js';
import type { CheckpointId, ExportId, ProjectId, RunId, VersionId } from '../../src/storage/types.js';
import { saveVersion } from '../../src/storage/versioning.js';

const REPORT: ValidationReport = {
  samples: 8,
  tolerance: 1e-4,
  passed: true,
  runtimes: [
    { runtime: 'onnxruntime-web/wasm', maxAbsDiff: 2.384185791015625e-7, meanAbsDiff: 3.1e-8, latencyMs: 1.25 },
    { runtime: 'onnxruntime-web/webgpu', maxAbsDiff: Number.NaN, meanAbsDiff: Number.NaN, latencyMs: Number.NaN, error: 'no WebGPU adapter' },
  ],
};
const CHECKPOINT: ExportedWeights = { kind: 'checkpoint', checkpointId: 'c-1' as CheckpointId, runId: 'r-1' as RunId, checkpointKind: 'best', epoch: 3, imported: false };

async function fresh() {
  const factory = new IDBFactory();
  return { factory, db: await openStorageDb({ indexedDB: factory }) };
}

/** Every record of the exports store, read with plain IndexedDB (not through the app's layer). */
function rawExports(factory: IDBFactory): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const open = factory.open('neuralforge');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction('exports', 'readonly').objectStore('exports').getAll();
      req.onsuccess = () => (open.result.close(), resolve(req.result as Record<string, unknown>[]));
      req.onerror = () => reject(req.error);
    };
  });
}

describe('export history', () => {
  it('records exports, lists them newest first per project with the full report, and deletes one', async () => {
    const { factory, db } = await fresh();
    const p1 = 'p-1' as ProjectId;
    const p2 = 'p-2' as ProjectId;
    const a = await recordExport(db, { projectId: p1, format: 'onnx', versionId: 'v-1' as VersionId, weights: CHECKPOINT, validation: REPORT, bytes: 12345, fileName: 'model.onnx', now: 1000 });
    const b = await recordExport(db, { projectId: p1, format: 'pytorch', versionId: null, weights: { kind: 'initial' }, validation: null, bytes: 999, fileName: 'mlp-pytorch.zip', now: 2000 });
    await recordExport(db, { projectId: p2, format: 'tfjs', versionId: null, weights: { kind: 'supplied' }, validation: null, bytes: 5, fileName: 'x.zip', now: 1500 });

    const list = await listExportHistory(db, p1);
    expect(list.map((e) => e.record.id)).toEqual([b.id, a.id]);
    const onnx = list[1]!;
    expect(onnx.record).toMatchObject({ projectId: p1, runId: 'r-1', versionId: 'v-1', format: 'onnx', bytes: 12345, fileName: 'model.onnx', createdAt: 1000 });
    expect(onnx.details.weights).toEqual(CHECKPOINT);
    // The report comes back whole: NaN diffs and the provider's reason included.
    expect(onnx.details.validation).toEqual(REPORT);
    expect(Number.isNaN(onnx.details.validation!.runtimes[1]!.maxAbsDiff)).toBe(true);
    expect(list[0]!.details).toEqual({ validation: null, weights: { kind: 'initial' } });
    expect(list[0]!.record.runId).toBeNull();

    // What is on disk: one record per export, the envelope in `report`, no file bytes anywhere.
    const raw = await rawExports(factory);
    expect(raw).toHaveLength(3);
    const stored = raw.find((r) => r['id'] === a.id)!;
    expect(Object.keys(stored).sort()).toEqual(['bytes', 'createdAt', 'fileName', 'format', 'id', 'projectId', 'report', 'runId', 'schema', 'versionId']);
    expect((stored['report'] as { weights: unknown }).weights).toEqual(CHECKPOINT);

    await deleteExportEntry(db, a.id);
    expect((await listExportHistory(db, p1)).map((e) => e.record.id)).toEqual([b.id]);
    expect((await listExportHistory(db, p2))).toHaveLength(1);
    expect(await rawExports(factory)).toHaveLength(2);
    db.close();
  });

  it('lists records written elsewhere: a bare validation report, and a report it cannot read', async () => {
    const { db } = await fresh();
    const p = 'p' as ProjectId;
    const base = { projectId: p, runId: null, versionId: null, format: 'onnx', bytes: 1, fileName: 'm.onnx' };
    await db.putExport({ ...base, id: 'bare' as ExportId, createdAt: 2, report: REPORT });
    await db.putExport({ ...base, id: 'junk' as ExportId, createdAt: 1, report: { passed: 'yes', weights: { kind: 'stolen' } } });
    const [bare, junk] = await listExportHistory(db, p);
    expect(bare!.details).toEqual({ validation: REPORT, weights: null });
    expect(junk!.details).toEqual({ validation: null, weights: null });
    expect(readExportDetails(undefined)).toEqual({ validation: null, weights: null });
    db.close();
  });

  it("names the saved architecture version whose graph the export computes; moving a node keeps it, a parameter change does not", async () => {
    const { db } = await fresh();
    const project = findTemplate('mlp')!.project();
    const record = newProjectRecord(project, null);
    await db.putProject(record);
    const v = await saveVersion(db, record, project.graph, { params: 1, trainableParams: 1, flops: 1 }, 'first');
    const moved = { ...project.graph, nodes: project.graph.nodes.map((n) => ({ ...n, position: { x: 500, y: 7 } })) };
    expect(await versionOfGraph(db, record.id, moved)).toBe(v!.id);
    const dense = project.graph.nodes.find((n) => n.kind === 'Dense')!;
    const changed = { ...project.graph, nodes: project.graph.nodes.map((n) => (n.id === dense.id ? { ...n, params: { ...n.params, units: 7 } } : n)) };
    expect(await versionOfGraph(db, record.id, changed)).toBeNull();
    expect(await versionOfGraph(db, 'other' as ProjectId, project.graph)).toBeNull();
    db.close();
  });
});
