// The training benchmark, independent of where it runs (Node or a browser page): on the
// current TF.js backend, our loop (trainModel) against a hand-written model.fit on the same
// model, data and batch size; time to the first step; first vs steady epoch; tensor drift.
import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../src/engine/compile/compile.js';
import type { Split } from '../src/engine/data/types.js';
import { analyzeGraph } from '../src/engine/graph/analyze.js';
import { prewarmWebGpu, syntheticStep } from '../src/engine/runtime/backend-probe.js';
import { findTemplate } from '../src/engine/templates/index.js';
import { resolveTrainingConfig, trainModel } from '../src/engine/train/index.js';

export interface TrainingBenchResult {
  readonly template: string;
  readonly backend: string;
  readonly samples: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly oursSamplesPerSec: number;
  readonly fitSamplesPerSec: number;
  /** ours / fit; the target is ≥ 0.95. */
  readonly ratio: number;
  readonly firstStepMs: number;
  /** First epoch over the median of the others; the target is ≤ 1.5. */
  readonly firstToSteady: number;
  /** numTensors after the last epoch minus after epoch 2 (0 = no leak). */
  readonly tensorDrift: number;
  readonly prewarmMs: number | null;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const now = () => performance.now();

/** The first `n` samples of a split. */
export function head(split: Split, n: number): Split {
  const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
  const take = (c: Split['x']) => ({ ...c, values: c.values.slice(0, n * size(c.shape)) });
  return { x: take(split.x), y: take(split.y), count: Math.min(n, split.count) };
}

function build(template: string): tf.LayersModel {
  return compileGraph(analyzeGraph(findTemplate(template)!.project().graph), { seed: 1 }).model;
}

async function ours(template: string, data: Split, batchSize: number, epochs: number, maxStepsInFlight?: number) {
  const model = build(template);
  let prewarmMs: number | null = null;
  if (tf.getBackend() === 'webgpu') {
    const opt = tf.train.adam(1e-3);
    prewarmMs = (await prewarmWebGpu(() => syntheticStep(model, batchSize, opt)))?.ms ?? null;
    opt.dispose();
  }
  const config = resolveTrainingConfig({ optimizer: { name: 'adam', learningRate: 1e-3 }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], batchSize, epochs, seed: 1, validationSplit: 0 });
  const epochMs: number[] = [];
  const tensors: number[] = [];
  const t0 = now();
  let firstStepMs = -1;
  let epochStart = t0;
  await trainModel({
    model, train: data, validation: null, config, ...(maxStepsInFlight ? { maxStepsInFlight } : {}),
    onEvent: (e) => {
      if (e.type === 'progress' && firstStepMs < 0) firstStepMs = now() - t0;
      if (e.type === 'epoch') {
        const t = now();
        epochMs.push(t - epochStart);
        epochStart = t;
        tensors.push(tf.memory().numTensors);
      }
    },
  });
  model.dispose();
  return { epochMs, firstStepMs, tensorDrift: tensors.at(-1)! - tensors[Math.min(1, tensors.length - 1)]!, prewarmMs };
}

async function fit(template: string, data: Split, batchSize: number, epochs: number) {
  const model = build(template);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const xs = tf.tensor(data.x.values, [data.count, ...data.x.shape], data.x.dtype);
  const ys = tf.tensor(Float32Array.from(data.y.values), [data.count, 1]);
  const epochMs: number[] = [];
  let start = 0;
  await model.fit(xs, ys, {
    batchSize, epochs, shuffle: true, verbose: 0,
    callbacks: { onEpochBegin: async () => void (start = now()), onEpochEnd: async () => void epochMs.push(now() - start) },
  });
  xs.dispose();
  ys.dispose();
  model.dispose();
  return { epochMs };
}

/**
 * Runs both loops on the current backend, ours first then fit, then (by default) ours again,
 * keeping the faster of our two runs' steady epochs (so a one-off hiccup does not decide the ratio).
 */
export async function benchTraining(template: string, data: Split, o: { batchSize?: number; epochs?: number; oursRuns?: 1 | 2; maxStepsInFlight?: number } = {}): Promise<TrainingBenchResult> {
  const batchSize = o.batchSize ?? 128;
  const epochs = o.epochs ?? 4;
  const a = await ours(template, data, batchSize, epochs, o.maxStepsInFlight);
  const f = await fit(template, data, batchSize, epochs);
  const b = o.oursRuns === 1 ? a : await ours(template, data, batchSize, epochs, o.maxStepsInFlight);
  const steady = (ms: number[]) => median(ms.slice(1));
  const oursSteady = Math.min(steady(a.epochMs), steady(b.epochMs));
  const fitSteady = steady(f.epochMs);
  return {
    template,
    backend: tf.getBackend(),
    samples: data.count,
    batchSize,
    epochs,
    oursSamplesPerSec: data.count / (oursSteady / 1000),
    fitSamplesPerSec: data.count / (fitSteady / 1000),
    ratio: fitSteady / oursSteady,
    firstStepMs: a.firstStepMs,
    firstToSteady: a.epochMs[0]! / steady(a.epochMs),
    tensorDrift: Math.max(a.tensorDrift, b.tensorDrift),
    prewarmMs: a.prewarmMs,
  };
}

/** A measured case, or why a backend could not run it. */
export type BenchOutcome = TrainingBenchResult | { readonly template: string; readonly backend: string; readonly skipped: string };
