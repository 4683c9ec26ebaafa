// The training loop end to end on the CPU backend: it learns, it is reproducible (dropout
// included), a resumed run continues exactly, memory is flat, control works, accumulation
// is exact, early stopping behaves, and nothing reads back synchronously.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installFastCpuKernels } from '../../src/engine/runtime/cpu-kernels.js';
import type { Split } from '../../src/engine/data/types.js';
import type { TrainingConfig } from '../../src/engine/project/types.js';
import {
  createTrainingControl, evaluate, trainModel, type Checkpoint, type EpochRecord, type TrainerEvent, type TrainOptions,
} from '../../src/engine/train/index.js';
import { earlyStoppingStep, INITIAL_EARLY_STOPPING, monitoredValue, type EarlyStoppingState } from '../../src/engine/train/early-stopping.js';
import type { ResolvedEarlyStopping } from '../../src/engine/train/config.js';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { GraphBuilder } from '../../src/engine/templates/builder.js';
import { circles, config, mlp, weightsOf } from './train-fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installFastCpuKernels();
});

/** Runs trainModel collecting every event. */
async function run(o: Omit<TrainOptions, 'onEvent'> & { onEvent?: (e: TrainerEvent) => void }) {
  const events: TrainerEvent[] = [];
  const result = await trainModel({
    ...o,
    onEvent: (e) => {
      events.push(e);
      o.onEvent?.(e);
    },
  });
  const of = <T extends TrainerEvent['type']>(t: T) => events.filter((e): e is Extract<TrainerEvent, { type: T }> => e.type === t);
  return { result, events, of };
}

/** Collects checkpoints in memory. */
const memorySink = () => {
  const saved: Checkpoint[] = [];
  return { saved, sink: { save: async (c: Checkpoint) => void saved.push(c) } };
};

const train = circles(400, 1);
const validation = circles(200, 2);

