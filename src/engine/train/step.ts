// One optimizer step: forward and backward over each micro-batch of the group, gradients
// averaged by sample count, the L2 gradient added, clipped by global norm, then applied.
// Loss and metric sums are added into device tensors; nothing is read back here.
import * as tf from '@tensorflow/tfjs';
import { setDropoutStep } from '../compile/custom/dropout.js';
import type { Split } from '../data/types.js';
import type { ResolvedTrainingConfig } from './config.js';
import { addInto } from './evaluate.js';
import { accumulate, addL2, clipByGlobalNorm, globalNorm } from './gradients.js';
import type { Optimizer, TrainableParam } from './optimizers.js';
import { batchTensors, type Task } from './task.js';

/** Running sums of one epoch, on the device, with counts on the CPU. */
export class EpochSums {
  lossSum: tf.Scalar;
  samples: number;
  readonly metricSums: tf.Scalar[];
  readonly metricCounts: number[];

  constructor(metrics: number, start?: { lossSum: number; samples: number; metricSums: readonly number[]; metricCounts: readonly number[] }) {
    this.lossSum = tf.scalar(start?.lossSum ?? 0);
    this.samples = start?.samples ?? 0;
    this.metricSums = Array.from({ length: metrics }, (_, i) => tf.scalar(start?.metricSums[i] ?? 0));
    this.metricCounts = Array.from({ length: metrics }, (_, i) => start?.metricCounts[i] ?? 0);
  }

  /** Reads every sum back in one batch of awaits: [lossSum, ...metricSums]. */
  async read(): Promise<{ lossSum: number; metricSums: number[] }> {
    const values = await Promise.all([this.lossSum, ...this.metricSums].map((t) => t.data()));
    return { lossSum: values[0]![0]!, metricSums: values.slice(1).map((v) => v[0]!) };
  }

  dispose(): void {
    tf.dispose([this.lossSum, ...this.metricSums]);
  }
}

export interface StepContext {
  readonly model: tf.LayersModel;
  readonly task: Task;
  readonly config: ResolvedTrainingConfig;
  readonly train: Split;
  readonly params: readonly TrainableParam[];
  readonly optimizer: Optimizer;
}

export interface StepInput {
  /** This epoch's sample order. */
  readonly order: Int32Array;
  /** Micro-batches [from, to) of the epoch make up this step. */
  readonly from: number;
  readonly to: number;
  /** Global micro-batch counter of `from`, for the dropout masks. */
  readonly microStep: number;
  readonly learningRate: number;
  /** Compute the gradient norm even without clipping (a progress event is due). */
  readonly wantNorm: boolean;
}

export interface StepOutput {
  /** Sample-weighted mean data loss of the step. */
  readonly loss: tf.Scalar;
  /** Global gradient norm before clipping, when computed. */
  readonly norm: tf.Scalar | null;
}

/** Runs one optimizer step and adds its loss and metrics into `sums`. */
export function trainStep(ctx: StepContext, input: StepInput, sums: EpochSums): StepOutput {
  const { model, task, config, train, params, optimizer } = ctx;
  const bs = config.batchSize;
  const rows = (m: number): [number, number] => [m * bs, Math.min(train.count, (m + 1) * bs)];
  const groupSamples = rows(input.to - 1)[1] - rows(input.from)[0];
  const vars = params.map((p) => p.variable);
  let grads: tf.Tensor[] | null = null;
  let stepLoss: tf.Scalar | null = null;
  for (let m = input.from; m < input.to; m++) {
    const [a, b] = rows(m);
    const n = b - a;
    setDropoutStep(model, config.seed, input.microStep + (m - input.from));
    const out = tf.tidy(() => {
      const { x, y } = batchTensors(task, train, input.order, a, b);
      let measured: { sum: tf.Scalar; count: number }[] = [];
      const { value, grads: named } = tf.variableGrads(() => {
        const pred = model.apply(x, { training: true }) as tf.Tensor;
        // Metrics from the same forward pass; kept so the gradient scope does not free them.
        measured = task.metrics.map((metric) => {
          const r = metric.measure(y, pred);
          return { sum: tf.keep(r.sum), count: r.count };
        });
        return task.loss(y, pred);
      }, vars);
      // A weight the loss does not reach gets a zero gradient rather than no update slot.
      const g = vars.map((v) => named[v.name] ?? tf.zerosLike(v));
      return { value, grads: g, measured };
    });
    sums.lossSum = addInto(sums.lossSum, tf.mul(out.value, n) as tf.Scalar);
    sums.samples += n;
    out.measured.forEach((r, i) => {
      sums.metricSums[i] = addInto(sums.metricSums[i]!, r.sum);
      sums.metricCounts[i]! += r.count;
    });
    stepLoss = addInto(stepLoss, tf.mul(out.value, n / groupSamples) as tf.Scalar);
    out.value.dispose();
    grads = accumulate(grads, out.grads, n / groupSamples);
    tf.dispose(out.grads);
  }
  let g = grads!;
  if (config.l2 > 0) {
    const withL2 = addL2(g, params, config.l2);
    tf.dispose(g);
    g = withL2;
  }
  let norm: tf.Scalar | null = null;
  if (config.clipNorm !== null) {
    const clipped = clipByGlobalNorm(g, config.clipNorm);
    tf.dispose(g);
    g = clipped.grads;
    norm = clipped.norm;
  } else if (input.wantNorm) norm = globalNorm(g);
  optimizer.apply(g, input.learningRate);
  tf.dispose(g);
  return { loss: stepLoss!, norm };
}
