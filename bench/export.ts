// ONNX export (issue 7): exportOnnx and validateOnnx on ResNet-18 and GPT-mini, side by side with
// one TF.js forward pass over as many samples, so the cost reads as a multiple of inference.
// Node: TF.js cpu backend, onnxruntime-web wasm with one thread.
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { compileGraph } from '../src/engine/compile/compile.js';
import { exportOnnx, validateOnnx } from '../src/engine/export/onnx/index.js';
import type { ExportInput } from '../src/engine/export/types.js';
import { analyzeGraph } from '../src/engine/graph/analyze.js';
import { findTemplate } from '../src/engine/templates/index.js';
import { writeSuite, type Row } from './harness.js';

const SAMPLES = 8;
const RUNS = 3;

interface Timing {
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly runs: number;
}

/** `measure` for async work: `runs` timed calls after one untimed warm-up. */
async function measureAsync(fn: () => Promise<unknown> | unknown): Promise<Timing> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(RUNS / 2)]!, p95Ms: times[RUNS - 1]!, runs: RUNS };
}

/** Inputs shaped like the model's, SAMPLES of them (ids below the vocabulary). */
function samplesFor(input: ExportInput): tf.Tensor[] {
  return input.model.inputs.map((x, i) => {
    const shape = [SAMPLES, ...(x.shape.slice(1) as number[])];
    return x.dtype === 'int32' ? tf.randomUniform(shape, 0, 256, 'int32', i) : tf.randomNormal(shape, 0, 1, 'float32', i);
  });
}

async function benchTemplate(id: string): Promise<Row[]> {
  const project = findTemplate(id)!.project();
  const analysis = analyzeGraph(project.graph);
  const input: ExportInput = { project, analysis, model: compileGraph(analysis, { seed: 1 }).model };
  const xs = samplesFor(input);
  const forward = await measureAsync(() => tf.tidy(() => (input.model.predict(xs.length === 1 ? xs[0]! : xs) as tf.Tensor).dataSync()));
  const exported = exportOnnx(input);
  const exporting = await measureAsync(() => exportOnnx(input));
  const validating = await measureAsync(() => validateOnnx(input, exported, { ort, samples: SAMPLES, repeats: 0 }));
  const report = await validateOnnx(input, exported, { ort, samples: SAMPLES, repeats: RUNS });
  const wasm = report.runtimes[0]!;
  const times = (t: number) => `${(t / forward.medianMs).toFixed(2)}× the TF.js forward`;
  const label = `${id}, ${SAMPLES} samples`;
  return [
    { name: `${label}: TF.js forward (model.predict)`, ...forward, note: 'the reference: 1.00×' },
    { name: `${label}: exportOnnx`, ...exporting, note: `${times(exporting.medianMs)}; ${(exported.bytes.length / 2 ** 20).toFixed(1)} MiB` },
    { name: `${label}: validateOnnx (TF.js forward + ORT session + ORT run)`, ...validating, note: `${times(validating.medianMs)}; max abs diff ${wasm.maxAbsDiff.toExponential(1)}`, data: report },
    { name: `${label}: onnxruntime-web wasm run (from the report)`, medianMs: wasm.latencyMs, p95Ms: wasm.latencyMs, runs: RUNS, note: times(wasm.latencyMs) },
  ];
}

export async function runExport(): Promise<void> {
  await tf.setBackend('cpu');
  ort.env.wasm.numThreads = 1;
  const rows = [...(await benchTemplate('resnet18')), ...(await benchTemplate('gpt-mini'))];
  writeSuite('export', 'ONNX export and validation (issue 7): TF.js cpu backend, onnxruntime-web wasm, 1 thread', rows);
}
