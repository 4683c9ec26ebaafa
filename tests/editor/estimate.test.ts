// The run estimate's arithmetic on the MLP template: steps per epoch as the trainer counts them,
// time from FLOPs or a measured pace, and memory equal to what summary.ts (the CLI's inspect) reports.
import { describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { summarize } from '../../src/engine/graph/summary.js';
import { findTemplate } from '../../src/engine/templates/index.js';
import { bytes } from '../../src/editor/format.js';
import { ASSUMED_FLOPS_PER_SEC, basisText, estimateRun, estimateText, formatDuration, paceFrom } from '../../src/editor/training/estimate.js';

const project = findTemplate('mlp')!.project();
const analysis = analyzeGraph(project.graph);
const totals = analysis.totals;

describe('estimateRun', () => {
  it('counts optimizer steps as the trainer does (micro-batches rounded up, then accumulation)', () => {
    const e = estimateRun({ totals, batchSize: 64, epochs: 3, accumulationSteps: 1, optimizer: { name: 'adam' }, trainSamples: 7200, pace: null });
    expect(e.stepsPerEpoch).toBe(113); // ceil(7200 / 64) = 113
    expect(e.totalSteps).toBe(339);
    const acc = estimateRun({ totals, batchSize: 64, epochs: 3, accumulationSteps: 2, optimizer: { name: 'adam' }, trainSamples: 7200, pace: null });
    expect(acc.stepsPerEpoch).toBe(57); // ceil(113 / 2)
  });

  it('times from FLOPs at the stated assumption: 3 × forward FLOPs per sample', () => {
    // Dense FLOPs = 2 per multiply-add + bias + activation: 784·256, 256·128, 128·10 weights.
    expect(totals.flops).toBeGreaterThan(2 * (784 * 256 + 256 * 128 + 128 * 10));
    const e = estimateRun({ totals, batchSize: 64, epochs: 3, accumulationSteps: 1, optimizer: { name: 'adam' }, trainSamples: 7200, pace: null });
    expect(e.seconds).toBeCloseTo((7200 * 3 * 3 * totals.flops) / ASSUMED_FLOPS_PER_SEC, 9);
    expect(e.basis).toEqual({ kind: 'assumed', flopsPerSec: ASSUMED_FLOPS_PER_SEC });
    expect(basisText(e)).toMatch(/assumed 2 GFLOP\/s/);
  });

  it('times from a measured pace, which carries over to another batch size', () => {
    // A run showed 4,000 samples/s (median of its points; the NaN and the outlier do not move it).
    const pace = paceFrom([3900, 4000, Number.NaN, 4100, null, 90000, 3950], totals.flops, 'wasm, last run')!;
    expect(pace.flopsPerSec).toBeCloseTo(4000 * 3 * totals.flops, 6);
    const e = estimateRun({ totals, batchSize: 128, epochs: 2, accumulationSteps: 1, optimizer: { name: 'sgd' }, trainSamples: 8000, pace });
    expect(e.seconds).toBeCloseTo((8000 * 2) / 4000, 9);
    expect(e.basis).toEqual({ kind: 'measured', source: 'wasm, last run' });
    expect(paceFrom([], totals.flops, 'x')).toBeNull();
  });

  it('per 1,000 samples when the data is not loaded yet', () => {
    const e = estimateRun({ totals, batchSize: 32, epochs: 5, accumulationSteps: 1, optimizer: { name: 'adam' }, trainSamples: null, pace: null });
    expect(e.stepsPerEpoch).toBeNull();
    expect(e.seconds).toBeCloseTo((1000 * 3 * totals.flops) / ASSUMED_FLOPS_PER_SEC, 9);
    expect(estimateText(e, 5, 32)).toMatch(/^≈ .* per 1,000 samples · [\d.]+ (KiB|MiB) training memory at batch 32$/);
  });

  it('memory is what summary.ts reports for the same batch size and optimizer', () => {
    for (const [batchSize, optimizer] of [[64, { name: 'adam' }], [256, { name: 'sgd', momentum: 0.9 }], [8, { name: 'sgd' }], [32, { name: 'rmsprop', momentum: 0.5, centered: true }]] as const) {
      const e = estimateRun({ totals, batchSize, epochs: 1, accumulationSteps: 1, optimizer, trainSamples: 100, pace: null });
      const s = summarize(analysis, { batchSize, optimizer });
      const { batchSize: _b, optimizer: _o, ...memory } = s.trainingMemory;
      expect(e.memory).toEqual(memory);
    }
    // Adam keeps two slots per trainable weight, SGD without momentum none.
    const adam = estimateRun({ totals, batchSize: 8, epochs: 1, accumulationSteps: 1, optimizer: { name: 'adam' }, trainSamples: 1, pace: null });
    const sgd = estimateRun({ totals, batchSize: 8, epochs: 1, accumulationSteps: 1, optimizer: { name: 'sgd' }, trainSamples: 1, pace: null });
    expect(adam.memory.totalBytes - sgd.memory.totalBytes).toBe(2 * 4 * totals.trainableParams);
  });
});

describe('estimate text', () => {
  it('reads like the brief\'s example', () => {
    const e = estimateRun({ totals, batchSize: 64, epochs: 3, accumulationSteps: 1, optimizer: { name: 'adam' }, trainSamples: 7200, pace: { flopsPerSec: (7200 * 3 * 3 * totals.flops) / 130, source: 'wasm' } });
    expect(e.seconds).toBeCloseTo(130, 6);
    expect(estimateText(e, 3, 64)).toBe(`≈ 2 min 10 s for 3 epochs · ${bytes(e.memory.totalBytes)} training memory at batch 64`);
    expect(bytes(e.memory.totalBytes)).toMatch(/^\d+\.\d MiB$/);
  });

  it('formats durations', () => {
    expect([0.2, 45.4, 130, 3600 + 300].map(formatDuration)).toEqual(['< 1 s', '45 s', '2 min 10 s', '1 h 5 min']);
  });
});
