// A run in the trainer worker's code path, kept on the device (fake-indexeddb + the memory
// BlobStore): a real training run on the cpu backend records its RunRecord, step and epoch
// series and periodic/best/final checkpoints with manifests; resuming from a stored checkpoint
// (epoch boundary or mid-epoch) reproduces the uninterrupted run — the engine's loop itself is
// the oracle — and runs left 'running' by a dead tab become 'interrupted'.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { rng } from '../../src/engine/random.js';
import { CURRENT_VERSION, type Project } from '../../src/engine/project/types.js';
import { GraphBuilder } from '../../src/engine/templates/builder.js';
import { TrainingControl } from '../../src/engine/train/index.js';
import { createMemoryBlobStore } from '../../src/storage/blobs/memory.js';
import { createCheckpointStore } from '../../src/storage/checkpoints.js';
import { openStorageDb } from '../../src/storage/db/index.js';
import { collectGarbage } from '../../src/storage/gc.js';
import { newProjectId } from '../../src/storage/ids.js';
import { graphHash } from '../../src/storage/versioning.js';
import type { BlobStore, CheckpointRecord, MetricPoint, ProjectId, ProjectRecord, RunId, RunRecord, StorageDb } from '../../src/storage/types.js';
import { loadRunLog } from '../../src/editor/training/run-history.js';
import { holdRunLock, markInterruptedRuns } from '../../src/workers/run-locks.js';
import { continuedPointOf } from '../../src/workers/run-tags.js';
import { runTraining } from '../../src/workers/run-training.js';
import { runId, type RunSummary, type StartRequest, type TrainerEvent } from '../../src/workers/trainer-api.js';

/** Points in [−1, 1]², class "in" inside the circle of radius 0.6: a CSV the worker parses as an imported file. */
function circlesCsv(count: number, seed: number): ArrayBuffer {
  const rand = rng(seed);
  const rows = ['a,b,label'];
  for (let i = 0; i < count; i++) {
    const a = rand() * 2 - 1;
    const b = rand() * 2 - 1;
    rows.push(`${a.toFixed(4)},${b.toFixed(4)},${a * a + b * b < 0.36 ? 'in' : 'out'}`);
  }
  return new TextEncoder().encode(rows.join('\n')).buffer;
}

function project(): Project {
  const g = new GraphBuilder();
  const x = g.input('x', [2]);
  const h = g.layer('h', 'Dense', { units: 12, activation: 'relu' }, [x]);
  g.layer('out', 'Dense', { units: 2, activation: 'softmax' }, [h]);
  return {
    format: 'neuralforge-project',
    version: CURRENT_VERSION,
    name: 'circles',
    graph: g.build(),
    // Adam moments, a warm-up + cosine schedule and clipping: every piece of state must survive the store.
    training: {
      optimizer: { name: 'adam', learningRate: 0.02 }, schedule: { name: 'cosine', warmupSteps: 3 }, clipNorm: 2,
      loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], batchSize: 32, epochs: 3, seed: 7, validationSplit: 0.2,
    },
    dataset: {},
  };
}

const CSV = circlesCsv(300, 3);

interface Env {
  readonly db: StorageDb;
  readonly blobs: BlobStore;
  readonly projectId: ProjectId;
}

async function freshEnv(blobs: BlobStore = createMemoryBlobStore()): Promise<Env> {
  const db = await openStorageDb({ indexedDB: new IDBFactory() });
  const p = project();
  const rec: ProjectRecord = {
    id: newProjectId(), name: p.name, description: '', task: 'classification', tags: [], createdAt: 1, updatedAt: 1,
    draft: p, headVersion: null, ui: { selectedRunId: null, selectedNodeIds: [] },
  };
  await db.putProject(rec);
  return { db, blobs, projectId: rec.id };
}

