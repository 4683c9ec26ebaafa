// Input and the core layers: Dense, Activation, Dropout, reshaping and Embedding.
import { bool, float, int, intList, oneOf } from '../params.js';
import { formatShape, product, type Shape } from '../tensor.js';
import {
  activationFlopsPerElement, activationParam, describeSource, invalidShape, NO_PARAMS, ok, perSample,
  requireKnown, requireMinRank, requireRank, tfActivation,
} from './common.js';
import { defineLayer } from './spec.js';

const rate = float({ default: 0.5, min: 0, max: 0.99, doc: 'Fraction of inputs set to zero while training.' });

export const coreLayers = {
  Input: defineLayer({
    kind: 'Input',
    category: 'input',
    summary: 'Where data enters the model; shape excludes the batch dimension.',
    params: {
      shape: intList({ default: [28, 28, 1], min: 1, doc: 'Shape of one sample, without the batch dimension, e.g. [28, 28, 1].' }),
      dtype: oneOf(['float32', 'int32'], { default: 'float32', doc: "Use 'int32' for token ids feeding an Embedding." }),
    },
    inputs: { min: 0, max: 0 },
    infer: (p) => (p.shape.length === 0 ? invalidShape('Input needs at least one dimension', 'Set shape, e.g. [784].') : ok([null, ...p.shape], p.dtype)),
    countParams: () => NO_PARAMS,
    flops: () => 0,
    activationElements: () => 0,
    build: (ctx, p) => ctx.tf.input({ shape: p.shape, dtype: p.dtype, name: ctx.name() }),
  }),

  Dense: defineLayer({
    kind: 'Dense',
    category: 'core',
    summary: 'Fully connected layer on the last axis.',
    params: {
      units: int({ default: 32, min: 1, max: 1 << 20, doc: 'Number of output features.' }),
      activation: activationParam('linear'),
      useBias: bool({ default: true, doc: 'Add a learned bias.' }),
    },
    inputs: { min: 1, max: 1 },
    infer(p, [x]) {
      const err = requireMinRank('Dense', x!, 2, 'Dense needs at least one feature dimension.') ?? requireKnown('Dense', x!, [x!.shape.length - 1]);
      if (err) return err;
      return ok([...x!.shape.slice(0, -1), p.units]);
    },
    countParams: (p, [x]) => ({ trainable: x!.shape.at(-1)! * p.units + (p.useBias ? p.units : 0), nonTrainable: 0 }),
    flops(p, [x], out) {
      const positions = perSample(out) / p.units;
      const fanIn = x!.shape.at(-1)!;
      return positions * p.units * (2 * fanIn + (p.useBias ? 1 : 0)) + perSample(out) * activationFlopsPerElement(p.activation);
    },
    build: (ctx, p, [x]) =>
      ctx.tf.layers
        .dense({
          name: ctx.name(),
          units: p.units,
          activation: tfActivation(p.activation) as never,
          useBias: p.useBias,
          kernelInitializer: ctx.tf.initializers.glorotUniform({ seed: ctx.seed('kernel') }),
          biasInitializer: 'zeros',
        })
        .apply(x!) as never,
  }),

  Activation: defineLayer({
    kind: 'Activation',
    category: 'core',
    summary: 'Applies an activation function element-wise.',
    params: { activation: activationParam('relu') },
    inputs: { min: 1, max: 1 },
    infer: (_p, [x]) => ok(x!.shape),
    countParams: () => NO_PARAMS,
    flops: (p, _i, out) => perSample(out) * activationFlopsPerElement(p.activation),
    build: (ctx, p, [x]) => ctx.tf.layers.activation({ name: ctx.name(), activation: tfActivation(p.activation) as never }).apply(x!) as never,
  }),

  Dropout: defineLayer({
    kind: 'Dropout',
    category: 'core',
    summary: 'Randomly zeroes inputs while training, to regularise.',
    params: { rate },
    inputs: { min: 1, max: 1 },
    infer: (_p, [x]) => ok(x!.shape, x!.dtype),
    countParams: () => NO_PARAMS,
    flops: (_p, _i, out) => perSample(out),
    // Our layer, not TF.js's: its masks are seeded per training step (compile/custom/dropout.ts).
    build: (ctx, p, [x]) => new ctx.custom.Dropout({ name: ctx.name(), rate: p.rate, noise: 'elementwise' }).apply(x!) as never,
  }),

  SpatialDropout1D: defineLayer({
    kind: 'SpatialDropout1D',
    category: 'core',
    summary: 'Dropout of whole channels of a sequence [steps, channels].',
    params: { rate },
    inputs: { min: 1, max: 1 },
    infer: (_p, [x]) => requireRank('SpatialDropout1D', x!, 3) ?? ok(x!.shape),
    countParams: () => NO_PARAMS,
    flops: (_p, _i, out) => perSample(out),
    build: (ctx, p, [x]) => new ctx.custom.Dropout({ name: ctx.name(), rate: p.rate, noise: 'channels1d' }).apply(x!) as never,
  }),

  SpatialDropout2D: defineLayer({
    kind: 'SpatialDropout2D',
    category: 'core',
    summary: 'Dropout of whole feature maps of an image [height, width, channels].',
    params: { rate },
    inputs: { min: 1, max: 1 },
    infer: (_p, [x]) => requireRank('SpatialDropout2D', x!, 4) ?? ok(x!.shape),
    countParams: () => NO_PARAMS,
    flops: (_p, _i, out) => perSample(out),
    build: (ctx, p, [x]) => new ctx.custom.Dropout({ name: ctx.name(), rate: p.rate, noise: 'channels2d' }).apply(x!) as never,
  }),

  Flatten: defineLayer({
    kind: 'Flatten',
    category: 'reshaping',
    summary: 'Flattens each sample to one dimension.',
    params: {},
    inputs: { min: 1, max: 1 },
    infer(_p, [x]) {
      const err = requireKnown('Flatten', x!, x!.shape.map((_, i) => i).slice(1));
      return err ?? ok([null, perSample(x!)], x!.dtype);
    },
    countParams: () => NO_PARAMS,
    flops: () => 0,
    activationElements: () => 0,
    build(ctx, _p, [x]) {
      // TF.js's Flatten refuses rank 2 (Keras treats it as a no-op): use an identity Reshape.
      if (x!.shape.length === 2) return ctx.tf.layers.reshape({ name: ctx.name(), targetShape: [x!.shape[1]!] }).apply(x!) as never;
      return ctx.tf.layers.flatten({ name: ctx.name() }).apply(x!) as never;
    },
  }),

  Reshape: defineLayer({
    kind: 'Reshape',
    category: 'reshaping',
    summary: 'Reshapes each sample; one entry may be -1 to be inferred.',
    params: { targetShape: intList({ default: [-1], min: 1, allowMinusOne: true, doc: 'New shape without the batch dimension; -1 is inferred.' }) },
    inputs: { min: 1, max: 1 },
    infer(p, [x]) {
      const err = requireKnown('Reshape', x!, x!.shape.map((_, i) => i).slice(1));
      if (err) return err;
      const total = perSample(x!);
      const known = product(p.targetShape.filter((d) => d !== -1));
      const into = formatShape([null, ...p.targetShape]);
      const from = `${formatShape(x!.shape)} (${total} values) from ${describeSource(x!)}`;
      if (p.targetShape.includes(-1)) {
        if (known === 0 || total % known !== 0)
          return invalidShape(`Reshape: cannot fit ${from} into ${into}`, `Choose a target shape whose known sizes multiply to a divisor of ${total}.`);
        return ok([null, ...p.targetShape.map((d) => (d === -1 ? total / known : d))], x!.dtype);
      }
      if (known !== total)
        return invalidShape(`Reshape: cannot reshape ${from} into ${into} (${known} values)`, `Choose a target shape whose sizes multiply to ${total}, or use -1 for one of them.`);
      return ok([null, ...p.targetShape], x!.dtype);
    },
    countParams: () => NO_PARAMS,
    flops: () => 0,
    activationElements: () => 0,
    build(ctx, p, [x]) {
      // Resolve -1 here: TF.js would leave that dimension unknown downstream.
      const total = product(x!.shape.slice(1) as number[]);
      const known = product(p.targetShape.filter((d) => d !== -1));
      const targetShape = p.targetShape.map((d) => (d === -1 ? total / known : d));
      return ctx.tf.layers.reshape({ name: ctx.name(), targetShape }).apply(x!) as never;
    },
  }),

  Permute: defineLayer({
    kind: 'Permute',
    category: 'reshaping',
    summary: 'Reorders the non-batch dimensions; dims are 1-based, e.g. [2, 1] swaps two axes.',
    params: { dims: intList({ default: [2, 1], min: 1, doc: 'A permutation of 1…rank, batch excluded.' }) },
    inputs: { min: 1, max: 1 },
    infer(p, [x]) {
      const rank = x!.shape.length - 1;
      const sorted = [...p.dims].sort((a, b) => a - b);
      if (p.dims.length !== rank || sorted.some((d, i) => d !== i + 1))
        return invalidShape(
          `Permute: dims ${formatShape(p.dims)} is not a permutation of 1…${rank} for ${formatShape(x!.shape)}`,
          `Use each number from 1 to ${rank} exactly once.`,
        );
      return ok([null, ...p.dims.map((d) => x!.shape[d]!)], x!.dtype);
    },
    countParams: () => NO_PARAMS,
    flops: () => 0,
    build: (ctx, p, [x]) => ctx.tf.layers.permute({ name: ctx.name(), dims: p.dims }).apply(x!) as never,
  }),

  RepeatVector: defineLayer({
    kind: 'RepeatVector',
    category: 'reshaping',
    summary: 'Repeats a [features] vector n times into [n, features].',
    params: { n: int({ default: 4, min: 1, max: 1 << 16, doc: 'Number of repetitions.' }) },
    inputs: { min: 1, max: 1 },
    infer: (p, [x]) => requireRank('RepeatVector', x!, 2) ?? ok([null, p.n, x!.shape[1]!], x!.dtype),
    countParams: () => NO_PARAMS,
    flops: () => 0,
    build: (ctx, p, [x]) => ctx.tf.layers.repeatVector({ name: ctx.name(), n: p.n }).apply(x!) as never,
  }),

  Embedding: defineLayer({
    kind: 'Embedding',
    category: 'core',
    summary: 'Looks up a learned vector for each integer token id.',
    params: {
      inputDim: int({ default: 1000, min: 1, max: 1 << 22, doc: 'Vocabulary size: token ids run from 0 to inputDim - 1.' }),
      outputDim: int({ default: 64, min: 1, max: 1 << 16, doc: 'Size of each embedding vector.' }),
    },
    inputs: { min: 1, max: 1 },
    infer(p, [x]) {
      const err = requireMinRank('Embedding', x!, 2, 'Feed Embedding token ids of shape [steps] from an int32 Input.');
      if (err) return err;
      const shape: Shape = [...x!.shape, p.outputDim];
      return ok(shape);
    },
    countParams: (p) => ({ trainable: p.inputDim * p.outputDim, nonTrainable: 0 }),
    flops: () => 0,
    build: (ctx, p, [x]) =>
      ctx.tf.layers
        .embedding({
          name: ctx.name(),
          inputDim: p.inputDim,
          outputDim: p.outputDim,
          embeddingsInitializer: ctx.tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: ctx.seed('embeddings') }),
        })
        .apply(x!) as never,
  }),
};
