// Every template is a valid project file that compiles and takes one real training step on
// the CPU backend with finite gradients for every trainable weight.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { parseProject } from '../../src/engine/project/parse.js';
import { installFastCpuKernels } from '../../src/engine/runtime/cpu-kernels.js';
import { TEMPLATES } from '../../src/engine/templates/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installFastCpuKernels(); // TF.js's own conv-filter and embedding gradients take minutes on ResNet-18 and mini-BERT
});

/** The template's loss on random targets of the right shape (the trainer issue owns real losses). */
function lossFor(name: string | undefined, y: tf.Tensor): tf.Scalar {
  const [batch, ...rest] = y.shape;
  switch (name) {
    case 'sparseCategoricalCrossentropy': {
      const labels = tf.randomUniform([batch!], 0, rest.at(-1)!, 'int32');
      return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, rest.at(-1)!), tf.log(tf.add(y, 1e-7))) as tf.Scalar;
    }
    case 'binaryCrossentropy':
      return tf.mean(tf.metrics.binaryCrossentropy(tf.cast(tf.greater(tf.randomUniform(y.shape), 0.5), 'float32'), y)) as tf.Scalar;
    case 'nextTokenCrossentropy': {
      const vocab = rest.at(-1)!;
      const labels = tf.randomUniform(y.shape.slice(0, -1), 0, vocab, 'int32');
      return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, vocab), y) as tf.Scalar;
    }
    default:
      throw new Error(`test has no loss for ${name}`);
  }
}

function sampleBatch(model: tf.LayersModel, batch: number): tf.Tensor[] {
  return model.inputs.map((inp) => {
    const shape = [batch, ...(inp.shape.slice(1) as number[])];
    return inp.dtype === 'int32' ? tf.randomUniform(shape, 0, 200, 'int32') : tf.randomUniform(shape, 0, 1, 'float32', 3);
  });
}

describe('templates', () => {
  it('are all listed with unique ids', () => {
    expect(TEMPLATES.map((t) => t.id)).toEqual(['mlp', 'lenet5', 'resnet18', 'unet', 'lstm-text', 'mini-bert', 'gpt-mini', 'vit-tiny']);
  });

  for (const t of TEMPLATES) {
    it(`${t.id}: valid file, no diagnostics, compiles, one finite training step`, () => {
      const doc = JSON.parse(JSON.stringify(t.project())); // through JSON, as a saved file would be
      const parsed = parseProject(doc);
      if (!parsed.ok) throw new Error(`${parsed.error.path}: ${parsed.error.message}`);
      const analysis = analyzeGraph(parsed.project.graph);
      expect(analysis.diagnostics).toEqual([]);
      const { model } = compileGraph(analysis, { seed: parsed.project.training.seed ?? 0 });
      expect(model.countParams()).toBe(analysis.totals.params);

      const optimizer = tf.train.adam(1e-3);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      tf.tidy(() => {
        const xs = sampleBatch(model, 2);
        const { value, grads } = tf.variableGrads(() => lossFor(parsed.project.training.loss, model.apply(xs, { training: true }) as tf.Tensor), vars);
        expect(Number.isFinite(value.dataSync()[0]!)).toBe(true);
        const missing = vars.filter((v) => !grads[v.name]).map((v) => v.name);
        expect(missing).toEqual([]);
        const nonFinite = vars.filter((v) => !Number.isFinite(grads[v.name]!.abs().sum().dataSync()[0]!)).map((v) => v.name);
        expect(nonFinite).toEqual([]);
        const zero = vars.filter((v) => grads[v.name]!.abs().max().dataSync()[0] === 0).map((v) => v.name);
        expect(zero, 'weights that get no learning signal').toEqual([]);
        optimizer.applyGradients(grads as tf.NamedTensorMap as Parameters<typeof optimizer.applyGradients>[0]);
      });
      const after = tf.tidy(() => model.predict(sampleBatch(model, 1)) as tf.Tensor);
      expect(Number.isFinite(after.sum().dataSync()[0]!)).toBe(true);
      after.dispose();
      optimizer.dispose();
      model.dispose();
    });
  }

  it('the same seed gives the same initial weights; another seed does not', () => {
    const a = analyzeGraph(TEMPLATES[1]!.project().graph);
    const w = (seed: number) => {
      const { model } = compileGraph(a, { seed });
      const data = model.getWeights().map((t) => Array.from(t.dataSync()));
      model.dispose();
      return data;
    };
    const first = w(1);
    expect(w(1)).toEqual(first);
    expect(w(2)).not.toEqual(first);
  });
});
