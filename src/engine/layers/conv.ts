// The convolution family, channels-last: Conv1D/2D/3D, Conv2DTranspose, DepthwiseConv2D
// and SeparableConv2D, with TF.js's argument names and defaults. Where TF.js 4.22 builds
// something other than Keras would, we expose only what it builds correctly (see each kind).
import type * as tf from '@tensorflow/tfjs';
import { bool, int, ints, oneOf, type ParamsOf } from '../params.js';
import type { TensorInfo } from '../tensor.js';
import { activationFlopsPerElement, activationParam, deconvLength, ok, perSample, tfActivation, weights } from './common.js';
import { dilationLimit, positions, requireChannels, slide, spatialOf, stridedDilation, volume } from './conv-shape.js';
import { defineLayer, type BuildContext, type InferResult, type InputInfo, type ParamCount } from './spec.js';

type Rank = 1 | 2 | 3;

const filters = int({ default: 32, min: 1, max: 1 << 16, doc: 'Number of output channels (feature maps).' });
const depthMultiplier = int({ default: 1, min: 1, max: 1 << 10, doc: 'Output channels per input channel of the depthwise step.' });
const useBias = bool({ default: true, doc: 'Add a learned bias per output channel.' });
const padding = oneOf(['valid', 'same'], { default: 'valid', doc: "'valid' uses whole windows only; 'same' pads so the output has ceil(input / stride) positions." });
const causalPadding = oneOf(['valid', 'same', 'causal'], {
  default: 'valid',
  doc: "'valid' uses whole windows only; 'same' pads both ends; 'causal' pads the start so step t sees only steps ≤ t.",
});
const kernelSize = (n: Rank) => ints({ length: n, default: 3, min: 1, doc: 'Size of the convolution window along each spatial axis.' });
const strides = (n: Rank) => ints({ length: n, default: 1, min: 1, doc: 'Step of the window along each spatial axis.' });
const dilationRate = (n: Rank) =>
  ints({ length: n, default: 1, min: 1, doc: 'Spacing between kernel taps; above 1 widens the view without more weights (TF.js cannot train it).' });

/** Conv1D/2D/3D share one schema; only Conv1D offers 'causal' padding. */
const convSchema = (n: Rank) => ({
  filters,
  kernelSize: kernelSize(n),
  strides: strides(n),
  padding: n === 1 ? causalPadding : padding,
  dilationRate: dilationRate(n),
  activation: activationParam('linear'),
  useBias,
});
type ConvParams = ParamsOf<ReturnType<typeof convSchema>>;

const channelsOf = (x: TensorInfo): number => x.shape.at(-1)!;
const biasCount = (on: boolean, n: number): number => (on ? n : 0);
/** Bias (+1) and activation cost per output element, shared by every conv kind. */
const epilogueFlops = (p: { useBias: boolean; activation: ConvParams['activation'] }, out: TensorInfo): number =>
  perSample(out) * ((p.useBias ? 1 : 0) + activationFlopsPerElement(p.activation));
const kernelInit = (ctx: BuildContext, slot: string) => ctx.tf.initializers.glorotUniform({ seed: ctx.seed(slot) });

function inferConv(kind: string, n: Rank, p: ConvParams, x: InputInfo): InferResult {
  const err = requireChannels(kind, x, n + 2) ?? stridedDilation(kind, p.strides, p.dilationRate);
  if (err) return err;
  const s = slide(kind, x, p.kernelSize, p.strides, p.padding, p.dilationRate);
  return s.ok ? ok([null, ...s.dims, p.filters]) : s.error;
}

const countConv = (p: ConvParams, x: TensorInfo): ParamCount => ({
  trainable: weights([...p.kernelSize, channelsOf(x), p.filters]) + biasCount(p.useBias, p.filters),
  nonTrainable: 0,
});

// conv: 2 × kernel volume × in channels × out channels × output positions, + bias and activation per output element
const convFlops = (p: ConvParams, x: TensorInfo, out: TensorInfo): number =>
  2 * volume(p.kernelSize) * channelsOf(x) * p.filters * positions(out.shape) + epilogueFlops(p, out);

/**
 * TF.js's Conv1D throws on 'causal' ("not implemented yet"), so pad the start by
 * (kernel - 1) × dilation zeros and run a 'valid' conv: Keras's definition of causal.
 */
