// Checkpoint ⇄ files: bit-exact round trips (NaN payloads, −0, subnormals, int32 extremes), the
// on-disk layout read independently by numpy from state.json's directory, and clear errors for
// truncated, corrupt or hostile files.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_FILES, decodeCheckpoint, encodeCheckpoint, type CheckpointFile } from '../../src/storage/checkpoint-codec.js';
import type { Checkpoint, NamedArray } from '../../src/engine/train/checkpoint.js';
import { resolveTrainingConfig } from '../../src/engine/train/config.js';
import { runPython } from '../helpers/python.js';

const f32 = (name: string, shape: number[], values: number[] | Float32Array): NamedArray => ({ name, shape, dtype: 'float32', values: Float32Array.from(values) });
const i32 = (name: string, shape: number[], values: number[]): NamedArray => ({ name, shape, dtype: 'int32', values: Int32Array.from(values) });

/** Floats whose bits a careless codec would change: NaN payloads, −0, ±Infinity, subnormals. */
function trickyFloats(n: number): Float32Array {
  const bits = new Uint32Array(n);
  const special = [0x7fc00001, 0xffc00123, 0x7f800001, 0x80000000, 0x7f800000, 0xff800000, 0x00000001, 0x807fffff, 0x3f800000];
  for (let i = 0; i < n; i++) bits[i] = special[i] ?? Math.imul(i + 1, 2654435761) >>> 0;
  return new Float32Array(bits.buffer);
}

function sampleCheckpoint(over: Partial<Checkpoint> = {}): Checkpoint {
  return {
    format: 'neuralforge-checkpoint',
    version: 1,
    reason: 'interval',
    config: resolveTrainingConfig({
      loss: 'sparseCategoricalCrossentropy',
      optimizer: { name: 'adamw', learningRate: 0.01 },
      schedule: { name: 'cosine', warmupSteps: 2 },
      metrics: ['accuracy', 'top3Accuracy'],
      epochs: 5,
      earlyStopping: { monitor: 'valLoss', patience: 2, restoreBestWeights: true },
    }),
    trainCount: 400,
    position: { epoch: 2, step: 3, microBatch: 3, globalStep: 21, microStep: 21 },
    weights: [f32('dense1/kernel', [3, 5], trickyFloats(15)), f32('dense1/bias', [5], [0, -0, 1e-45, -3.5, 2]), i32('emb/ids', [2, 2], [-2147483648, 2147483647, 0, -1]), f32('empty', [0, 4], [])],
    optimizer: { name: 'adamw', iterations: 21, slots: [f32('dense1/kernel/m', [3, 5], trickyFloats(15).reverse()), f32('dense1/kernel/v', [15], new Float32Array(15).fill(1e-30))] },
    partialEpoch: { lossSum: NaN, samples: 144, metricSums: { accuracy: 100 }, metricCounts: { accuracy: 144 }, elapsedMs: 12.5 },
    earlyStopping: { best: 0.25, bestEpoch: 2, wait: 0 },
    bestWeights: [f32('dense1/kernel', [3, 5], trickyFloats(15).map((v) => v * 2))],
    history: [
      { epoch: 1, loss: Infinity, metrics: { accuracy: 0.5 }, valLoss: NaN, valMetrics: { accuracy: -Infinity }, learningRate: 0.005, durationMs: 3 },
      { epoch: 2, loss: 0.4, metrics: { accuracy: 0.75 }, valLoss: 0.25, valMetrics: null, learningRate: 0.01, durationMs: 4 },
    ],
    ...over,
  };
}

const bitsOf = (a: NamedArray) => Array.from(new Uint32Array(a.values.buffer, a.values.byteOffset, a.values.length));
const asMap = (files: readonly CheckpointFile[]) => new Map(files.map((f) => [f.name, f.bytes]));
const decodeWith = (files: readonly CheckpointFile[], name: string, change: (b: Uint8Array) => Uint8Array) =>
  decodeCheckpoint(new Map(files.map((f) => [f.name, f.name === name ? change(f.bytes) : f.bytes])), 'c1');
const stateWith = (files: readonly CheckpointFile[], edit: (s: Record<string, unknown>) => string) =>
  decodeWith(files, CHECKPOINT_FILES.state, (b) => new TextEncoder().encode(edit(JSON.parse(new TextDecoder().decode(b)) as Record<string, unknown>)));

