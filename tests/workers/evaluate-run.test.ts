// The evaluator worker's core in Node (cpu backend, fake-indexeddb, memory blobs), on runs trained
// through the trainer's own path: its predictions equal TF.js's model.predict with the checkpoint's
// weights read back independently; its validation split is exactly what training held out (the
// mean loss and accuracy on it equal the run's own recorded valLoss/valAccuracy for the 'best'
// checkpoint); every failure comes back as a code with a message naming what; previews give the
// stored pixels and raw table values back; Grad-CAM and projections have the right shapes; and
// no tensor outlives a disposed session.
import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { loadDataset } from '../../src/engine/data/index.js';
import { mnistSplitIndices } from '../../src/engine/data/mnist.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { nodeEnvironment } from '../../src/engine/runtime/backend-node.js';
import { weightKeys, writeNamed } from '../../src/engine/train/checkpoint.js';
import { createCheckpointStore } from '../../src/storage/checkpoints.js';
import type { CheckpointId, CheckpointRecord, RunId, RunRecord } from '../../src/storage/types.js';
import type { EvalDeps } from '../../src/workers/evaluate-run.js';
import { evaluateRun } from '../../src/workers/evaluate-run.js';
import { projectNode } from '../../src/workers/eval-explain.js';
import { imagePreview, tablePreview, textPreview } from '../../src/workers/eval-previews.js';
import { pca } from '../../src/engine/eval/index.js';
import { createEvaluator } from '../../src/workers/eval-service.js';
import type { EvalFailure, EvalReply, EvalSessionId } from '../../src/workers/evaluator-api.js';
import { barsBinary, barsCnn, csvRequest, freshEnv, keepBars, tableClassifier, tableCsv, tableRegressor, trainRun, type Env } from './eval-fixtures.js';

let env: Env;
let deps: EvalDeps;
const CLASSES_CSV = tableCsv(200, 5, 'classes');
const TARGET_CSV = tableCsv(120, 9, 'target');
const bars = barsBinary(20, 2);
let cls: RunRecord;
let clsHeldOut = 0;
let reg: RunRecord;
let cnn: RunRecord;

beforeAll(async () => {
  await tf.setBackend('cpu');
  env = await freshEnv();
  deps = { tf, storage: async () => env, environment: await nodeEnvironment({ webgpu: false }) };
  const trained = await trainRun(env, 'cls', tableClassifier(), csvRequest('two.csv', CLASSES_CSV), { overrides: { maxTrainSamples: 120 } });
  cls = trained.run;
  clsHeldOut = trained.events.flatMap((e) => (e.type === 'dataset' ? [e.info.validation] : []))[0]!;
  reg = (await trainRun(env, 'reg', tableRegressor(), csvRequest('target.csv', TARGET_CSV))).run;
  const kept = await keepBars(env, bars.bytes);
  cnn = (await trainRun(env, 'cnn', barsCnn(), { source: 'stored', datasetId: kept.id, name: 'bars' })).run;
}, 60_000);

const ok = <R extends { ok: boolean }>(r: R): Extract<R, { ok: true }> => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r as Extract<R, { ok: true }>;
};
const failure = (r: { ok: boolean }): EvalFailure => {
  if (r.ok) throw new Error('expected a failure');
  return r as EvalFailure;
};
const classification = (r: EvalReply) => {
  const res = ok(r).result;
  if (res.task !== 'classification') throw new Error('expected classification');
  return res;
};

/** TF.js's own prediction with the checkpoint's arrays written into a fresh compile of the run's graph. */
async function oraclePredict(run: RunRecord, id: CheckpointId, x: Float32Array, shape: number[]): Promise<Float32Array> {
  const cp = await createCheckpointStore(env.db, env.blobs).load(id);
  const version = (await env.db.getVersion(run.versionId))!;
  const { model } = compileGraph(analyzeGraph(version.graph), { seed: 999 });
  const keys = weightKeys(model);
  writeNamed(model.weights.map((w, i) => ({ key: keys[i]!, variable: w.read() as tf.Variable })), cp.weights, 'weights');
  const out = tf.tidy(() => model.predict(tf.tensor(x, shape)) as tf.Tensor);
  const values = (await out.data()) as Float32Array;
  out.dispose();
  model.dispose();
  return values;
}

const checkpoints = (run: RunRecord): Promise<readonly CheckpointRecord[]> => env.db.listCheckpoints(run.id);