function causalPad(ctx: BuildContext, p: ConvParams, x: tf.SymbolicTensor): tf.SymbolicTensor {
  const pad = (p.kernelSize[0]! - 1) * p.dilationRate[0]!;
  if (pad === 0) return x;
  const [, steps, channels] = x.shape as [null, number | null, number];
  // TF.js leaves a -1 dimension unknown in the symbolic shape, so give the length when known.
  const known = (n: number | null) => n ?? -1;
  const as2d = ctx.tf.layers.reshape({ name: ctx.name('causal_2d'), targetShape: [known(steps), 1, channels] }).apply(x); // [b, steps, 1, c]
  const padded = ctx.tf.layers.zeroPadding2d({ name: ctx.name('causal_pad'), padding: [[pad, 0], [0, 0]] }).apply(as2d); // [b, pad + steps, 1, c]
  const length = known(steps === null ? null : steps + pad);
  return ctx.tf.layers.reshape({ name: ctx.name('causal_1d'), targetShape: [length, channels] }).apply(padded) as tf.SymbolicTensor; // [b, pad + steps, c]
}

function buildConv(ctx: BuildContext, n: Rank, p: ConvParams, x: tf.SymbolicTensor): tf.SymbolicTensor {
  const causal = p.padding === 'causal';
  const args: Parameters<typeof tf.layers.conv2d>[0] = {
    name: ctx.name(),
    filters: p.filters,
    kernelSize: p.kernelSize,
    strides: p.strides,
    padding: causal ? 'valid' : p.padding,
    dilationRate: p.dilationRate as [number] | [number, number] | [number, number, number], // length n by the schema
    activation: tfActivation(p.activation) as never,
    useBias: p.useBias,
    kernelInitializer: kernelInit(ctx, 'kernel'),
    biasInitializer: 'zeros',
  };
  switch (n) {
    case 1:
      return ctx.tf.layers.conv1d(args).apply(causal ? causalPad(ctx, p, x) : x) as tf.SymbolicTensor;
    case 2:
      return ctx.tf.layers.conv2d(args).apply(x) as tf.SymbolicTensor;
    case 3:
      return ctx.tf.layers.conv3d(args).apply(x) as tf.SymbolicTensor;
    default: {
      const never: never = n;
      throw new Error(`unhandled conv rank ${String(never)}`);
    }
  }
}

function convLayer<const K extends 'Conv1D' | 'Conv2D' | 'Conv3D'>(kind: K, n: Rank, summary: string) {
  return defineLayer({
    kind,
    category: 'convolution',
    summary,
    params: convSchema(n),
    inputs: { min: 1, max: 1 },
    infer: (p, [x]) => inferConv(kind, n, p, x!),
    countParams: (p, [x]) => countConv(p, x!),
    flops: (p, [x], out) => convFlops(p, x!, out),
    trainingLimit: (p) => dilationLimit(p.dilationRate),
    build: (ctx, p, [x]) => buildConv(ctx, n, p, x!),
  });
}

const depthwiseParams = {
  kernelSize: kernelSize(2),
  strides: strides(2),
  padding,
  depthMultiplier,
  activation: activationParam('linear'),
  useBias,
};

const separableParams = {
  filters,
  kernelSize: kernelSize(2),
  strides: strides(2),
  padding,
  dilationRate: dilationRate(2),
  depthMultiplier,
  activation: activationParam('linear'),
  useBias,
};

