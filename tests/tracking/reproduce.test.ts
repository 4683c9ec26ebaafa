// §1 and §4 of run tracking in the worker's own code path (fake-indexeddb + memory blobs, the
// cpu backend): a run records its environment and active time; "reproduce" rebuilds the exact
// StartRequest from the stored run, and the re-run's step losses equal the original's bit for bit.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { version_core } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { rng } from '../../src/engine/random.js';
import { CURRENT_VERSION, type Project } from '../../src/engine/project/types.js';
import { GraphBuilder } from '../../src/engine/templates/builder.js';
import { TrainingControl } from '../../src/engine/train/index.js';
import { createMemoryBlobStore } from '../../src/storage/blobs/memory.js';
import { openStorageDb } from '../../src/storage/db/index.js';
import { newProjectId } from '../../src/storage/ids.js';
import type { BlobStore, ProjectId, RunId, StorageDb } from '../../src/storage/types.js';
import { reproduceRequest } from '../../src/workers/reproduce.js';
import { RunStore } from '../../src/workers/run-store.js';
import { runTraining } from '../../src/workers/run-training.js';
import { runId, type StartRequest, type StepPoint, type TrainerEvent } from '../../src/workers/trainer-api.js';

const root = join(import.meta.dirname, '../..');
const APP_VERSION = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

/** Two noisy classes in the plane, as an imported CSV. */
function csv(count: number, seed: number): ArrayBuffer {
  const rand = rng(seed);
  const rows = ['a,b,label'];
  for (let i = 0; i < count; i++) {
    const a = rand() * 2 - 1;
    const b = rand() * 2 - 1;
    rows.push(`${a.toFixed(4)},${b.toFixed(4)},${a + 0.3 * b > 0 ? 'right' : 'left'}`);
  }
  return new TextEncoder().encode(rows.join('\n')).buffer;
}

function project(): Project {
  const g = new GraphBuilder();
  const x = g.input('x', [2]);
  const h = g.layer('h', 'Dense', { units: 8, activation: 'tanh' }, [x]);
  g.layer('out', 'Dense', { units: 2, activation: 'softmax' }, [h]);
  return {
    format: 'neuralforge-project', version: CURRENT_VERSION, name: 'two classes', graph: g.build(),
    // Dropout-free but with shuffling, a schedule and validation carving: all of it seeded.
    training: { optimizer: { name: 'adam', learningRate: 0.05 }, schedule: { name: 'cosine', warmupSteps: 2 }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], batchSize: 16, epochs: 2, seed: 11, validationSplit: 0.2 },
    dataset: {},
  } as Project;
}

interface Env {
  readonly db: StorageDb;
  readonly blobs: BlobStore;
  readonly projectId: ProjectId;
}

async function freshEnv(): Promise<Env> {
  const db = await openStorageDb({ indexedDB: new IDBFactory() });
  const p = project();
  const projectId = newProjectId();
  await db.putProject({ id: projectId, name: p.name, description: '', task: 'classification', tags: [], createdAt: 1, updatedAt: 1, draft: p, headVersion: null, ui: { selectedRunId: null, selectedNodeIds: [] } });
  return { db, blobs: createMemoryBlobStore(), projectId };
}

async function train(env: Env, request: StartRequest) {
  const events: TrainerEvent[] = [];
  const summary = await runTraining(request, new TrainingControl(), (e) => events.push(e), { storage: async () => env, progressIntervalMs: 0 });
  const steps: StepPoint[] = events.flatMap((e) => (e.type === 'steps' ? e.points : []));
  return { summary, steps };
}

