// Runs the same seeded samples through TF.js (the model as trained) and onnxruntime-web (the
// exported bytes), per execution provider, and reports how far the outputs are apart.
import * as tf from '@tensorflow/tfjs';
import type { Analysis } from '../../graph/analyze.js';
import type { NodeId } from '../../ids.js';
import { rng, type Rng } from '../../random.js';
import { now } from '../../train/clock.js';
import type { ExportInput, RuntimeComparison, ValidationReport } from '../types.js';
import type { OnnxExport, OnnxIO } from './types.js';

type Ort = typeof import('onnxruntime-web');
type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;
export type OnnxProvider = 'wasm' | 'webgpu';

export interface ValidateOptions {
  /** onnxruntime-web, set up by the caller (wasm paths in a page, numThreads = 1 in Node). */
  readonly ort: Ort;
  /** Random samples compared (default 8); rounded up to a whole number of batches when the batch is fixed. */
  readonly samples?: number;
  readonly providers?: readonly OnnxProvider[];
  readonly seed?: number;
  /** Timed runs per provider after the compared one, for the median latency (default 3). */
  readonly repeats?: number;
}

/** Target max |Δ| for float32 outputs. */
export const ONNX_TOLERANCE = 1e-4;
/** Token ids for an int32 input that feeds no Embedding are drawn from [0, this). */
const DEFAULT_ID_RANGE = 10;

/** One input's samples, batch first. */
interface Feed {
  readonly io: OnnxIO;
  readonly data: Float32Array | Int32Array;
  readonly dims: number[];
}

/** Ids must stay below every consuming Embedding's vocabulary. */
function idRange(analysis: Analysis, id: NodeId): number {
  const vocabularies = (analysis.structure.consumers.get(id) ?? [])
    .filter((c) => analysis.structure.byId.get(c)?.kind === 'Embedding')
    .map((c) => analysis.nodes.get(c)!.params!['inputDim'] as number);
  return vocabularies.length ? Math.min(...vocabularies) : DEFAULT_ID_RANGE;
}

/** Standard normals by Box–Muller over the engine's seeded PRNG. */
function normals(n: number, r: Rng): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return out;
}

function makeFeeds(analysis: Analysis, exported: OnnxExport, samples: number, seed: number): Feed[] {
  const r = rng(seed);
  return exported.inputs.map((io) => {
    const sample = io.shape.slice(1) as number[];
    const dims = [samples, ...sample];
    const size = dims.reduce((a, b) => a * b, 1);
    if (io.dtype === 'float32') return { io, data: normals(size, r), dims };
    const range = idRange(analysis, io.nodeId);
    return { io, data: Int32Array.from({ length: size }, () => Math.floor(r() * range)), dims };
  });
}

/** Rows [from, from + count) of a batch-first array. */
function rows<T extends Float32Array | Int32Array>(data: T, dims: readonly number[], from: number, count: number): T {
  const per = data.length / dims[0]!;
  return data.subarray(from * per, (from + count) * per) as T;
}

function tfjsOutputs(model: tf.LayersModel, feeds: readonly Feed[]): Float32Array[] {
  return tf.tidy(() => {
    const xs = feeds.map((f) => (f.data instanceof Int32Array ? tf.tensor(f.data, f.dims, 'int32') : tf.tensor(f.data, f.dims, 'float32')));
    const ys = model.predict(xs.length === 1 ? xs[0]! : xs);
    return (Array.isArray(ys) ? ys : [ys]).map((y) => Float32Array.from(y.dataSync()));
  });
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Max and mean |Δ| over every output element; a NaN on one side only, or a size mismatch, is infinitely far. */
function compare(expected: readonly Float32Array[], actual: readonly Float32Array[]): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  let count = 0;
  expected.forEach((e, k) => {
    const a = actual[k];
    if (!a || a.length !== e.length) {
      max = Infinity;
      sum = Infinity;
      return;
    }
    for (let i = 0; i < e.length; i++) {
      const d = Number.isNaN(e[i]!) && Number.isNaN(a[i]!) ? 0 : Math.abs(e[i]! - a[i]!);
      const diff = Number.isNaN(d) ? Infinity : d;
      if (diff > max) max = diff;
      sum += diff;
      count++;
    }
  });
  return { max, mean: count ? sum / count : sum };
}

