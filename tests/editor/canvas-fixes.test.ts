// The canvas's edge checks and fixes against the engine and TF.js: an edge is red exactly
// where the target's diagnostic names that input, and every offered fix yields a graph the
// analysis accepts and TF.js builds with the shapes the canvas will show.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { edgeProblem, fixesForEdge, freshId } from '../../src/editor/canvas/fixes.js';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { applyChange } from '../../src/engine/graph/changes.js';
import { nodeId } from '../../src/engine/ids.js';
import type { Graph, GraphEdge } from '../../src/engine/project/types.js';
import type { EdgeFix } from '../../src/editor/canvas/fixes.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const n = (id: string, kind: string, params: Record<string, unknown> = {}, x = 0, y = 0) => ({ id: nodeId(id), kind, params, position: { x, y } });
const e = (s: string, t: string, port = 0): GraphEdge => ({ source: nodeId(s), target: nodeId(t), targetInput: port });

/** Applies the fix, then checks it with the engine and by building it in TF.js; returns the TF.js output shape. */
function applyAndBuild(g: Graph, fix: EdgeFix, output: string): { graph: Graph; shape: (number | null)[] } {
  const fixed = fix.changes.reduce(applyChange, g);
  const a = analyzeGraph(fixed);
  expect(a.diagnostics.filter((d) => d.severity === 'error'), fix.label).toEqual([]);
  const { model, outputs } = compileGraph(a);
  const i = outputs.indexOf(nodeId(output));
  const shape = model.outputs[i]!.shape;
  expect(shape).toEqual(a.nodes.get(nodeId(output))!.output!.shape);
  model.dispose();
  return { graph: fixed, shape };
}

describe('edge problems', () => {
  it('marks only the Add input whose shape differs, with the engine message', () => {
    const g: Graph = {
      nodes: [n('in', 'Input', { shape: [8] }), n('a', 'Dense', { units: 16 }), n('b', 'Dense', { units: 12 }), n('sum', 'Add')],
      edges: [e('in', 'a'), e('in', 'b'), e('a', 'sum', 0), e('b', 'sum', 1)],
    };
    const a = analyzeGraph(g);
    expect(edgeProblem(a, e('a', 'sum', 0))).toBeNull();
    expect(edgeProblem(a, e('in', 'a'))).toBeNull();
    const p = edgeProblem(a, e('b', 'sum', 1));
    expect(p?.code).toBe('shape-mismatch');
    expect(p?.message).toBe('Add: input 2 is [null,12] but input 1 is [null,16]');
  });
});

