// .nfproj export and import over the real IndexedDB layer (fake-indexeddb) and the memory
// BlobStore: a full round trip (Python's zipfile reads the export independently), fresh ids on
// every import, and refusals that write nothing — zip bomb, traversal, hostile keys,
// truncation, an invalid record, broken references, tampered bytes, a failing transaction.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { findTemplate } from '../../src/engine/templates/index.js';
import { resolveTrainingConfig } from '../../src/engine/train/config.js';
import type { Checkpoint } from '../../src/engine/train/checkpoint.js';
import { openStorageDb } from '../../src/storage/db/index.js';
import { createMemoryBlobStore, type MemoryBlobStore } from '../../src/storage/blobs/memory.js';
import { createCheckpointStore } from '../../src/storage/checkpoints.js';
import { readDatasetBytes, saveDatasetBytes } from '../../src/storage/datasets.js';
import { collectGarbage } from '../../src/storage/gc.js';
import { exportProjectFile, importProjectFile } from '../../src/storage/nfproj.js';
import type { CheckpointId, ProjectId, ProjectRecord, RunId, RunRecord, StorageDb, VersionId } from '../../src/storage/types.js';
import { runPython } from '../helpers/python.js';

const pid = 'proj-1' as ProjectId;
const v1 = 'ver-1' as VersionId;
const v2 = 'ver-2' as VersionId;
const r1 = 'run-1' as RunId;
const r2 = 'run-2' as RunId;
const data = new Uint8Array(10_000).map((_, i) => (Math.imul(i, 2654435761) >>> 13) & 255);

function checkpoint(epoch: number, seed: number): Checkpoint {
  const bits = new Uint32Array(64).map((_, i) => Math.imul(i + seed, 2654435761) >>> 0);
  return {
    format: 'neuralforge-checkpoint', version: 1, reason: 'interval',
    config: resolveTrainingConfig({ loss: 'sparseCategoricalCrossentropy', epochs: 5 }), trainCount: 100,
    position: { epoch, step: 0, microBatch: 0, globalStep: epoch * 4, microStep: epoch * 4 },
    weights: [{ name: 'dense/kernel', shape: [8, 8], dtype: 'float32', values: new Float32Array(bits.buffer) }, { name: 'ids', shape: [2], dtype: 'int32', values: Int32Array.of(-7, 2 ** 31 - 1) }],
    optimizer: { name: 'adam', iterations: epoch * 4, slots: [{ name: 'dense/kernel/m', shape: [64], dtype: 'float32', values: new Float32Array(64).fill(seed) }] },
    partialEpoch: null, earlyStopping: null, bestWeights: null,
    history: [{ epoch, loss: NaN, metrics: {}, valLoss: 0.5, valMetrics: {}, learningRate: 0.001, durationMs: 1 }],
  };
}

const run = (id: RunId, datasetVersion: string | null, resumedFrom: CheckpointId | null): RunRecord => ({
  id, projectId: pid, versionId: v2, datasetVersion: datasetVersion as RunRecord['datasetVersion'], datasetName: 'digits', config: { epochs: 5 }, seed: 1,
  backend: 'cpu', adapter: null, status: 'completed', startedAt: 1000, endedAt: 2000, epochs: 3, finalMetrics: { loss: 0.25, weird: NaN }, tags: ['a'], resumedFrom, error: null,
  name: `run ${id}`, notes: 'kept with the file',
});

