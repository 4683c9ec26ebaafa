// Weights in share links: bit-exact round trips (checked byte by byte against the inputs' own
// memory) and a clear refusal, naming where, for every malformed or oversized block; then whether a
// link's weights fit its graph (per node against the engine's parameter counts, without TF.js).
import { describe, expect, it } from 'vitest';
import { decodeSharedWeights, encodeSharedWeights, SharedWeightsError, WEIGHT_LIMITS } from '../../src/engine/share/index.js';
import type { NamedArray } from '../../src/engine/train/checkpoint-format.js';
import { weightsMismatch } from '../../src/editor/share/shared-weights.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { summarize } from '../../src/engine/graph/summary.js';
import { findTemplate } from '../../src/engine/templates/index.js';

const bitsOf = (a: NamedArray) => Array.from(new Uint32Array(a.values.buffer, a.values.byteOffset, a.values.length));

const sample: NamedArray[] = [
  { name: 'dense1/kernel', shape: [2, 3], dtype: 'float32', values: new Float32Array([0.1, -2.5e-38, 3.4e38, -0, Number.NaN, 1 / 3]) },
  { name: 'dense1/bias', shape: [3], dtype: 'float32', values: new Float32Array([1e-45, -1, Number.POSITIVE_INFINITY]) },
  { name: 'steps', shape: [], dtype: 'int32', values: new Int32Array([-2147483648]) },
];

/** A block with `header` as its JSON header and `payload` value bytes. */
function block(header: unknown, payload: number, headerText = JSON.stringify(header)): Uint8Array {
  const h = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + h.byteLength + payload);
  out.set([0x4e, 0x46, 0x57, 0x31]);
  new DataView(out.buffer).setUint32(4, h.byteLength, true);
  out.set(h, 8);
  return out;
}
const entry = (o: Record<string, unknown> = {}) => ({ name: 'w', shape: [2], dtype: 'float32', ...o });
const refusal = (bytes: Uint8Array): SharedWeightsError => {
  try {
    decodeSharedWeights(bytes);
  } catch (e) {
    if (e instanceof SharedWeightsError) return e;
    throw e;
  }
  throw new Error('accepted');
};

