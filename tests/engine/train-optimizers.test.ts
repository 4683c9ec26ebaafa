// Optimizers, learning-rate schedules and gradient clipping against hand-worked numbers.
// Every optimizer takes two steps on a kernel w [1, 2] and a bias b [1] with fixed gradients;
// the expected values follow the formulas in src/engine/train/optimizers.ts (worked in float64,
// and identical to PyTorch 1.13's torch.optim with the same settings).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installFastCpuKernels } from '../../src/engine/runtime/cpu-kernels.js';
import type { ResolvedOptimizer, ResolvedSchedule } from '../../src/engine/train/config.js';
import { clipByGlobalNorm, globalNorm, addL2 } from '../../src/engine/train/gradients.js';
import { createOptimizer, decays, type TrainableParam } from '../../src/engine/train/optimizers.js';
import { learningRateAt } from '../../src/engine/train/schedules.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installFastCpuKernels();
});

const W0 = [[1, -2]];
const B0 = [0.5];
/** Step 1 and step 2 gradients for [w, b]. */
const GRADS = [
  [[[0.5, 1]], [0.2]],
  [[[-0.25, 0.5]], [-0.1]],
] as const;

function params(): TrainableParam[] {
  const w = tf.variable(tf.tensor2d(W0));
  const b = tf.variable(tf.tensor1d(B0));
  return [
    { key: 'dense/kernel', variable: w, decay: decays(w) },
    { key: 'dense/bias', variable: b, decay: decays(b) },
  ];
}

/** Runs two steps at lr 0.1; returns [w, b] after each. */
function twoSteps(config: ResolvedOptimizer, grads: readonly (readonly [number[][], number[]])[] = GRADS as never): { w: number[]; b: number[] }[] {
  const ps = params();
  const opt = createOptimizer(config, ps);
  const out = grads.map(([gw, gb]) => {
    const g = [tf.tensor2d(gw), tf.tensor1d(gb)];
    opt.apply(g, 0.1);
    tf.dispose(g);
    return { w: Array.from(ps[0]!.variable.dataSync()), b: Array.from(ps[1]!.variable.dataSync()) };
  });
  opt.dispose();
  tf.dispose(ps.map((p) => p.variable));
  return out;
}

function expectClose(actual: { w: number[]; b: number[] }[], expected: { w: number[]; b: number[] }[]): void {
  expected.forEach((e, step) => {
    e.w.forEach((v, i) => expect(actual[step]!.w[i], `w[${i}] after step ${step + 1}`).toBeCloseTo(v, 5));
    e.b.forEach((v, i) => expect(actual[step]!.b[i], `b[${i}] after step ${step + 1}`).toBeCloseTo(v, 5));
  });
}

