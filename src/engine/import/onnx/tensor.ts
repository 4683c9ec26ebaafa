// ONNX TensorProto → plain typed arrays, after wire.ts has checked every declared size. Float
// types become Float32Array, integer and bool types Float64Array (exact for shapes and indices).
import type { onnx } from 'onnx-proto';
import { refuse } from './errors.js';
import { DATA_TYPE_NAMES } from './wire-schema.js';
import { halfToFloat } from '../../bytes.js';

/** A tensor whose values are known at import time (an initializer, a Constant, a folded shape). */
export interface ConstTensor {
  readonly dims: readonly number[];
  /** Row-major values; NaN in an int tensor marks the batch size (unknown until run time). */
  readonly data: Float32Array | Float64Array;
  readonly dtype: 'float' | 'int';
}

/** protobufjs gives 64-bit fields as Long objects (or numbers without long.js). */
export type Int64 = number | { readonly low: number; readonly high: number; readonly unsigned?: boolean };

/** A 64-bit integer as a JS number (exact up to 2^53, which covers every size that passes the caps). */
export function int64(v: Int64 | null | undefined): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  const high = v.unsigned ? v.high >>> 0 : v.high | 0;
  return high * 2 ** 32 + (v.low >>> 0);
}

const FLOAT_TYPES = new Set([1, 10, 11, 16]);
const INT_TYPES = new Set([2, 3, 4, 5, 6, 7, 9, 12, 13]);

/** Reads raw little-endian bytes of `type` into `out` (the length was checked by the wire scan). */
function fromRaw(raw: Uint8Array, type: number, out: Float32Array | Float64Array): void {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const n = out.length;
  for (let i = 0; i < n; i++) {
    switch (type) {
      case 1: out[i] = v.getFloat32(4 * i, true); break;
      case 11: out[i] = v.getFloat64(8 * i, true); break;
      case 10: out[i] = halfToFloat(v.getUint16(2 * i, true)); break;
      case 16: out[i] = new Float32Array(new Uint32Array([v.getUint16(2 * i, true) << 16]).buffer)[0]!; break;
      case 2: case 9: out[i] = v.getUint8(i); break;
      case 3: out[i] = v.getInt8(i); break;
      case 4: out[i] = v.getUint16(2 * i, true); break;
      case 5: out[i] = v.getInt16(2 * i, true); break;
      case 6: out[i] = v.getInt32(4 * i, true); break;
      case 12: out[i] = v.getUint32(4 * i, true); break;
      case 7: out[i] = Number(v.getBigInt64(8 * i, true)); break;
      case 13: out[i] = Number(v.getBigUint64(8 * i, true)); break;
      default: throw new Error(`unhandled raw type ${type}`);
    }
  }
}

/** The typed repeated field that holds the values when there is no raw_data. */
function typedValues(t: onnx.ITensorProto, type: number): readonly (number | Int64)[] {
  switch (type) {
    case 1: return t.floatData ?? [];
    case 11: return t.doubleData ?? [];
    case 7: return t.int64Data ?? [];
    case 12: case 13: return t.uint64Data ?? [];
    default: return t.int32Data ?? []; // int8/16/32, uint8/16, bool, float16 and bfloat16 bits
  }
}

/**
 * Converts one TensorProto to a ConstTensor.
 * @throws OnnxImportError 'unsupported' for string and complex tensors, 'absurd-shape' for a size mismatch.
 */
export function constTensor(t: onnx.ITensorProto, where: string): ConstTensor {
  const type = t.dataType ?? 0;
  const dims = (t.dims ?? []).map((d) => int64(d));
  const count = dims.reduce((a, b) => a * b, 1);
  const float = FLOAT_TYPES.has(type);
  if (!float && !INT_TYPES.has(type)) refuse('unsupported', `${DATA_TYPE_NAMES[type] ?? `type ${type}`} tensors cannot be imported`, where);
  const data = float ? new Float32Array(count) : new Float64Array(count);
  if (t.rawData && t.rawData.length) fromRaw(t.rawData, type, data);
  else {
    const values = typedValues(t, type);
    if (values.length !== count) refuse('absurd-shape', `holds ${values.length} values, but dims [${dims.join(', ')}] need ${count}`, where);
    for (let i = 0; i < count; i++) {
      const x = int64(values[i]);
      data[i] = type === 10 ? halfToFloat(x) : type === 16 ? new Float32Array(new Uint32Array([x << 16]).buffer)[0]! : x;
    }
  }
  return { dims, data, dtype: float ? 'float' : 'int' };
}

/** Number of elements of a shape. */
export const sizeOf = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);
