// Every shared layer case, plus ONNX-specific variants, exported to ONNX and checked against two
// outside oracles: onnxruntime-web (wasm) must reproduce TF.js's outputs within 1e-4, and
// Debian's onnx.checker must accept the file with full_check (shape inference included).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx, validateOnnx, type OnnxExport } from '../../src/engine/export/onnx/index.js';
import type { ExportInput } from '../../src/engine/export/types.js';
import { allLayerCases } from '../helpers/layer-cases.js';
import { distinctInputs, exportInputFor, onnxChecker, ort, outputSpread, tempDir } from '../helpers/onnx-check.js';
import { singleLayerGraph, type OracleCase } from '../helpers/oracle.js';

const img = (h = 6, w = 6, c = 3) => [{ shape: [h, w, c] }];
const seq = (t = 5, f = 4) => [{ shape: [t, f] }];
const vec = (n = 6) => [{ shape: [n] }];

/** What the shared cases leave out but the ONNX mapping must get right. */
const ONNX_CASES: (OracleCase & { name: string })[] = [
  ...(['relu6', 'elu', 'mish', 'silu', 'swish', 'softsign', 'softmax', 'gelu', 'linear', 'sigmoid'] as const).map((activation) => ({
    name: `Activation ${activation}`, kind: 'Activation', params: { activation }, inputs: seq(),
  })),
  { name: 'LSTM with hardSigmoid gates and relu (ONNX default alpha/beta)', kind: 'LSTM', params: { units: 3, recurrentActivation: 'hardSigmoid', activation: 'relu' }, inputs: seq() },
  { name: 'LSTM bidirectional ave, sequences, softplus', kind: 'LSTM', params: { units: 3, bidirectional: true, returnSequences: true, mergeMode: 'ave', activation: 'softplus' }, inputs: seq() },
  { name: 'GRU elu without bias', kind: 'GRU', params: { units: 3, activation: 'elu', useBias: false }, inputs: seq() },
  { name: 'GRU bidirectional concat, last step', kind: 'GRU', params: { units: 2, bidirectional: true }, inputs: seq() },
  { name: 'SimpleRNN bidirectional mul, softsign', kind: 'SimpleRNN', params: { units: 4, activation: 'softsign', returnSequences: true, bidirectional: true, mergeMode: 'mul' }, inputs: seq() },
  // Activations ONNX's recurrent ops lack: unrolled step by step.
  { name: 'LSTM unrolled: gelu', kind: 'LSTM', params: { units: 3, activation: 'gelu' }, inputs: seq() },
  { name: 'LSTM unrolled: bidirectional concat sequences, swish gates, linear', kind: 'LSTM', params: { units: 2, bidirectional: true, returnSequences: true, recurrentActivation: 'swish', activation: 'linear' }, inputs: seq() },
  { name: 'GRU unrolled: bidirectional ave sequences, selu', kind: 'GRU', params: { units: 3, bidirectional: true, returnSequences: true, mergeMode: 'ave', activation: 'selu' }, inputs: seq() },
  { name: 'GRU unrolled: relu6 gates, no bias', kind: 'GRU', params: { units: 3, recurrentActivation: 'relu6', useBias: false }, inputs: seq() },
  { name: 'SimpleRNN unrolled: bidirectional sum, mish', kind: 'SimpleRNN', params: { units: 3, bidirectional: true, mergeMode: 'sum', activation: 'mish' }, inputs: seq() },
  { name: 'SimpleRNN unrolled: linear sequences', kind: 'SimpleRNN', params: { units: 4, activation: 'linear', returnSequences: true }, inputs: seq(3, 2) },
  { name: 'LayerNormalization on a non-last axis', kind: 'LayerNormalization', params: { axis: 1, center: false }, inputs: seq() },
  { name: 'GroupNormalization on a sequence, no center', kind: 'GroupNormalization', params: { groups: 3, center: false }, inputs: seq(5, 6) },
  { name: 'GroupNormalization on a vector', kind: 'GroupNormalization', params: { groups: 4 }, inputs: vec(8) },
  { name: 'Conv2DTranspose same, kernel < stride (output padding)', kind: 'Conv2DTranspose', params: { filters: 2, kernelSize: 1, strides: 2, padding: 'same' }, inputs: img(3, 4, 2) },
  { name: 'Conv2DTranspose valid, kernel < stride, softmax', kind: 'Conv2DTranspose', params: { filters: 3, kernelSize: [1, 2], strides: [3, 3], activation: 'softmax' }, inputs: img(3, 2, 2) },
  { name: 'Conv2D same stride 2 on even sizes, softmax over channels', kind: 'Conv2D', params: { filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'softmax' }, inputs: img(8, 6, 2) },
  { name: 'Conv1D causal stride 1 kernel 4', kind: 'Conv1D', params: { filters: 2, kernelSize: 4, padding: 'causal', activation: 'tanh' }, inputs: seq(7, 3) },
  { name: 'DepthwiseConv2D multiplier 3, asymmetric kernel and strides', kind: 'DepthwiseConv2D', params: { kernelSize: [2, 3], strides: [2, 1], padding: 'same', depthMultiplier: 3, activation: 'relu' }, inputs: img(7, 6, 2) },
  { name: 'SeparableConv2D dilated, multiplier 2, no bias', kind: 'SeparableConv2D', params: { filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same', depthMultiplier: 2, useBias: false }, inputs: img(7, 7, 2) },
  { name: 'MaxPooling2D same stride 2 on even sizes', kind: 'MaxPooling2D', params: { poolSize: 3, strides: 2, padding: 'same' }, inputs: img(6, 8, 2) },
  { name: 'AveragePooling3D same', kind: 'AveragePooling3D', params: { poolSize: 2, strides: 2, padding: 'same' }, inputs: [{ shape: [3, 5, 4, 2] }] },
  { name: 'UpSampling2D nearest 3×2', kind: 'UpSampling2D', params: { size: [3, 2] }, inputs: img(2, 3, 2) },
  { name: 'Concatenate images on the row axis', kind: 'Concatenate', params: { axis: 1 }, inputs: [...img(2, 3, 2), ...img(4, 3, 2)] },
  { name: 'Multiply three', kind: 'Multiply', params: {}, inputs: [...vec(), ...vec(), ...vec()] },
  { name: 'Softmax over a middle axis of an image', kind: 'Softmax', params: { axis: 2 }, inputs: img(3, 4, 2) },
  { name: 'Reshape with -1 in the middle', kind: 'Reshape', params: { targetShape: [2, -1, 3] }, inputs: img(4, 3, 2) },
  { name: 'Embedding of a 2-D id grid', kind: 'Embedding', params: { inputDim: 9, outputDim: 3 }, inputs: [{ shape: [3, 4], dtype: 'int32', maxValue: 9 }] },
  { name: 'ReLU capped at 0.5', kind: 'ReLU', params: { maxValue: 0.5 }, inputs: vec() },
  { name: 'MultiHeadAttention cross, no bias, Tq ≠ Tv', kind: 'MultiHeadAttention', params: { numHeads: 3, keyDim: 2, useBias: false }, inputs: [{ shape: [3, 6] }, { shape: [5, 4] }] },
  { name: 'TransformerEncoder post-LN causal relu', kind: 'TransformerEncoder', params: { intermediateDim: 10, numHeads: 4, useCausalMask: true }, inputs: seq(4, 8) },
];

const CASES = [...allLayerCases(), ...ONNX_CASES];

interface Built {
  readonly input: ExportInput;
  readonly exported: OnnxExport;
  readonly path: string;
}

describe('ONNX export of single layers', () => {
  const built = new Map<string, Built | Error>();
  let checker = new Map<string, string>();

  beforeAll(() => {
    const dir = tempDir();
    CASES.forEach((c, i) => {
      try {
        const input = exportInputFor(singleLayerGraph(c));
        const exported = exportOnnx(input);
        const path = join(dir, `case${i}.onnx`);
        writeFileSync(path, exported.bytes);
        built.set(c.name, { input, exported, path });
      } catch (e) {
        built.set(c.name, e as Error);
      }
    });
    checker = onnxChecker([...built.values()].flatMap((b) => (b instanceof Error ? [] : [b.path])));
  });

  const get = (name: string): Built => {
    const b = built.get(name);
    if (b instanceof Error) throw b;
    return b!;
  };

  it.each(CASES)('$name: onnxruntime-web matches TF.js within 1e-4', async (c) => {
    const { input, exported } = get(c.name);
    const report = await validateOnnx(input, exported, { ort, samples: 3, repeats: 0, seed: 3 });
    const wasm = report.runtimes[0]!;
    expect(wasm.error).toBeUndefined();
    expect(wasm.maxAbsDiff).toBeLessThanOrEqual(1e-4);
    expect(report.passed).toBe(true);
    // The outputs vary, so agreement is not the trivial agreement of constants.
    expect(outputSpread(input.model, distinctInputs(c))).toBeGreaterThan(1e-3);
  });

  it.each(CASES)('$name: onnx.checker accepts the file (full_check)', (c) => {
    expect(checker.get(get(c.name).path)).toBe('ok');
  });
});
