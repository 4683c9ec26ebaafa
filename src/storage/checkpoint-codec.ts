// A Checkpoint as files and back: `weights.bin`, `optimizer.bin` and (when kept) `best.bin`
// hold the arrays back to back (little-endian, 4-byte elements, so every array starts 4-byte
// aligned), and `state.json` holds everything else plus the directory of arrays (name, shape,
// dtype, byteOffset). Decoding validates state.json (zod) and that every array fits its file.
import { z } from 'zod';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type Checkpoint, type NamedArray } from '../engine/train/checkpoint-format.js';
import { LOSS_NAMES, type ResolvedTrainingConfig } from '../engine/train/config.js';
import { StorageError } from './types.js';

export const CHECKPOINT_FILES = { weights: 'weights.bin', optimizer: 'optimizer.bin', best: 'best.bin', state: 'state.json' } as const;
type Group = 'weights' | 'optimizer' | 'best';

export interface CheckpointFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

// Typed arrays use the platform's byte order; every browser platform is little-endian, and the
// files say so. A big-endian machine would need byte swapping, so it is refused, not misread.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// JSON has no NaN or ±Infinity, and a diverged run's history has them: they are written as
// {"$num": "NaN"} and revived on the way back.
const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Any number, NaN and ±Infinity included (zod's number() refuses them). */
const anyNumber = z.custom<number>((v) => typeof v === 'number', 'must be a number');
const count = z.number().int().min(0);
const numbers = z.record(z.string(), anyNumber);

const optimizerSchema = z.discriminatedUnion('name', [
  z.strictObject({ name: z.literal('sgd'), learningRate: z.number(), momentum: z.number(), nesterov: z.boolean() }),
  z.strictObject({ name: z.literal('adam'), learningRate: z.number(), beta1: z.number(), beta2: z.number(), epsilon: z.number() }),
  z.strictObject({ name: z.literal('adamw'), learningRate: z.number(), beta1: z.number(), beta2: z.number(), epsilon: z.number(), weightDecay: z.number() }),
  z.strictObject({ name: z.literal('rmsprop'), learningRate: z.number(), rho: z.number(), momentum: z.number(), epsilon: z.number(), centered: z.boolean() }),
  z.strictObject({ name: z.literal('adagrad'), learningRate: z.number(), epsilon: z.number() }),
]);
const unit = z.enum(['epoch', 'step']);
const scheduleSchema = z.discriminatedUnion('name', [
  z.strictObject({ name: z.literal('constant') }),
  z.strictObject({ name: z.literal('step'), stepSize: z.number(), gamma: z.number(), unit }),
  z.strictObject({ name: z.literal('exponential'), gamma: z.number(), unit }),
  z.strictObject({ name: z.literal('cosine'), warmupSteps: z.number(), minLearningRate: z.number(), totalSteps: z.number().nullable() }),
  z.strictObject({ name: z.literal('oneCycle'), pctStart: z.number(), divFactor: z.number(), finalDivFactor: z.number(), totalSteps: z.number().nullable() }),
]);
const metricSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('accuracy'), name: z.string() }),
  z.strictObject({ kind: z.literal('topKAccuracy'), name: z.string(), k: z.number().int().min(1) }),
  z.strictObject({ kind: z.literal('meanAbsoluteError'), name: z.string() }),
]);
const configSchema = z.strictObject({
  optimizer: optimizerSchema,
  schedule: scheduleSchema,
  loss: z.enum(LOSS_NAMES),
  metrics: z.array(metricSchema),
  batchSize: z.number().int().min(1),
  epochs: z.number().int().min(0),
  seed: z.number().int(),
  validationSplit: z.number(),
  clipNorm: z.number().nullable(),
  accumulationSteps: z.number().int().min(1),
  l2: z.number(),
  earlyStopping: z
    .strictObject({ monitor: z.string(), mode: z.enum(['min', 'max']), patience: count, minDelta: z.number(), restoreBestWeights: z.boolean() })
    .nullable(),
});

// The schema and the engine's type must describe the same config.
type DeepWritable<T> = T extends readonly (infer E)[] ? DeepWritable<E>[] : T extends object ? { -readonly [K in keyof T]: DeepWritable<T[K]> } : T;
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const configSchemaMatchesType: Same<z.output<typeof configSchema>, DeepWritable<ResolvedTrainingConfig>> = true;
void configSchemaMatchesType;

