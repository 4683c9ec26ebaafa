// Compilation through the functional API: several inputs and outputs, in graph order;
// refusal of invalid graphs; memory estimates that add up.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CompileError, compileGraph } from '../../src/engine/compile/compile.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { trainingMemory } from '../../src/engine/graph/memory.js';
import { nodeId } from '../../src/engine/ids.js';
import type { Graph } from '../../src/engine/project/types.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const n = (id: string, kind: string, params: Record<string, unknown> = {}) => ({ id: nodeId(id), kind, params });
const e = (s: string, t: string, port = 0) => ({ source: nodeId(s), target: nodeId(t), targetInput: port });

describe('compileGraph', () => {
  it('builds a model with two inputs and two outputs, in graph order', () => {
    const g: Graph = {
      nodes: [n('image', 'Input', { shape: [6] }), n('meta', 'Input', { shape: [3] }), n('a', 'Dense', { units: 4 }), n('b', 'Dense', { units: 4 }), n('sum', 'Add'), n('cls', 'Dense', { units: 2, activation: 'softmax' }), n('reg', 'Dense', { units: 1 })],
      edges: [e('image', 'a'), e('meta', 'b'), e('a', 'sum', 0), e('b', 'sum', 1), e('sum', 'cls'), e('sum', 'reg')],
    };
    const { model, inputs, outputs } = compileGraph(analyzeGraph(g), { seed: 3 });
    expect(inputs).toEqual(['image', 'meta']);
    expect(outputs).toEqual(['cls', 'reg']);
    expect(model.inputs.map((t) => t.shape)).toEqual([[null, 6], [null, 3]]);
    const [cls, reg] = model.predict([tf.ones([5, 6]), tf.ones([5, 3])]) as tf.Tensor[];
    expect(cls!.shape).toEqual([5, 2]);
    expect(reg!.shape).toEqual([5, 1]);
    // Softmax rows sum to one: the graph really runs as wired.
    expect(Array.from(cls!.sum(1).dataSync()).every((s) => Math.abs(s - 1) < 1e-5)).toBe(true);
  });

  it('refuses a graph with errors, listing them', () => {
    const g: Graph = { nodes: [n('in', 'Input', { shape: [4] }), n('sum', 'Add')], edges: [e('in', 'sum')] };
    const a = analyzeGraph(g);
    expect(() => compileGraph(a)).toThrow(CompileError);
    expect(() => compileGraph(a)).toThrow('the graph has 1 error: Add: input 2 is not connected');
  });

  it('compiles with warnings (an unconnected Input is not a model input)', () => {
    const g: Graph = { nodes: [n('in', 'Input', { shape: [4] }), n('stray', 'Input', { shape: [2] }), n('fc', 'Dense', { units: 1 })], edges: [e('in', 'fc')] };
    const a = analyzeGraph(g);
    expect(a.valid).toBe(true);
    expect(a.inputs).toEqual(['in']);
    expect(compileGraph(a).model.inputs).toHaveLength(1);
  });
});

describe('training memory', () => {
  it('adds weights, gradients, optimizer slots and batch activations', () => {
    const g: Graph = { nodes: [n('in', 'Input', { shape: [784] }), n('h', 'Dense', { units: 100 }), n('o', 'Dense', { units: 10 })], edges: [e('in', 'h'), e('h', 'o')] };
    const t = analyzeGraph(g).totals;
    expect(t.params).toBe(784 * 100 + 100 + 100 * 10 + 10);
    expect(t.activationBytes).toBe((100 + 10) * 4);
    const adam = trainingMemory(t, 32, { name: 'adam' });
    expect(adam).toEqual({ weightBytes: 79510 * 4, gradientBytes: 79510 * 4, optimizerBytes: 79510 * 8, activationBytes: 110 * 4 * 32, totalBytes: 79510 * 16 + 110 * 4 * 32 });
    expect(trainingMemory(t, 32, { name: 'sgd' }).optimizerBytes).toBe(0);
    expect(trainingMemory(t, 32, { name: 'sgd', momentum: 0.9 }).optimizerBytes).toBe(79510 * 4);
    expect(trainingMemory(t, 32, { name: 'rmsprop', momentum: 0.9, centered: true }).optimizerBytes).toBe(79510 * 12);
  });
});