describe('shared weights', () => {
  it('round-trips bit for bit, NaN payload and -0 included, at 4 bytes a value plus the header', () => {
    const bytes = encodeSharedWeights(sample);
    const back = decodeSharedWeights(bytes);
    expect(back.map((a) => [a.name, a.shape, a.dtype])).toEqual(sample.map((a) => [a.name, a.shape, a.dtype]));
    back.forEach((a, i) => expect(bitsOf(a)).toEqual(bitsOf(sample[i]!)));
    expect(back[2]!.values).toBeInstanceOf(Int32Array);
    const header = new DataView(bytes.buffer).getUint32(4, true);
    expect(bytes.byteLength).toBe(8 + header + 4 * 10);
    // little-endian float32: the first value's bytes as Node's Buffer writes them
    const le = Buffer.alloc(4);
    le.writeFloatLE(Math.fround(0.1));
    expect(Array.from(bytes.subarray(8 + header, 12 + header))).toEqual(Array.from(le));
  });

  it('reads a block inside a larger buffer (an offset view)', () => {
    const bytes = encodeSharedWeights(sample);
    const padded = new Uint8Array(bytes.byteLength + 3);
    padded.set(bytes, 3);
    expect(decodeSharedWeights(padded.subarray(3)).map(bitsOf)).toEqual(sample.map(bitsOf));
  });

  const cases: [string, Uint8Array, string, RegExp][] = [
    ['no magic', new Uint8Array([1, 2, 3, 4, 0, 0, 0, 0]), 'header', /NFW1/],
    ['too short', new Uint8Array([0x4e, 0x46]), 'header', /NFW1/],
    ['header longer than the block', (() => { const b = block({ v: 1, entries: [] }, 0); new DataView(b.buffer).setUint32(4, 500, true); return b; })(), 'header', /only/],
    ['header over the cap', (() => { const b = block({ v: 1, entries: [] }, 0); new DataView(b.buffer).setUint32(4, WEIGHT_LIMITS.headerBytes + 1, true); return b; })(), 'header', /allowed/],
    ['not JSON', block(null, 0, '{nope'), 'header', /JSON/],
    ['newer layout', block({ v: 2, entries: [] }, 0), 'header.v', /version 2/],
    ['entries not a list', block({ v: 1, entries: {} }, 0), 'header.entries', /list/],
    ['too many entries', block({ v: 1, entries: Array.from({ length: WEIGHT_LIMITS.entries + 1 }, (_, i) => entry({ name: `w${i}`, shape: [0] })) }, 0), 'header.entries', /513 entries/],
    ['__proto__ name', block({ v: 1, entries: [entry({ name: '__proto__' })] }, 8), 'entries[0].name', /not an allowed/],
    ['constructor inside a path', block({ v: 1, entries: [entry({ name: 'dense/constructor' })] }, 8), 'entries[0].name', /not an allowed/],
    ['empty name', block({ v: 1, entries: [entry({ name: '' })] }, 8), 'entries[0].name', /characters/],
    ['long name', block({ v: 1, entries: [entry({ name: 'x'.repeat(201) })] }, 8), 'entries[0].name', /200/],
    ['duplicate name', block({ v: 1, entries: [entry(), entry()] }, 16), 'entries[1].name', /twice/],
    ['bad dtype', block({ v: 1, entries: [entry({ dtype: 'float16' })] }, 8), 'entries[0].dtype', /float16/],
    ['too many dims', block({ v: 1, entries: [entry({ shape: [1, 1, 1, 1, 1, 1, 1, 1, 1] })] }, 4), 'entries[0].shape', /at most 8/],
    ['fractional dim', block({ v: 1, entries: [entry({ shape: [1.5] })] }, 8), 'entries[0].shape[0]', /whole number/],
    ['negative dim', block({ v: 1, entries: [entry({ shape: [2, -1] })] }, 8), 'entries[0].shape[1]', /whole number/],
    ['one huge entry, refused before allocating', block({ v: 1, entries: [entry({ shape: [1024, 1024, 2] })] }, 0), 'entries[0].shape', /elements/],
    ['too many elements in all', block({ v: 1, entries: [entry({ name: 'a', shape: [1 << 19] }), entry({ name: 'b', shape: [(1 << 19) + 1] })] }, 0), 'entries[1]', /in all/],
    ['payload one byte short', block({ v: 1, entries: [entry()] }, 7), 'values', /describes (\d+) bytes in all but the block has (?!\1)\d+/],
    ['payload one byte long', block({ v: 1, entries: [entry()] }, 9), 'values', /describes (\d+) bytes in all but the block has (?!\1)\d+/],
  ];
  for (const [what, bytes, where, message] of cases) {
    it(`refuses ${what} at ${where}`, () => {
      const e = refusal(bytes);
      expect(e.where).toBe(where);
      expect(e.message).toMatch(message);
      expect(e.message.startsWith(`shared weights: ${where}: `)).toBe(true);
    });
  }
});

const mlp = findTemplate('mlp')!.project();
const summary = summarize(analyzeGraph(mlp.graph));
const arr = (name: string, shape: number[]): NamedArray => ({ name, shape, dtype: 'float32', values: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
// Keras-style names as weightKeys gives them: layer (= node id) / weight.
const exact = [arr('hidden1/kernel', [784, 256]), arr('hidden1/bias', [256]), arr('hidden2/kernel', [256, 128]), arr('hidden2/bias', [128]), arr('logits/kernel', [128, 10]), arr('logits/bias', [10])];

describe('weightsMismatch', () => {
  it('accepts the MLP template’s weights (235,146 values, the published count for 784-256-128-10)', () => {
    expect(exact.reduce((n, a) => n + a.values.length, 0)).toBe(235_146);
    expect(weightsMismatch(exact, summary)).toBeNull();
  });
  it('names a weight of no layer', () => {
    expect(weightsMismatch([...exact, arr('ghost/kernel', [1])], summary)).toBe('the weight "ghost/kernel" belongs to no layer of this graph');
  });
  it('names a layer whose count differs, including a missing one', () => {
    expect(weightsMismatch(exact.slice(0, 5), summary)).toBe('layer logits needs 1290 parameters but the link brings 1280');
    expect(weightsMismatch(exact.slice(2), summary)).toBe('layer hidden1 needs 200960 parameters but the link brings 0');
  });
  it('refuses any weights for a graph with errors', () => {
    const broken = { ...mlp.graph, edges: [] };
    expect(weightsMismatch(exact, summarize(analyzeGraph(broken)))).toMatch(/has errors/);
  });
});