describe('optimizers: two steps against hand-worked updates', () => {
  it('sgd: w ← w − lr·g', () => {
    // w: 1 − 0.1·0.5 = 0.95, −2 − 0.1·1 = −2.1; then 0.95 + 0.025 = 0.975, −2.1 − 0.05 = −2.15
    expectClose(twoSteps({ name: 'sgd', learningRate: 0.1, momentum: 0, nesterov: false }), [
      { w: [0.95, -2.1], b: [0.48] },
      { w: [0.975, -2.15], b: [0.49] },
    ]);
  });

  it('sgd with momentum: b ← μb + g, w ← w − lr·b', () => {
    // step 2: b = 0.9·[0.5, 1] + [−0.25, 0.5] = [0.2, 1.4]; w = [0.95 − 0.02, −2.1 − 0.14]
    expectClose(twoSteps({ name: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: false }), [
      { w: [0.95, -2.1], b: [0.48] },
      { w: [0.93, -2.24], b: [0.472] },
    ]);
  });

  it('sgd with Nesterov momentum: w ← w − lr·(g + μb)', () => {
    // step 1: b = g; g + 0.9·b = [0.95, 1.9] → w = [0.905, −2.19]
    // step 2: b = [0.2, 1.4]; g + 0.9·b = [−0.07, 1.76] → w = [0.912, −2.366]
    expectClose(twoSteps({ name: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true }), [
      { w: [0.905, -2.19], b: [0.462] },
      { w: [0.912, -2.366], b: [0.4648] },
    ]);
  });

  it('adam: bias-corrected moments', () => {
    // step 1: m̂ = g, v̂ = g², so w moves by lr·g/|g| = 0.1 per entry.
    // step 2: m = [0.02, 0.14], v = [3.1225e−4, 1.249e−3], m̂ = m/0.19, v̂ = v/0.001999 → w = [0.873366, −2.193218]
    expectClose(twoSteps({ name: 'adam', learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }), [
      { w: [0.9, -2.1], b: [0.4] },
      { w: [0.8733663, -2.1932180], b: [0.3733663] },
    ]);
  });

  it('adamw: w ← w − lr·wd·w on the kernel, not the bias, then the Adam step', () => {
    // step 1: w·(1 − 0.1·0.1) − 0.1 = [0.89, −2.08]; b as in Adam.
    expectClose(twoSteps({ name: 'adamw', learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1 }), [
      { w: [0.89, -2.08], b: [0.4] },
      { w: [0.8544663, -2.1524180], b: [0.3733663] },
    ]);
  });

  it('rmsprop: w ← w − lr·g/(√v + ε)', () => {
    // step 1: v = 0.1·g² → g/√v = √10 → w = 1 − 0.316228 = 0.683772
    expectClose(twoSteps({ name: 'rmsprop', learningRate: 0.1, rho: 0.9, momentum: 0, epsilon: 1e-8, centered: false }), [
      { w: [0.6837723, -2.3162278], b: [0.1837723] },
      { w: [0.8312142, -2.4636697], b: [0.3312142] },
    ]);
  });

  it('rmsprop, centered, with momentum', () => {
    // step 1: v = 0.1g², a = 0.1g, v − a² = 0.09g² → g/√(·) = 1/0.3; b = 3.3333 → w = 1 − 0.33333
    expectClose(twoSteps({ name: 'rmsprop', learningRate: 0.1, rho: 0.9, momentum: 0.5, epsilon: 1e-8, centered: true }), [
      { w: [0.6666667, -2.3333333], b: [0.1666667] },
      { w: [0.6484785, -2.6618810], b: [0.1484785] },
    ]);
  });

  it('adagrad: w ← w − lr·g/(√Σg² + ε)', () => {
    // step 2: s = [0.3125, 1.25] → 0.9 + 0.1·0.25/0.559017 = 0.944721
    expectClose(twoSteps({ name: 'adagrad', learningRate: 0.1, epsilon: 1e-10 }), [
      { w: [0.9, -2.1], b: [0.4] },
      { w: [0.9447214, -2.1447214], b: [0.4447214] },
    ]);
  });

  it('AdamW decay is decoupled: with a zero gradient it shrinks w by exactly lr·wd·w, while Adam + L2 moves every weight by ~lr', () => {
    const zero = [[[[0, 0]], [0]]] as never;
    const adamw = twoSteps({ name: 'adamw', learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1 }, zero);
    expectClose(adamw, [{ w: [0.99, -1.98], b: [0.5] }]);
    // Adam with the L2 gradient 2·l2·w (l2 = 0.05, i.e. 0.1·w) normalises it away: each weight moves by lr.
    const ps = params();
    const opt = createOptimizer({ name: 'adam', learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, ps);
    const g = addL2([tf.zeros([1, 2]), tf.zeros([1])], ps, 0.05);
    opt.apply(g, 0.1);
    expect(Array.from(ps[0]!.variable.dataSync())).toEqual([expect.closeTo(0.9, 5), expect.closeTo(-1.9, 5)]);
    expect(ps[1]!.variable.dataSync()[0]).toBeCloseTo(0.5, 6); // biases get no L2 either
    opt.dispose();
  });

  it('keeps one slot per weight for each moment, named after the weight', () => {
    const ps = params();
    const names = (c: ResolvedOptimizer) => {
      const o = createOptimizer(c, ps);
      const keys = o.slots.map((s) => s.key);
      o.dispose();
      return keys;
    };
    expect(names({ name: 'sgd', learningRate: 0.1, momentum: 0, nesterov: false })).toEqual([]);
    expect(names({ name: 'adam', learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 })).toEqual(['dense/kernel/m', 'dense/kernel/v', 'dense/bias/m', 'dense/bias/v']);
    expect(names({ name: 'rmsprop', learningRate: 0.1, rho: 0.9, momentum: 0.5, epsilon: 1e-8, centered: true })).toEqual([
      'dense/kernel/meanSquare', 'dense/kernel/meanGrad', 'dense/kernel/momentum', 'dense/bias/meanSquare', 'dense/bias/meanGrad', 'dense/bias/momentum',
    ]);
  });
});

describe('learning-rate schedules', () => {
  const seq = (s: ResolvedSchedule, steps: number, stepsPerEpoch = 1, base = 1) =>
    Array.from({ length: steps }, (_, step) => learningRateAt(s, base, { step, epoch: Math.floor(step / stepsPerEpoch), totalSteps: steps }));
  const close = (actual: number[], expected: number[]) => expected.forEach((e, i) => expect(actual[i], `step ${i}`).toBeCloseTo(e, 7));

  it('constant', () => close(seq({ name: 'constant' }, 3, 1, 0.3), [0.3, 0.3, 0.3]));

  it('step: × gamma every stepSize epochs, or steps', () => {
    // Two steps per epoch; halve every 2 epochs.
    close(seq({ name: 'step', stepSize: 2, gamma: 0.5, unit: 'epoch' }, 10, 2), [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25]);
    close(seq({ name: 'step', stepSize: 3, gamma: 0.1, unit: 'step' }, 7), [1, 1, 1, 0.1, 0.1, 0.1, 0.01]);
  });

  it('exponential: base · gammaᵗ', () => {
    close(seq({ name: 'exponential', gamma: 0.9, unit: 'epoch' }, 6, 2), [1, 1, 0.9, 0.9, 0.81, 0.81]);
    close(seq({ name: 'exponential', gamma: 0.5, unit: 'step' }, 4), [1, 0.5, 0.25, 0.125]);
  });

  it('cosine with linear warm-up', () => {
    // warm-up 2 of 6 steps: 1/2, 2/2; then ½(1 + cos(π·k/4)) for k = 0…3
    close(seq({ name: 'cosine', warmupSteps: 2, minLearningRate: 0, totalSteps: null }, 6), [0.5, 1, 1, 0.8535534, 0.5, 0.1464466]);
    // towards a floor of 0.1, over an explicit total of 4 steps (run longer: stays at the floor)
    close(seq({ name: 'cosine', warmupSteps: 0, minLearningRate: 0.1, totalSteps: 4 }, 6), [1, 0.8681981, 0.55, 0.2318019, 0.1, 0.1]);
  });

  it("one-cycle, as PyTorch's OneCycleLR (max 1, 10 steps, pctStart 0.3, div 25, final div 1e4)", () => {
    close(seq({ name: 'oneCycle', pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4, totalSteps: null }, 10), [
      0.04, 0.52, 1, 0.9504846, 0.8117457, 0.6112620, 0.3887420, 0.1882583, 0.0495194, 4e-6,
    ]);
  });
});

describe('clipping by global norm', () => {
  it('shrinks to exactly clipNorm and keeps every direction', () => {
    const grads = [tf.tensor2d([[3, 4]]), tf.tensor1d([12])]; // norm 13
    const { grads: clipped, norm } = clipByGlobalNorm(grads, 6.5);
    expect(norm.dataSync()[0]).toBeCloseTo(13, 5);
    expect(globalNorm(clipped).dataSync()[0]).toBeCloseTo(6.5, 5);
    expect(Array.from(clipped[0]!.dataSync())).toEqual([1.5, 2]);
    expect(Array.from(clipped[1]!.dataSync())).toEqual([6]);
    // Direction: the clipped vector is a positive multiple of the original.
    const before = [...grads[0]!.dataSync(), ...grads[1]!.dataSync()];
    const after = [...clipped[0]!.dataSync(), ...clipped[1]!.dataSync()];
    const cos = before.reduce((s, v, i) => s + v * after[i]!, 0) / (13 * 6.5);
    expect(cos).toBeCloseTo(1, 6);
  });

  it('leaves gradients within the limit unchanged', () => {
    const { grads } = clipByGlobalNorm([tf.tensor1d([0.3, -0.4])], 1);
    expect(Array.from(grads[0]!.dataSync())).toEqual([expect.closeTo(0.3, 7), expect.closeTo(-0.4, 7)]);
  });
});
