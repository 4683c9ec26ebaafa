// Shared fixtures for the train-*.test.ts suites: small seeded models and synthetic data.
import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../../src/engine/compile/compile.js';
import type { Split } from '../../src/engine/data/types.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { GraphBuilder } from '../../src/engine/templates/builder.js';
import { rng } from '../../src/engine/random.js';
import { resolveTrainingConfig, type ResolvedTrainingConfig } from '../../src/engine/train/config.js';
import type { TrainingConfig } from '../../src/engine/project/types.js';

export interface MlpOptions {
  readonly inputs?: number;
  readonly hidden?: readonly number[];
  readonly outputs?: number;
  readonly activation?: 'softmax' | 'sigmoid' | 'linear';
  /** Adds a Dropout after every hidden layer. */
  readonly dropout?: number;
  readonly seed?: number;
}

/** Input → Dense(relu)… [→ Dropout] → Dense(outputs, activation), compiled with a seed. */
export function mlp(o: MlpOptions = {}): tf.LayersModel {
  const g = new GraphBuilder();
  let x = g.input('x', [o.inputs ?? 2]);
  (o.hidden ?? [16]).forEach((units, i) => {
    x = g.layer(`h${i}`, 'Dense', { units, activation: 'relu' }, [x]);
    if (o.dropout) x = g.layer(`drop${i}`, 'Dropout', { rate: o.dropout }, [x]);
  });
  g.layer('out', 'Dense', { units: o.outputs ?? 2, activation: o.activation ?? 'softmax' }, [x]);
  const analysis = analyzeGraph(g.build());
  if (!analysis.valid) throw new Error(JSON.stringify(analysis.diagnostics));
  return compileGraph(analysis, { seed: o.seed ?? 1 }).model;
}

/**
 * A 2-class problem that needs a non-linear boundary: points uniform in [−1, 1]², class 1
 * inside the circle of radius 0.6 (about 28% of points), as int32 ids.
 */
export function circles(count: number, seed: number): Split {
  const rand = rng(seed);
  const x = new Float32Array(count * 2);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const a = rand() * 2 - 1;
    const b = rand() * 2 - 1;
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[i] = a * a + b * b < 0.36 ? 1 : 0;
  }
  return { x: { values: x, shape: [2], dtype: 'float32' }, y: { values: y, shape: [], dtype: 'int32' }, count };
}

export const config = (t: TrainingConfig): ResolvedTrainingConfig => resolveTrainingConfig({ loss: 'sparseCategoricalCrossentropy', ...t });

/** Every weight's values, for comparing two models. */
export const weightsOf = (m: tf.LayersModel): number[][] => m.getWeights().map((w) => Array.from(w.dataSync()));
