// Shape rules shared by the convolution and pooling families: rank and dtype checks
// with concrete fixes, sliding-window output sizes, and TF.js's stride/dilation limits.
import { formatShape, type Dim, type Shape } from '../tensor.js';
import { convOutLength, describeSource, invalidShape, requireKnown, requireRank, tooSmall } from './common.js';
import { isLayerKind } from './kinds.js';
import type { InferResult, InputInfo, TrainingLimit } from './spec.js';

/** What one sample looks like for a channels-last input of `rank` dims (batch included). */
const SAMPLE_HINT: Readonly<Record<number, string>> = {
  3: '[steps, channels]',
  4: '[height, width, channels]',
  5: '[depth, height, width, channels]',
};

/** Spatial dims of a channels-last shape: [batch, …spatial, channels] → spatial. */
export const spatialOf = (shape: Shape): Dim[] => shape.slice(1, -1);

/** Product of the spatial dims (output positions per channel); 0 when one is unknown. */
export function positions(shape: Shape): number {
  return spatialOf(shape).reduce<number>((n, d) => n * (d ?? 0), 1);
}

/** Product of a window's sizes (kernel or pool volume). */
export const volume = (kernel: readonly number[]): number => kernel.reduce((a, b) => a * b, 1);

/** Reshape target that turns `x` into a sample of `rank` dims, when one is obvious. */
function reshapeTarget(x: InputInfo, rank: number): number[] | null {
  const dims = x.shape.slice(1);
  if (dims.some((d) => d === null)) return null;
  const known = dims as number[];
  const spatial = rank - 2;
  if (known.length === spatial) return [...known, 1]; // only the channel axis is missing
  if (known.length !== 1) return null;
  // A flat vector of n values: a square (cube) of one channel when n is one.
  const side = Math.round(known[0]! ** (1 / spatial));
  return side ** spatial === known[0] ? [...new Array<number>(spatial).fill(side), 1] : null;
}

/** The same family for the input's rank ("Conv1D" for Conv2D fed a sequence), if it exists. */
function siblingFor(kind: string, rank: number): string | null {
  const sibling = kind.replace(/[123]D/, `${rank - 2}D`);
  return sibling !== kind && isLayerKind(sibling) ? sibling : null;
}

function rankSuggestion(kind: string, x: InputInfo, rank: number): string {
  const target = reshapeTarget(x, rank);
  const sibling = siblingFor(kind, x.shape.length);
  const reshape = target
    ? `Insert a Reshape with targetShape ${formatShape(target)} before this ${kind}`
    : `Insert a Reshape before this ${kind} so that each sample is ${SAMPLE_HINT[rank] ?? `of rank ${rank - 1}`}`;
  return sibling ? `${reshape}, or use ${sibling} for ${SAMPLE_HINT[x.shape.length]} input.` : `${reshape}.`;
}

/** Fails unless the input is a float32 channels-last tensor of `rank` dims (batch included). */
export function requireImage(kind: string, x: InputInfo, rank: number): InferResult | null {
  const wrongRank = requireRank(kind, x, rank, rankSuggestion(kind, x, rank));
  if (wrongRank) return wrongRank;
  if (x.dtype !== 'float32')
    return {
      ok: false,
      code: 'dtype-mismatch',
      message: `${kind} needs float32 input, but ${describeSource(x)} gives ${x.dtype}`,
      suggestion: 'Set the Input dtype to float32, or turn token ids into vectors with an Embedding first.',
    };
  return null;
}

/** `requireImage` plus a known channel count, for kinds whose weights depend on it. */
export function requireChannels(kind: string, x: InputInfo, rank: number): InferResult | null {
  return requireImage(kind, x, rank) ?? requireKnown(kind, x, [rank - 1]);
}

/** A sliding window's output spatial dims, or the diagnostic when it does not fit. */
export type Slide = { readonly ok: true; readonly dims: Dim[] } | { readonly ok: false; readonly error: InferResult };

/**
 * Output sizes of a conv or pool window over the input's spatial dims.
 * @example slide('Conv2D', x28, [3, 3], [1, 1], 'valid') // → { ok: true, dims: [26, 26] }
 */
export function slide(kind: string, x: InputInfo, kernel: readonly number[], strides: readonly number[], padding: string, dilation?: readonly number[]): Slide {
  const dims = spatialOf(x.shape).map((len, i) => convOutLength(len, kernel[i]!, strides[i]!, padding, dilation?.[i] ?? 1));
  if (dims.some((d) => d !== null && d <= 0)) {
    const extent = kernel.map((k, i) => (k - 1) * (dilation?.[i] ?? 1) + 1); // a dilated kernel spans more
    return { ok: false, error: tooSmall(kind, x, extent) };
  }
  return { ok: true, dims };
}

const above1 = (xs: readonly number[]): boolean => xs.some((v) => v > 1);

/** TF.js refuses (forward) any conv whose strides and dilation rates are both above 1. */
export function stridedDilation(kind: string, strides: readonly number[], dilation: readonly number[]): InferResult | null {
  if (!above1(strides) || !above1(dilation)) return null;
  return invalidShape(
    `${kind}: strides ${formatShape(strides)} and dilationRate ${formatShape(dilation)} cannot be combined; TF.js needs one of them to be all 1s`,
    'Set strides to 1 and downsample with a pooling layer, or set dilationRate to 1.',
  );
}

/** TF.js 4.22 has no gradient for dilated convolutions: such a layer runs forward but cannot train. */
export function dilationLimit(dilation: readonly number[]): TrainingLimit | null {
  if (!above1(dilation)) return null;
  return {
    message: `TF.js cannot compute gradients for dilationRate ${formatShape(dilation)}, so this layer can run but not train`,
    suggestion: 'Set dilationRate to 1 to train; widen the receptive field with a larger kernelSize or more layers instead.',
  };
}
