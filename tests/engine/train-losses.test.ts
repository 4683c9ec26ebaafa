// Losses and metrics against hand-worked fixtures, the probabilities-vs-logits decision, label
// checks a person reads, and evaluate() batching.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/engine/compile/compile.js';
import type { Column } from '../../src/engine/data/types.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { installFastCpuKernels } from '../../src/engine/runtime/cpu-kernels.js';
import { findTemplate } from '../../src/engine/templates/index.js';
import { GraphBuilder } from '../../src/engine/templates/builder.js';
import { parseMetric, type LossName } from '../../src/engine/train/config.js';
import { evaluate } from '../../src/engine/train/evaluate.js';
import { labelProblem, makeLoss, outputActivation, type OutputActivation } from '../../src/engine/train/losses.js';
import { makeMetric } from '../../src/engine/train/metrics.js';
import { prepareTask } from '../../src/engine/train/task.js';
import { circles, config, mlp } from './train-fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installFastCpuKernels();
});

const lossOf = (name: LossName, output: OutputActivation, y: tf.Tensor, p: tf.Tensor): number => tf.tidy(() => makeLoss(name, output)(y, p).dataSync()[0]!);

describe('losses against hand computation', () => {
  const probs = tf.tensor2d([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3]]);
  const logits = tf.tensor2d([[2, 1, 0], [0, 1, 3]]);
  const ids = tf.tensor1d([0, 2], 'int32');
  const oneHot = tf.tensor2d([[1, 0, 0], [0, 0, 1]]);

  it('sparseCategoricalCrossentropy on softmax probabilities: mean −ln p[label]', () => {
    // −(ln 0.7 + ln 0.3) / 2
    expect(lossOf('sparseCategoricalCrossentropy', 'softmax', ids, probs)).toBeCloseTo(0.7803239, 5);
  });
  it('sparseCategoricalCrossentropy on logits: through log-softmax', () => {
    // −(2 − ln(e² + e + 1) + 3 − ln(1 + e + e³)) / 2
    expect(lossOf('sparseCategoricalCrossentropy', 'linear', ids, logits)).toBeCloseTo(0.2887260, 5);
  });
  it('labels of shape [B, 1] work like [B]', () => {
    expect(lossOf('sparseCategoricalCrossentropy', 'linear', tf.tensor2d([[0], [2]], [2, 1], 'int32'), logits)).toBeCloseTo(0.2887260, 5);
  });
  it('categoricalCrossentropy with one-hot labels equals the sparse loss', () => {
    expect(lossOf('categoricalCrossentropy', 'softmax', oneHot, probs)).toBeCloseTo(0.7803239, 5);
    expect(lossOf('categoricalCrossentropy', 'linear', oneHot, logits)).toBeCloseTo(0.2887260, 5);
  });
  it('binaryCrossentropy on sigmoid probabilities and on logits', () => {
    // −(ln 0.9 + ln 0.8) / 2;  (ln(1 + e^−2) + ln(1 + e^−1)) / 2
    expect(lossOf('binaryCrossentropy', 'sigmoid', tf.tensor1d([1, 0]), tf.tensor2d([[0.9], [0.2]]))).toBeCloseTo(0.1642520, 5);
    expect(lossOf('binaryCrossentropy', 'linear', tf.tensor2d([[1], [0]]), tf.tensor2d([[2], [-1]]))).toBeCloseTo(0.2200948, 5);
  });
  it('regression losses: MSE, MAE, Huber (δ = 1)', () => {
    const y = tf.tensor2d([[1], [2], [3]]);
    const p = tf.tensor2d([[1.5], [2], [1]]); // errors 0.5, 0, 2
    expect(lossOf('meanSquaredError', 'linear', y, p)).toBeCloseTo((0.25 + 0 + 4) / 3, 5);
    expect(lossOf('meanAbsoluteError', 'linear', y, p)).toBeCloseTo(2.5 / 3, 5);
    expect(lossOf('huber', 'linear', y, p)).toBeCloseTo((0.125 + 0 + 1.5) / 3, 5); // ½·0.5², 0, 2 − ½
  });
  it('nextTokenCrossentropy scores every position against the already-shifted next tokens', () => {
    // [B=1, T=2, V=3] logits; labels [B, T] = the tokens that follow each position.
    const z = tf.tensor3d([[[1, 0, 0], [0, 0, 2]]]);
    expect(lossOf('nextTokenCrossentropy', 'linear', tf.tensor2d([[0, 2]], [1, 2], 'int32'), z)).toBeCloseTo(0.3954947, 5);
  });
  it('stays finite at the extremes: confident logits, and probabilities of exactly 0 clipped to ε', () => {
    expect(lossOf('sparseCategoricalCrossentropy', 'linear', tf.tensor1d([1], 'int32'), tf.tensor2d([[1000, 0]]))).toBeCloseTo(1000, 2);
    expect(lossOf('sparseCategoricalCrossentropy', 'softmax', tf.tensor1d([1], 'int32'), tf.tensor2d([[1, 0]]))).toBeCloseTo(16.118096, 3); // −ln 1e−7
    expect(lossOf('binaryCrossentropy', 'linear', tf.tensor1d([0]), tf.tensor2d([[100]]))).toBeCloseTo(100, 3);
    expect(lossOf('binaryCrossentropy', 'sigmoid', tf.tensor1d([1]), tf.tensor2d([[0]]))).toBeCloseTo(16.118096, 3);
  });
  it('the logits gradient is (softmax − one-hot) / batch', () => {
    const g = tf.grad((z: tf.Tensor) => makeLoss('sparseCategoricalCrossentropy', 'linear')(ids, z))(logits);
    const expected = tf.div(tf.sub(tf.softmax(logits), oneHot), 2);
    expect(tf.max(tf.abs(tf.sub(g, expected))).dataSync()[0]).toBeLessThan(1e-6);
  });
});

