// Trained weights inside a share link: a tiny versioned binary layout, read back as hostile input.
// Layout: "NFW1" | u32 LE header length | UTF-8 JSON header {v, entries:[{name, shape, dtype}]} |
// values, each entry's elements in order, 4 bytes each, little-endian (float32 or int32).
import type { NamedArray } from '../train/checkpoint-format.js';
import { fromUtf8, utf8 } from '../export/tfjs/utf8.js';

/** Layout version in the header's `v`. */
export const SHARED_WEIGHTS_VERSION = 1;
const MAGIC = [0x4e, 0x46, 0x57, 0x31]; // "NFW1"
/** Caps checked before anything is allocated: far above what fits an 8 KiB link. */
export const WEIGHT_LIMITS = { entries: 512, nameChars: 200, dims: 8, elements: 1 << 20, headerBytes: 64 * 1024 } as const;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** A refused weights payload: what was wrong and where (`header`, `entries[2].shape[1]`, `values`). */
export class SharedWeightsError extends Error {
  constructor(
    readonly where: string,
    what: string,
  ) {
    super(`shared weights: ${where}: ${what}`);
    this.name = 'SharedWeightsError';
  }
}

/**
 * Packs named arrays into the link's weight bytes (bit-exact: values are copied as stored).
 * @example decodeSharedWeights(encodeSharedWeights(checkpoint.weights)) // → equal arrays
 */
export function encodeSharedWeights(arrays: readonly NamedArray[]): Uint8Array {
  const header = utf8(JSON.stringify({ v: SHARED_WEIGHTS_VERSION, entries: arrays.map((a) => ({ name: a.name, shape: [...a.shape], dtype: a.dtype })) }));
  const total = arrays.reduce((s, a) => s + a.values.length, 0);
  const out = new Uint8Array(8 + header.byteLength + 4 * total);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint32(4, header.byteLength, true);
  out.set(header, 8);
  let at = 8 + header.byteLength;
  for (const a of arrays) {
    // Raw 32-bit patterns, so even NaN payloads survive (a float write may canonicalize them).
    const bits = new Uint32Array(a.values.buffer, a.values.byteOffset, a.values.length);
    for (let i = 0; i < bits.length; i++, at += 4) view.setUint32(at, bits[i]!, true);
  }
  return out;
}

interface Entry {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: 'float32' | 'int32';
  readonly size: number;
}

function readHeader(bytes: Uint8Array): { entries: Entry[]; payloadAt: number } {
  if (bytes.byteLength < 8 || MAGIC.some((m, i) => bytes[i] !== m)) throw new SharedWeightsError('header', 'not a NeuralForge weights block (expected "NFW1")');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (headerLength > WEIGHT_LIMITS.headerBytes) throw new SharedWeightsError('header', `${headerLength} bytes, over the ${WEIGHT_LIMITS.headerBytes} allowed`);
  if (8 + headerLength > bytes.byteLength) throw new SharedWeightsError('header', `declares ${headerLength} bytes but only ${bytes.byteLength - 8} follow`);
  let doc: unknown;
  try {
    doc = JSON.parse(fromUtf8(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    throw new SharedWeightsError('header', `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new SharedWeightsError('header', 'must be a JSON object');
  const { v, entries } = doc as { v?: unknown; entries?: unknown };
  if (typeof v !== 'number' || v > SHARED_WEIGHTS_VERSION || v < 1) throw new SharedWeightsError('header.v', `layout version ${String(v)} is not one this app reads (1..${SHARED_WEIGHTS_VERSION})`);
  if (!Array.isArray(entries)) throw new SharedWeightsError('header.entries', 'must be a list');
  if (entries.length > WEIGHT_LIMITS.entries) throw new SharedWeightsError('header.entries', `${entries.length} entries, over the ${WEIGHT_LIMITS.entries} allowed`);
  const names = new Set<string>();
  let elements = 0;
  const out = entries.map((raw: unknown, i): Entry => {
    const where = `entries[${i}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new SharedWeightsError(where, 'must be an object');
    const { name, shape, dtype } = raw as { name?: unknown; shape?: unknown; dtype?: unknown };
    if (typeof name !== 'string' || name.length === 0 || name.length > WEIGHT_LIMITS.nameChars) throw new SharedWeightsError(`${where}.name`, `must be 1..${WEIGHT_LIMITS.nameChars} characters`);
    if (name.split('/').some((part) => FORBIDDEN.has(part))) throw new SharedWeightsError(`${where}.name`, `"${name}" is not an allowed weight name`);
    if (names.has(name)) throw new SharedWeightsError(`${where}.name`, `"${name}" appears twice`);
    names.add(name);
    if (dtype !== 'float32' && dtype !== 'int32') throw new SharedWeightsError(`${where}.dtype`, `must be "float32" or "int32", not ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || shape.length > WEIGHT_LIMITS.dims) throw new SharedWeightsError(`${where}.shape`, `must be a list of at most ${WEIGHT_LIMITS.dims} sizes`);
    let size = 1;
    shape.forEach((d: unknown, k) => {
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > WEIGHT_LIMITS.elements) throw new SharedWeightsError(`${where}.shape[${k}]`, `must be a whole number 0..${WEIGHT_LIMITS.elements}`);
      size *= d;
      if (size > WEIGHT_LIMITS.elements) throw new SharedWeightsError(`${where}.shape`, `more than ${WEIGHT_LIMITS.elements} elements`);
    });
    elements += size;
    if (elements > WEIGHT_LIMITS.elements) throw new SharedWeightsError(where, `the weights exceed ${WEIGHT_LIMITS.elements} elements in all`);
    return { name, shape: shape as number[], dtype, size };
  });
  const expected = 8 + headerLength + 4 * elements;
  if (bytes.byteLength !== expected) throw new SharedWeightsError('values', `the header describes ${expected} bytes in all but the block has ${bytes.byteLength}`);
  return { entries: out, payloadAt: 8 + headerLength };
}

/**
 * Reads weight bytes from a link, refusing (SharedWeightsError, naming what and where) any block
 * that is malformed, over the caps, or whose sizes do not match exactly. Caps are checked first.
 * @example decodeSharedWeights(envelope.weights) // → [{ name: 'dense1/kernel', shape: [2, 8], dtype: 'float32', values }, …]
 */
export function decodeSharedWeights(bytes: Uint8Array): NamedArray[] {
  const { entries, payloadAt } = readHeader(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = payloadAt;
  return entries.map((e) => {
    const values = e.dtype === 'int32' ? new Int32Array(e.size) : new Float32Array(e.size);
    const bits = new Uint32Array(values.buffer);
    for (let i = 0; i < e.size; i++, at += 4) bits[i] = view.getUint32(at, true);
    return { name: e.name, shape: e.shape, dtype: e.dtype, values };
  });
}

/** Total number of values (parameters) in `arrays`. */
export const sharedParamCount = (arrays: readonly NamedArray[]): number => arrays.reduce((s, a) => s + a.values.length, 0);