/** A project with two versions, two runs (one resumed from the other's checkpoint), metrics, three checkpoints, a dataset. */
async function seeded() {
  const db = await openStorageDb({ indexedDB: new IDBFactory() });
  const blobs = createMemoryBlobStore();
  const store = createCheckpointStore(db, blobs);
  const ds = await saveDatasetBytes(db, blobs, { name: 'digits', source: { source: 'file', path: 'digits.csv' }, format: 'csv', columns: [], classes: ['a', 'b'], splits: { train: 8, validation: 1, test: 1 } }, data, 4096);
  const draft = findTemplate('mlp')!.project();
  const project: ProjectRecord = { id: pid, name: 'Digits', description: 'd', task: 'classification', tags: [], createdAt: 1, updatedAt: 2, draft, headVersion: v2, ui: { selectedRunId: r1, selectedNodeIds: [] } };
  await db.putProject(project);
  const totals = { params: 10, trainableParams: 10, flops: 20 };
  await db.putVersion({ id: v1, projectId: pid, parent: null, message: 'first', createdAt: 1, graphHash: 'a'.repeat(64), graph: draft.graph, totals });
  await db.putVersion({ id: v2, projectId: pid, parent: v1, message: 'second', createdAt: 2, graphHash: 'b'.repeat(64), graph: draft.graph, totals });
  await db.putRun(run(r1, ds.version, null));
  const periodic = await store.save({ runId: r1, projectId: pid, kind: 'periodic' }, checkpoint(1, 1));
  const best = await store.save({ runId: r1, projectId: pid, kind: 'best', metric: { name: 'valLoss', value: 0.5 } }, checkpoint(2, 2));
  await db.putRun(run(r2, null, best.id));
  const final = await store.save({ runId: r2, projectId: pid, kind: 'final' }, checkpoint(3, 3));
  await db.appendMetrics([1, 2, 3].map((e) => ({ runId: r1, scope: 'epoch' as const, index: e, values: { loss: 1 / e, valLoss: e === 2 ? NaN : 0.5 }, time: e })));
  await db.appendMetrics([{ runId: r1, scope: 'step', index: 7, values: { loss: Infinity }, time: 9 }]);
  return { db, blobs, store, ds, periodic, best, final };
}

async function emptyStore() {
  return { db: await openStorageDb({ indexedDB: new IDBFactory() }), blobs: createMemoryBlobStore() };
}

/** Everything a store holds, to show that a refused import changed nothing. */
async function contents(db: StorageDb, blobs: MemoryBlobStore) {
  return { projects: (await db.listProjects()).map((p) => p.id), datasets: (await db.listDatasets()).length, checkpoints: (await db.allCheckpoints()).length, files: [...blobs.snapshot().keys()] };
}

/** Rebuilds a zip after `edit` changes its entries (a hand-made hostile or damaged file). */
function rezip(bytes: Uint8Array, edit: (e: Record<string, Uint8Array>) => void): Uint8Array {
  const entries = unzipSync(bytes);
  edit(entries);
  return zipSync(entries);
}
const text = (s: string) => new TextEncoder().encode(s);
const readJson = (e: Record<string, Uint8Array>, name: string) => JSON.parse(new TextDecoder().decode(e[name])) as Record<string, unknown> & unknown[];