describe('what the output layer emits decides probabilities vs logits', () => {
  it('reads softmax, sigmoid and linear outputs, through reshapes and dropout', () => {
    expect(outputActivation(mlp({ activation: 'softmax' }))).toBe('softmax');
    expect(outputActivation(mlp({ outputs: 1, activation: 'sigmoid' }))).toBe('sigmoid');
    expect(outputActivation(mlp({ activation: 'linear' }))).toBe('linear');
    const g = new GraphBuilder();
    g.chain(g.input('x', [4]), [
      ['d', 'Dense', { units: 6, activation: 'softmax' }],
      ['drop', 'Dropout', { rate: 0.1 }],
      ['r', 'Reshape', { targetShape: [2, 3] }],
    ]);
    expect(outputActivation(compileGraph(analyzeGraph(g.build())).model)).toBe('softmax');
  });
  it('templates: LeNet-5 ends in softmax, the LSTM classifier in sigmoid, GPT-mini in logits', () => {
    const act = (id: string) => outputActivation(compileGraph(analyzeGraph(findTemplate(id)!.project().graph)).model);
    expect(act('lenet5')).toBe('softmax');
    expect(act('lstm-text')).toBe('sigmoid');
    expect(act('gpt-mini')).toBe('linear');
  });
});

describe('metrics against hand-worked fixtures', () => {
  const p = tf.tensor2d([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.2, 0.3, 0.5]]);
  const measure = (name: string, loss: LossName, output: OutputActivation, y: tf.Tensor, pred: tf.Tensor) => {
    const m = makeMetric(parseMetric(name)!, loss, output, pred.shape.at(-1)!);
    if (typeof m === 'string') throw new Error(m);
    const { sum, count } = m.measure(y, pred);
    return { value: sum.dataSync()[0]! / count, count };
  };

  it('accuracy with class ids and with one-hot labels', () => {
    // argmax = [0, 1, 2] vs labels [0, 2, 2] → 2 of 3
    expect(measure('accuracy', 'sparseCategoricalCrossentropy', 'softmax', tf.tensor1d([0, 2, 2], 'int32'), p)).toEqual({ value: 2 / 3, count: 3 });
    expect(measure('accuracy', 'categoricalCrossentropy', 'softmax', tf.oneHot(tf.tensor1d([0, 2, 2], 'int32'), 3), p).value).toBeCloseTo(2 / 3, 7);
  });
  it('binary accuracy thresholds probabilities at 0.5 and logits at 0', () => {
    const y = tf.tensor1d([1, 1, 0, 0]);
    // predicted [1, 0, 1, 0] → correct [yes, no, no, yes]
    expect(measure('accuracy', 'binaryCrossentropy', 'sigmoid', y, tf.tensor2d([[0.9], [0.4], [0.6], [0.1]])).value).toBe(0.5);
    expect(measure('accuracy', 'binaryCrossentropy', 'linear', y, tf.tensor2d([[2], [-0.5], [0.3], [-3]])).value).toBe(0.5);
  });
  it('top-k accuracy counts a hit when fewer than k classes score higher than the label', () => {
    const y = tf.tensor1d([1, 2, 0], 'int32'); // true scores 0.2 (1 above), 0.3 (1 above), 0.2 (2 above)
    expect(measure('top1Accuracy', 'sparseCategoricalCrossentropy', 'softmax', y, p).value).toBe(0);
    expect(measure('top2Accuracy', 'sparseCategoricalCrossentropy', 'softmax', y, p).value).toBeCloseTo(2 / 3, 7);
    expect(measure('top3Accuracy', 'categoricalCrossentropy', 'softmax', tf.oneHot(y, 3), p).value).toBe(1);
  });
  it('meanAbsoluteError', () => {
    expect(measure('meanAbsoluteError', 'meanSquaredError', 'linear', tf.tensor2d([[1], [2], [3]]), tf.tensor2d([[1.5], [2], [1]])).value).toBeCloseTo(2.5 / 3, 6);
  });
  it('next-token accuracy counts positions, not sequences', () => {
    const z = tf.tensor3d([[[1, 0, 0], [0, 0, 2]], [[0, 3, 0], [1, 0, 0]]]); // argmax [[0, 2], [1, 0]]
    expect(measure('accuracy', 'nextTokenCrossentropy', 'linear', tf.tensor2d([[0, 2], [1, 1]], [2, 2], 'int32'), z)).toEqual({ value: 0.75, count: 4 });
  });
  it('refuses metrics that cannot apply, in words', () => {
    expect(makeMetric(parseMetric('top5Accuracy')!, 'binaryCrossentropy', 'sigmoid', 1)).toBe('top5Accuracy needs several classes and a categorical loss; this run uses binaryCrossentropy with 1 output');
    expect(makeMetric(parseMetric('meanAbsoluteError')!, 'sparseCategoricalCrossentropy', 'softmax', 10)).toBe('meanAbsoluteError compares values, but sparseCategoricalCrossentropy labels are class ids');
  });
});