export const convLayers = {
  Conv1D: convLayer('Conv1D', 1, 'Convolution over a sequence [steps, channels].'),
  Conv2D: convLayer('Conv2D', 2, 'Convolution over an image [height, width, channels].'),
  Conv3D: convLayer('Conv3D', 3, 'Convolution over a volume [depth, height, width, channels].'),

  // No dilationRate: TF.js's Conv2DTranspose accepts it but ignores it in both shape and output.
  Conv2DTranspose: defineLayer({
    kind: 'Conv2DTranspose',
    category: 'convolution',
    summary: 'Transposed convolution: upsamples an image [height, width, channels] by its strides.',
    params: { filters, kernelSize: kernelSize(2), strides: strides(2), padding, activation: activationParam('linear'), useBias },
    inputs: { min: 1, max: 1 },
    infer(p, [x]) {
      const err = requireChannels('Conv2DTranspose', x!, 4);
      if (err) return err;
      const dims = spatialOf(x!.shape).map((d, i) => deconvLength(d, p.kernelSize[i]!, p.strides[i]!, p.padding));
      return ok([null, ...dims, p.filters]);
    },
    countParams: (p, [x]) => ({ trainable: weights([...p.kernelSize, p.filters, channelsOf(x!)]) + biasCount(p.useBias, p.filters), nonTrainable: 0 }),
    // transposed conv: 2 × kernel volume × in channels × out channels × input positions, + bias and activation per output element
    flops: (p, [x], out) => 2 * volume(p.kernelSize) * channelsOf(x!) * p.filters * positions(x!.shape) + epilogueFlops(p, out),
    build: (ctx, p, [x]) =>
      ctx.tf.layers
        .conv2dTranspose({
          name: ctx.name(),
          filters: p.filters,
          kernelSize: p.kernelSize,
          strides: p.strides,
          padding: p.padding,
          activation: tfActivation(p.activation) as never,
          useBias: p.useBias,
          kernelInitializer: kernelInit(ctx, 'kernel'),
          biasInitializer: 'zeros',
        })
        .apply(x!) as never,
  }),

  // No dilationRate: TF.js's DepthwiseConv2D ignores it ("TODO(cais): Add support for dilation").
  DepthwiseConv2D: defineLayer({
    kind: 'DepthwiseConv2D',
    category: 'convolution',
    summary: 'Convolves each input channel on its own, depthMultiplier times.',
    params: depthwiseParams,
    inputs: { min: 1, max: 1 },
    infer(p, [x]) {
      const err = requireChannels('DepthwiseConv2D', x!, 4);
      if (err) return err;
      const s = slide('DepthwiseConv2D', x!, p.kernelSize, p.strides, p.padding);
      return s.ok ? ok([null, ...s.dims, channelsOf(x!) * p.depthMultiplier]) : s.error;
    },
    countParams(p, [x]) {
      const out = channelsOf(x!) * p.depthMultiplier;
      return { trainable: volume(p.kernelSize) * out + biasCount(p.useBias, out), nonTrainable: 0 };
    },
    // depthwise: 2 × kernel volume × in channels × depthMultiplier × output positions, + bias and activation per output element
    flops: (p, [x], out) => 2 * volume(p.kernelSize) * channelsOf(x!) * p.depthMultiplier * positions(out.shape) + epilogueFlops(p, out),
    build: (ctx, p, [x]) =>
      ctx.tf.layers
        .depthwiseConv2d({
          name: ctx.name(),
          kernelSize: p.kernelSize as [number, number],
          strides: p.strides as [number, number],
          padding: p.padding,
          depthMultiplier: p.depthMultiplier,
          activation: tfActivation(p.activation) as never,
          useBias: p.useBias,
          depthwiseInitializer: kernelInit(ctx, 'depthwise_kernel'),
          biasInitializer: 'zeros',
        })
        .apply(x!) as never,
  }),

  SeparableConv2D: defineLayer({
    kind: 'SeparableConv2D',
    category: 'convolution',
    summary: 'Depthwise convolution followed by a 1×1 convolution mixing channels.',
    params: separableParams,
    inputs: { min: 1, max: 1 },
    infer(p, [x]) {
      const err = requireChannels('SeparableConv2D', x!, 4) ?? stridedDilation('SeparableConv2D', p.strides, p.dilationRate);
      if (err) return err;
      const s = slide('SeparableConv2D', x!, p.kernelSize, p.strides, p.padding, p.dilationRate);
      return s.ok ? ok([null, ...s.dims, p.filters]) : s.error;
    },
    countParams(p, [x]) {
      const mid = channelsOf(x!) * p.depthMultiplier;
      return { trainable: volume(p.kernelSize) * mid + mid * p.filters + biasCount(p.useBias, p.filters), nonTrainable: 0 };
    },
    // separable: depthwise (2 × kernel volume × in channels × depthMultiplier) + pointwise (2 × in × depthMultiplier × filters), per output position
    flops(p, [x], out) {
      const mid = channelsOf(x!) * p.depthMultiplier;
      return 2 * (volume(p.kernelSize) * mid + mid * p.filters) * positions(out.shape) + epilogueFlops(p, out);
    },
    trainingLimit: (p) => dilationLimit(p.dilationRate),
    build(ctx, p, [x]) {
      const pointwise = kernelInit(ctx, 'pointwise_kernel');
      const layer = ctx.tf.layers.separableConv2d({
        name: ctx.name(),
        filters: p.filters,
        kernelSize: p.kernelSize,
        strides: p.strides as [number, number],
        padding: p.padding,
        dilationRate: p.dilationRate as [number, number],
        depthMultiplier: p.depthMultiplier,
        activation: tfActivation(p.activation) as never,
        useBias: p.useBias,
        depthwiseInitializer: kernelInit(ctx, 'depthwise_kernel'),
        pointwiseInitializer: pointwise,
        biasInitializer: 'zeros',
      });
      // TF.js 4.22 builds the pointwise initializer from `depthwiseInitializer` (a typo in
      // SeparableConv's constructor), which would give both kernels the same random stream.
      Reflect.set(layer, 'pointwiseInitializer', pointwise);
      return layer.apply(x!) as never;
    },
  }),
};