let seq = 0;
/** runTraining as the worker calls it, with every step reported (progressIntervalMs 0). */
async function train(env: Env, extra: Partial<StartRequest> = {}, control = new TrainingControl()) {
  const events: TrainerEvent[] = [];
  const request: StartRequest = {
    runId: runId(`run-${++seq}`), projectId: env.projectId, project: project(), backend: 'cpu',
    dataset: { source: 'file', name: 'circles.csv', bytes: CSV.slice(0), label: 'label' },
    checkpoints: { everyEpochs: 1, everySteps: 4, keepLast: 20 },
    ...extra,
  };
  const summary: RunSummary = await runTraining(request, control, (e) => events.push(e), { storage: async () => env, progressIntervalMs: 0 });
  const of = <T extends TrainerEvent['type']>(t: T) => events.filter((e): e is Extract<TrainerEvent, { type: T }> => e.type === t);
  return { id: request.runId, summary, events, of };
}

const series = (points: readonly MetricPoint[]) => points.map((p) => [p.index, p.values]);
/** The values a seeded run must reproduce exactly: all but throughput, which is wall-clock. */
const seriesOfRun = (points: readonly MetricPoint[]) => points.map((p) => [p.index, { ...p.values, samplesPerSec: 0 }]);

describe('a run kept on the device', () => {
  let env: Env;
  let whole: Awaited<ReturnType<typeof train>>;
  let checkpoints: readonly CheckpointRecord[];

  beforeAll(async () => {
    env = await freshEnv();
    whole = await train(env);
    checkpoints = await env.db.listCheckpoints(whole.id);
  });

  it('stores the RunRecord: version, config, seed, backend, status, times, final metrics', async () => {
    expect(whole.summary.status, JSON.stringify(whole.summary.error)).toBe('completed');
    const run = (await env.db.getRun(whole.id))!;
    const lastEpoch = whole.of('epoch').at(-1)!.epoch;
    expect(run).toMatchObject({ projectId: env.projectId, status: 'completed', backend: 'cpu', seed: 7, epochs: 3, resumedFrom: null, error: null, datasetName: 'file:circles.csv' });
    expect(run.config).toMatchObject({ epochs: 3, batchSize: 32, seed: 7, optimizer: { name: 'adam' } });
    expect(run.endedAt).toBeGreaterThanOrEqual(run.startedAt);
    expect(run.finalMetrics).toMatchObject({ loss: lastEpoch.loss, accuracy: lastEpoch.accuracy, valLoss: lastEpoch.valLoss, valAccuracy: lastEpoch.valAccuracy });
    expect(run.finalMetrics['testAccuracy']).toBe(whole.summary.testAccuracy);
    // The architecture version is the graph trained; the project record (the page's, autosaved) is not touched.
    const version = (await env.db.getVersion(run.versionId))!;
    expect(version).toMatchObject({ projectId: env.projectId, parent: null, graphHash: await graphHash(project().graph) });
    expect(await env.db.getProject(env.projectId)).toMatchObject({ headVersion: null, updatedAt: 1 });
    expect(whole.of('stored').map((e) => e.record.status)).toEqual(['running', 'completed']);
  });

  it('stores every step and every epoch the page was sent, in order', async () => {
    const sentSteps = whole.of('steps').flatMap((e) => e.points);
    const steps = await env.db.readMetrics(whole.id, 'step');
    const stepsPerEpoch = Math.ceil(whole.of('dataset')[0]!.info.train / 32);
    expect(steps.map((p) => p.index)).toEqual(Array.from({ length: 3 * stepsPerEpoch }, (_, i) => i + 1));
    expect(series(steps)).toEqual(sentSteps.map((p) => [p.step, { loss: p.loss, accuracy: p.accuracy, learningRate: p.learningRate, gradNorm: p.gradNorm, samplesPerSec: p.samplesPerSec }]));
    // A reopened run draws the optimizer's side of each step too: learning rate, gradient norm, samples/s.
    const reopened = await loadRunLog(env.db, whole.id);
    const column = (i: number) => Array.from(reopened.stepStats[i]!);
    expect(column(1)).toEqual(sentSteps.map((p) => p.learningRate));
    expect(column(2)).toEqual(sentSteps.map((p) => p.gradNorm));
    expect(sentSteps.every((p) => typeof p.gradNorm === 'number' && p.gradNorm > 0)).toBe(true);
    const epochs = await env.db.readMetrics(whole.id, 'epoch');
    expect(epochs.map((p) => [p.index, p.values['loss'], p.values['valAccuracy']])).toEqual(whole.of('epoch').map((e) => [e.epoch.epoch, e.epoch.loss, e.epoch.valAccuracy]));
  });

  it('writes periodic, best and final checkpoints whose manifests name complete files', async () => {
    const kinds = checkpoints.map((c) => c.kind);
    expect(kinds.filter((k) => k === 'final')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'best')).toHaveLength(1);
    expect(checkpoints.filter((c) => c.kind === 'periodic').map((c) => c.epoch)).toContain(1);
    expect(checkpoints.find((c) => c.kind === 'best')!.metric?.name).toBe('valLoss');
    expect(checkpoints.find((c) => c.kind === 'final')!.globalStep).toBe((await env.db.readMetrics(whole.id, 'step')).length);
    for (const c of checkpoints) for (const f of c.files) expect(await env.blobs.size(f.path), f.path).toBe(f.bytes);
    // Every manifest the page was told about still exists or was retired by the best/keep policy.
    expect(whole.of('checkpoint').map((e) => e.checkpoint.id)).toEqual(expect.arrayContaining(checkpoints.map((c) => c.id)));
  });

  const stepsPerEpoch = () => Math.ceil(whole.of('dataset')[0]!.info.train / 32);
  it.each([
    ['the epoch-1 checkpoint', (c: CheckpointRecord) => c.epoch === 1 && c.globalStep === stepsPerEpoch()],
    ['a mid-epoch checkpoint (epoch 2)', (c: CheckpointRecord) => c.epoch === 1 && c.globalStep > stepsPerEpoch()],
  ] as const)('resuming from %s continues the loss series and ends with the same weights', async (_, pick) => {
    const from = checkpoints.find((c) => c.kind === 'periodic' && pick(c))!;
    expect(from, `no such checkpoint among ${JSON.stringify(checkpoints.map((c) => [c.kind, c.epoch, c.globalStep]))}`).toBeDefined();
    const resumed = await train(env, { resumeFrom: from.id, project: null });
    expect(resumed.summary.status, JSON.stringify(resumed.summary.error)).toBe('completed');
    expect(resumed.of('resumed')[0]!.from).toEqual({ checkpointId: from.id, runId: whole.id, epoch: from.epoch, globalStep: from.globalStep });

    const run = (await env.db.getRun(resumed.id))!;
    expect(run).toMatchObject({ resumedFrom: from.id, status: 'completed', epochs: 3 });
    expect(run.versionId).toBe((await env.db.getRun(whole.id))!.versionId);
    // The series continue where the checkpoint was, with the uninterrupted run's values.
    const mine = await env.db.readMetrics(resumed.id, 'step');
    const theirs = (await env.db.readMetrics(whole.id, 'step')).filter((p) => p.index > from.globalStep);
    expect(mine[0]!.index).toBe(from.globalStep + 1);
    expect(seriesOfRun(mine)).toEqual(seriesOfRun(theirs));
    const epochs = (await env.db.readMetrics(resumed.id, 'epoch')).map((p) => ({ ...p.values, ms: 0 }));
    const wholeEpochs = (await env.db.readMetrics(whole.id, 'epoch')).filter((p) => p.index > 1).map((p) => ({ ...p.values, ms: 0 }));
    expect(epochs).toEqual(wholeEpochs);

    expect(continuedPointOf(run)).toEqual({ runId: whole.id, globalStep: from.globalStep, epoch: from.epoch });
    // The page's curve of the resumed run (stored points of the run it continues, then its own) is the uninterrupted run's curve.
    const [stitched, uninterrupted] = await Promise.all([loadRunLog(env.db, resumed.id), loadRunLog(env.db, whole.id)]);
    expect(stitched.steps).toEqual(uninterrupted.steps);
    expect(stitched.epochs[0]).toEqual([1, 2, 3]);
    expect(stitched.epochs).toEqual(uninterrupted.epochs);
    expect(stitched.resumedFrom).toEqual({ checkpointId: from.id, runId: whole.id, epoch: from.epoch, globalStep: from.globalStep });

    // Final weights and optimizer state, bit for bit.
    const store = createCheckpointStore(env.db, env.blobs);
    const finalOf = async (id: RunId) => store.load((await env.db.listCheckpoints(id)).find((c) => c.kind === 'final')!.id);
    const [a, b] = await Promise.all([finalOf(whole.id), finalOf(resumed.id)]);
    expect(b.position).toEqual(a.position);
    expect(b.weights).toEqual(a.weights);
    expect(b.optimizer).toEqual(a.optimizer);
  });

  it('refuses to resume from a checkpoint that does not exist, naming it', async () => {
    const r = await train(env, { resumeFrom: 'no-such-checkpoint' as CheckpointRecord['id'] });
    expect(r.summary.status).toBe('failed');
    expect(r.summary.error?.message).toBe('cannot resume: checkpoint no-such-checkpoint does not exist (no manifest: it was deleted or never finished)');
  });
});

