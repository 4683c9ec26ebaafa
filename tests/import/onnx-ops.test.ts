// Op forms the PyTorch fixtures do not produce (auto_pad, ceil_mode, count_include_pad, cropping
// pads, Reshape of NCHW maps, layout = 1 LSTMs, n-ary merges, …), written with onnx-proto and
// checked against onnxruntime-web on the same random inputs (1e-4).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { importOnnx, type OnnxImport } from '../../src/engine/import/onnx/index.js';
import { attr, floats, int64s, model, node, random, valueInfo, type ModelSpec } from './build.js';
import { feeds, maxDiff, runImported, runOrt } from './helpers.js';

const w = (name: string, dims: number[], seed: number) => floats(name, dims, random(dims.reduce((a, b) => a * b, 1), seed));
const kinds = (imp: OnnxImport) => imp.project.graph.nodes.map((n) => n.kind);
const params = (imp: OnnxImport, kind: string) => imp.project.graph.nodes.filter((n) => n.kind === kind).map((n) => n.params);

/** `oracle`: an equivalent model for onnxruntime when it cannot run `spec` itself. */
const CASES: { name: string; spec: ModelSpec; oracle?: ModelSpec; check(imp: OnnxImport): void }[] = [
  {
    name: 'Reshape of an NCHW map keeps NCHW element order',
    spec: {
      nodes: [
        node('Conv', ['x', 'Wc', 'Bc'], ['c'], [], '/conv/Conv'),
        node('Reshape', ['c', 'flat'], ['f'], [], '/flat'),
        node('Gemm', ['f', 'Wf'], ['y'], [attr.int('transB', 1)], '/fc/Gemm'),
        node('Reshape', ['c', 'rows'], ['r'], [], '/rows'),
      ],
      inputs: [valueInfo('x', ['batch', 2, 3, 4])],
      outputs: [valueInfo('y', ['batch', 5]), valueInfo('r', ['batch', 3, 12])],
      initializers: [w('Wc', [3, 2, 1, 1], 1), w('Bc', [3], 2), w('Wf', [5, 36], 3), int64s('flat', [2], [0, -1]), int64s('rows', [3], [-1, 3, 12])],
    },
    check(imp) {
      expect(params(imp, 'Permute')).toEqual([{ dims: [3, 1, 2] }]); // shared by both reshapes
      expect(params(imp, 'Reshape')).toEqual([{ targetShape: [3, 12] }]);
      expect(kinds(imp)).toContain('Flatten');
    },
  },
  {
    name: 'Reshape to a shape computed from Shape (x.view(x.size(0), x.size(1) * x.size(2), -1))',
    spec: {
      nodes: [
        node('Shape', ['x'], ['s']),
        node('Gather', ['s', 'i0'], ['n'], [], '/g0'),
        node('Gather', ['s', 'i1'], ['c'], [], '/g1'),
        node('Gather', ['s', 'i2'], ['h'], [], '/g2'),
        node('Mul', ['c', 'h'], ['ch']),
        node('Unsqueeze', ['n', 'ax0'], ['n1'], [], '/u0'),
        node('Unsqueeze', ['ch', 'ax0'], ['ch1'], [], '/u1'),
        node('Concat', ['n1', 'ch1', 'minus1'], ['target'], [attr.int('axis', 0)]),
        node('Reshape', ['x', 'target'], ['y'], [], '/view'),
      ],
      inputs: [valueInfo('x', ['batch', 2, 3, 4])],
      outputs: [valueInfo('y', ['batch', 6, 4])],
      initializers: [int64s('i0', [], [0]), int64s('i1', [], [1]), int64s('i2', [], [2]), int64s('ax0', [1], [0]), int64s('minus1', [1], [-1])],
    },
    check(imp) {
      expect(kinds(imp)).toEqual(['Input', 'Permute', 'Reshape']); // the shape arithmetic folds away
      expect(params(imp, 'Reshape')).toEqual([{ targetShape: [6, 4] }]);
    },
  },
  {
    name: 'Conv3D (OIDHW → DHWIO) with same padding and a fused ReLU',
    spec: {
      nodes: [
        node('Conv', ['x', 'W', 'B'], ['c'], [attr.ints('pads', [1, 1, 1, 1, 1, 1])], '/conv3d/Conv'),
        node('Relu', ['c'], ['y']),
      ],
      inputs: [valueInfo('x', ['batch', 2, 3, 4, 5])],
      outputs: [valueInfo('y', ['batch', 3, 3, 4, 5])],
      initializers: [w('W', [3, 2, 3, 3, 3], 15), w('B', [3], 16)],
    },
    check(imp) {
      expect(imp.project.graph.nodes[1]).toMatchObject({ kind: 'Conv3D', params: { padding: 'same', kernelSize: [3, 3, 3], activation: 'relu' } });
      expect(imp.inputs[0]).toMatchObject({ shape: [3, 4, 5, 2], axes: [0, 2, 3, 4, 1] });
    },
  },
  {
    name: 'Transpose, Unsqueeze and Squeeze only relabel axes; Softmax on a middle axis',
    spec: {
      nodes: [
        node('Softmax', ['x'], ['s'], [attr.int('axis', 1)]),
        node('Unsqueeze', ['s', 'ax1'], ['u']),
        node('Squeeze', ['u', 'ax1'], ['y']),
        node('Transpose', ['x'], ['t'], [attr.ints('perm', [0, 2, 1])]),
        node('Relu', ['t'], ['z']),
      ],
      inputs: [valueInfo('x', ['batch', 5, 4])],
      outputs: [valueInfo('y', ['batch', 5, 4]), valueInfo('z', ['batch', 4, 5])],
      initializers: [int64s('ax1', [1], [1])],
    },
    check(imp) {
      expect(kinds(imp)).toEqual(['Input', 'Softmax', 'ReLU']);
      expect(params(imp, 'Softmax')).toEqual([{ axis: 1 }]);
      expect(imp.outputs[1]).toMatchObject({ name: 'z', shape: [5, 4], axes: [0, 2, 1] });
    },
  },
  {
    name: 'Clip, Selu, HardSigmoid, Softplus, n-ary Sum, Max and Mean, Dropout',
    spec: {
      nodes: [
        node('Clip', ['x', 'zero', 'six'], ['a']),
        node('Selu', ['x'], ['b']),
        node('HardSigmoid', ['x'], ['c']),
        node('Softplus', ['x'], ['d']),
        node('Sum', ['a', 'b', 'c'], ['s']),
        node('Max', ['a', 'b', 'd'], ['m']),
        node('Mean', ['b', 'c'], ['n']),
        node('Dropout', ['n'], ['y'], [], '/drop'),
      ],
      inputs: [valueInfo('x', ['batch', 6])],
      outputs: [valueInfo('s', ['batch', 6]), valueInfo('m', ['batch', 6]), valueInfo('y', ['batch', 6])],
      initializers: [floats('zero', [], [0]), floats('six', [], [0.8])],
    },
    check(imp) {
      expect(params(imp, 'ReLU')).toEqual([{ maxValue: expect.closeTo(0.8, 6) }]);
      expect(params(imp, 'Activation').map((p) => p['activation'])).toEqual(['selu', 'hardSigmoid', 'softplus']);
      expect(kinds(imp)).toEqual(expect.arrayContaining(['Add', 'Maximum', 'Average']));
      expect(kinds(imp)).not.toContain('Dropout');
      expect(imp.notes).toContain('Dropout "/drop" is dropped: it does nothing at inference. Add a Dropout layer to train with it.');
    },
  },
  {
    name: 'auto_pad SAME_UPPER/SAME_LOWER, count_include_pad, ceil_mode, cropping pads, Concat on height',
    spec: {
      nodes: [
        node('Conv', ['x', 'W1'], ['a'], [attr.str('auto_pad', 'SAME_UPPER'), attr.ints('strides', [2, 2])], '/up/Conv'),
        node('Conv', ['x', 'W2'], ['b'], [attr.str('auto_pad', 'SAME_LOWER'), attr.ints('strides', [2, 2])], '/low/Conv'),
        node('Add', ['a', 'b'], ['s']),
        node('AveragePool', ['s'], ['p'], [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1]), attr.int('count_include_pad', 1)]),
        node('MaxPool', ['s'], ['q'], [attr.ints('kernel_shape', [3, 3]), attr.ints('strides', [2, 2]), attr.int('ceil_mode', 1)]),
        node('GlobalMaxPool', ['p'], ['g']),
        node('Pad', ['s', 'crop'], ['cr']),
        node('Concat', ['a', 'b'], ['h'], [attr.int('axis', 2)]),
      ],
      inputs: [valueInfo('x', ['batch', 3, 8, 8])],
      outputs: [valueInfo('q', ['batch', 4, 2, 2]), valueInfo('g', ['batch', 4, 1, 1]), valueInfo('cr', ['batch', 4, 3, 3]), valueInfo('h', ['batch', 4, 8, 4])],
      initializers: [w('W1', [4, 3, 3, 3], 4), w('W2', [4, 3, 3, 3], 5), int64s('crop', [8], [0, 0, -1, 0, 0, 0, 0, -1])],
    },
    check(imp) {
      const conv = params(imp, 'Conv2D');
      expect(conv.map((p) => p['padding'])).toEqual(['same', 'valid']); // SAME_LOWER pads (1, 0): zeros in front
      expect(params(imp, 'ZeroPadding2D')).toEqual([{ padding: [[1, 0], [1, 0]] }, { padding: [[1, 1], [1, 1]] }]);
      expect(params(imp, 'MaxPooling2D')).toEqual([{ poolSize: [3, 3], strides: [2, 2], padding: 'same' }]);
      expect(params(imp, 'Cropping2D')).toEqual([{ cropping: [[1, 0], [0, 1]] }]);
      expect(params(imp, 'Concatenate')).toEqual([{ axis: 1 }]);
    },
  },
  {
    name: 'LSTM with layout = 1 and no bias, whole sequence out; causal Conv1D',
    spec: {
      nodes: [
        node('LSTM', ['x', 'W', 'R'], ['Y'], [attr.int('hidden_size', 4), attr.int('layout', 1)], '/lstm/LSTM'),
        node('Squeeze', ['Y', 'ax2'], ['y']),
        node('Conv', ['s', 'Wc'], ['c'], [attr.ints('pads', [2, 0])], '/conv/Conv'),
      ],
      inputs: [valueInfo('x', ['batch', 5, 3]), valueInfo('s', ['batch', 2, 9])],
      outputs: [valueInfo('y', ['batch', 5, 4]), valueInfo('c', ['batch', 3, 9])],
      initializers: [w('W', [1, 16, 3], 6), w('R', [1, 16, 4], 7), int64s('ax2', [1], [2]), w('Wc', [3, 2, 3], 8)],
      opset: 14,
    },
    // onnxruntime refuses layout = 1; the spec defines it as layout 0 between these Transposes.
    oracle: {
      nodes: [
        node('Transpose', ['x'], ['xt'], [attr.ints('perm', [1, 0, 2])], '/in'),
        node('LSTM', ['xt', 'W', 'R'], ['Y0'], [attr.int('hidden_size', 4)]),
        node('Transpose', ['Y0'], ['Y'], [attr.ints('perm', [2, 0, 1, 3])], '/out'),
        node('Squeeze', ['Y', 'ax2'], ['y']),
        node('Conv', ['s', 'Wc'], ['c'], [attr.ints('pads', [2, 0])]),
      ],
      inputs: [valueInfo('x', ['batch', 5, 3]), valueInfo('s', ['batch', 2, 9])],
      outputs: [valueInfo('y', ['batch', 5, 4]), valueInfo('c', ['batch', 3, 9])],
      initializers: [w('W', [1, 16, 3], 6), w('R', [1, 16, 4], 7), int64s('ax2', [1], [2]), w('Wc', [3, 2, 3], 8)],
      opset: 14,
    },
    check(imp) {
      expect(params(imp, 'LSTM')).toEqual([expect.objectContaining({ units: 4, useBias: false, returnSequences: true })]);
      expect(params(imp, 'Conv1D')).toEqual([expect.objectContaining({ padding: 'causal', kernelSize: [3] })]);
    },
  },
  {
    name: 'Gemm with transB = 0, alpha and beta; MatMul on a sequence; LayerNormalization without bias; BatchNorm1d on a sequence',
    spec: {
      nodes: [
        node('Gemm', ['v', 'B', 'C'], ['g'], [attr.float('alpha', 0.5), attr.float('beta', 2)], '/fc/Gemm'),
        node('MatMul', ['x', 'M'], ['m'], [], '/proj/MatMul'),
        node('LayerNormalization', ['m', 'gamma'], ['ln'], [attr.float('epsilon', 1e-3)], '/ln/LayerNormalization'),
        node('BatchNormalization', ['q', 'bs', 'bb', 'bm', 'bv'], ['bn'], [], '/bn/BatchNormalization'),
        node('ReduceMean', ['bn'], ['rm'], [attr.ints('axes', [2]), attr.int('keepdims', 0)]),
      ],
      inputs: [valueInfo('v', ['batch', 4]), valueInfo('x', ['batch', 5, 4]), valueInfo('q', ['batch', 3, 10])],
      outputs: [valueInfo('g', ['batch', 3]), valueInfo('ln', ['batch', 5, 6]), valueInfo('rm', ['batch', 3])],
      initializers: [
        w('B', [4, 3], 9), w('C', [1, 3], 10), w('M', [4, 6], 11), floats('gamma', [6], [1, 2, 0.5, 1, 1.5, 1]),
        w('bs', [3], 12), w('bb', [3], 13), w('bm', [3], 14), floats('bv', [3], [0.5, 1, 2]),
      ],
    },
    check(imp) {
      expect(params(imp, 'Dense').map((p) => p['useBias'])).toEqual([true, false]);
      expect(params(imp, 'LayerNormalization')).toEqual([{ axis: -1, epsilon: expect.closeTo(1e-3, 9), center: false, scale: true }]);
      expect(imp.inputs[2]).toMatchObject({ shape: [10, 3] }); // BatchNorm reads [N, C, L]: channels-last
      expect(kinds(imp)).toContain('GlobalAveragePooling1D');
    },
  },
];

describe('ONNX op forms against onnxruntime-web', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(CASES)('$name', async ({ spec, oracle, check }) => {
    const bytes = model(spec);
    const imp = importOnnx(bytes);
    expect(imp.unmapped).toEqual([]);
    check(imp);
    const x = feeds(imp, 2, 21);
    expect(maxDiff(imp, runImported(imp, x, 2), await runOrt(oracle ? model(oracle) : bytes, x))).toBeLessThan(1e-4);
  });
});