describe('checkpoint codec', () => {
  const cp = sampleCheckpoint();
  const files = encodeCheckpoint(cp);

  it('writes weights, optimizer, best and state.json (last)', () => {
    expect(files.map((f) => f.name)).toEqual(['weights.bin', 'optimizer.bin', 'best.bin', 'state.json']);
    expect(files[0]!.bytes.length).toBe((15 + 5 + 4 + 0) * 4);
    expect(encodeCheckpoint(sampleCheckpoint({ bestWeights: null })).map((f) => f.name)).toEqual(['weights.bin', 'optimizer.bin', 'state.json']);
  });

  it('round-trips every array bit-exactly and everything else equally (NaN and ±Infinity included)', () => {
    const back = decodeCheckpoint(asMap(files), 'c1');
    const groups = (c: Checkpoint) => [c.weights, c.optimizer.slots, c.bestWeights ?? []];
    groups(back).forEach((g, gi) =>
      g.forEach((a, i) => {
        const orig = groups(cp)[gi]![i]!;
        expect([a.name, a.shape, a.dtype, a.values.constructor]).toEqual([orig.name, orig.shape, orig.dtype, orig.values.constructor]);
        expect(bitsOf(a)).toEqual(bitsOf(orig));
      }),
    );
    const strip = (c: Checkpoint) => ({ ...c, weights: null, optimizer: { ...c.optimizer, slots: null }, bestWeights: null });
    expect(strip(back)).toEqual(strip(cp)); // toEqual treats NaN as equal to NaN and tells Infinity from null
    expect(back.history[0]!.loss).toBe(Infinity);
    expect(Number.isNaN(back.partialEpoch!.lossSum)).toBe(true);
  });

  it('lays arrays out as state.json says, little-endian: numpy reads the same values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nf-ckpt-'));
    for (const f of files) writeFileSync(join(dir, f.name), f.bytes);
    const script = `
import json, sys, numpy as np
d = sys.argv[1]
s = json.load(open(d + '/state.json'))
out = {}
for group, file in (('weights', 'weights.bin'), ('optimizer', 'optimizer.bin'), ('best', 'best.bin')):
    raw = open(d + '/' + file, 'rb').read()
    for a in s['arrays'][group] or []:
        n = int(np.prod(a['shape']))
        v = np.frombuffer(raw, dtype='<f4' if a['dtype'] == 'float32' else '<i4', count=n, offset=a['byteOffset']).reshape(a['shape'])
        out[group + ':' + a['name']] = v.reshape(-1).view('<u4').tolist()
print(json.dumps(out))
`;
    const { code, stdout, stderr } = runPython(script, [dir]);
    expect(code, stderr).toBe(0);
    const numpy = JSON.parse(stdout) as Record<string, number[]>;
    const mine = Object.fromEntries([
      ...cp.weights.map((a) => [`weights:${a.name}`, bitsOf(a)]),
      ...cp.optimizer.slots.map((a) => [`optimizer:${a.name}`, bitsOf(a)]),
      ...cp.bestWeights!.map((a) => [`best:${a.name}`, bitsOf(a)]),
    ]);
    expect(numpy).toEqual(mine);
  });

  it('names the file and array when a file is truncated or missing', () => {
    expect(() => decodeWith(files, 'weights.bin', (b) => b.subarray(0, 90))).toThrow(
      'checkpoint c1: weights.bin is 90 bytes, too short for array "emb/ids" (bytes 80–96); the file is truncated or corrupt',
    );
    expect(() => decodeCheckpoint(new Map([...asMap(files)].filter(([n]) => n !== 'best.bin')), 'c1')).toThrow('checkpoint c1: best.bin is missing');
    expect(() => decodeCheckpoint(new Map(), 'c1')).toThrow('checkpoint c1: state.json is missing');
  });

  it('refuses an invalid or hostile state.json, naming the field', () => {
    expect(() => decodeWith(files, 'state.json', (b) => b.subarray(0, 40))).toThrow(/^checkpoint c1: state.json is not valid: /);
    expect(() => stateWith(files, (s) => JSON.stringify({ ...s, position: { ...(s['position'] as object), epoch: -1 } }))).toThrow(
      /checkpoint c1: state.json at position.epoch: .*>=0/,
    );
    expect(() => stateWith(files, (s) => JSON.stringify(s).replace('"config":{', '"config":{"__proto__":{"polluted":1},'))).toThrow(
      'checkpoint c1: state.json is not valid: the key "__proto__" is not allowed',
    );
    expect(() => stateWith(files, (s) => JSON.stringify({ ...s, format: 'something-else' }))).toThrow(/state.json at format: /);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses an array whose dtype does not match its values when encoding', () => {
    expect(() => encodeCheckpoint(sampleCheckpoint({ weights: [{ name: 'w', shape: [2], dtype: 'int32', values: new Float32Array(2) }] }))).toThrow(
      'weights.bin: "w" is int32 but holds a Float32Array',
    );
    expect(() => encodeCheckpoint(sampleCheckpoint({ weights: [f32('w', [3], [1, 2])] }))).toThrow('weights.bin: "w" has 2 values for shape [3]');
  });
});