describe('when storage fails or a tab dies', () => {
  it('keeps training when checkpoints cannot be written, says so once, and stores no manifest', async () => {
    const env = await freshEnv(createMemoryBlobStore({ quotaBytes: 64 }));
    const r = await train(env, { checkpoints: { everyEpochs: 1 } });
    expect(r.summary.status).toBe('completed');
    const warnings = r.of('warning').map((w) => w.message).filter((m) => m.startsWith('could not save the checkpoint'));
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0]).toMatch(/Not enough storage/);
    expect(await env.db.listCheckpoints(r.id)).toEqual([]);
    expect((await env.db.getRun(r.id))!.status).toBe('completed');
  });

  it('with the test hook, the 2nd checkpoint writes its files and never its manifest: it does not exist', async () => {
    const env = await freshEnv();
    const events: TrainerEvent[] = [];
    const request: StartRequest = {
      runId: runId('hangs'), projectId: env.projectId, project: project(), backend: 'cpu', testHangCheckpoint: 2,
      dataset: { source: 'file', name: 'circles.csv', bytes: CSV.slice(0), label: 'label' }, checkpoints: { everyEpochs: 1 },
    };
    void runTraining(request, new TrainingControl(), (e) => events.push(e), { storage: async () => env }); // never settles
    await vi.waitFor(() => expect(events.some((e) => e.type === 'warning' && e.message === 'test hook: checkpoint 2 hangs before its manifest')).toBe(true), { timeout: 20_000 });
    const manifests = await env.db.listCheckpoints(request.runId);
    expect(manifests.map((c) => [c.kind, c.epoch])).toEqual([['periodic', 1]]);
    const dirs = new Set((await env.blobs.list(`checkpoints/${request.runId}/`)).map((f) => f.path.split('/')[2]));
    expect(dirs.size).toBe(2); // the complete checkpoint and the one without a manifest
    await expect(createCheckpointStore(env.db, env.blobs).load(manifests[0]!.id)).resolves.toMatchObject({ position: { epoch: 1 } });
    // The save still holds the writers' lock: the collector must not touch its files now.
    expect(await collectGarbage(env.db, env.blobs)).toMatchObject({ skipped: true, removedFiles: [] });
  });

  it('marks a run left "running" by a dead tab as interrupted, and leaves a live one alone', async () => {
    const env = await freshEnv();
    const base: RunRecord = {
      id: runId('dead'), projectId: env.projectId, versionId: 'v' as RunRecord['versionId'], datasetVersion: null, datasetName: 'mnist', config: {}, seed: 1,
      backend: 'cpu', adapter: null, status: 'running', startedAt: 1000, endedAt: null, epochs: 0, finalMetrics: {}, tags: [], resumedFrom: null, error: null, name: null, notes: '',
    };
    const dead = base;
    const live: RunRecord = { ...base, id: runId('live'), status: 'paused' };
    await env.db.putRun(dead);
    await env.db.putRun(live);
    await env.db.appendMetrics([{ runId: dead.id, scope: 'step', index: 5, values: { loss: 1 }, time: base.startedAt + 1234 }]);
    const release = await holdRunLock(live.id);
    try {
      const changed = await markInterruptedRuns(env.db, env.projectId);
      expect(changed.map((c) => c.id)).toEqual(['dead']);
      expect(await env.db.getRun(dead.id)).toMatchObject({ status: 'interrupted', endedAt: base.startedAt + 1234 });
      expect((await env.db.getRun(live.id))!.status).toBe('paused');
    } finally {
      release();
    }
    expect((await markInterruptedRuns(env.db, env.projectId)).map((c) => c.id)).toEqual(['live']);
  });
});
