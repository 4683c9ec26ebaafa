// Rearranging weight arrays between TF.js's and PyTorch's layouts, on plain typed arrays.
import type { StateEntry } from './emitter.js';

/**
 * `values` of `shape` with its axes reordered: output axis i is input axis perm[i].
 * @example permute(v, [3, 3, 2, 8], [3, 2, 0, 1]) // a conv kernel HWIO → OIHW
 */
export function permute(values: Float32Array, shape: readonly number[], perm: readonly number[]): { values: Float32Array; shape: number[] } {
  if (perm.length !== shape.length) throw new Error(`permutation [${perm.join(', ')}] does not fit shape [${shape.join(', ')}]`);
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = strides(shape);
  const stepOut = perm.map((p) => inStrides[p]!); // input stride of each output axis
  const out = new Float32Array(values.length);
  const index = new Array<number>(shape.length).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = values[src]!;
    // Advance the output index like an odometer, moving `src` by the matching input strides.
    for (let axis = outShape.length - 1; axis >= 0; axis--) {
      index[axis]!++;
      src += stepOut[axis]!;
      if (index[axis]! < outShape[axis]!) break;
      src -= stepOut[axis]! * outShape[axis]!;
      index[axis] = 0;
    }
  }
  return { values: out, shape: outShape };
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** A 2-D kernel [in, out] as nn.Linear's weight [out, in]. */
export function transposed(key: string, w: { values: Float32Array; shape: readonly number[] }): StateEntry {
  return { key, ...permute(w.values, w.shape, [1, 0]) };
}

/** A weight that keeps its layout. */
export const same = (key: string, w: { values: Float32Array; shape: readonly number[] }): StateEntry => ({ key, shape: [...w.shape], values: w.values });

/** A constant array, for parameters PyTorch has and TF.js does not (LSTM's second bias, a frozen offset). */
export const filled = (key: string, shape: readonly number[], value: number): StateEntry => ({
  key,
  shape: [...shape],
  values: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(value),
});
