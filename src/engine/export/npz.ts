// NumPy's .npy (format version 1.0) and .npz (a zip of .npy files, stored) writers, for
// weights and test data that Python reads with a plain `np.load`.
import { zipSync } from 'fflate';

/** One array: values in C (row-major) order; the dtype follows the typed array. */
export interface NpyArray {
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
/** Magic (6) + version (2) + header length (2). */
const PREAMBLE = 10;
/** NumPy pads the header so the data starts on a multiple of 64 bytes. */
const ALIGN = 64;
/** Fixed zip timestamps keep an export byte-for-byte reproducible (DOS time starts in 1980). */
const ZIP_TIME = new Date(1980, 0, 1);

const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** `(2, 3)`, `(5,)` or `()`: a Python tuple literal, as NumPy writes shapes. */
function shapeTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

function checkArray(a: NpyArray, where: string): void {
  const bad = a.shape.find((d) => !Number.isInteger(d) || d < 0);
  if (bad !== undefined) throw new Error(`${where}: shape [${a.shape.join(', ')}] has an invalid dimension ${bad}`);
  const size = a.shape.reduce((p, d) => p * d, 1);
  if (size !== a.data.length) throw new Error(`${where}: shape [${a.shape.join(', ')}] holds ${size} values, the data has ${a.data.length}`);
}

/**
 * One array as an .npy file (version 1.0, little-endian float32 `<f4` or int32 `<i4`, C order).
 * @example np.load(io.BytesIO(bytes)) // in Python, after writing npyBytes({ shape: [2, 2], data: Float32Array.of(1, 2, 3, 4) })
 * @throws Error when the shape does not match the number of values.
 */
export function npyBytes(a: NpyArray, where = 'array'): Uint8Array {
  checkArray(a, where);
  const descr = a.data instanceof Float32Array ? '<f4' : '<i4';
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeTuple(a.shape)}, }`;
  // Spaces, then a newline, up to the next multiple of 64 (the newline counts).
  const headerLength = Math.ceil((PREAMBLE + dict.length + 1) / ALIGN) * ALIGN - PREAMBLE;
  const header = dict.padEnd(headerLength - 1, ' ') + '\n';
  const out = new Uint8Array(PREAMBLE + headerLength + a.data.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0; // minor version
  new DataView(out.buffer).setUint16(8, headerLength, true);
  for (let i = 0; i < header.length; i++) out[PREAMBLE + i] = header.charCodeAt(i);
  const body = PREAMBLE + headerLength;
  if (littleEndian) {
    out.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), body);
  } else {
    const view = new DataView(out.buffer, body);
    const float = a.data instanceof Float32Array;
    a.data.forEach((v, i) => (float ? view.setFloat32(i * 4, v, true) : view.setInt32(i * 4, v, true)));
  }
  return out;
}

/**
 * Named arrays as an .npz file: a zip of `<name>.npy` entries, stored uncompressed, in the
 * given order (which `np.load(...).files` keeps). Names may contain "/" but not "..".
 * @example npzBytes([['dense.weight', { shape: [4, 5], data }]]) // np.load('weights.npz')['dense.weight']
 * @throws Error naming the entry when a name is empty, repeated or unsafe, or a shape is wrong.
 */
export function npzBytes(arrays: Iterable<readonly [string, NpyArray]>): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0; mtime: Date }]> = {};
  for (const [name, a] of arrays) {
    if (!name || name.startsWith('/') || name.split('/').some((part) => part === '..' || part === ''))
      throw new Error(`npz entry name ${JSON.stringify(name)} is not a safe relative name`);
    const file = `${name}.npy`;
    if (file in files) throw new Error(`npz entry "${name}" is given twice`);
    files[file] = [npyBytes(a, `npz entry "${name}"`), { level: 0, mtime: ZIP_TIME }];
  }
  return zipSync(files);
}
