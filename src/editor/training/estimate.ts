// What a run will cost before it starts: optimizer steps, wall time and training memory.
// Time comes from a pace measured on this backend (the last run's throughput, as effective
// FLOP/s, so it carries over to an edited graph) or, before any run, from FLOPs at a stated
// assumed throughput. Memory is trainingMemory's (the same numbers the status bar and
// `inspect` report). Pure: no DOM.
import type { Totals } from '../../engine/graph/analyze.js';
import { trainingMemory, type MemoryEstimate, type OptimizerShape } from '../../engine/graph/memory.js';
import { bytes } from '../format.js';

/** A training step costs about 3× the forward pass: forward, then the backward pass's two products per weight. */
export const TRAIN_FLOPS_PER_FORWARD = 3;

/**
 * Throughput assumed before any run on this backend: 2 GFLOP/s of training work. Measured here
 * (FIELD-NOTES) on the 784-256-128-10 MLP (≈ 0.47 MFLOP forward per sample, 2,048 samples per
 * epoch): wasm ≈ 5 GFLOP/s, WebGL on SwiftShader ≈ 2, plain-JS cpu ≈ 0.8. A real GPU is faster,
 * which the first run's measured pace then shows.
 */
export const ASSUMED_FLOPS_PER_SEC = 2e9;

/** A backend's measured speed, as training FLOP/s (samples/s × 3 × forward FLOPs per sample). */
export interface Pace {
  readonly flopsPerSec: number;
  /** Where it was measured, for the estimate's wording ("wasm, last run"). */
  readonly source: string;
}

export interface EstimateInput {
  readonly totals: Totals;
  readonly batchSize: number;
  readonly epochs: number;
  readonly accumulationSteps: number;
  readonly optimizer: OptimizerShape;
  /** Training samples per epoch (after the validation split); null when the data is not loaded yet. */
  readonly trainSamples: number | null;
  /** null: estimate from FLOPs at ASSUMED_FLOPS_PER_SEC. */
  readonly pace: Pace | null;
}

export type TimeBasis = { readonly kind: 'measured'; readonly source: string } | { readonly kind: 'assumed'; readonly flopsPerSec: number };

export interface RunEstimate {
  /** Optimizer steps per epoch; null when the sample count is unknown. */
  readonly stepsPerEpoch: number | null;
  readonly totalSteps: number | null;
  /** Seconds for the whole run (validation not included); per 1,000 samples when the count is unknown. */
  readonly seconds: number;
  readonly perThousandSamples: boolean;
  readonly basis: TimeBasis;
  readonly memory: MemoryEstimate;
}

/**
 * @example estimateRun({ totals, batchSize: 64, epochs: 3, accumulationSteps: 1, optimizer: { name: 'adam' }, trainSamples: 8000, pace: null })
 * // → { stepsPerEpoch: 125, totalSteps: 375, seconds: …, basis: { kind: 'assumed', … }, memory: trainingMemory(totals, 64, { name: 'adam' }) }
 */
export function estimateRun(i: EstimateInput): RunEstimate {
  const flopsPerSec = i.pace?.flopsPerSec ?? ASSUMED_FLOPS_PER_SEC;
  const samples = i.trainSamples ?? 1000;
  const stepsPerEpoch = i.trainSamples === null ? null : Math.ceil(Math.ceil(i.trainSamples / i.batchSize) / i.accumulationSteps);
  const epochs = i.trainSamples === null ? 1 : i.epochs;
  return {
    stepsPerEpoch,
    totalSteps: stepsPerEpoch === null ? null : stepsPerEpoch * i.epochs,
    seconds: (samples * epochs * TRAIN_FLOPS_PER_FORWARD * i.totals.flops) / flopsPerSec,
    perThousandSamples: i.trainSamples === null,
    basis: i.pace ? { kind: 'measured', source: i.pace.source } : { kind: 'assumed', flopsPerSec },
    memory: trainingMemory(i.totals, i.batchSize, i.optimizer),
  };
}

/** The pace a run showed: its median samples/s over the graph it trained; null without points. */
export function paceFrom(samplesPerSec: readonly (number | null)[], forwardFlops: number, source: string): Pace | null {
  const xs = samplesPerSec.filter((v): v is number => v !== null && Number.isFinite(v) && v > 0).sort((a, b) => a - b);
  if (xs.length === 0 || forwardFlops <= 0) return null;
  const median = xs[Math.floor(xs.length / 2)]!;
  return { flopsPerSec: median * TRAIN_FLOPS_PER_FORWARD * forwardFlops, source };
}

/** "2 min 10 s", "45 s", "1 h 5 min", "< 1 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return '< 1 s';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

/**
 * The estimate line the panel shows before Start.
 * @example estimateText(e, 3, 64) // "≈ 2 min 10 s for 3 epochs · 212.0 MiB training memory at batch 64" (bytes as the status bar writes them)
 */
export function estimateText(e: RunEstimate, epochs: number, batchSize: number): string {
  const time = e.perThousandSamples ? `≈ ${formatDuration(e.seconds)} per 1,000 samples` : `≈ ${formatDuration(e.seconds)} for ${epochs} epoch${epochs === 1 ? '' : 's'}`;
  return `${time} · ${bytes(e.memory.totalBytes)} training memory at batch ${batchSize}`;
}

/** Why the time is what it is, for the line's tooltip. */
export function basisText(e: RunEstimate): string {
  const basis = e.basis;
  switch (basis.kind) {
    case 'measured':
      return `time from the pace measured on ${basis.source}; validation not included`;
    case 'assumed':
      return `no run measured yet: time from FLOPs at an assumed ${basis.flopsPerSec / 1e9} GFLOP/s (3× forward FLOPs per training sample); the first run measures this backend`;
    default: {
      const never: never = basis;
      throw new Error(`unknown basis ${JSON.stringify(never)}`);
    }
  }
}