describe('reproduce a stored run', () => {
  let env: Env;
  const first = runId('original');
  let original: Awaited<ReturnType<typeof train>>;

  beforeAll(async () => {
    env = await freshEnv();
    original = await train(env, {
      runId: first, projectId: env.projectId, project: project(), backend: 'cpu',
      dataset: { source: 'file', name: 'two.csv', bytes: csv(200, 5), label: 'label' },
      overrides: { maxTrainSamples: 120 },
      checkpoints: { everyEpochs: 0 },
    });
  }, 60_000);

  it('recorded the run’s environment (app, TF.js, browser) and its active training time', async () => {
    expect(original.summary.status, JSON.stringify(original.summary.error)).toBe('completed');
    const run = (await env.db.getRun(first))!;
    const ua = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ?? null;
    expect(run.environment).toEqual({ app: APP_VERSION, userAgent: ua, tfjs: version_core });
    expect(run.activeMs).toBeGreaterThan(0);
    expect(run.activeMs).toBeLessThanOrEqual(run.endedAt! - run.startedAt);
    expect(run.schema).toBe(4); // written with the current run record schema (name and notes came in 4)
  });

  it('rebuilds the exact request: same graph, config, seed, stored data, sample limit and backend', async () => {
    const r = await reproduceRequest(env.db, first, runId('again'));
    if (!r.ok) throw new Error(r.error.message);
    const run = r.run;
    const dataset = (await env.db.listDatasets()).find((d) => d.version === run.datasetVersion)!;
    expect(r.request).toMatchObject({
      runId: 'again', projectId: env.projectId, backend: 'cpu',
      dataset: { source: 'stored', datasetId: dataset.id },
      overrides: { maxTrainSamples: 120 },
    });
    const doc = r.request.project as Project;
    expect(doc.graph).toEqual((await env.db.getVersion(run.versionId))!.graph);
    expect(doc.training).toEqual({ ...project().training, seed: 11 });
  });

  it('re-running it gives the same step losses, bit for bit, and the same recorded settings', async () => {
    const r = await reproduceRequest(env.db, first, runId('again-2'));
    if (!r.ok) throw new Error(r.error.message);
    const again = await train(env, r.request);
    expect(again.summary.status, JSON.stringify(again.summary.error)).toBe('completed');
    const losses = (s: readonly StepPoint[]) => s.map((p) => [p.step, p.loss]);
    expect(original.steps.length).toBe(2 * Math.ceil(96 / 16)); // 120 samples, 20% validation, batch 16, 2 epochs
    expect(losses(again.steps)).toEqual(losses(original.steps));
    // Bit for bit: the same float64 bit patterns (toEqual already uses Object.is; this says it out loud).
    const bits = (s: readonly StepPoint[]) => Buffer.from(new Float64Array(s.map((p) => p.loss)).buffer).toString('hex');
    expect(bits(again.steps)).toBe(bits(original.steps));
    const stored = await env.db.readMetrics(runId('again-2') as RunId, 'step');
    expect(stored.map((p) => p.values['loss'])).toEqual(original.steps.map((p) => p.loss));
    const [a, b] = [(await env.db.getRun(first))!, (await env.db.getRun(runId('again-2')))!];
    expect([b.versionId, b.datasetVersion, b.config, b.seed, b.tags]).toEqual([a.versionId, a.datasetVersion, a.config, a.seed, a.tags]);
  }, 60_000);

  it('is a real check: the same request with another seed gives other losses', async () => {
    const r = await reproduceRequest(env.db, first, runId('other-seed'));
    if (!r.ok) throw new Error(r.error.message);
    const doc = r.request.project as Project;
    const other = await train(env, { ...r.request, project: { ...doc, training: { ...doc.training, seed: 12 } } });
    expect(other.steps).toHaveLength(original.steps.length);
    expect(other.steps.map((p) => p.loss)).not.toEqual(original.steps.map((p) => p.loss));
  }, 60_000);

  it('says what is missing when the run, or its data, is gone', async () => {
    expect(await reproduceRequest(env.db, runId('nope'), runId('x'))).toMatchObject({ ok: false, error: { kind: 'run-not-found', message: 'run nope is not stored on this device (deleted?)' } });
    const run = (await env.db.getRun(first))!;
    const datasets = await env.db.listDatasets();
    for (const d of datasets) await env.db.deleteDataset(d.id);
    expect(await reproduceRequest(env.db, first, runId('x'))).toMatchObject({
      ok: false, error: { kind: 'dataset-missing', message: expect.stringContaining(`("${run.datasetName}", version ${run.datasetVersion})`) },
    });
    for (const d of datasets) await env.db.putDataset(d);
  });
});

describe('active training time', () => {
  it('leaves pauses out: 500 ms, a pause, then 700 ms is 1200 ms', async () => {
    const env = await freshEnv();
    let t = 1000;
    const p = project();
    const store = await RunStore.begin(
      env,
      { runId: runId('timed'), projectId: env.projectId, graph: p.graph, totals: { params: 1, trainableParams: 1, flops: 1 }, config: p.training, seed: 11, datasetName: 'x', datasetVersion: null, resumedFrom: null, environment: { app: 'test', userAgent: null, tfjs: null } },
      (m) => {
        throw new Error(m);
      },
      () => t,
    );
    t = 1500;
    await store.update({ status: 'paused' });
    t = 9000;
    await store.update({ status: 'running' });
    t = 9700;
    const done = await store.finish('completed', {}, null);
    expect(done).toMatchObject({ activeMs: 1200, startedAt: 1000, endedAt: 9700, environment: { app: 'test', userAgent: null, tfjs: null } });
    expect((await env.db.getRun(runId('timed')))!.activeMs).toBe(1200);
  });
});
