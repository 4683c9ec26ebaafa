// Ops without a mapping are listed by name and count, never dropped in silence: the graph keeps
// everything that maps (checked against onnxruntime), or the import fails naming what cut it.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { importOnnx, OnnxImportError } from '../../src/engine/import/onnx/index.js';
import { attr, floats, int64s, model, node, random, valueInfo } from './build.js';
import { feeds, fixture, maxDiff, runImported, runOrt } from './helpers.js';

const X = valueInfo('x', ['batch', 4]);
const out = (name: string, n = 3) => valueInfo(name, ['batch', n]);
const WEIGHTS = [floats('W', [3, 4], random(12, 1)), floats('b', [3], random(3, 2)), int64s('axis', [], [1])];
const gemm = node('Gemm', ['x', 'W', 'b'], ['h'], [attr.int('transB', 1)], '/fc/Gemm');

function thrown(f: () => unknown): OnnxImportError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(OnnxImportError);
    return e as OnnxImportError;
  }
  throw new Error('expected an OnnxImportError');
}

describe('unmapped ops', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('keeps what maps when an unmapped op only feeds an output, and it still matches onnxruntime', async () => {
    const bytes = model({
      nodes: [gemm, node('Relu', ['h'], ['y'], [], '/act/Relu'), node('CumSum', ['h', 'axis'], ['z'], [], '/cumsum')],
      inputs: [X],
      outputs: [out('y'), out('z')],
      initializers: WEIGHTS,
    });
    const imp = importOnnx(bytes);
    expect(imp.unmapped).toEqual([{ op: 'CumSum', count: 1, nodes: ['/cumsum'], reasons: ['no mapping to a NeuralForge layer'] }]);
    expect(imp.outputs.map((o) => o.name)).toEqual(['y']);
    expect(imp.notes).toContain('Output "z" is dropped: it comes from CumSum "/cumsum", which has no mapping.');
    expect(imp.notes.join(' ')).toMatch(/1 CumSum node has no mapping \(no mapping to a NeuralForge layer\); it is left out/);
    // The Relu stays its own layer: CumSum also read the Gemm's output, so it was not fused in.
    expect(imp.project.graph.nodes.map((n) => n.kind)).toEqual(['Input', 'Dense', 'ReLU']);
    const x = feeds(imp, 2, 4);
    expect(maxDiff(imp, runImported(imp, x, 2), await runOrt(bytes, x))).toBeLessThan(1e-4);
  });

  it('lists every unmapped op by op_type with its count and node names, custom domains included', () => {
    const bytes = model({
      nodes: [
        gemm,
        node('Relu', ['h'], ['y']),
        node('CumSum', ['h', 'axis'], ['c1'], [], '/cumsum1'),
        node('Erf', ['h'], ['e'], [], '/erf'),
        node('CumSum', ['h', 'axis'], ['c2'], [], '/cumsum2'),
        node('Magic', ['h'], ['m'], [], '/magic', 'com.example'),
      ],
      inputs: [X],
      outputs: [out('y'), out('c1'), out('e'), out('c2'), out('m')],
      initializers: WEIGHTS,
      extraOpsets: [{ domain: 'com.example', version: 1 }],
    });
    const imp = importOnnx(bytes);
    expect(imp.unmapped).toEqual([
      { op: 'CumSum', count: 2, nodes: ['/cumsum1', '/cumsum2'], reasons: ['no mapping to a NeuralForge layer'] },
      { op: 'Erf', count: 1, nodes: ['/erf'], reasons: ['no mapping to a NeuralForge layer'] },
      { op: 'com.example::Magic', count: 1, nodes: ['/magic'], reasons: ['custom domain "com.example"'] },
    ]);
    expect(imp.outputs.map((o) => o.name)).toEqual(['y']);
  });

  it('gives the reason when an op maps only in some forms (a bias added outside a Dense)', () => {
    const bytes = model({
      nodes: [gemm, node('Add', ['h', 'b'], ['y'], [], '/shift'), node('Relu', ['h'], ['r'])],
      inputs: [X],
      outputs: [out('y'), out('r')],
      initializers: WEIGHTS,
    });
    expect(importOnnx(bytes).unmapped).toEqual([
      { op: 'Add', count: 1, nodes: ['/shift'], reasons: ['Add of a tensor and a constant (no layer adds, scales or divides by a constant)'] },
    ]);
  });

  it('fails, naming the unmapped op and what it cuts off, when it sits between mapped ops', () => {
    const bytes = model({
      nodes: [node('CumSum', ['x', 'axis'], ['c'], [], '/cumsum'), node('Relu', ['c'], ['y'], [], '/act/Relu')],
      inputs: [X],
      outputs: [out('y', 4)],
      initializers: WEIGHTS,
    });
    const e = thrown(() => importOnnx(bytes));
    expect(e.code).toBe('unmapped');
    expect(e.message).toMatch(/cannot connect the graph past ops without a mapping: CumSum ×1 \(\/cumsum\): no mapping to a NeuralForge layer\. Cut off after them: Relu "\/act\/Relu"/);
  });

  it("fails on PyTorch's GRU, saying why its reset gate has no TF.js equivalent", () => {
    const e = thrown(() => importOnnx(fixture('gru')));
    expect(e.code).toBe('unmapped');
    expect(e.message).toMatch(/GRU ×1 \(\/gru\/GRU\): linear_before_reset = 1 \(PyTorch's GRU\).*reset_after = false/);
  });

  it('fails when no output maps at all', () => {
    const bytes = model({ nodes: [node('CumSum', ['x', 'axis'], ['y'], [], '/cumsum')], inputs: [X], outputs: [out('y', 4)], initializers: WEIGHTS });
    expect(thrown(() => importOnnx(bytes)).message).toMatch(/no graph output could be mapped: CumSum ×1/);
  });

  it('refuses an LSTM read both as a sequence and at its last step', () => {
    const [steps, features, hidden] = [5, 3, 2];
    const bytes = model({
      nodes: [
        node('LSTM', ['x', 'W', 'R'], ['seq', 'last'], [attr.int('hidden_size', hidden), attr.int('layout', 1)], '/lstm/LSTM'),
      ],
      inputs: [valueInfo('x', ['batch', steps, features])],
      outputs: [valueInfo('seq', ['batch', steps, 1, hidden]), valueInfo('last', ['batch', 1, hidden])],
      initializers: [floats('W', [1, 4 * hidden, features], random(4 * hidden * features, 3)), floats('R', [1, 4 * hidden, hidden], random(4 * hidden * hidden, 4))],
      opset: 14,
    });
    const e = thrown(() => importOnnx(bytes));
    expect({ code: e.code, where: e.where }).toEqual({ code: 'unsupported', where: 'node "lstm"' });
    expect(e.message).toMatch(/used both as a whole sequence and as its last step/);
  });
});