const arrayEntry = z.strictObject({
  name: z.string().min(1).max(1024),
  shape: z.array(z.number().int().min(0).max(2 ** 31)).max(16),
  dtype: z.enum(['float32', 'int32']),
  byteOffset: count.multipleOf(4),
});
type ArrayEntry = z.output<typeof arrayEntry>;

const epochRecord = z.strictObject({
  epoch: count,
  loss: anyNumber,
  metrics: numbers,
  valLoss: anyNumber.nullable(),
  valMetrics: numbers.nullable(),
  learningRate: anyNumber,
  durationMs: anyNumber,
});

const stateSchema = z.strictObject({
  format: z.literal(CHECKPOINT_FORMAT),
  version: z.literal(CHECKPOINT_VERSION),
  reason: z.enum(['interval', 'final']),
  config: configSchema,
  trainCount: count,
  position: z.strictObject({ epoch: count, step: count, microBatch: count, globalStep: count, microStep: count }),
  optimizer: z.strictObject({ name: z.enum(['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad']), iterations: count }),
  partialEpoch: z
    .strictObject({ lossSum: anyNumber, samples: count, metricSums: numbers, metricCounts: numbers, elapsedMs: anyNumber })
    .nullable(),
  earlyStopping: z.strictObject({ best: anyNumber.nullable(), bestEpoch: count, wait: count }).nullable(),
  history: z.array(epochRecord),
  arrays: z.strictObject({ weights: z.array(arrayEntry), optimizer: z.array(arrayEntry), best: z.array(arrayEntry).nullable() }),
});

const bad = (where: string, message: string): StorageError => new StorageError('invalid-record', `checkpoint ${where}: ${message}`);
const elements = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function packArrays(arrays: readonly NamedArray[], file: string): { bytes: Uint8Array; entries: ArrayEntry[] } {
  const entries: ArrayEntry[] = [];
  let size = 0;
  for (const a of arrays) {
    const want = a.dtype === 'float32' ? Float32Array : Int32Array;
    if (!(a.values instanceof want)) throw new TypeError(`${file}: "${a.name}" is ${a.dtype} but holds a ${a.values.constructor.name}`);
    if (a.values.length !== elements(a.shape)) throw new TypeError(`${file}: "${a.name}" has ${a.values.length} values for shape [${a.shape.join(',')}]`);
    entries.push({ name: a.name, shape: [...a.shape], dtype: a.dtype, byteOffset: size });
    size += a.values.byteLength;
  }
  const bytes = new Uint8Array(size);
  arrays.forEach((a, i) => bytes.set(new Uint8Array(a.values.buffer, a.values.byteOffset, a.values.byteLength), entries[i]!.byteOffset));
  return { bytes, entries };
}

/**
 * The files of a checkpoint, state.json last.
 * @example encodeCheckpoint(cp).map((f) => f.name) // ['weights.bin', 'optimizer.bin', 'state.json']
 */
export function encodeCheckpoint(c: Checkpoint): CheckpointFile[] {
  if (!LITTLE_ENDIAN) throw new StorageError('unavailable', 'checkpoints are little-endian; this machine is big-endian');
  const weights = packArrays(c.weights, CHECKPOINT_FILES.weights);
  const optimizer = packArrays(c.optimizer.slots, CHECKPOINT_FILES.optimizer);
  const best = c.bestWeights ? packArrays(c.bestWeights, CHECKPOINT_FILES.best) : null;
  const state = {
    format: c.format,
    version: c.version,
    reason: c.reason,
    config: c.config,
    trainCount: c.trainCount,
    position: c.position,
    optimizer: { name: c.optimizer.name, iterations: c.optimizer.iterations },
    partialEpoch: c.partialEpoch,
    earlyStopping: c.earlyStopping,
    history: c.history,
    arrays: { weights: weights.entries, optimizer: optimizer.entries, best: best?.entries ?? null },
  };
  const json = stringifyNumbers(state);
  return [
    { name: CHECKPOINT_FILES.weights, bytes: weights.bytes },
    { name: CHECKPOINT_FILES.optimizer, bytes: optimizer.bytes },
    ...(best ? [{ name: CHECKPOINT_FILES.best, bytes: best.bytes }] : []),
    { name: CHECKPOINT_FILES.state, bytes: new TextEncoder().encode(json) },
  ];
}

/** JSON.stringify that writes NaN and ±Infinity as {"$num": "NaN" | "Infinity" | "-Infinity"}. */
export function stringifyNumbers(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { $num: Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity' } : v));
}

/** A JSON.parse reviver undoing `stringifyNumbers`. */
export function reviveNumbers(_k: string, v: unknown): unknown {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const tag = (v as { $num?: unknown }).$num;
    if (typeof tag === 'string' && Object.keys(v).length === 1 && Object.hasOwn(NON_FINITE, tag)) return NON_FINITE[tag];
  }
  return v;
}

