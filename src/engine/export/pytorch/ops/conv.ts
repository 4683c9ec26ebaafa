// PyTorch emitters for the convolutions. They run channels-first; kernels go from TF.js's
// (…window, in, out) to PyTorch's (out, in, …window); TF's uneven 'same' padding becomes an
// F.pad before the layer.
import type { ActivationName } from '../../../layers/common.js';
import { pyCall, pyIntOrTuple } from '../../python-code.js';
import { activationCall, activationHelpers } from '../activation.js';
import { emitter, weight, type ForwardInfo, type NodeInfo, type StateEntry } from '../emitter.js';
import { fPadTuple, padsFor, paddingArg, symmetric, anyPadding, type Pads } from '../padding.js';
import { permute, same } from '../tensor-layout.js';

interface ConvP {
  filters: number; kernelSize: number[]; strides: number[]; padding: 'valid' | 'same' | 'causal'; dilationRate: number[];
  activation: ActivationName; useBias: boolean;
}
interface TransposeP { filters: number; kernelSize: number[]; strides: number[]; padding: 'valid' | 'same'; activation: ActivationName; useBias: boolean }
interface DepthwiseP { kernelSize: number[]; strides: number[]; padding: 'valid' | 'same'; depthMultiplier: number; activation: ActivationName; useBias: boolean }
interface SeparableP extends DepthwiseP { filters: number; dilationRate: number[] }

const first = () => 'first' as const;
const channels = (n: NodeInfo<unknown>): number => n.inputs[0]!.shape.at(-1)!;
const ones = (xs: readonly number[]): boolean => xs.every((x) => x === 1);
const windowArgs = (kernel: number[], strides: number[], pads: Pads, dilation?: number[]) => ({
  kernel_size: pyIntOrTuple(kernel),
  stride: ones(strides) ? undefined : pyIntOrTuple(strides),
  padding: paddingArg(pads),
  dilation: dilation && !ones(dilation) ? pyIntOrTuple(dilation) : undefined,
});

/**
 * The forward line; when TF's padding is uneven (causal, or 'same' with an odd total) the input
 * is padded by F.pad first, with a comment line saying why.
 */
function convForward(f: ForwardInfo<{ activation: ActivationName }>, pads: Pads, causal: boolean, layer: (x: string) => string): string[] {
  const uneven = !symmetric(pads) && anyPadding(pads);
  const x = uneven ? `F.pad(${f.args[0]}, ${fPadTuple(pads)})` : f.args[0]!;
  const line = `${f.out} = ${activationCall(f.params.activation, layer(x), 1)}`;
  if (!uneven) return [line];
  return [causal ? '# causal: pad the start, so step t sees only steps up to t' : "# TF's 'same' padding puts the odd row or column at the end", line];
}

/** TF.js kernel (…window, in, out) → PyTorch (out, in, …window). */
function convKernel(key: string, w: { values: Float32Array; shape: readonly number[] }): StateEntry {
  const n = w.shape.length - 2;
  return { key, ...permute(w.values, w.shape, [n + 1, n, ...Array.from({ length: n }, (_, i) => i)]) };
}

const bias = (n: NodeInfo<{ useBias: boolean }>, ws: Parameters<typeof weight>[0], attr = n.attr()): StateEntry[] =>
  n.params.useBias ? [same(`${attr}.bias`, weight(ws, 'bias', n.id))] : [];

function convOp(rank: 1 | 2 | 3) {
  const pads = (n: NodeInfo<ConvP>) => padsFor(n.params.padding, n.inputs[0]!.shape, n.params.kernelSize, n.params.strides, n.params.dilationRate);
  return emitter<ConvP>({
    layout: first,
    init(n) {
      const p = n.params;
      const args = { ...windowArgs(p.kernelSize, p.strides, pads(n), p.dilationRate), bias: p.useBias ? undefined : 'False' };
      return [`self.${n.attr()} = ${pyCall(`nn.Conv${rank}d`, [channels(n), p.filters], args)}`];
    },
    forward: (f) => convForward(f, pads(f), f.params.padding === 'causal', (x) => `self.${f.attr()}(${x})`),
    state: (n, ws) => [convKernel(`${n.attr()}.weight`, weight(ws, 'kernel', n.id)), ...bias(n, ws)],
    helpers: (n) => activationHelpers(n.params.activation),
  });
}

/**
 * TF's transposed conv gives in·stride (+ max(k − s, 0) when 'valid'); PyTorch gives
 * (in − 1)·stride + k − 2·padding + output_padding. Per dim: crop TF's start in `padding`,
 * add missing trailing rows as output_padding, and slice off surplus ones in forward.
 */
function transposeDims(n: NodeInfo<TransposeP>) {
  return n.inputs[0]!.shape.slice(1, -1).map((len, i) => {
    const k = n.params.kernelSize[i]!;
    const s = n.params.strides[i]!;
    const want = n.output.shape[i + 1]!;
    const crop = n.params.padding === 'same' ? Math.floor(Math.max(k - s, 0) / 2) : 0;
    const natural = (len! - 1) * s + k - 2 * crop;
    return { crop, extra: Math.max(want - natural, 0), surplus: Math.max(natural - want, 0), want };
  });
}