/** All samples through one session, in batches of `batch`: each output concatenated over the batches. */
async function runAll(ort: Ort, session: Session, exported: OnnxExport, feeds: readonly Feed[], batch: number): Promise<Float32Array[]> {
  const total = feeds[0]!.dims[0]!;
  const parts: Float32Array[][] = exported.outputs.map(() => []);
  for (let from = 0; from < total; from += batch) {
    const inputs: Record<string, InstanceType<Ort['Tensor']>> = {};
    for (const f of feeds) {
      const dims = [batch, ...f.dims.slice(1)];
      inputs[f.io.name] = f.data instanceof Int32Array ? new ort.Tensor('int32', rows(f.data, f.dims, from, batch), dims) : new ort.Tensor('float32', rows(f.data, f.dims, from, batch), dims);
    }
    const result = await session.run(inputs);
    exported.outputs.forEach((o, k) => parts[k]!.push(Float32Array.from(result[o.name]!.data as ArrayLike<number>)));
  }
  return parts.map((ps) => {
    const all = new Float32Array(ps.reduce((s, p) => s + p.length, 0));
    ps.reduce((at, p) => (all.set(p, at), at + p.length), 0);
    return all;
  });
}

async function compareProvider(o: ValidateOptions, provider: OnnxProvider, exported: OnnxExport, feeds: readonly Feed[], batch: number, expected: readonly Float32Array[]): Promise<RuntimeComparison> {
  const runtime = `onnxruntime-web/${provider}`;
  let session;
  try {
    session = await o.ort.InferenceSession.create(exported.bytes, { executionProviders: [provider] });
  } catch (e) {
    return { runtime, maxAbsDiff: NaN, meanAbsDiff: NaN, latencyMs: NaN, error: e instanceof Error ? e.message : String(e) };
  }
  try {
    const actual = await runAll(o.ort, session, exported, feeds, batch);
    const times: number[] = [];
    for (let i = 0; i < (o.repeats ?? 3); i++) {
      const t0 = now();
      await runAll(o.ort, session, exported, feeds, batch);
      times.push(now() - t0);
    }
    const { max, mean } = compare(expected, actual);
    return { runtime, maxAbsDiff: max, meanAbsDiff: mean, latencyMs: times.length ? median(times) : NaN };
  } catch (e) {
    return { runtime, maxAbsDiff: NaN, meanAbsDiff: NaN, latencyMs: NaN, error: e instanceof Error ? e.message : String(e) };
  } finally {
    await session.release();
  }
}

/**
 * Compares the exported model with TF.js (`model.predict`, inference mode) on the same seeded
 * samples, once per provider. A provider that cannot run gives an entry with `error` and NaN
 * diffs; `passed` needs at least one provider to run and every one that ran to be within 1e-4.
 * @example const report = await validateOnnx(input, exportOnnx(input), { ort, providers: ['wasm'] });
 * @throws Error when samples is not a positive integer.
 */
export async function validateOnnx(input: ExportInput, exported: OnnxExport, opts: ValidateOptions): Promise<ValidationReport> {
  const wanted = opts.samples ?? 8;
  if (!Number.isInteger(wanted) || wanted < 1) throw new Error(`validateOnnx: samples must be a positive integer, got ${wanted}`);
  const fixed = exported.inputs[0]?.shape[0];
  const batch = typeof fixed === 'number' ? fixed : wanted;
  const samples = Math.ceil(wanted / batch) * batch;
  const feeds = makeFeeds(input.analysis, exported, samples, opts.seed ?? 0);
  const expected = tfjsOutputs(input.model, feeds);
  const runtimes: RuntimeComparison[] = [];
  for (const provider of opts.providers ?? ['wasm']) runtimes.push(await compareProvider(opts, provider, exported, feeds, batch, expected));
  const ran = runtimes.filter((r) => r.error === undefined);
  return { samples, runtimes, tolerance: ONNX_TOLERANCE, passed: ran.length > 0 && ran.every((r) => r.maxAbsDiff <= ONNX_TOLERANCE) };
}
