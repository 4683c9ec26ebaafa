// Weight layout conversions done at export time: N-D transposes of TF.js weights into ONNX's
// layouts (conv kernels [kh, kw, in, out] → [out, in, kh, kw], recurrent gates, …).

/** Row-major strides of a shape. */
function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/**
 * Transposes row-major `values` of `shape` so that output axis i is input axis perm[i].
 * @example transposeData(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3], [1, 0]) // → [1, 4, 2, 5, 3, 6]
 */
export function transposeData(values: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const rank = shape.length;
  if (perm.length !== rank) throw new Error(`transpose: perm [${perm.join(',')}] does not fit shape [${shape.join(',')}]`);
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = strides(shape);
  const step = perm.map((p) => inStrides[p]!); // input offset per output index step
  const out = new Float32Array(values.length);
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < values.length; o++) {
    out[o] = values[src]!;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      src += step[d]!;
      if (idx[d]! < outShape[d]!) break;
      src -= step[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * Reorders equal blocks along the last axis: `order[j]` is the source block of output block j
 * (Keras LSTM gates i, f, c, o → ONNX i, o, f, c is order [0, 3, 1, 2]).
 */
export function reorderBlocks(values: Float32Array, shape: readonly number[], order: readonly number[]): Float32Array {
  const last = shape.at(-1)!;
  const block = last / order.length;
  const out = new Float32Array(values.length);
  for (let row = 0; row < values.length / last; row++)
    order.forEach((from, to) => out.set(values.subarray(row * last + from * block, row * last + (from + 1) * block), row * last + to * block));
  return out;
}
