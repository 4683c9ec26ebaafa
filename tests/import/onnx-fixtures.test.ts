// PyTorch models exported to ONNX (tests/fixtures/onnx/make_fixtures.py) are imported, compiled
// with their weights, and must give onnxruntime-web's outputs on the same random inputs (1e-4).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { importOnnx, type OnnxImport } from '../../src/engine/import/onnx/index.js';
import { feeds, fixture, maxDiff, runImported, runOrt, spread } from './helpers.js';

const BATCH = 3;

const kinds = (imp: OnnxImport) => imp.project.graph.nodes.map((n) => n.kind);
const node = (imp: OnnxImport, id: string) => imp.project.graph.nodes.find((n) => n.id === id)!;
const inputsOf = (imp: OnnxImport, id: string) => imp.project.graph.edges.filter((e) => e.target === id).map((e) => e.source);

/** Per fixture: what the imported graph must look like, besides matching onnxruntime. */
const CASES: { name: string; check(imp: OnnxImport): void }[] = [
  {
    name: 'mlp',
    check(imp) {
      expect(kinds(imp)).toEqual(['Input', 'Dense', 'BatchNormalization', 'Tanh', 'Dense', 'LeakyReLU', 'Dense', 'Softmax']);
      expect(node(imp, 'fc1').params).toMatchObject({ units: 16, activation: 'relu' }); // Gemm + Relu fused
      expect(node(imp, 'bn').params).toMatchObject({ momentum: 0.5, axis: -1 });
      expect(node(imp, 'bn').params['epsilon']).toBeCloseTo(1e-5, 9);
    },
  },
  {
    name: 'cnn',
    check(imp) {
      expect(imp.inputs[0]).toMatchObject({ shape: [16, 16, 3], axes: [0, 2, 3, 1] });
      expect(imp.notes.join(' ')).toMatch(/channels-last here: \[16, 16, 3\].*NCHW → NHWC/);
      // Flatten must read NCHW order for the Linear's weights to stay valid: Permute first.
      const flatten = imp.project.graph.nodes.find((n) => n.kind === 'Flatten')!;
      const permute = node(imp, inputsOf(imp, flatten.id)[0]!);
      expect(permute).toMatchObject({ kind: 'Permute', params: { dims: [3, 1, 2] } });
      expect(node(imp, 'conv1').params).toMatchObject({ padding: 'same', filters: 8 });
      expect(node(imp, 'conv2').params).toMatchObject({ padding: 'valid' });
    },
  },
  {
    name: 'resnet_block',
    check(imp) {
      expect(kinds(imp).filter((k) => k === 'Add')).toHaveLength(2);
      expect(inputsOf(imp, 'block1.Add').sort()).toEqual(['block1.bn2', 'x']); // the identity skip
      // Stride 2 with pads 1 on 10 pixels is not TF.js 'same' (which pads 0 before, 1 after).
      expect(node(imp, 'block2.conv1.pad').params).toEqual({ padding: [[1, 0], [1, 0]] });
      expect(imp.outputs[0]).toMatchObject({ onnxShape: [null, 10, 5, 5], shape: [5, 5, 10], axes: [0, 2, 3, 1] });
    },
  },
  {
    name: 'lstm',
    check(imp) {
      expect(kinds(imp)).toEqual(['Input', 'LSTM', 'Dense']); // Transposes, Squeeze, Gather, zero states: no nodes
      expect(node(imp, 'lstm').params).toMatchObject({ units: 12, returnSequences: false, recurrentActivation: 'sigmoid' });
      expect(imp.inputs[0]).toMatchObject({ shape: [7, 5], axes: [0, 1, 2] });
    },
  },
  {
    name: 'seq_first_lstm',
    check(imp) {
      expect(kinds(imp)).toEqual(['Input', 'LSTM', 'Dense']);
      expect(imp.inputs[0]).toMatchObject({ onnxShape: [7, null, 4], shape: [7, 4], axes: [1, 0, 2] });
      expect(imp.notes.join(' ')).toMatch(/\[steps, batch, features\] in the file; here it is batch-first/);
    },
  },
  {
    name: 'gru_reset_before',
    check(imp) {
      expect(node(imp, 'gru')).toMatchObject({ kind: 'GRU', params: { units: 4, returnSequences: true } });
      expect(imp.outputs[0]).toMatchObject({ onnxShape: [6, 1, null, 4], shape: [6, 4], axes: [2, 0, 3] });
    },
  },
  {
    name: 'seq_mix',
    check(imp) {
      expect(kinds(imp)).toEqual(['Input', 'Conv1D', 'MaxPooling1D', 'Conv1D', 'Dense', 'SimpleRNN', 'GlobalAveragePooling1D', 'Dense']);
      expect(node(imp, 'c2').params).toMatchObject({ dilationRate: [2], padding: 'same', activation: 'tanh' });
      expect(node(imp, 'proj').params).toMatchObject({ useBias: true }); // MatMul + Add → one Dense
    },
  },
  {
    name: 'vision_mix',
    check(imp) {
      expect(node(imp, 'dw').params).toMatchObject({ depthMultiplier: 2, padding: 'same' });
      expect(node(imp, 'prelu').params).toEqual({ sharedAxes: [1, 2] });
      expect(node(imp, 'up2.crop').params).toEqual({ cropping: [[1, 0], [1, 0]] });
      expect(node(imp, 'Gelu')).toMatchObject({ kind: 'GELU', params: { approximate: false } });
      expect(node(imp, 'MaxPool.pad').params).toEqual({ padding: [[1, 0], [1, 0]] }); // exact: it follows a ReLU
      expect(kinds(imp)).toEqual(expect.arrayContaining(['Concatenate', 'Multiply', 'Subtract', 'Maximum', 'LayerNormalization', 'GlobalAveragePooling2D', 'AveragePooling2D']));
      expect(imp.outputs.map((o) => o.name)).toEqual(['y', 'z']);
    },
  },
  {
    name: 'embed',
    check(imp) {
      expect(kinds(imp)).toEqual(['Input', 'Embedding', 'GlobalAveragePooling1D', 'Dense']);
      expect(node(imp, 'x').params).toEqual({ shape: [10], dtype: 'int32' });
    },
  },
];

