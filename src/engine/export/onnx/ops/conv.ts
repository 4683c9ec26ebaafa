// The convolution family as ONNX Conv / ConvTranspose on channels-first tensors, kernels
// converted from TF.js's [...window, in, out] to ONNX's [out, in, ...window].
import type { ActivationName } from '../../../layers/common.js';
import { paramsOf, type EmitContext, type EmitNode, type OnnxEmitter } from '../emit-context.js';
import type { Value } from '../layout.js';
import { attr } from '../proto.js';
import { transposeData } from '../tensor-data.js';
import { activate } from './activation-fn.js';
import { onnxPads, windowPads } from './padding.js';

interface ConvParams {
  filters: number;
  kernelSize: number[];
  strides: number[];
  padding: 'valid' | 'same' | 'causal';
  dilationRate?: number[];
  depthMultiplier?: number;
  activation: ActivationName;
}

const spatialDims = (x: Value): number[] => x.shape.slice(1, -1) as number[];
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** The node's next weight, transposed by `perm`, as an initializer. */
function transposed(ctx: EmitContext, name: string, perm: readonly number[], shape?: readonly number[]): string {
  const w = ctx.weight(name);
  const from = shape ?? w.shape;
  return ctx.initializer(name, transposeData(w.values, from, perm), perm.map((a) => from[a]!));
}

/** TF.js depthwise kernel [kh, kw, C, M] → ONNX grouped-conv weight [C·M, 1, kh, kw]; output channel c·M + m in both. */
function depthwiseWeight(ctx: EmitContext): string {
  const w = ctx.weight('depthwise_kernel');
  const [kh, kw, c, m] = w.shape as [number, number, number, number];
  return ctx.initializer('depthwise_kernel', transposeData(w.values, [kh, kw, c * m], [2, 0, 1]), [c * m, 1, kh, kw]);
}

/** Conv attributes for TF.js's padding (explicit pads) on the input's spatial dims. */
function convAttrs(x: Value, kernel: readonly number[], strides: readonly number[], padding: string, dilation: readonly number[], group = 1) {
  return {
    kernel_shape: attr.ints(kernel),
    strides: attr.ints(strides),
    dilations: attr.ints(dilation),
    pads: attr.ints(onnxPads(windowPads(padding, spatialDims(x), kernel, strides, dilation))),
    group: attr.int(group),
  };
}

const withBias = (ctx: EmitContext, inputs: string[]): string[] => {
  const bias = ctx.optionalParam('bias');
  return bias ? [...inputs, bias] : inputs;
};

/** Output of a conv: channels first, then the fused activation. */
const finish = (ctx: EmitContext, n: EmitNode, p: ConvParams, y: string): Value => activate(ctx, p.activation, ctx.value(y, 'channels-first', n.output.shape));

function conv(rank: 1 | 2 | 3): OnnxEmitter {
  return {
    emit(ctx, n) {
      const p = paramsOf<ConvParams>(n);
      const x = n.inputs[0]!;
      const kernel = transposed(ctx, 'kernel', [rank + 1, rank, ...range(rank)]); // [...k, in, out] → [out, in, ...k]
      const dilation = p.dilationRate ?? p.kernelSize.map(() => 1);
      const y = ctx.op('Conv', withBias(ctx, [ctx.first(x), kernel]), convAttrs(x, p.kernelSize, p.strides, p.padding, dilation));
      return finish(ctx, n, p, y);
    },
  };
}

export const convEmitters = {
  Conv1D: conv(1),
  Conv2D: conv(2),
  Conv3D: conv(3),

  Conv2DTranspose: {
    emit(ctx, n) {
      const p = paramsOf<ConvParams>(n);
      const x = n.inputs[0]!;
      const kernel = transposed(ctx, 'kernel', [3, 2, 0, 1]); // [kh, kw, out, in] → [in, out, kh, kw]
      // TF.js: 'same' gives in·s, 'valid' in·s + max(k − s, 0). ONNX gives s·(in − 1) + k − pads + output_padding:
      // crop max(k − s, 0) for 'same' (half before, the odd one after), and append max(s − k, 0) when k < s.
      const pads = p.kernelSize.map((k, i) => {
        const crop = p.padding === 'same' ? Math.max(k - p.strides[i]!, 0) : 0;
        return [Math.floor(crop / 2), crop - Math.floor(crop / 2)] as const;
      });
      const outputPadding = p.kernelSize.map((k, i) => Math.max(p.strides[i]! - k, 0));
      const y = ctx.op('ConvTranspose', withBias(ctx, [ctx.first(x), kernel]), {
        kernel_shape: attr.ints(p.kernelSize),
        strides: attr.ints(p.strides),
        pads: attr.ints(onnxPads(pads)),
        output_padding: attr.ints(outputPadding),
      });
      return finish(ctx, n, p, y);
    },
  },

  DepthwiseConv2D: {
    emit(ctx, n) {
      const p = paramsOf<ConvParams>(n);
      const x = n.inputs[0]!;
      const channels = x.shape.at(-1)!;
      const y = ctx.op('Conv', withBias(ctx, [ctx.first(x), depthwiseWeight(ctx)]), convAttrs(x, p.kernelSize, p.strides, p.padding, [1, 1], channels));
      return finish(ctx, n, p, y);
    },
  },

  SeparableConv2D: {
    emit(ctx, n) {
      const p = paramsOf<ConvParams>(n);
      const x = n.inputs[0]!;
      const channels = x.shape.at(-1)!;
      const depthwise = ctx.op('Conv', [ctx.first(x), depthwiseWeight(ctx)], convAttrs(x, p.kernelSize, p.strides, p.padding, p.dilationRate!, channels), 'depthwise');
      const pointwise = transposed(ctx, 'pointwise_kernel', [3, 2, 0, 1]); // [1, 1, C·M, F] → [F, C·M, 1, 1]
      const y = ctx.op('Conv', withBias(ctx, [depthwise, pointwise]), { kernel_shape: attr.ints([1, 1]) }, 'pointwise');
      return finish(ctx, n, p, y);
    },
  },
} satisfies Record<string, OnnxEmitter>;