const conv2dTranspose = emitter<TransposeP>({
  layout: first,
  init(n) {
    const p = n.params;
    const dims = transposeDims(n);
    const args = {
      kernel_size: pyIntOrTuple(p.kernelSize),
      stride: ones(p.strides) ? undefined : pyIntOrTuple(p.strides),
      padding: dims.some((d) => d.crop > 0) ? pyIntOrTuple(dims.map((d) => d.crop)) : undefined,
      output_padding: dims.some((d) => d.extra > 0) ? pyIntOrTuple(dims.map((d) => d.extra)) : undefined,
      bias: p.useBias ? undefined : 'False',
    };
    return [`self.${n.attr()} = ${pyCall('nn.ConvTranspose2d', [channels(n), p.filters], args)}`];
  },
  forward(f) {
    const dims = transposeDims(f);
    const y = `self.${f.attr()}(${f.args[0]})`;
    if (!dims.some((d) => d.surplus > 0)) return [`${f.out} = ${activationCall(f.params.activation, y, 1)}`];
    const slice = `[:, :, :${dims[0]!.want}, :${dims[1]!.want}]`;
    return ["# TF's 'same' keeps the first in·stride rows and columns", `${f.out} = ${activationCall(f.params.activation, `${y}${slice}`, 1)}`];
  },
  // TF.js (kh, kw, out, in) → PyTorch (in, out, kh, kw).
  state: (n, ws) => [{ key: `${n.attr()}.weight`, ...permute(weight(ws, 'kernel', n.id).values, weight(ws, 'kernel', n.id).shape, [3, 2, 0, 1]) }, ...bias(n, ws)],
  helpers: (n) => activationHelpers(n.params.activation),
});

/** TF.js depthwise kernel (kh, kw, in, m) → a grouped conv's (in·m, 1, kh, kw); output channel c·m + j. */
function depthwiseKernel(key: string, w: { values: Float32Array; shape: readonly number[] }): StateEntry {
  const [kh, kw, cin, m] = w.shape as [number, number, number, number];
  return { key, ...permute(w.values, [kh, kw, cin * m, 1], [2, 3, 0, 1]) };
}

const depthwise = emitter<DepthwiseP>({
  layout: first,
  init(n) {
    const p = n.params;
    const pads = padsFor(p.padding, n.inputs[0]!.shape, p.kernelSize, p.strides);
    const c = channels(n);
    const args = { ...windowArgs(p.kernelSize, p.strides, pads), groups: String(c), bias: p.useBias ? undefined : 'False' };
    return [`self.${n.attr()} = ${pyCall('nn.Conv2d', [c, c * p.depthMultiplier], args)}`];
  },
  forward: (f) => convForward(f, padsFor(f.params.padding, f.inputs[0]!.shape, f.params.kernelSize, f.params.strides), false, (x) => `self.${f.attr()}(${x})`),
  state: (n, ws) => [depthwiseKernel(`${n.attr()}.weight`, weight(ws, 'depthwise_kernel', n.id)), ...bias(n, ws)],
  helpers: (n) => activationHelpers(n.params.activation),
});

const separable = emitter<SeparableP>({
  layout: first,
  init(n) {
    const p = n.params;
    const pads = padsFor(p.padding, n.inputs[0]!.shape, p.kernelSize, p.strides, p.dilationRate);
    const c = channels(n);
    const mid = c * p.depthMultiplier;
    const args = { ...windowArgs(p.kernelSize, p.strides, pads, p.dilationRate), groups: String(c), bias: 'False' };
    return [
      `self.${n.attr('depthwise')} = ${pyCall('nn.Conv2d', [c, mid], args)}`,
      `self.${n.attr('pointwise')} = ${pyCall('nn.Conv2d', [mid, p.filters, 1], { bias: p.useBias ? undefined : 'False' })}`,
    ];
  },
  forward(f) {
    const p = f.params;
    const pads = padsFor(p.padding, f.inputs[0]!.shape, p.kernelSize, p.strides, p.dilationRate);
    return convForward(f, pads, false, (x) => `self.${f.attr('pointwise')}(self.${f.attr('depthwise')}(${x}))`);
  },
  state: (n, ws) => [
    depthwiseKernel(`${n.attr('depthwise')}.weight`, weight(ws, 'depthwise_kernel', n.id)),
    convKernel(`${n.attr('pointwise')}.weight`, weight(ws, 'pointwise_kernel', n.id)),
    ...bias(n, ws, n.attr('pointwise')),
  ],
  helpers: (n) => activationHelpers(n.params.activation),
});

export const convOps = {
  Conv1D: convOp(1),
  Conv2D: convOp(2),
  Conv3D: convOp(3),
  Conv2DTranspose: conv2dTranspose,
  DepthwiseConv2D: depthwise,
  SeparableConv2D: separable,
};