describe('trainModel', () => {
  it('learns a synthetic 2-class problem to ≥ 95% validation accuracy in a few seconds', async () => {
    const t0 = performance.now();
    const { result, of } = await run({
      model: mlp({ hidden: [16, 16], seed: 1 }),
      train: circles(1000, 11),
      validation: circles(500, 12),
      config: config({ optimizer: { name: 'adam', learningRate: 0.01 }, metrics: ['accuracy'], batchSize: 32, epochs: 15, seed: 1 }),
    });
    const seconds = (performance.now() - t0) / 1000;
    const last = result.history.at(-1)!;
    expect(result.status).toBe('completed');
    expect(last.valMetrics!['accuracy']).toBeGreaterThanOrEqual(0.95);
    expect(last.loss).toBeLessThan(result.history[0]!.loss / 2);
    expect(seconds).toBeLessThan(20);
    // The epoch event is exactly the CLI's JSON line plus learningRate and durationMs.
    const epoch = of('epoch')[0]!;
    expect(Object.keys(epoch)).toEqual(['type', 'epoch', 'loss', 'metrics', 'valLoss', 'valMetrics', 'learningRate', 'durationMs']);
    expect(JSON.parse(JSON.stringify(epoch))).toMatchObject({ type: 'epoch', epoch: 1, metrics: { accuracy: expect.any(Number) }, valMetrics: { accuracy: expect.any(Number) } });
    expect(of('done')).toEqual([{ type: 'done', status: 'completed', epochs: 15, history: result.history }]);
  });

  it('never reads back synchronously while training (no dataSync / arraySync)', async () => {
    const proto = tf.Tensor.prototype as unknown as Record<'dataSync' | 'arraySync' | 'bufferSync', (...a: unknown[]) => unknown>;
    const names = ['dataSync', 'arraySync', 'bufferSync'] as const;
    const originals = names.map((n) => proto[n]);
    let calls = 0;
    names.forEach((n, i) => (proto[n] = function (this: unknown, ...a: unknown[]) { calls++; return originals[i]!.apply(this, a); }));
    try {
      await run({
        model: mlp({ dropout: 0.2 }), train, validation,
        config: config({ metrics: ['accuracy', 'top1Accuracy'], epochs: 2, clipNorm: 1, l2: 1e-4, accumulationSteps: 2, schedule: { name: 'cosine', warmupSteps: 3 } }),
        progressIntervalMs: 0,
        checkpoints: memorySink(),
      });
    } finally {
      names.forEach((n, i) => (proto[n] = originals[i]!));
    }
    expect(calls).toBe(0);
  });

  it('throttles progress to about 10 a second and fills every field', async () => {
    const t0 = performance.now();
    const { of } = await run({ model: mlp(), train: circles(2000, 3), validation: null, config: config({ epochs: 3, batchSize: 8, metrics: ['accuracy'] }) });
    const ms = performance.now() - t0;
    const progress = of('progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(ms / 100) + 1);
    for (const p of progress) {
      expect(p.step).toBeGreaterThan(0);
      expect(p.step).toBeLessThanOrEqual(p.stepsPerEpoch);
      expect(p.stepsPerEpoch).toBe(250);
      expect(p.learningRate).toBe(0.001);
      expect(Number.isFinite(p.loss) && Number.isFinite(p.stepLoss) && Number.isFinite(p.gradNorm)).toBe(true);
      expect(p.samplesPerSec).toBeGreaterThan(0);
      expect(p.metrics['accuracy']).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('other tasks through the same loop', () => {
  it('binary classification with one sigmoid unit and float labels', async () => {
    const data = circles(800, 21);
    const asFloat = (d: Split): Split => ({ ...d, y: { values: Float32Array.from(d.y.values), shape: [], dtype: 'float32' } });
    const { result } = await run({
      model: mlp({ hidden: [16, 16], outputs: 1, activation: 'sigmoid' }), train: asFloat(data), validation: asFloat(circles(300, 22)),
      config: config({ loss: 'binaryCrossentropy', optimizer: { name: 'adam', learningRate: 0.02 }, metrics: ['accuracy'], epochs: 12 }),
    });
    expect(result.history.at(-1)!.valMetrics!['accuracy']).toBeGreaterThanOrEqual(0.9);
  });

  it('next-token prediction: [B, T, V] logits against shifted [B, T] labels', async () => {
    // A periodic "text" 0 1 2 … 7 0 1 …: the next token is fully determined by the current one.
    const g = new GraphBuilder();
    g.chain(g.input('tokens', [6], 'int32'), [
      ['embed', 'Embedding', { inputDim: 8, outputDim: 8 }],
      ['logits', 'Dense', { units: 8 }],
    ]);
    const model = compileGraph(analyzeGraph(g.build()), { seed: 1 }).model;
    const count = 64;
    const x = new Int32Array(count * 6);
    const y = new Int32Array(count * 6);
    for (let i = 0; i < count; i++) for (let t = 0; t < 6; t++) {
      x[i * 6 + t] = (i + t) % 8;
      y[i * 6 + t] = (i + t + 1) % 8;
    }
    const split: Split = { x: { values: x, shape: [6], dtype: 'int32' }, y: { values: y, shape: [6], dtype: 'int32' }, count };
    const { result } = await run({
      model, train: split, validation: null,
      config: config({ loss: 'nextTokenCrossentropy', optimizer: { name: 'adam', learningRate: 0.05 }, metrics: ['accuracy', 'top2Accuracy'], epochs: 15, batchSize: 16 }),
    });
    const first = result.history[0]!;
    const last = result.history.at(-1)!;
    expect(first.loss).toBeGreaterThan(1.5); // about ln 8 at the start
    expect(last.loss).toBeLessThan(0.2);
    expect(last.metrics['accuracy']).toBe(1);
  });
});

describe('reproducibility', () => {
  const stepLosses = async (seed: number) => {
    const { of } = await run({
      model: mlp({ dropout: 0.5, seed: 7 }), // same initial weights every time: only the run's seed varies
      train, validation: null,
      config: config({ optimizer: { name: 'sgd', learningRate: 0.1, momentum: 0.9 }, epochs: 2, batchSize: 32, seed }),
      progressIntervalMs: 0,
    });
    return of('progress').map((p) => p.stepLoss);
  };

  it('the same seed gives the identical per-step loss sequence over 2 epochs, dropout included; another seed does not', async () => {
    const a = await stepLosses(1);
    expect(a).toHaveLength(26); // 2 × ⌈400 / 32⌉
    expect(await stepLosses(1)).toEqual(a);
    const b = await stepLosses(2);
    expect(b).not.toEqual(a);
  });

  it('attention and residual dropout inside transformer layers are seeded too', async () => {
    // Token ids → embeddings → encoder block (dropout 0.3) → self-attention (dropout 0.3) → classes.
    const g = new GraphBuilder();
    const t = g.chain(g.input('tokens', [6], 'int32'), [
      ['embed', 'Embedding', { inputDim: 20, outputDim: 8 }],
      ['block', 'TransformerEncoder', { intermediateDim: 16, numHeads: 2, dropout: 0.3 }],
    ]);
    const att = g.layer('att', 'MultiHeadAttention', { numHeads: 2, keyDim: 4, dropout: 0.3 }, [t, t]);
    g.chain(att, [['pool', 'GlobalAveragePooling1D', {}], ['out', 'Dense', { units: 2, activation: 'softmax' }]]);
    const analysis = analyzeGraph(g.build());
    const ids = Int32Array.from({ length: 64 * 6 }, (_, i) => (i * 7 + (i >> 3)) % 20);
    const labels = Int32Array.from({ length: 64 }, (_, i) => (ids[i * 6]! > 9 ? 1 : 0));
    const train: Split = { x: { values: ids, shape: [6], dtype: 'int32' }, y: { values: labels, shape: [], dtype: 'int32' }, count: 64 };
    const losses = async (seed: number) => {
      const { of } = await run({
        model: compileGraph(analysis, { seed: 5 }).model, // same initial weights: only dropout can differ
        train, validation: null,
        config: config({ optimizer: { name: 'adam', learningRate: 0.01 }, epochs: 1, batchSize: 16, seed }),
        progressIntervalMs: 0,
      });
      return of('progress').map((p) => p.stepLoss);
    };
    const a = await losses(1);
    expect(a).toHaveLength(4);
    expect(await losses(1)).toEqual(a);
    expect(await losses(2)).not.toEqual(a);
  });

  it('dropout masks change from step to step and repeat for the same step', async () => {
    const model = mlp({ dropout: 0.5, hidden: [64] });
    const { setDropoutStep } = await import('../../src/engine/compile/custom/dropout.js');
    const x = tf.ones([4, 2]);
    const out = (step: number) => {
      setDropoutStep(model, 1, step);
      return Array.from((model.apply(x, { training: true }) as tf.Tensor).dataSync());
    };
    expect(out(3)).toEqual(out(3));
    expect(out(4)).not.toEqual(out(3));
    expect(Array.from((model.apply(x, { training: false }) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
  });
});

describe('checkpoints and resume', () => {
  // Exercises every piece of state: Adam moments, a warm-up + cosine schedule, dropout masks,
  // the shuffle order, clipping, L2, metrics, early-stopping bookkeeping.
  const training: TrainingConfig = {
    optimizer: { name: 'adamw', learningRate: 0.01, weightDecay: 0.05 },
    schedule: { name: 'cosine', warmupSteps: 4 },
    metrics: ['accuracy'],
    batchSize: 48,
    epochs: 4,
    seed: 5,
    clipNorm: 2,
    l2: 1e-4,
    earlyStopping: { monitor: 'valLoss', patience: 10, restoreBestWeights: true },
  };
  const model = (seed = 1) => mlp({ hidden: [16], dropout: 0.3, seed });
  const losses = (h: readonly EpochRecord[]) => h.map((r) => [r.epoch, r.loss, r.metrics['accuracy'], r.valLoss, r.learningRate]);

  it('2 epochs, a checkpoint, then epochs 3–4 in a fresh model match an uninterrupted 4-epoch run exactly', async () => {
    const whole = memorySink();
    const a = await run({ model: model(), train, validation, config: config(training), checkpoints: { sink: whole.sink } });
    expect(whole.saved.map((c) => [c.reason, c.position.epoch])).toEqual([['interval', 1], ['interval', 2], ['interval', 3], ['final', 4]]);

    const first = memorySink();
    const control = createTrainingControl();
    const b = await run({
      model: model(), train, validation, config: config(training), control, checkpoints: { sink: first.sink },
      onEvent: (e) => e.type === 'epoch' && e.epoch === 2 && control.stop(),
    });
    expect(b.result.status).toBe('stopped');
    const ckpt = first.saved.at(-1)!;
    expect(ckpt.reason).toBe('final');
    expect(ckpt.position).toMatchObject({ epoch: 2, step: 0, microBatch: 0, globalStep: 18 });
    // Plain data: survives structured cloning (worker → storage).
    const restored = structuredClone(ckpt);

    const fresh = model(99); // different initial weights: everything must come from the checkpoint
    const c = await run({ model: fresh, train, validation, config: config(training), resumeFrom: restored });
    expect(c.of('epoch').map((e) => e.epoch)).toEqual([3, 4]);
    expect(losses(c.result.history)).toEqual(losses(a.result.history));
    expect(c.result.globalStep).toBe(a.result.globalStep);
  });

  it('resuming from a mid-epoch checkpoint continues the same epoch exactly', async () => {
    const whole = memorySink();
    const a = await run({ model: model(), train, validation, config: config(training), checkpoints: { sink: whole.sink, everyEpochs: 0, everySteps: 4 } });
    const mid = whole.saved.find((c) => c.position.epoch === 1 && c.position.step > 0)!;
    expect(mid.position).toMatchObject({ epoch: 1, step: 3, microBatch: 3, globalStep: 12 }); // 9 steps per epoch
    expect(mid.partialEpoch?.samples).toBe(144);
    const c = await run({ model: model(42), train, validation, config: config(training), resumeFrom: mid });
    expect(losses(c.result.history)).toEqual(losses(a.result.history));
  });

  it('refuses a checkpoint for another optimizer or another graph', async () => {
    const s = memorySink();
    await run({ model: model(), train, validation: null, config: config({ epochs: 1 }), checkpoints: s });
    await expect(run({ model: model(), train, validation: null, config: config({ epochs: 2, optimizer: { name: 'sgd' } }), resumeFrom: s.saved[0]! })).rejects.toThrow(
      "the checkpoint's optimizer state is for adam; this run uses sgd",
    );
    await expect(run({ model: mlp({ hidden: [8] }), train, validation: null, config: config({ epochs: 2 }), resumeFrom: s.saved[0]! })).rejects.toThrow(
      'checkpoint weights: "h0/kernel" is [2,16], the model\'s is [2,8]',
    );
  });
});

describe('memory', () => {
  it('tf.memory().numTensors is flat from the second epoch on', async () => {
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    const m = mlp({ hidden: [16, 16], dropout: 0.2 });
    await run({
      model: m, train, validation,
      config: config({
        optimizer: { name: 'rmsprop', momentum: 0.5, centered: true }, metrics: ['accuracy', 'top1Accuracy'], epochs: 5, batchSize: 32,
        clipNorm: 1, l2: 1e-3, accumulationSteps: 2, earlyStopping: { monitor: 'valAccuracy', patience: 10, restoreBestWeights: true },
      }),
      checkpoints: memorySink(),
      progressIntervalMs: 0,
      onEvent: (e) => e.type === 'epoch' && counts.push(tf.memory().numTensors),
    });
    expect(new Set(counts.slice(1)).size).toBe(1);
    // After the run only the model's own weights remain.
    expect(tf.memory().numTensors - before).toBe(m.weights.length);
  });
});

describe('control', () => {
  it('pause holds the loop between steps, resume continues, stop ends cleanly with status stopped', async () => {
    const control = createTrainingControl();
    const progressAt: number[] = [];
    let pausedAt = -1;
    const sink = memorySink();
    const done = run({
      model: mlp(), train: circles(4000, 9), validation: null, config: config({ epochs: 50, batchSize: 8 }), control, progressIntervalMs: 0,
      checkpoints: { sink: sink.sink, everyEpochs: 0 },
      onEvent: (e) => {
        if (e.type !== 'progress') return;
        progressAt.push(e.step);
        if (pausedAt < 0 && e.step === 5) {
          control.pause();
          pausedAt = progressAt.length;
        }
      },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(control.state).toBe('paused');
    expect(progressAt.length).toBe(pausedAt); // nothing ran while paused
    control.resume();
    await new Promise((r) => setTimeout(r, 200));
    expect(progressAt.length).toBeGreaterThan(pausedAt);
    control.stop();
    const { result, of } = await done;
    expect(result.status).toBe('stopped');
    expect(result.epochs).toBe(0);
    expect(of('done')[0]).toMatchObject({ status: 'stopped' });
    // The final checkpoint records where the stop left the epoch.
    const final = sink.saved.at(-1)!;
    expect(final.reason).toBe('final');
    expect(final.position.step).toBe(progressAt.at(-1));
    expect(final.partialEpoch?.samples).toBe(final.position.step * 8);
  });

  it('a paused run can be stopped', async () => {
    const control = createTrainingControl();
    control.pause();
    const done = run({ model: mlp(), train, validation: null, config: config({ epochs: 2 }), control });
    await new Promise((r) => setTimeout(r, 50));
    control.stop();
    const { result, of } = await done;
    expect(result.status).toBe('stopped');
    expect(of('progress')).toEqual([]);
  });
});

describe('gradient accumulation', () => {
  it('N micro-batches of b equal one batch of N·b (SGD, no dropout), short last group included', async () => {
    const data = circles(50, 4); // 13 micro-batches of 4 → groups of 3, 3, 3, 3, 1 = batches of 12, 12, 12, 12, 2
    const sgd: TrainingConfig = { optimizer: { name: 'sgd', learningRate: 0.5, momentum: 0.9 }, epochs: 2, seed: 3 };
    const a = mlp({ seed: 2 });
    const b = mlp({ seed: 2 });
    const ra = await run({ model: a, train: data, validation: null, config: config({ ...sgd, batchSize: 4, accumulationSteps: 3 }) });
    const rb = await run({ model: b, train: data, validation: null, config: config({ ...sgd, batchSize: 12 }) });
    expect(ra.result.globalStep).toBe(10);
    expect(rb.result.globalStep).toBe(10);
    const wa = weightsOf(a).flat();
    const wb = weightsOf(b).flat();
    expect(Math.max(...wa.map((v, i) => Math.abs(v - wb[i]!)))).toBeLessThan(1e-5);
    expect(ra.result.history[1]!.loss).toBeCloseTo(rb.result.history[1]!.loss, 5);
    // and it is not trivially equal: plain batches of 4 end elsewhere
    const c = mlp({ seed: 2 });
    await run({ model: c, train: data, validation: null, config: config({ ...sgd, batchSize: 4 }) });
    expect(Math.max(...weightsOf(c).flat().map((v, i) => Math.abs(v - wb[i]!)))).toBeGreaterThan(1e-2);
  });
});

describe('early stopping on a scripted sequence', () => {
  const script = (cfg: Partial<ResolvedEarlyStopping>, values: number[]) => {
    const full: ResolvedEarlyStopping = { monitor: 'valLoss', mode: 'min', patience: 2, minDelta: 0, restoreBestWeights: false, ...cfg };
    let state: EarlyStoppingState = INITIAL_EARLY_STOPPING;
    const decisions = values.map((v, i) => {
      const r = earlyStoppingStep(full, state, v, i + 1);
      state = r.state;
      return r.decision;
    });
    return { decisions, state };
  };

  it('min mode: an improvement must beat the best by more than minDelta; patience counts the rest', () => {
    const r = script({ minDelta: 0.01 }, [1, 0.995, 0.98, 0.979, 0.985]);
    expect(r.decisions).toEqual(['improved', 'waiting', 'improved', 'waiting', 'stop']);
    expect(r.state).toEqual({ best: 0.98, bestEpoch: 3, wait: 2 });
  });
  it('max mode: equal is not better', () => {
    expect(script({ mode: 'max', monitor: 'valAccuracy' }, [0.5, 0.6, 0.6, 0.55]).decisions).toEqual(['improved', 'improved', 'waiting', 'stop']);
  });
  it('patience 0 stops at the first epoch without improvement; NaN never improves', () => {
    expect(script({ patience: 0 }, [1, 2]).decisions).toEqual(['improved', 'stop']);
    expect(script({ patience: 3 }, [Number.NaN, 1, Number.NaN]).decisions).toEqual(['waiting', 'improved', 'waiting']);
  });
  it('reads the monitored number from an epoch record', () => {
    const record: EpochRecord = { epoch: 1, loss: 0.5, metrics: { accuracy: 0.8, top5Accuracy: 0.9 }, valLoss: 0.6, valMetrics: { accuracy: 0.7, top5Accuracy: 0.85 }, learningRate: 0.1, durationMs: 1 };
    expect(['loss', 'valLoss', 'accuracy', 'valAccuracy', 'valTop5Accuracy', 'valRecall'].map((m) => monitoredValue(record, m))).toEqual([0.5, 0.6, 0.8, 0.7, 0.85, null]);
  });
});

describe('early stopping in the loop', () => {
  /** Validation labels are the opposite class: the better the model fits train, the worse valLoss gets. */
  const flipped = (s: Split): Split => ({ ...s, y: { ...s.y, values: Int32Array.from(s.y.values, (v) => 1 - v) } });

  it('stops after `patience` epochs without improvement and restores the best weights', async () => {
    const data = circles(300, 6);
    const m = mlp({ seed: 4 });
    const val = flipped(data);
    const snapshots: number[][][] = [];
    const { result, of } = await run({
      model: m, train: data, validation: val,
      config: config({ optimizer: { name: 'adam', learningRate: 0.02 }, epochs: 20, earlyStopping: { monitor: 'valLoss', patience: 2, restoreBestWeights: true } }),
      onEvent: (e) => e.type === 'epoch' && snapshots.push(weightsOf(m)),
    });
    const valLosses = result.history.map((r) => r.valLoss!);
    const bestEpoch = valLosses.indexOf(Math.min(...valLosses)) + 1;
    expect(result.status).toBe('early-stopped');
    expect(result.epochs).toBe(bestEpoch + 2); // two epochs without improvement
    expect(result.epochs).toBeLessThan(20);
    expect(of('early-stop')).toEqual([{ type: 'early-stop', epoch: bestEpoch + 2, monitor: 'valLoss', best: valLosses[bestEpoch - 1], bestEpoch, restoredBestWeights: true }]);
    expect(weightsOf(m)).toEqual(snapshots[bestEpoch - 1]);
    expect(weightsOf(m)).not.toEqual(snapshots.at(-1));
    expect((await evaluate(m, val, config({}))).loss).toBeCloseTo(valLosses[bestEpoch - 1]!, 5);
  });

  it('refuses to monitor validation data that does not exist', async () => {
    await expect(run({ model: mlp(), train, validation: null, config: config({ earlyStopping: { monitor: 'valLoss' } }) })).rejects.toThrow(
      'training.earlyStopping.monitor: "valLoss" needs validation data: set validationSplit above 0',
    );
  });
});