describe('evaluating a stored classification run', () => {
  it('predicts what model.predict predicts with the checkpoint’s weights on the test split, and counts the confusion matrix right', async () => {
    const { result, session } = await evaluateRun({ runId: cls.id, checkpointId: null, split: 'test', backend: 'cpu' }, deps);
    try {
      // The test split, loaded independently from the same CSV the way the run loaded it (seed 11).
      const data = await loadDataset({ source: 'file', path: 'two.csv', label: 'label' }, { readFile: async () => new TextEncoder().encode(CLASSES_CSV), options: { task: 'classification', seed: 11, input: { shape: [2], dtype: 'float32' } } });
      const test = data.test!;
      expect(result.split).toBe('test');
      expect(result.fellBack).toBe(false);
      expect(result.samples).toBe(test.count);
      expect(result.backend).toBe('cpu');
      const best = (await checkpoints(cls)).find((c) => c.kind === 'best')!;
      expect(result.checkpointId).toBe(best.id); // no checkpoint named: the run's best
      const probs = await oraclePredict(cls, best.id, test.x.values as Float32Array, [test.count, 2]);
      if (session.scores.task !== 'classification') throw new Error('classification expected');
      expect(session.scores.probs.length).toBe(probs.length);
      session.scores.probs.forEach((p, i) => expect(Math.abs(p - probs[i]!)).toBeLessThanOrEqual(1e-6));
      // Independent count from the oracle's argmax and the CSV's labels.
      const labels = test.y.values;
      const counts = new Map<string, number>();
      for (let i = 0; i < test.count; i++) {
        const pred = probs[2 * i + 1]! > probs[2 * i]! ? 1 : 0;
        const key = `${labels[i]}→${pred}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      if (result.task !== 'classification') throw new Error('classification expected');
      const cm = result.report.confusion.counts;
      expect(cm.reduce((a, b) => a + b, 0)).toBe(test.count);
      for (const t of [0, 1]) for (const p of [0, 1]) expect(cm[t * 2 + p]).toBe(counts.get(`${t}→${p}`) ?? 0);
      expect(result.classNames).toEqual(data.classes);
      expect(result.worst.length).toBe(Math.min(100, test.count));
      expect(result.report.losses[result.worst[0]!]).toBe(Math.max(...result.report.losses));
      expect(result.nodes.map((n) => [n.id, n.shape, n.spatial])).toEqual([['x', [2], false], ['h', [8], false], ['out', [2], false]]);
    } finally {
      session.model.dispose();
    }
  });

  it('scores exactly the validation samples training held out: mean loss and accuracy equal the run’s recorded valLoss/valAccuracy', async () => {
    const best = (await checkpoints(cls)).find((c) => c.kind === 'best')!;
    const epoch = (await env.db.readMetrics(cls.id, 'epoch')).find((m) => m.index === best.epoch)!;
    const res = classification((await createEvaluator(deps).evaluate({ runId: cls.id, checkpointId: best.id, split: 'validation', backend: 'cpu' })));
    expect(res.split).toBe('validation');
    expect(res.samples).toBe(clsHeldOut); // what the trainer reported holding out of its 120 samples
    expect(clsHeldOut).toBeGreaterThan(25);
    const meanLoss = res.report.losses.reduce((a, b) => a + b, 0) / res.samples;
    expect(meanLoss).toBeCloseTo(best.metric!.value, 5); // the best checkpoint's valLoss, measured by the trainer
    expect(res.report.accuracy).toBeCloseTo(epoch.values['valAccuracy']!, 6);
    expect(epoch.values['valLoss']).toBe(best.metric!.value);
  });

  it('falls back to those validation samples when the dataset has no test split, and truncates to maxSamples', async () => {
    const noTest: EvalDeps = { ...deps, loadData: async (req, options, storage) => ({ ...(await (await import('../../src/workers/eval-data.js')).loadRunDataset(req, options, storage)), test: null }) };
    const best = (await checkpoints(cls)).find((c) => c.kind === 'best')!;
    const fell = classification(await createEvaluator(noTest).evaluate({ runId: cls.id, checkpointId: best.id, split: 'test', backend: 'cpu' }));
    const asked = classification(await createEvaluator(deps).evaluate({ runId: cls.id, checkpointId: best.id, split: 'validation', backend: 'cpu' }));
    expect([fell.split, fell.fellBack]).toEqual(['validation', true]);
    expect(Array.from(fell.report.losses)).toEqual(Array.from(asked.report.losses));
    const few = classification(await createEvaluator(deps).evaluate({ runId: cls.id, checkpointId: best.id, split: 'validation', backend: 'cpu', maxSamples: 7 }));
    expect(few.samples).toBe(7);
    expect(Array.from(few.report.losses)).toEqual(Array.from(asked.report.losses.subarray(0, 7)));
  });

  it('previews table rows as their raw CSV values and class names', async () => {
    const api = createEvaluator(deps);
    const res = classification(await api.evaluate({ runId: cls.id, checkpointId: null, split: 'test', backend: 'cpu' }));
    const rows = CLASSES_CSV.split('\n').slice(1).map((r) => r.split(','));
    const got = ok(await api.samples(res.session, [0, 5, 3]));
    expect(got.samples.map((s) => s.index)).toEqual([0, 5, 3]);
    for (const s of got.samples) {
      if (s.preview.kind !== 'table') throw new Error('table preview expected');
      expect(s.preview.columns).toEqual(['a', 'b']);
      const [a, b] = s.preview.values;
      const row = rows.find((r) => Math.abs(Number(r[0]) - a!) < 1e-4 && Math.abs(Number(r[1]) - b!) < 1e-4);
      expect(row, `no CSV row has a=${a}, b=${b}`).toBeDefined();
      expect(res.classNames[s.label!]).toBe(row![2]);
      expect(s.top!.length).toBe(2);
      expect(s.top![0]![0]).toBe(s.predicted);
      expect(s.loss).toBe(res.report.losses[s.index]);
    }
    await api.dispose(res.session);
  });
});

describe('evaluating a regression run', () => {
  it('reports what model.predict gives on the test split, residuals of every sample and the worst by |residual|', async () => {
    const api = createEvaluator(deps);
    const res = ok(await api.evaluate({ runId: reg.id, checkpointId: null, split: 'test', backend: 'cpu' })).result;
    if (res.task !== 'regression') throw new Error('regression expected');
    const data = await loadDataset({ source: 'file', path: 't.csv', label: 'label' }, { readFile: async () => new TextEncoder().encode(TARGET_CSV), options: { task: 'regression', seed: 5, input: { shape: [2], dtype: 'float32' } } });
    const test = data.test!;
    const pred = await oraclePredict(reg, res.checkpointId, test.x.values as Float32Array, [test.count, 2]);
    expect(res.residuals.length).toBe(test.count);
    res.residuals.forEach((r, i) => {
      expect(Math.abs(r.predicted - pred[i]!)).toBeLessThanOrEqual(1e-6);
      expect(r.residual).toBeCloseTo(test.y.values[i]! - pred[i]!, 5);
    });
    const mse = res.residuals.reduce((s, r) => s + r.residual ** 2, 0) / test.count;
    expect(res.report.mean.mse).toBeCloseTo(mse, 6);
    const abs = res.residuals.map((r) => Math.abs(r.residual));
    expect(abs[res.worst[0]!]).toBe(Math.max(...abs));
    const one = ok(await api.samples(res.session, [2])).samples[0]!;
    expect(one.actual).toBeCloseTo(test.y.values[2]!, 6);
    expect(one.prediction).toBeCloseTo(pred[2]!, 6);
    expect(one.loss).toBeCloseTo(res.residuals[2]!.residual ** 2, 5);
    await api.dispose(res.session);
  });
});

describe('a small CNN on images', () => {
  it('previews the stored pixels, explains a sample with Grad-CAM, projects activations, and leaks no tensor', async () => {
    const before = tf.memory().numTensors;
    const api = createEvaluator(deps);
    const res = classification(await api.evaluate({ runId: cnn.id, checkpointId: null, split: 'test', backend: 'cpu' }));
    expect(res.sampleKind).toBe('image');
    expect(res.samples).toBe(30); // 10 test images per class (half of 20)
    expect(res.nodes.filter((n) => n.spatial).map((n) => n.id)).toEqual(['c1', 'p1']);
    const { test } = mnistSplitIndices(bars.labels); // which stored image each test sample is
    const got = ok(await api.samples(res.session, [0, 7]));
    got.samples.forEach((s) => {
      if (s.preview.kind !== 'image') throw new Error('image preview expected');
      expect([s.preview.width, s.preview.height]).toEqual([8, 8]);
      const original = bars.pixels.subarray(test[s.index]! * 64, (test[s.index]! + 1) * 64);
      for (let p = 0; p < 64; p++) {
        expect(s.preview.rgba.slice(p * 4, p * 4 + 4)).toEqual(Uint8ClampedArray.of(original[p]!, original[p]!, original[p]!, 255));
      }
      expect(s.label).toBe(bars.labels[test[s.index]!]);
    });

    const cam = ok(await api.gradCam(res.session, { index: 3, nodeId: 'c1', classIndex: null }));
    expect(cam.classIndex).toBe(res.report.predicted[3]);
    expect(cam.map.length).toBe(64);
    expect([cam.image.width, cam.image.height]).toEqual([8, 8]);
    expect(Math.min(...cam.map)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...cam.map)).toBeLessThanOrEqual(1);
    expect(cam.score).toBeGreaterThan(0);

    const pcaReply = ok(await api.project(res.session, { nodeId: 'f', method: 'pca' }));
    expect(pcaReply.points.length).toBe(30 * 2);
    expect(Array.from(pcaReply.labels!)).toEqual(Array.from(res.labels));
    expect(pcaReply.explained!.length).toBe(2);
    expect(pcaReply.explained![0]!).toBeGreaterThanOrEqual(pcaReply.explained![1]!);
    const tsneReply = ok(await api.project(res.session, { nodeId: 'p1', method: 'tsne', maxPoints: 12, seed: 1 }));
    expect(tsneReply.points.length).toBe(12 * 2);
    expect(tsneReply.explained).toBeNull();

    await api.dispose(res.session);
    expect(api.hasSession()).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the backend', () => {
  it('is chosen as the trainer chooses it when not named (auto), and reported', async () => {
    const api = createEvaluator(deps);
    try {
      const res = classification(await api.evaluate({ runId: cls.id, checkpointId: null, split: 'test' }));
      expect(['wasm', 'cpu']).toContain(res.backend); // Node has no WebGPU or WebGL: wasm, else cpu
      expect(res.backend).toBe(tf.getBackend());
      await api.dispose(res.session);
    } finally {
      await tf.setBackend('cpu');
    }
  });
});

describe('previews of other sample kinds (hand-computed)', () => {
  it('clamps RGB images to 0…255, decodes token ids without padding, and un-standardises one-hot tables', () => {
    const rgb = imagePreview(Float32Array.of(-0.2, 0.5, 1.3, 0, 0.25, 1), { height: 1, width: 2, channels: 3 });
    expect(Array.from(rgb.rgba)).toEqual([0, 128, 255, 255, 0, 64, 255, 255]); // 127.5 rounds to even (128), 63.75 → 64
    const vocab = ['<pad>', '<unk>', 'good', 'film', 'a'];
    const text = { kind: 'text', mode: 'classification', tokenizer: 'word', lowercase: true, vocab, length: 6, padding: 'pre', truncating: 'post' } as const;
    expect(textPreview(Int32Array.of(0, 0, 4, 2, 1, 3), text).text).toBe('a good <unk> film');
    expect(textPreview(Int32Array.of(4, 2, 0), { ...text, tokenizer: 'char', vocab: ['<pad>', '<unk>', 'h', 'i', 'o'] }).text).toBe('oh');
    const table = {
      kind: 'table', label: { column: 'y', kind: 'class' }, dropped: [],
      features: [{ kind: 'numeric', column: 'age', mean: 40, std: 10 }, { kind: 'one-hot', column: 'colour', categories: ['red', 'blue'] }, { kind: 'one-hot', column: 'size', categories: ['s', 'm'] }],
    } as const;
    expect(tablePreview(Float32Array.of(-1.5, 0, 1, 0, 0), table)).toEqual({ kind: 'table', columns: ['age', 'colour = blue', 'size = (other)'], values: [25, 1, 0] });
  });
});

describe('projections', () => {
  it('project the activations TF.js computes for the node (a model cut at it), chunk by chunk, with PCA', async () => {
    const { session } = await evaluateRun({ runId: cnn.id, checkpointId: null, split: 'test', backend: 'cpu' }, deps);
    try {
      const cut = tf.model({ inputs: session.model.inputs, outputs: session.model.getLayer('f').output as tf.SymbolicTensor });
      const n = session.split.count;
      const acts = tf.tidy(() => cut.predict(tf.tensor(session.split.x.values as Float32Array, [n, 8, 8, 1])) as tf.Tensor);
      const expected = pca((await acts.data()) as Float32Array, n, 64, 2);
      acts.dispose();
      for (const chunk of [256, 7]) {
        const got = await projectNode(tf, session, { nodeId: 'f', method: 'pca' }, undefined, chunk);
        expect(Array.from(got.indices)).toEqual(Array.from({ length: n }, (_, i) => i));
        got.points.forEach((v, i) => expect(Math.abs(v - expected.projected[i]!)).toBeLessThanOrEqual(1e-5));
        expect(got.explained).toEqual(Array.from(expected.explainedVarianceRatio));
      }
    } finally {
      session.model.dispose();
    }
  });
});

describe('failures come back as codes with messages, never as rejections', () => {
  it('names a missing run, a run without checkpoints, a checkpoint of another run, and data that is gone', async () => {
    const api = createEvaluator(deps);
    const missing = failure(await api.evaluate({ runId: 'nope' as RunId, checkpointId: null, split: 'test', backend: 'cpu' }));
    expect([missing.code, missing.error.message]).toEqual(['run-not-found', expect.stringContaining('run nope')]);

    await env.db.putRun({ ...cls, id: 'bare' as RunId });
    const bare = failure(await api.evaluate({ runId: 'bare' as RunId, checkpointId: null, split: 'test', backend: 'cpu' }));
    expect([bare.code, bare.error.message]).toEqual(['no-checkpoint', expect.stringContaining('run bare has no checkpoint')]);
    const other = (await checkpoints(reg))[0]!;
    const foreign = failure(await api.evaluate({ runId: 'bare' as RunId, checkpointId: other.id, split: 'test', backend: 'cpu' }));
    expect([foreign.code, foreign.error.message]).toEqual(['bad-request', expect.stringContaining(`belongs to run ${reg.id}`)]);

    await env.db.putRun({ ...cls, id: 'lost-data' as RunId, datasetVersion: 'f'.repeat(64) as RunRecord['datasetVersion'], datasetName: 'lost.csv' });
    const lostCp = await createCheckpointStore(env.db, env.blobs).save({ runId: 'lost-data' as RunId, projectId: cls.projectId, kind: 'final' }, await createCheckpointStore(env.db, env.blobs).load((await checkpoints(cls))[0]!.id));
    const lost = failure(await api.evaluate({ runId: 'lost-data' as RunId, checkpointId: lostCp.id, split: 'test', backend: 'cpu' }));
    expect([lost.code, lost.error.message]).toEqual(['dataset-missing', expect.stringContaining('"lost.csv"')]);

    const noSplit = failure(await api.evaluate({ runId: reg.id, checkpointId: null, split: 'validation', backend: 'cpu', maxSamples: 0 }));
    expect([noSplit.code, noSplit.error.message]).toEqual(['bad-request', expect.stringContaining('maxSamples')]);
  });

  it('refuses a language-model run as unsupported', async () => {
    const source = await createCheckpointStore(env.db, env.blobs).load((await checkpoints(cls))[0]!.id);
    await env.db.putRun({ ...cls, id: 'lm' as RunId });
    const cp = await createCheckpointStore(env.db, env.blobs).save({ runId: 'lm' as RunId, projectId: cls.projectId, kind: 'final' }, { ...source, config: { ...source.config, loss: 'nextTokenCrossentropy' } });
    const r = failure(await createEvaluator(deps).evaluate({ runId: 'lm' as RunId, checkpointId: cp.id, split: 'test', backend: 'cpu' }));
    expect([r.code, r.error.message]).toEqual(['unsupported-task', expect.stringContaining('language model')]);
  });

  it('names a bad sample index, a node Grad-CAM cannot use, and a session that is gone', async () => {
    const api = createEvaluator(deps);
    const res = classification(await api.evaluate({ runId: cnn.id, checkpointId: null, split: 'test', backend: 'cpu' }));
    const badIndex = failure(await api.samples(res.session, [1, 30]));
    expect([badIndex.code, badIndex.error.message]).toEqual(['bad-request', 'indices[1] = 30 is not a sample of this evaluation (0…29)']);
    const flat = failure(await api.gradCam(res.session, { index: 0, nodeId: 'f', classIndex: null }));
    expect(flat.code).toBe('bad-request');
    expect(flat.error.message).toMatch(/"f" outputs \[64\].*Nodes that can be used: c1 \(Conv2D\), p1 \(MaxPooling2D\)/);
    const unknown = failure(await api.project(res.session, { nodeId: 'zz', method: 'pca' }));
    expect(unknown.error.message).toContain('no node "zz"');
    const badClass = failure(await api.gradCam(res.session, { index: 0, nodeId: 'c1', classIndex: 12 }));
    expect([badClass.code, badClass.error.message]).toEqual(['bad-request', expect.stringContaining('classIndex')]);

    const second = classification(await api.evaluate({ runId: cnn.id, checkpointId: null, split: 'validation', backend: 'cpu' }));
    const replaced = failure(await api.samples(res.session, [0]));
    expect([replaced.code, replaced.error.message]).toEqual(['session-gone', expect.stringContaining('replaced')]);
    await api.dispose(second.session);
    const gone = failure(await api.gradCam(second.session, { index: 0, nodeId: 'c1', classIndex: null }));
    expect(gone.code).toBe('session-gone');
    expect(failure(await api.project('made-up' as EvalSessionId, { nodeId: 'f', method: 'pca' })).code).toBe('session-gone');
  });
});
