// Reads and writes TF.js weight shards without TF.js: the manifest's weights lie back to back
// in the concatenated shards, little-endian, optionally quantized (uint8/uint16 affine, float16).
import type { WeightSpec, WeightsGroup } from './keras-json.js';
import { concatBytes, halfToFloat } from '../../bytes.js';

export interface DecodedWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** 4 MiB, as the TF.js converter shards weights (browsers cache and fetch smaller files better). */
export const DEFAULT_SHARD_BYTES = 4 * 1024 * 1024;

const BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

const count = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function decodeOne(spec: WeightSpec, view: DataView, at: number): { values: Float32Array; bytes: number } {
  const n = count(spec.shape);
  const q = spec.quantization;
  const stored = q?.dtype ?? spec.dtype;
  const width = BYTES[stored];
  if (width === undefined) throw new Error(`weight "${spec.name}": dtype ${stored} is not supported (float32, int32, bool, or uint8/uint16/float16 quantization)`);
  const bytes = n * width;
  if (at + bytes > view.byteLength) throw new Error(`weight "${spec.name}" [${spec.shape.join(',')}] needs bytes ${at}…${at + bytes}, but the shards hold only ${view.byteLength}`);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const p = at + i * width;
    switch (stored) {
      case 'float32': out[i] = view.getFloat32(p, true); break;
      case 'int32': out[i] = view.getInt32(p, true); break;
      case 'bool': case 'uint8': out[i] = view.getUint8(p); break;
      case 'uint16': out[i] = view.getUint16(p, true); break;
      case 'float16': out[i] = halfToFloat(view.getUint16(p, true)); break;
      default: throw new Error(`weight "${spec.name}": unhandled dtype ${stored}`);
    }
  }
  if (q && (q.dtype === 'uint8' || q.dtype === 'uint16')) {
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    for (let i = 0; i < n; i++) out[i] = out[i]! * scale + min;
  }
  return { values: out, bytes };
}

/**
 * Every weight of a manifest, as float32, in manifest order. `shards` are the bytes of every
 * path of every group, in manifest order (TF.js lays groups out back to back too).
 * @throws Error naming the weight when the bytes run out, or the leftover byte count.
 * @example decodeWeights(json.weightsManifest, [await read('group1-shard1of1.bin')])
 */
export function decodeWeights(manifest: readonly WeightsGroup[], shards: readonly Uint8Array[]): DecodedWeight[] {
  const paths = manifest.reduce((s, g) => s + g.paths.length, 0);
  if (shards.length !== paths) throw new Error(`the manifest lists ${paths} weight file(s) but ${shards.length} were given`);
  const data = concatBytes(shards);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: DecodedWeight[] = [];
  let at = 0;
  for (const spec of manifest.flatMap((g) => g.weights)) {
    const { values, bytes } = decodeOne(spec, view, at);
    out.push({ name: spec.name, shape: spec.shape, values });
    at += bytes;
  }
  if (at !== data.byteLength) throw new Error(`the weight files hold ${data.byteLength - at} bytes beyond the last weight the manifest lists`);
  return out;
}

/** Splits `data` into shard files named as the TF.js converter names them. */
export function shardFiles(data: Uint8Array, shardBytes = DEFAULT_SHARD_BYTES): { path: string; bytes: Uint8Array }[] {
  const n = Math.max(1, Math.ceil(data.byteLength / shardBytes));
  return Array.from({ length: n }, (_, i) => ({ path: `group1-shard${i + 1}of${n}.bin`, bytes: data.slice(i * shardBytes, (i + 1) * shardBytes) }));
}

/** float32 values, little-endian, back to back: the bytes a float32 manifest describes. */
export function encodeFloat32(arrays: readonly ArrayLike<number>[]): Uint8Array {
  const total = arrays.reduce((s, a) => s + a.length, 0);
  const out = new Uint8Array(total * 4);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++, at += 4) view.setFloat32(at, a[i]!, true);
  }
  return out;
}
