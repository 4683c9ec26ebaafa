// Tensor layouts while emitting: every value has TF.js's logical shape (channels last), and is
// stored either so or channels first, as ONNX's Conv and pooling ops want. Consumers convert
// only when they must, so a Conv → BN → ReLU → Conv chain needs no transposes in between.
import type { Dtype, Shape } from '../../tensor.js';

export type Layout = 'channels-last' | 'channels-first';

/** One emitted tensor. */
export interface Value {
  readonly name: string;
  readonly layout: Layout;
  /** TF.js's shape (channels last), batch first as null. */
  readonly shape: Shape;
  readonly dtype: Dtype;
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

/** Transpose perm channels-last → channels-first: [0, r-1, 1, …, r-2]. */
export const toFirstPerm = (rank: number): number[] => [0, rank - 1, ...range(1, rank - 1)];
/** Transpose perm channels-first → channels-last: [0, 2, …, r-1, 1]. */
export const toLastPerm = (rank: number): number[] => [0, ...range(2, rank), 1];

/** Where logical (channels-last) axis `axis` lives in the stored tensor. */
export function physicalAxis(v: Value, axis: number): number {
  const rank = v.shape.length;
  const a = axis < 0 ? axis + rank : axis;
  if (v.layout === 'channels-last' || a === 0) return a;
  return a === rank - 1 ? 1 : a + 1;
}

/** The stored tensor's shape: the logical one, permuted when channels first. */
export function physicalShape(v: Value): Shape {
  return v.layout === 'channels-last' ? v.shape : toFirstPerm(v.shape.length).map((a) => v.shape[a]!);
}
