// What each ONNX value name becomes during import, and the layout bookkeeping that lets
// Transpose, Squeeze and Unsqueeze cost nothing: a graph tensor records which ONNX axis each of
// its own axes holds, so NCHW values live as NHWC tensors and [T, B, F] sequences as [B, T, F].
import type { NodeId } from '../../ids.js';
import type { ConstTensor } from './tensor.js';

/** An ONNX dimension; null is the batch (or another size only known at run time). */
export type Dim = number | null;

/** A tensor in the NeuralForge graph, the output of `node`. */
export interface GraphTensor {
  readonly kind: 'tensor';
  readonly node: NodeId;
  /** The ONNX value's shape. */
  readonly shape: readonly Dim[];
  /**
   * For each axis of our tensor (batch first), the ONNX axis it holds, or -1 for a size-1 axis
   * ONNX does not have. ONNX axes left out have size 1.
   */
  readonly axes: readonly number[];
  readonly dtype: 'float32' | 'int32';
  /** Outputs of a recurrent node: its full sequence, or only its last step (returnSequences). */
  readonly rnn?: 'sequence' | 'last';
}

export interface ConstValue {
  readonly kind: 'const';
  readonly tensor: ConstTensor;
}

/** ConstantOfShape over a shape that holds the batch size: only a recurrent layer's zero state uses it. */
export interface FillValue {
  readonly kind: 'fill';
  readonly value: number;
  readonly shape: readonly Dim[];
}

/** The output of an op that was not mapped. */
export interface MissingValue {
  readonly kind: 'missing';
  readonly cause: string;
}

export type Value = GraphTensor | ConstValue | FillValue | MissingValue;

export const identityAxes = (rank: number): number[] => Array.from({ length: rank }, (_, i) => i);

/** [N, C, …spatial] held as [N, …spatial, C]. */
export const channelsLastAxes = (rank: number): number[] => [0, ...identityAxes(rank).slice(2), 1];

/** The shape of our tensor, batch first (null), from its ONNX shape and axes. */
export const ourShape = (t: Pick<GraphTensor, 'shape' | 'axes'>): Dim[] => t.axes.map((a) => (a === -1 ? 1 : t.shape[a]!));

/** Our shape without the batch, for params; every dim here is known (inputs are checked). */
export const sampleShape = (t: Pick<GraphTensor, 'shape' | 'axes'>): number[] => ourShape(t).slice(1) as number[];

/** Which of our axes holds ONNX axis `a` (−1 when it is a dropped size-1 axis). */
export const ourAxis = (t: GraphTensor, a: number): number => t.axes.indexOf(a);

/** Normalises a possibly negative ONNX axis for `rank`; null when out of range. */
export function normAxis(axis: number, rank: number): number | null {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : null;
}

/** ONNX Transpose(perm): output axis j is input axis perm[j]; our tensor is untouched. */
export function transposed(t: GraphTensor, perm: readonly number[]): GraphTensor {
  return { ...t, shape: perm.map((p) => t.shape[p]!), axes: t.axes.map((a) => (a === -1 ? -1 : perm.indexOf(a))) };
}

/** ONNX Squeeze(axes): the removed axes are size 1; our axes that held them now hold nothing. */
export function squeezed(t: GraphTensor, removed: readonly number[]): GraphTensor {
  const map = (a: number) => (a === -1 || removed.includes(a) ? -1 : a - removed.filter((r) => r < a).length);
  return { ...t, shape: t.shape.filter((_, i) => !removed.includes(i)), axes: t.axes.map(map) };
}

/** ONNX Unsqueeze(axes), `inserted` given as positions in the output. */
export function unsqueezed(t: GraphTensor, inserted: readonly number[]): GraphTensor {
  const rank = t.shape.length + inserted.length;
  const keep = identityAxes(rank).filter((i) => !inserted.includes(i)); // old axis k → keep[k]
  const shape: Dim[] = Array.from({ length: rank }, () => 1);
  keep.forEach((to, from) => (shape[to] = t.shape[from]!));
  return { ...t, shape, axes: t.axes.map((a) => (a === -1 ? -1 : keep[a]!)) };
}

/** Whether ONNX axis `a` of `t` is a size-1 axis (which layouts may drop or insert freely). */
export const isUnit = (t: Pick<GraphTensor, 'shape'>, a: number): boolean => a === -1 || t.shape[a] === 1;