describe('.nfproj round trip', () => {
  it('exports a zip Python reads, and imports it into a fresh store as the same project under new ids', async () => {
    const src = await seeded();
    const file = await exportProjectFile(src.db, src.blobs, pid, { checkpoints: 'all', datasets: true, now: () => 42 });

    // Outside oracle: Python's zipfile checks every CRC and recomputes the checkpoint hashes.
    const dir = mkdtempSync(join(tmpdir(), 'nf-proj-'));
    writeFileSync(join(dir, 'p.nfproj'), file);
    const py = runPython(
      `import zipfile, json, hashlib, sys
z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
m = json.loads(z.read('manifest.json'))
ok = all(hashlib.sha256(z.read('checkpoints/%s/%s' % (c, f['path'].split('/')[-1]))).hexdigest() == f['sha256']
         for c in [n.split('/')[1] for n in z.namelist() if n.endswith('/manifest.json')]
         for f in json.loads(z.read('checkpoints/%s/manifest.json' % c))['files'])
print(json.dumps({'first': z.namelist()[0], 'counts': m['counts'], 'format': m['format'], 'hashes': ok}))`,
      [join(dir, 'p.nfproj')],
    );
    expect(py.code, py.stderr).toBe(0);
    expect(JSON.parse(py.stdout)).toEqual({ first: 'manifest.json', format: 'neuralforge-projfile', hashes: true, counts: { versions: 2, runs: 2, metricPoints: 4, checkpoints: 3, datasets: 1, chunks: 3 } });

    const dst = await emptyStore();
    const { projectId, counts } = await importProjectFile(dst.db, dst.blobs, file);
    expect(counts).toEqual({ versions: 2, runs: 2, metricPoints: 4, checkpoints: 3, datasets: 1, chunks: 3 });
    expect(projectId).not.toBe(pid);
    const project = (await dst.db.getProject(projectId))!;
    const versions = await dst.db.listVersions(projectId);
    const runs = await dst.db.listRuns(projectId);
    const byMsg = Object.fromEntries(versions.map((v) => [v.message, v]));
    const runA = runs.find((r) => r.resumedFrom === null)!;
    const runB = runs.find((r) => r.resumedFrom !== null)!;
    const orig = (await src.db.getProject(pid))!;
    expect({ ...project, id: 0, headVersion: 0, ui: 0, schema: 0 }).toEqual({ ...orig, id: 0, headVersion: 0, ui: 0, schema: 0 });
    expect(project.headVersion).toBe(byMsg['second']!.id);
    expect(byMsg['second']!.parent).toBe(byMsg['first']!.id);
    expect(project.ui.selectedRunId).toBe(runA.id);
    expect(runs.every((r) => r.versionId === byMsg['second']!.id)).toBe(true);
    expect({ ...runA, id: 0, projectId: 0, versionId: 0, schema: 0 }).toEqual({ ...(await src.db.getRun(r1))!, id: 0, projectId: 0, versionId: 0, schema: 0 });
    expect(await dst.db.readMetrics(runA.id, 'epoch')).toEqual((await src.db.readMetrics(r1, 'epoch')).map((p) => ({ ...p, runId: runA.id })));
    expect((await dst.db.readMetrics(runA.id, 'step'))[0]!.values['loss']).toBe(Infinity);

    // Checkpoints load bit-exactly from their new places; the resumed run points at the imported best.
    const dstStore = createCheckpointStore(dst.db, dst.blobs);
    const bestHere = (await dstStore.list(runA.id)).find((c) => c.kind === 'best')!;
    expect(runB.resumedFrom).toBe(bestHere.id);
    const bits = (c: Checkpoint) => c.weights.map((w) => Array.from(new Uint32Array(w.values.buffer)));
    expect(bits(await dstStore.load(bestHere.id))).toEqual(bits(await src.store.load(src.best.id)));
    expect(bestHere.files[0]!.path).toBe(`checkpoints/${runA.id}/${bestHere.id}/weights.bin`);
    const [ds] = await dst.db.listDatasets();
    expect(await readDatasetBytes(dst.db, dst.blobs, ds!.id)).toEqual(data);
    expect(ds!.version).toBe(src.ds.version);
    // Nothing the import wrote is garbage.
    expect((await collectGarbage(dst.db, dst.blobs)).removedFiles).toEqual([]);
  });

  it('importing twice gives two projects and shares the dataset already on the device', async () => {
    const src = await seeded();
    const file = await exportProjectFile(src.db, src.blobs, pid, { checkpoints: 'best', datasets: true });
    const a = await importProjectFile(src.db, src.blobs, file);
    const b = await importProjectFile(src.db, src.blobs, file);
    expect(new Set([pid, a.projectId, b.projectId]).size).toBe(3);
    expect(await src.db.listDatasets()).toHaveLength(1);
    expect(a.counts.checkpoints).toBe(2); // run-1's best, and run-2's newest (it has no best)
    expect((await src.db.listRuns(b.projectId)).find((r) => r.resumedFrom !== null)).toBeDefined();
  });

  it('exports only what was asked: no checkpoints (dropping resumedFrom), listed ids, unknown ids refused', async () => {
    const src = await seeded();
    const none = unzipSync(await exportProjectFile(src.db, src.blobs, pid, { checkpoints: 'none', datasets: false }));
    expect(Object.keys(none).sort()).toEqual(['manifest.json', 'metrics/run-1.json', 'metrics/run-2.json', 'project.json', 'runs.json', 'versions.json']);
    expect((readJson(none, 'runs.json') as { resumedFrom: unknown }[]).map((r) => r.resumedFrom)).toEqual([null, null]);
    const listed = unzipSync(await exportProjectFile(src.db, src.blobs, pid, { checkpoints: [src.final.id], datasets: false }));
    expect(Object.keys(listed).filter((n) => n.startsWith('checkpoints/')).sort()).toEqual(['manifest.json', 'optimizer.bin', 'state.json', 'weights.bin'].map((n) => `checkpoints/${src.final.id}/${n}`));
    await expect(exportProjectFile(src.db, src.blobs, pid, { checkpoints: ['nope' as CheckpointId], datasets: false })).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('.nfproj import refuses, writing nothing', () => {
  const attempt = async (file: Uint8Array, caps?: Parameters<typeof importProjectFile>[3]) => {
    const dst = await seeded(); // a store with content, so "unchanged" means something
    const before = await contents(dst.db, dst.blobs);
    const t0 = performance.now();
    const error = await importProjectFile(dst.db, dst.blobs, file, caps).then(() => null, (e: unknown) => e as Error & { code: string });
    const ms = performance.now() - t0;
    expect(await contents(dst.db, dst.blobs)).toEqual(before);
    return { error: error!, ms };
  };
  const good = async () => {
    const s = await seeded();
    return exportProjectFile(s.db, s.blobs, pid, { checkpoints: 'all', datasets: true });
  };

  it('a zip bomb: refused as soon as the real inflated bytes pass the cap, even when the header lies', async () => {
    const bomb = zipSync({ 'manifest.json': unzipSync(await good())['manifest.json']!, ['datasets/chunks/' + 'c'.repeat(64)]: new Uint8Array(64 << 20) });
    expect(bomb.length).toBeLessThan(200_000);
    const { error, ms } = await attempt(bomb, { caps: { maxTotalBytes: 8 << 20 } });
    expect(error.message).toMatch(/^This project file cannot be imported: entry "datasets\/chunks\/c{64}": the zip inflates to more than 8.0 MiB \(the limit\); refusing the file$/);
    expect(ms).toBeLessThan(3000);
    console.log(`zip bomb (64 MiB in ${bomb.length} bytes) refused in ${ms.toFixed(0)} ms`);
    // Proof that reading stopped at the cap: garbage two-thirds into the deflate stream is
    // reported as corruption without a cap, and never reached with one.
    const spoiled = bomb.slice();
    spoiled.fill(0xff, 40_000, 40_100);
    expect((await attempt(spoiled)).error.message).toMatch(/entry "datasets\/chunks\/c{64}": is corrupt/);
    expect((await attempt(spoiled, { caps: { maxTotalBytes: 8 << 20 } })).error.message).toMatch(/inflates to more than 8.0 MiB \(the limit\)/);
    // The same entry with its declared size rewritten to 10 bytes: the count is of real bytes.
    const liar = bomb.slice();
    const v = new DataView(liar.buffer);
    let patched = 0;
    for (let at = 0; at < liar.length - 28; at++) {
      const sig = v.getUint32(at, true);
      const field = sig === 0x04034b50 ? at + 22 : sig === 0x02014b50 ? at + 24 : -1; // uncompressed size
      if (field > 0 && v.getUint32(field, true) === 64 << 20) (v.setUint32(field, 10, true), patched++);
    }
    expect(patched).toBe(2);
    expect((await attempt(liar, { caps: { maxEntryBytes: 1 << 20 } })).error.message).toMatch(/inflates to more than 1.0 MiB \(the per-entry limit\)/);
  });

  it('an entry named ../../x', async () => {
    const file = rezip(await good(), (e) => (e['../../x'] = text('boo')));
    expect((await attempt(file)).error.message).toBe('This project file cannot be imported: entry "../../x": its name points outside the archive ("../"); refusing the whole file');
  });

  it('a __proto__ key in project.json (and Object.prototype stays clean)', async () => {
    const file = rezip(await good(), (e) => {
      const p = new TextDecoder().decode(e['project.json']);
      e['project.json'] = text(p.replace('"ui":{', '"ui":{"__proto__":{"polluted":true},'));
    });
    const { error } = await attempt(file);
    expect(error.message).toBe('This project file cannot be imported: entry "project.json" at ui.__proto__: the key "__proto__" is not allowed');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a truncated zip', async () => {
    const file = await good();
    expect((await attempt(file.subarray(0, Math.floor(file.length * 0.6)))).error.message).toMatch(/truncated/);
    expect((await attempt(new Uint8Array(0))).error.message).toMatch(/not a zip file/);
  });

  it('a record failing validation in the middle names the entry and field', async () => {
    const file = rezip(await good(), (e) => {
      const runs = readJson(e, 'runs.json') as Record<string, unknown>[];
      runs[1]!['status'] = 'exploded';
      e['runs.json'] = text(JSON.stringify(runs));
    });
    expect((await attempt(file)).error.message).toMatch(/^This project file cannot be imported: entry "runs.json" at \[1\]\.status: Invalid option/);
  });

  it('broken references, tampered bytes, wrong counts and unknown entries', async () => {
    const base = await good();
    const cases: [(e: Record<string, Uint8Array>) => void, string][] = [
      [(e) => { const r = readJson(e, 'runs.json') as Record<string, unknown>[]; r[0]!['versionId'] = 'ver-9'; e['runs.json'] = text(JSON.stringify(r)); }, 'entry "runs.json" at [0].versionId: its version "ver-9" is not in versions.json'],
      [(e) => { const n = Object.keys(e).find((k) => k.endsWith('weights.bin'))!; e[n]![3]! ^= 1; }, 'does not match the checkpoint manifest (size or SHA-256 differs): it is damaged'],
      [(e) => { const n = Object.keys(e).find((k) => k.startsWith('datasets/chunks/'))!; e[n]![0]! ^= 1; }, 'does not match its name (its SHA-256 differs): the chunk is damaged'],
      [(e) => { const m = readJson(e, 'manifest.json'); (m['counts'] as Record<string, number>)['runs'] = 3; e['manifest.json'] = text(JSON.stringify(m)); }, 'entry "manifest.json" at counts.runs: says 3 but the file has 2'],
      [(e) => (e['notes.txt'] = text('hi')), 'entry "notes.txt": has no place in a NeuralForge project file'],
      [(e) => {
        // A state.json whose array directory points past its file, re-hashed so only the layout check can catch it.
        const id = Object.keys(e).find((k) => k.endsWith('/state.json'))!.split('/')[1]!;
        const state = readJson(e, `checkpoints/${id}/state.json`) as unknown as { arrays: { weights: { byteOffset: number }[] } };
        state.arrays.weights[1]!.byteOffset = 4096;
        e[`checkpoints/${id}/state.json`] = text(JSON.stringify(state));
        const m = readJson(e, `checkpoints/${id}/manifest.json`) as unknown as { files: { path: string; bytes: number; sha256: string }[]; bytes: number };
        const f = m.files.find((x) => x.path.endsWith('state.json'))!;
        m.bytes += e[`checkpoints/${id}/state.json`]!.length - f.bytes;
        f.bytes = e[`checkpoints/${id}/state.json`]!.length;
        f.sha256 = createHash('sha256').update(e[`checkpoints/${id}/state.json`]!).digest('hex');
        e[`checkpoints/${id}/manifest.json`] = text(JSON.stringify(m));
      }, 'state.json": weights.bin is 264 bytes, too short for array "ids" (bytes 4096–4104)'],
      [(e) => delete e[Object.keys(e).find((k) => k.endsWith('optimizer.bin'))!], 'is missing, but the checkpoint manifest names it'],
    ];
    for (const [edit, message] of cases) expect((await attempt(rezip(base, edit))).error.message).toContain(message);
  });

  it('a file from a newer app', async () => {
    const file = rezip(await good(), (e) => {
      const m = readJson(e, 'manifest.json');
      e['manifest.json'] = text(JSON.stringify({ ...m, version: 2 }));
    });
    expect((await attempt(file)).error).toMatchObject({ code: 'newer-schema', message: expect.stringMatching(/made by a newer NeuralForge \(file version 2/) });
  });

  it('a failing transaction leaves the database as it was and, after collection, the files too', async () => {
    const file = await good();
    const dst = await emptyStore();
    const before = await contents(dst.db, dst.blobs);
    const failing = Object.assign(Object.create(dst.db) as StorageDb, { importAll: () => Promise.reject(new DOMException('full', 'QuotaExceededError')) });
    await expect(importProjectFile(failing, dst.blobs, file)).rejects.toMatchObject({ code: 'quota', message: expect.stringMatching(/^Not enough storage to save the imported project "Digits"/) });
    expect((await contents(dst.db, dst.blobs)).files.filter((f) => f.startsWith('checkpoints/'))).toEqual([]);
    await collectGarbage(dst.db, dst.blobs);
    expect(await contents(dst.db, dst.blobs)).toEqual(before);
  });
});
