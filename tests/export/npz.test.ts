// The .npy/.npz writers against NumPy itself: dtypes, shapes (scalar, 1-D, N-D, empty), values,
// entry order, the 64-byte header alignment, and clear errors for bad input.
import { describe, expect, it } from 'vitest';
import { npyBytes, npzBytes } from '../../src/engine/export/npz.js';
import { runPython } from '../helpers/python.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('npy and npz', () => {
  it('NumPy reads back every array exactly, in order, with the header padded to 64 bytes', () => {
    const arrays = [
      ['dense.weight', { shape: [2, 3], data: Float32Array.of(1.5, -2, 3.25, 1e-30, 65504, -0) }],
      ['ids', { shape: [4], data: Int32Array.of(0, -1, 2147483647, -2147483648) }],
      ['nested/scalar', { shape: [], data: Float32Array.of(Math.PI) }],
      ['empty', { shape: [0, 5], data: new Float32Array(0) }],
      ['cube', { shape: [2, 2, 2], data: Float32Array.from({ length: 8 }, (_, i) => i / 3) }],
    ] as const;
    const npz = npzBytes(arrays);
    const npy = npyBytes(arrays[4][1]);
    const script = `
import io, json, sys, numpy as np
z = np.load(io.BytesIO(bytes.fromhex(sys.argv[1])))
a = np.load(io.BytesIO(bytes.fromhex(sys.argv[2])))
header_len = int.from_bytes(bytes.fromhex(sys.argv[2])[8:10], 'little')
print(json.dumps({
  'files': z.files,
  'arrays': {k: {'dtype': str(z[k].dtype), 'shape': list(z[k].shape), 'values': z[k].ravel().tolist(), 'c': bool(z[k].flags['C_CONTIGUOUS'])} for k in z.files},
  'npy': {'dtype': str(a.dtype), 'shape': list(a.shape), 'values': a.ravel().tolist()},
  'aligned': (10 + header_len) % 64 == 0,
}))`;
    const r = runPython(script, [hex(npz), hex(npy)]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.files).toEqual(arrays.map(([name]) => name));
    for (const [name, a] of arrays) {
      const got = out.arrays[name];
      expect(got.dtype, name).toBe(a.data instanceof Float32Array ? 'float32' : 'int32');
      expect(got.shape, name).toEqual(a.shape);
      expect(got.values, name).toEqual([...a.data]);
      expect(got.c, name).toBe(true);
    }
    expect(out.npy).toEqual({ dtype: 'float32', shape: [2, 2, 2], values: [...arrays[4][1].data] });
    expect(out.aligned).toBe(true);
  });

  it('writes the same bytes for the same arrays (fixed zip timestamps)', () => {
    const make = () => npzBytes([['w', { shape: [2], data: Float32Array.of(1, 2) }]]);
    expect(hex(make())).toBe(hex(make()));
  });

  it('refuses a shape that does not match the data, naming the entry', () => {
    expect(() => npzBytes([['conv.weight', { shape: [2, 3], data: new Float32Array(5) }]])).toThrow('npz entry "conv.weight": shape [2, 3] holds 6 values, the data has 5');
    expect(() => npyBytes({ shape: [-1], data: new Float32Array(0) })).toThrow('invalid dimension -1');
  });

  it('refuses repeated and unsafe entry names', () => {
    const a = { shape: [1], data: Float32Array.of(1) };
    expect(() => npzBytes([['w', a], ['w', a]])).toThrow('npz entry "w" is given twice');
    expect(() => npzBytes([['../w', a]])).toThrow('is not a safe relative name');
    expect(() => npzBytes([['', a]])).toThrow('is not a safe relative name');
  });
});