/** Parses state.json: hostile keys refused, {"$num"} revived, then the schema. */
function parseState(bytes: Uint8Array, where: string): z.output<typeof stateSchema> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes), (k, v: unknown) => {
      if (FORBIDDEN_KEYS.has(k)) throw new Error(`the key "${k}" is not allowed`);
      return reviveNumbers(k, v);
    });
  } catch (e) {
    throw bad(where, `${CHECKPOINT_FILES.state} is not valid: ${(e as Error).message}`);
  }
  const r = stateSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw bad(where, `${CHECKPOINT_FILES.state} at ${issue.path.map(String).join('.') || '(top)'}: ${issue.message}`);
  }
  return r.data;
}

/** Throws naming the file and array when an array lies outside its file, or a name repeats. */
function checkFits(entries: readonly ArrayEntry[], size: number, file: string, where: string): void {
  const names = new Set<string>();
  for (const e of entries) {
    if (names.has(e.name)) throw bad(where, `${file}: array "${e.name}" is listed twice`);
    names.add(e.name);
    const end = e.byteOffset + elements(e.shape) * 4;
    if (end > size) throw bad(where, `${file} is ${size} bytes, too short for array "${e.name}" (bytes ${e.byteOffset}–${end}); the file is truncated or corrupt`);
  }
}

function unpackArrays(entries: readonly ArrayEntry[], bytes: Uint8Array | undefined, file: string, where: string): NamedArray[] {
  if (!bytes) throw bad(where, `${file} is missing`);
  checkFits(entries, bytes.length, file, where);
  return entries.map((e) => {
    // A copy: aligned, independent of the file's buffer.
    const raw = bytes.slice(e.byteOffset, e.byteOffset + elements(e.shape) * 4).buffer;
    return { name: e.name, shape: e.shape, dtype: e.dtype, values: e.dtype === 'float32' ? new Float32Array(raw) : new Int32Array(raw) };
  });
}

/**
 * Checks state.json and that every array it lists fits its file, knowing only the files' sizes
 * (an import validates everything before it writes anything). Returns the file names state.json needs.
 */
export function checkCheckpointLayout(state: Uint8Array, sizes: ReadonlyMap<string, number>, where: string): string[] {
  const s = parseState(state, where);
  const groups: [Group, readonly ArrayEntry[] | null][] = [['weights', s.arrays.weights], ['optimizer', s.arrays.optimizer], ['best', s.arrays.best]];
  const needed: string[] = [CHECKPOINT_FILES.state];
  for (const [g, entries] of groups) {
    if (!entries) continue;
    const size = sizes.get(CHECKPOINT_FILES[g]);
    if (size === undefined) throw bad(where, `${CHECKPOINT_FILES[g]} is missing`);
    checkFits(entries, size, CHECKPOINT_FILES[g], where);
    needed.push(CHECKPOINT_FILES[g]);
  }
  return needed;
}

/**
 * A checkpoint from its files (by name); throws StorageError('invalid-record') naming the file
 * and array when state.json is invalid or an array does not fit its file.
 * @example decodeCheckpoint(new Map(files.map((f) => [f.name, f.bytes])), 'c1')
 */
export function decodeCheckpoint(files: ReadonlyMap<string, Uint8Array>, where: string): Checkpoint {
  if (!LITTLE_ENDIAN) throw new StorageError('unavailable', 'checkpoints are little-endian; this machine is big-endian');
  const stateBytes = files.get(CHECKPOINT_FILES.state);
  if (!stateBytes) throw bad(where, `${CHECKPOINT_FILES.state} is missing`);
  const s = parseState(stateBytes, where);
  const group = (g: Group, entries: readonly ArrayEntry[]) => unpackArrays(entries, files.get(CHECKPOINT_FILES[g]), CHECKPOINT_FILES[g], where);
  return {
    format: s.format,
    version: s.version,
    reason: s.reason,
    config: s.config,
    trainCount: s.trainCount,
    position: s.position,
    weights: group('weights', s.arrays.weights),
    optimizer: { name: s.optimizer.name, iterations: s.optimizer.iterations, slots: group('optimizer', s.arrays.optimizer) },
    partialEpoch: s.partialEpoch,
    earlyStopping: s.earlyStopping,
    bestWeights: s.arrays.best ? group('best', s.arrays.best) : null,
    history: s.history,
  };
}