describe('fixes', () => {
  it('inserts a Flatten between a rank-4 tensor and a layer that needs [batch, features]', () => {
    const g: Graph = {
      nodes: [n('in', 'Input', { shape: [8, 8, 1] }), n('conv', 'Conv2D', { filters: 4, kernelSize: 3 }, 0, 100), n('rep', 'RepeatVector', { n: 3 }, 0, 200)],
      edges: [e('in', 'conv'), e('conv', 'rep')],
    };
    const a = analyzeGraph(g);
    expect(edgeProblem(a, e('conv', 'rep'))?.code).toBe('rank-mismatch');
    const fixes = fixesForEdge(g, a, e('conv', 'rep'));
    expect(fixes.map((f) => f.label)).toEqual(['Insert a Flatten']);
    const { graph, shape } = applyAndBuild(g, fixes[0]!, 'rep');
    expect(shape).toEqual([null, 3, 6 * 6 * 4]);
    expect(graph.nodes.find((x) => x.id === 'flatten_1')).toMatchObject({ kind: 'Flatten', position: { x: 24, y: 150 } });
    expect(graph.edges).toContainEqual(e('flatten_1', 'rep'));
    expect(graph.edges).not.toContainEqual(e('conv', 'rep'));
  });

  it('warns on a Dense fed a feature map (TF.js keeps the spatial axes) and fixes it with a Flatten', () => {
    // LeNet's head wired without a Flatten: pool → Dense(120) → Dense(10).
    const g: Graph = {
      nodes: [
        n('in', 'Input', { shape: [12, 12, 1] }), n('conv', 'Conv2D', { filters: 16, kernelSize: 5 }, 0, 100), n('pool', 'MaxPooling2D', { poolSize: 2 }, 0, 200),
        n('fc', 'Dense', { units: 120, activation: 'relu' }, 0, 300), n('out', 'Dense', { units: 10, activation: 'softmax' }, 0, 400),
      ],
      edges: [e('in', 'conv'), e('conv', 'pool'), e('pool', 'fc'), e('fc', 'out')],
    };
    const a = analyzeGraph(g);
    // Valid Keras: it compiles, and TF.js gives the very shape the warning names.
    const broken = applyAndBuild(g, { label: 'as wired', changes: [] }, 'out');
    expect(broken.shape).toEqual([null, 4, 4, 10]);
    const p = edgeProblem(a, e('pool', 'fc'));
    expect(p).toEqual({
      code: 'last-axis-only', severity: 'warning', nodeId: 'fc',
      message: 'Dense applies to the last axis only of its [B, 4, 4, 16] input: its output stays [B, 4, 4, 120]',
      suggestion: 'Insert a Flatten before it to classify the whole image (or a GlobalAveragePooling2D); keep it only for one Dense per position.',
    });
    // One warning, where the fix goes: "out" is fed a rank-4 tensor too, but by the Dense that warns.
    expect(a.diagnostics).toEqual([p]);
    expect(edgeProblem(a, e('fc', 'out'))).toBeNull();
    expect(edgeProblem(a, e('conv', 'pool'))).toBeNull();
    const fixes = fixesForEdge(g, a, e('pool', 'fc'));
    expect(fixes.map((f) => f.label)).toEqual(['Insert a Flatten']);
    const { graph, shape } = applyAndBuild(g, fixes[0]!, 'out');
    expect(shape).toEqual([null, 10]);
    const after = analyzeGraph(graph);
    expect(after.diagnostics).toEqual([]);
    expect(after.nodes.get(nodeId('flatten_1'))!.output!.shape).toEqual([null, 4 * 4 * 16]);
    expect(edgeProblem(after, e('flatten_1', 'fc'))).toBeNull();
    expect(graph.nodes.find((x) => x.id === 'flatten_1')).toMatchObject({ kind: 'Flatten', position: { x: 24, y: 250 } });
  });

  it('leaves a Dense on a sequence alone: per-timestep use is normal', () => {
    const g: Graph = { nodes: [n('in', 'Input', { shape: [7, 8] }), n('fc', 'Dense', { units: 3 })], edges: [e('in', 'fc')] };
    const a = analyzeGraph(g);
    expect(a.diagnostics).toEqual([]);
    expect(edgeProblem(a, e('in', 'fc'))).toBeNull();
    expect(fixesForEdge(g, a, e('in', 'fc'))).toEqual([]);
  });

  it('offers units on the Dense, or a Dense projection, when Add inputs differ in the last dim', () => {
    const g: Graph = {
      nodes: [n('in', 'Input', { shape: [8] }), n('a', 'Dense', { units: 16 }), n('b', 'Dense', { units: 12, activation: 'relu' }), n('sum', 'Add')],
      edges: [e('in', 'a'), e('in', 'b'), e('a', 'sum', 0), e('b', 'sum', 1)],
    };
    const fixes = fixesForEdge(g, analyzeGraph(g), e('b', 'sum', 1));
    expect(fixes.map((f) => f.label)).toEqual(['Give the Dense "b" 16 units', 'Insert a Dense projection to 16']);
    const units = applyAndBuild(g, fixes[0]!, 'sum');
    expect(units.shape).toEqual([null, 16]);
    expect(units.graph.nodes.find((x) => x.id === 'b')!.params).toEqual({ units: 16, activation: 'relu' });
    const proj = applyAndBuild(g, fixes[1]!, 'sum');
    expect(proj.shape).toEqual([null, 16]);
    expect(proj.graph.nodes.find((x) => x.id === 'dense_1')!.params).toEqual({ units: 16 });
  });

  it('changes Conv2D filters when only channels differ, and reshapes when the sizes match', () => {
    const conv: Graph = {
      nodes: [n('in', 'Input', { shape: [8, 8, 3] }), n('c1', 'Conv2D', { filters: 8, kernelSize: 3, padding: 'same' }), n('c2', 'Conv2D', { filters: 4, kernelSize: 1 }), n('sum', 'Add')],
      edges: [e('in', 'c1'), e('in', 'c2'), e('c1', 'sum', 0), e('c2', 'sum', 1)],
    };
    const f = fixesForEdge(conv, analyzeGraph(conv), e('c2', 'sum', 1));
    expect(f[0]!.label).toBe('Give the Conv2D "c2" 8 filters');
    expect(applyAndBuild(conv, f[0]!, 'sum').shape).toEqual([null, 8, 8, 8]);

    const flat: Graph = {
      nodes: [n('in', 'Input', { shape: [4, 6] }), n('f', 'Flatten'), n('d', 'Dense', { units: 24 }), n('sum', 'Add')],
      edges: [e('in', 'f'), e('f', 'd'), e('d', 'sum', 0), e('in', 'sum', 1)],
    };
    const r = fixesForEdge(flat, analyzeGraph(flat), e('in', 'sum', 1));
    expect(r.map((x) => x.label)).toEqual(['Insert a Reshape to [B, 24]']);
    expect(applyAndBuild(flat, r[0]!, 'sum').shape).toEqual([null, 24]);
  });

  it('offers nothing on a healthy edge and picks ids the graph does not use', () => {
    const g: Graph = { nodes: [n('in', 'Input', { shape: [4] }), n('flatten_1', 'Dense', { units: 2 })], edges: [e('in', 'flatten_1')] };
    expect(fixesForEdge(g, analyzeGraph(g), e('in', 'flatten_1'))).toEqual([]);
    expect(freshId(g, 'flatten')).toBe('flatten_2');
  });
});
