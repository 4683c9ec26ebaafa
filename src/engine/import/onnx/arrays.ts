// Small row-major array helpers for weight layouts and constant folding.

/** Row-major strides of `dims`. */
export function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1]! * dims[i + 1]!;
  return s;
}

/**
 * Transposes `data` of shape `dims` so output axis j is input axis perm[j] (numpy.transpose).
 * @example permute(W, [O, I, kH, kW], [2, 3, 1, 0]) // OIHW → HWIO
 */
export function permute<T extends Float32Array | Float64Array>(data: T, dims: readonly number[], perm: readonly number[]): T {
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const inStrides = strides(dims);
  const outDims = perm.map((p) => dims[p]!);
  const step = perm.map((p) => inStrides[p]!); // input stride of each output axis
  const rank = outDims.length;
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = data[src]!;
    for (let a = rank - 1; a >= 0; a--) {
      idx[a]!++;
      src += step[a]!;
      if (idx[a]! < outDims[a]!) break;
      src -= step[a]! * outDims[a]!;
      idx[a] = 0;
    }
  }
  return out;
}

/** numpy-style broadcast of two shapes; null when they do not broadcast. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Reads `data` (shape `dims`) broadcast to `to`, as a flat row-major array. */
export function broadcastTo(data: Float32Array | Float64Array, dims: readonly number[], to: readonly number[]): Float64Array {
  const n = to.reduce((x, y) => x * y, 1);
  const out = new Float64Array(n);
  const lead = to.length - dims.length;
  const inStrides = strides(dims);
  const toStrides = strides(to);
  for (let o = 0; o < n; o++) {
    let src = 0;
    for (let a = lead; a < to.length; a++) {
      const i = Math.floor(o / toStrides[a]!) % to[a]!;
      if (dims[a - lead]! !== 1) src += i * inStrides[a - lead]!;
    }
    out[o] = data[src]!;
  }
  return out;
}