describe('the imported project', () => {
  it('is named by the caller, or generically when the file only has the exporter\'s graph name', () => {
    expect(importOnnx(fixture('mlp'), { name: 'Iris MLP' }).project.name).toBe('Iris MLP');
    const imp = importOnnx(fixture('mlp'));
    expect(imp.project).toMatchObject({ name: 'Imported ONNX model', description: 'Imported from an ONNX model (pytorch, opset 13).', training: {}, dataset: {} });
    expect(imp.notes[0]).toBe('Imported from pytorch 1.13.0, ai.onnx opset 13.');
  });

  it('labels nodes with their ONNX names and lays them out by depth', () => {
    const { graph } = importOnnx(fixture('cnn')).project;
    const conv = graph.nodes.find((n) => n.id === 'conv1')!;
    expect(conv).toMatchObject({ label: '/conv1/Conv', position: { x: 0, y: 100 } });
    expect(new Set(graph.nodes.map((n) => n.position!.y)).size).toBe(graph.nodes.length); // a chain: one node per row
  });
});

describe('ONNX import of PyTorch exports matches onnxruntime-web', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(CASES)('$name', async ({ name, check }) => {
    const bytes = fixture(name);
    const imp = importOnnx(bytes);
    expect(imp.unmapped).toEqual([]);
    check(imp);
    const x = feeds(imp, BATCH, 11);
    const expected = await runOrt(bytes, x);
    for (const t of expected.values()) expect(spread(t)).toBeGreaterThan(0.05);
    const diff = maxDiff(imp, runImported(imp, x, BATCH), expected);
    expect(diff).toBeLessThan(1e-4);
  });
});
