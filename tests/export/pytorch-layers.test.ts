// model.py + weights.npz for every shared layer case and for graphs that move tensors between
// layouts, run in PyTorch (one Python process) and compared with TF.js's predict: max |Δ| ≤ 1e-4.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeId } from '../../src/engine/ids.js';
import type { Graph } from '../../src/engine/project/types.js';
import { compareInTorch, writeCase, type Comparison } from '../fixtures/export/torch-harness.js';
import { allLayerCases } from '../helpers/layer-cases.js';
import { singleLayerGraph, type OracleCase } from '../helpers/oracle.js';
import { pythonHas } from '../helpers/python.js';

const TOLERANCE = 1e-4;

/** Settings the shared cases leave out but the export treats differently (uneven padding, axes, activations). */
const EXTRA_CASES: (OracleCase & { name: string })[] = [
  { name: 'MaxPooling2D same, uneven', kind: 'MaxPooling2D', params: { poolSize: 2, padding: 'same' }, inputs: [{ shape: [7, 5, 2] }] },
  { name: 'AveragePooling2D same, uneven', kind: 'AveragePooling2D', params: { poolSize: 2, padding: 'same' }, inputs: [{ shape: [7, 5, 2] }] },
  { name: 'AveragePooling1D same, uneven', kind: 'AveragePooling1D', params: { poolSize: 2, strides: 2, padding: 'same' }, inputs: [{ shape: [7, 3] }] },
  { name: 'MaxPooling3D same', kind: 'MaxPooling3D', params: { poolSize: 2, padding: 'same' }, inputs: [{ shape: [3, 4, 5, 2] }] },
  { name: 'Conv1D same, even kernel', kind: 'Conv1D', params: { filters: 3, kernelSize: 4, padding: 'same', activation: 'tanh' }, inputs: [{ shape: [9, 2] }] },
  { name: 'Conv3D valid strided', kind: 'Conv3D', params: { filters: 3, kernelSize: [2, 3, 2], strides: 2, activation: 'softmax' }, inputs: [{ shape: [5, 6, 5, 2] }] },
  { name: 'DepthwiseConv2D same, even kernel', kind: 'DepthwiseConv2D', params: { kernelSize: 2, padding: 'same', depthMultiplier: 3, useBias: false }, inputs: [{ shape: [5, 5, 2] }] },
  { name: 'SeparableConv2D dilated, multiplier 2', kind: 'SeparableConv2D', params: { filters: 3, kernelSize: 3, dilationRate: 2, depthMultiplier: 2, useBias: false }, inputs: [{ shape: [8, 8, 2] }] },
  { name: 'Conv2DTranspose valid, kernel < stride', kind: 'Conv2DTranspose', params: { filters: 2, kernelSize: 2, strides: 3, activation: 'relu' }, inputs: [{ shape: [3, 3, 2] }] },
  { name: 'Conv2DTranspose same, kernel 4 stride 2', kind: 'Conv2DTranspose', params: { filters: 2, kernelSize: 4, strides: 2, padding: 'same', useBias: false }, inputs: [{ shape: [3, 4, 2] }] },
  { name: 'BatchNormalization on a sequence', kind: 'BatchNormalization', params: { momentum: 0.9 }, inputs: [{ shape: [4, 3] }] },
  { name: 'BatchNormalization scale off, rank 5', kind: 'BatchNormalization', params: { scale: false }, inputs: [{ shape: [2, 3, 3, 4] }] },
  { name: 'LayerNormalization axis 1', kind: 'LayerNormalization', params: { axis: 1, center: false }, inputs: [{ shape: [4, 3] }] },
  { name: 'GroupNormalization on a sequence, scale off', kind: 'GroupNormalization', params: { groups: 3, scale: false }, inputs: [{ shape: [5, 6] }] },
  { name: 'GRU relu with hard-sigmoid gates, no bias', kind: 'GRU', params: { units: 3, activation: 'relu', recurrentActivation: 'hardSigmoid', useBias: false }, inputs: [{ shape: [5, 2] }] },
  { name: 'GRU bidirectional, last step, concat', kind: 'GRU', params: { units: 2, bidirectional: true }, inputs: [{ shape: [4, 3] }] },
  { name: 'SimpleRNN relu, bidirectional mul', kind: 'SimpleRNN', params: { units: 3, activation: 'relu', bidirectional: true, mergeMode: 'mul' }, inputs: [{ shape: [4, 2] }] },
  { name: 'LSTM bidirectional sequences, ave', kind: 'LSTM', params: { units: 2, returnSequences: true, bidirectional: true, mergeMode: 'ave' }, inputs: [{ shape: [4, 3] }] },
  { name: 'MultiHeadAttention cross, no bias, key given', kind: 'MultiHeadAttention', params: { numHeads: 3, keyDim: 2, useBias: false }, inputs: [{ shape: [3, 4] }, { shape: [5, 6] }, { shape: [5, 2] }] },
  { name: 'TransformerEncoder hard-sigmoid FFN, eps 1e-3', kind: 'TransformerEncoder', params: { intermediateDim: 6, numHeads: 4, activation: 'hardSigmoid', layerNormEpsilon: 1e-3 }, inputs: [{ shape: [3, 8] }] },
  { name: 'Dense with every other activation', kind: 'Dense', params: { units: 4, activation: 'relu6' }, inputs: [{ shape: [5] }] },
  ...(['elu', 'softsign', 'swish', 'silu', 'mish', 'sigmoid', 'linear'] as const).map((activation) => ({
    name: `Activation ${activation}`, kind: 'Activation', params: { activation }, inputs: [{ shape: [6] }],
  })),
  { name: 'Maximum of three', kind: 'Maximum', params: {}, inputs: [{ shape: [4] }, { shape: [4] }, { shape: [4] }] },
  { name: 'Softmax over axis 2 of an image', kind: 'Softmax', params: { axis: 2 }, inputs: [{ shape: [3, 4, 2] }] },
];

