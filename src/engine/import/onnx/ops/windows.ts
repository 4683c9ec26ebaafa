// Sliding-window attributes shared by Conv and pooling, and which TF.js padding reproduces
// ONNX's explicit pads: 'valid', 'same', 'causal', or zero padding added in front.
import { refuse } from '../errors.js';
import { channelsLastAxes, type GraphTensor } from '../values.js';
import type { OpContext } from './types.js';

export interface Window {
  readonly kernel: number[];
  readonly strides: number[];
  readonly dilations: number[];
}

export type Padding =
  | { readonly mode: 'valid' | 'same' | 'causal' }
  /** Zeros to add per spatial dim before a 'valid' window, [before, after]. */
  | { readonly mode: 'explicit'; readonly pads: [number, number][] };

export interface Placement {
  readonly padding: Padding;
  /** Output length per spatial dim, as ONNX computes it. */
  readonly out: number[];
  /** The file's pads per dim, for messages. */
  readonly pads: [number, number][];
}

/** kernel_shape, strides and dilations of a node with `n` spatial dims (kernel from the weight when absent). */
export function windowOf(ctx: OpContext, n: number, kernelFromWeight?: readonly number[]): Window {
  const kernel = ctx.attrs.ints('kernel_shape') ?? (kernelFromWeight ? [...kernelFromWeight] : undefined);
  const ones = Array.from({ length: n }, () => 1);
  const strides = ctx.attrs.ints('strides') ?? ones;
  const dilations = ctx.attrs.ints('dilations') ?? ones;
  if (!kernel || kernel.length !== n) refuse('invalid', `kernel_shape needs ${n} entries`, ctx.where);
  if (kernelFromWeight && kernel.some((k, i) => k !== kernelFromWeight[i]))
    refuse('invalid', `kernel_shape [${kernel.join(', ')}] does not match the weight's [${kernelFromWeight.join(', ')}]`, ctx.where);
  if (strides.length !== n || dilations.length !== n) refuse('invalid', `strides and dilations need ${n} entries each`, ctx.where);
  if ([...kernel, ...strides, ...dilations].some((v) => !Number.isInteger(v) || v < 1 || v > 1 << 16)) refuse('invalid', 'kernel, strides and dilations must be positive', ctx.where);
  return { kernel, strides, dilations };
}

/**
 * Where the windows of `w` fall on spatial sizes `len`, and the TF.js padding that gives the
 * same windows. `ceil` is ceil_mode (pooling).
 */
export function place(ctx: OpContext, len: readonly number[], w: Window, ceil = false): Placement {
  const n = len.length;
  const autoPad = ctx.attrs.string('auto_pad', 'NOTSET');
  const raw = ctx.attrs.ints('pads') ?? Array.from({ length: 2 * n }, () => 0);
  if (raw.length !== 2 * n || raw.some((p) => p < 0)) refuse('invalid', `pads needs ${2 * n} non-negative entries`, ctx.where);
  const pads: [number, number][] = [];
  const out: number[] = [];
  const effective = w.kernel.map((k, i) => (k - 1) * w.dilations[i]! + 1);
  for (let i = 0; i < n; i++) {
    const [L, k, s] = [len[i]!, effective[i]!, w.strides[i]!];
    let [pb, pe] = [raw[i]!, raw[i + n]!];
    if (autoPad === 'VALID') [pb, pe] = [0, 0];
    else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      const total = Math.max((Math.ceil(L / s) - 1) * s + k - L, 0);
      pb = autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2);
      pe = total - pb;
    } else if (autoPad !== 'NOTSET') refuse('invalid', `unknown auto_pad "${autoPad}"`, ctx.where);
    const span = L + pb + pe - k;
    let o = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
    if (ceil && (o - 1) * s >= L + pb) o--; // the last window must start inside the input or the start padding
    if (o < 1) refuse('invalid', `a window of ${k} does not fit into ${L} (+ pads ${pb}, ${pe})`, ctx.where);
    pads.push([pb, pe]);
    out.push(o);
  }
  return { padding: choose(len, w, effective, pads, out), out, pads };
}

function choose(len: readonly number[], w: Window, k: readonly number[], pads: [number, number][], out: number[]): Padding {
  const n = len.length;
  const all = (f: (i: number) => boolean) => Array.from({ length: n }, (_, i) => i).every(f);
  if (all((i) => pads[i]![0] === 0 && out[i] === Math.floor((len[i]! - k[i]!) / w.strides[i]!) + 1)) return { mode: 'valid' };
  const sameBefore = (i: number) => Math.floor(Math.max((out[i]! - 1) * w.strides[i]! + k[i]! - len[i]!, 0) / 2);
  if (all((i) => out[i] === Math.ceil(len[i]! / w.strides[i]!) && pads[i]![0] === sameBefore(i))) return { mode: 'same' };
  if (n === 1 && w.strides[0] === 1 && pads[0]![0] === k[0]! - 1 && out[0] === len[0]) return { mode: 'causal' };
  // Zeros in front, then 'valid': just enough after to give ONNX's output length.
  return { mode: 'explicit', pads: pads.map(([pb], i) => [pb, Math.max(0, (out[i]! - 1) * w.strides[i]! + k[i]! - len[i]! - pb)]) };
}

/**
 * Adds zero padding to a channels-last tensor: ZeroPadding2D, or for sequences a Reshape to
 * [steps, 1, channels] around it. The result's "ONNX" shape is the padded NC… shape.
 */
export function zeroPad(ctx: OpContext, t: GraphTensor, pads: readonly [number, number][]): GraphTensor | null {
  const n = pads.length;
  const shape = t.shape.map((d, i) => (i < 2 ? d : d! + pads[i - 2]![0] + pads[i - 2]![1]));
  const padded = { ...t, shape, axes: channelsLastAxes(n + 2), rnn: undefined };
  const x = ctx.draft.toLayout(t, channelsLastAxes(n + 2), ctx.base, ctx.where);
  if (n === 2) return { ...padded, node: ctx.draft.add(`${ctx.base}.pad`, 'ZeroPadding2D', { padding: pads.map((p) => [...p]) }, [x]).id };
  if (n !== 1) return null;
  const [steps, channels] = [t.shape[2]!, t.shape[1]!];
  const as2d = ctx.draft.add(`${ctx.base}.to2d`, 'Reshape', { targetShape: [steps, 1, channels] }, [x]);
  const pad = ctx.draft.add(`${ctx.base}.pad`, 'ZeroPadding2D', { padding: [[...pads[0]!], [0, 0]] }, [{ ...x, node: as2d.id }]);
  const back = ctx.draft.add(`${ctx.base}.to1d`, 'Reshape', { targetShape: [shape[2], channels] }, [{ ...x, node: pad.id }]);
  return { ...padded, node: back.id };
}