describe('labels are checked against the loss and the output', () => {
  const col = (values: number[], shape: number[], dtype: 'int32' | 'float32' = 'int32'): Column => ({ values: dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values), shape, dtype });
  it('class ids must be in range', () => {
    expect(labelProblem('sparseCategoricalCrossentropy', [null, 3], col([0, 2, 3], []))).toBe('label 3 (sample 2) is not a class id in 0…2: the output has 3 classes');
    expect(labelProblem('sparseCategoricalCrossentropy', [null, 3], col([0, 2, 1], []))).toBeNull();
  });
  it('one-hot labels must match the output; ids are pointed to the sparse loss', () => {
    expect(labelProblem('categoricalCrossentropy', [null, 3], col([0, 2], []))).toBe(
      "categoricalCrossentropy needs one-hot labels shaped like the output, [null,3]; the dataset's labels are [null] (use sparseCategoricalCrossentropy for class ids)",
    );
  });
  it('next-token needs [batch, steps, vocabulary] outputs and [steps] labels', () => {
    expect(labelProblem('nextTokenCrossentropy', [null, 10], col([1], []))).toBe('nextTokenCrossentropy needs a model output of [batch, steps, vocabulary]; this model outputs [null,10]');
    expect(labelProblem('nextTokenCrossentropy', [null, 4, 10], col([1, 2, 3], [3]))).toMatch(/^nextTokenCrossentropy needs one class id per position, labels of shape \[null,4\]/);
  });
  it('prepareTask gathers every problem, by field', () => {
    const model = mlp({ inputs: 3 });
    const bad = { x: col([0, 0], [2], 'float32'), y: col([5], []), count: 1 };
    expect(() => prepareTask(model, config({ metrics: ['meanAbsoluteError'] }), [bad])).toThrow(
      "dataset: samples are [null,2] but the model's Input takes [null,3]; training.loss: label 5 (sample 0) is not a class id in 0…1: the output has 2 classes; training.metrics[0]: meanAbsoluteError compares values, but sparseCategoricalCrossentropy labels are class ids",
    );
  });
});

describe('evaluate', () => {
  it('batches of any size give the sample-weighted mean of the whole split', async () => {
    const model = mlp({ hidden: [8], seed: 3 });
    const data = circles(23, 5);
    const cfg = config({ metrics: ['accuracy'], batchSize: 7 }); // batches of 7, 7, 7, 2
    const r = await evaluate(model, data, cfg);
    const whole = tf.tidy(() => {
      const x = tf.tensor2d(data.x.values as Float32Array, [23, 2]);
      const y = tf.tensor1d(data.y.values as Int32Array, 'int32');
      const pred = model.predict(x) as tf.Tensor;
      const acc = tf.mean(tf.cast(tf.equal(tf.argMax(pred, -1), y), 'float32'));
      return [makeLoss('sparseCategoricalCrossentropy', 'softmax')(y, pred).dataSync()[0]!, acc.dataSync()[0]!];
    });
    expect(r.loss).toBeCloseTo(whole[0]!, 5);
    expect(r.metrics['accuracy']).toBeCloseTo(whole[1]!, 6);
  });
});