const n = (id: string) => nodeId(id);
const edge = (source: string, target: string, targetInput = 0) => ({ source: n(source), target: n(target), targetInput });
const node = (id: string, kind: string, params: Record<string, unknown> = {}) => ({ id: n(id), kind, params });

/** Graphs whose tensors cross between channels-first and channels-last, and several inputs and outputs. */
const LAYOUT_GRAPHS: { name: string; graph: Graph }[] = [
  {
    // conv output read by a pooling layer (channels first) and by a Flatten (channels last), then concatenated.
    name: 'one tensor read in both layouts',
    graph: {
      nodes: [
        node('image', 'Input', { shape: [6, 6, 2] }), node('conv', 'Conv2D', { filters: 3, kernelSize: 3, padding: 'same' }),
        node('pool', 'MaxPooling2D', {}), node('flat', 'Flatten'), node('pool_flat', 'Flatten'), node('join', 'Concatenate'),
        node('head', 'Dense', { units: 4, activation: 'softmax' }),
      ],
      edges: [edge('image', 'conv'), edge('conv', 'pool'), edge('conv', 'flat'), edge('pool', 'pool_flat'), edge('flat', 'join'), edge('pool_flat', 'join', 1), edge('join', 'head')],
    },
  },
  {
    // channels-first tensors through layout-free layers: activation, padding, cropping, an Add with a channels-last input, channel concatenation.
    name: 'layout-free layers between convolutions',
    graph: {
      nodes: [
        node('x', 'Input', { shape: [5, 5, 3] }), node('a', 'Conv2D', { filters: 3, kernelSize: 1 }), node('act', 'LeakyReLU', { alpha: 0.2 }),
        node('pad', 'ZeroPadding2D', { padding: [[1, 0], [2, 1]] }), node('crop', 'Cropping2D', { cropping: [[1, 0], [2, 1]] }),
        node('sum', 'Add'), node('cat', 'Concatenate', { axis: -1 }), node('soft', 'Softmax', { axis: -1 }), node('gap', 'GlobalAveragePooling2D'),
      ],
      edges: [
        edge('x', 'a'), edge('a', 'act'), edge('act', 'pad'), edge('pad', 'crop'), edge('crop', 'sum'), edge('x', 'sum', 1),
        edge('sum', 'cat'), edge('a', 'cat', 1), edge('cat', 'soft'), edge('soft', 'gap'),
      ],
    },
  },
  {
    // Flatten reads the conv (channels last) before the pool does (channels first): the conv needs a converted copy.
    name: 'a converted copy when an earlier reader wants the other layout; ids that are not Python names',
    graph: {
      nodes: [
        node('in.put', 'Input', { shape: [4, 4, 2] }), node('conv-1', 'Conv2D', { filters: 2, kernelSize: 3, padding: 'same' }), node('F', 'Flatten'),
        node('class', 'MaxPooling2D', {}), node('forward', 'Flatten'), node('2nd', 'Concatenate'),
      ],
      edges: [edge('in.put', 'conv-1'), edge('conv-1', 'F'), edge('conv-1', 'class'), edge('class', 'forward'), edge('F', '2nd'), edge('forward', '2nd', 1)],
    },
  },
  {
    name: 'two inputs, two outputs (one of them channels-first inside)',
    graph: {
      nodes: [
        node('seq', 'Input', { shape: [6, 4] }), node('vec', 'Input', { shape: [5] }), node('conv', 'Conv1D', { filters: 4, kernelSize: 3, padding: 'causal' }),
        node('up', 'UpSampling2D', { size: 2 }), node('img', 'Input', { shape: [3, 3, 2] }), node('d', 'Dense', { units: 3 }), node('bn', 'BatchNormalization'),
      ],
      edges: [edge('seq', 'conv'), edge('img', 'up'), edge('vec', 'd'), edge('d', 'bn')],
    },
  },
];

describe('PyTorch export of every layer kind', () => {
  const root = mkdtempSync(join(tmpdir(), 'nf-torch-layers-'));
  const cases = [...allLayerCases(), ...EXTRA_CASES];
  const dirs = new Map<string, string>();
  let results: Record<string, Comparison> = {};

  beforeAll(() => {
    expect(pythonHas('torch', 'numpy'), 'Debian python3-torch and python3-numpy at /usr/bin/python3').toBe(true);
    cases.forEach((c, i) => {
      const vocab = c.inputs.find((x) => x.maxValue)?.maxValue;
      dirs.set(c.name, writeCase(join(root, `case${i}`), singleLayerGraph(c), { vocab: vocab ?? 10 }).dir);
    });
    LAYOUT_GRAPHS.forEach((g, i) => dirs.set(g.name, writeCase(join(root, `graph${i}`), g.graph).dir));
    results = compareInTorch([...dirs.values()]);
  }, 300_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([...cases.map((c) => c.name), ...LAYOUT_GRAPHS.map((g) => g.name)])('%s matches TF.js', (name) => {
    const r = results[dirs.get(name)!]!;
    if ('error' in r) expect.fail(`${name}: ${r.error}`);
    expect(r.maxAbsDiff, name).toBeLessThanOrEqual(TOLERANCE);
  });
});
