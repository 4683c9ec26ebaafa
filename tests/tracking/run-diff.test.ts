// Run diffs on template pairs, each against a hand-written expectation of what changed.
import { describe, expect, it } from 'vitest';
import type { Graph, GraphNode } from '../../src/engine/project/types.js';
import { lenet5, mlp } from '../../src/engine/templates/vision.js';
import { diffGraphs, diffRuns, type RunSide } from '../../src/engine/tracking/run-diff.js';

const base = mlp.project();
const side = (over: Partial<RunSide> = {}): RunSide => ({
  graph: base.graph,
  config: base.training,
  seed: 1,
  dataset: { name: 'mnist', version: 'a'.repeat(64), source: 'builtin', splits: { train: 9000, validation: 1000, test: 0 } },
  ...over,
});

/** The MLP with node `id` edited by `f`. */
const editNode = (g: Graph, id: string, f: (n: GraphNode) => GraphNode): Graph => ({ ...g, nodes: g.nodes.map((n) => (n.id === id ? f(n) : n)) });

describe('diffGraphs', () => {
  it('finds nothing between a graph and itself, even with moved and relabelled nodes', () => {
    const moved = { ...base.graph, nodes: base.graph.nodes.map((n) => ({ ...n, position: { x: 999, y: 1 }, label: 'renamed on the canvas' })) };
    expect(diffGraphs(base.graph, moved)).toEqual({ nodes: [], edgesAdded: [], edgesRemoved: [], likelyRenames: [] });
  });

  it('reports a widened layer and a changed activation with before and after per param', () => {
    const after = editNode(base.graph, 'hidden1', (n) => ({ ...n, params: { units: 512, activation: 'gelu' } }));
    expect(diffGraphs(base.graph, after).nodes).toEqual([
      { change: 'changed', id: 'hidden1', kind: null, params: [
        { path: 'activation', before: 'relu', after: 'gelu' },
        { path: 'units', before: 256, after: 512 },
      ] },
    ]);
  });

  it('reports a removed dropout with its edges, and the new edge that bypasses it', () => {
    const g = base.graph;
    const after: Graph = {
      nodes: g.nodes.filter((n) => n.id !== 'dropout'),
      edges: [...g.edges.filter((e) => e.source !== 'dropout' && e.target !== 'dropout'), { source: 'hidden2' as never, target: 'logits' as never, targetInput: 0 }],
    };
    expect(diffGraphs(g, after)).toEqual({
      nodes: [{ change: 'removed', id: 'dropout', kind: 'Dropout' }],
      edgesAdded: [{ source: 'hidden2', target: 'logits', targetInput: 0 }],
      edgesRemoved: [
        { source: 'hidden2', target: 'dropout', targetInput: 0 },
        { source: 'dropout', target: 'logits', targetInput: 0 },
      ],
      likelyRenames: [],
    });
  });

  it('treats a renamed id as removed + added, and pairs them as a likely rename', () => {
    const rename = (id: string) => (id === 'hidden2' ? 'dense_b' : id);
    const g = base.graph;
    const after: Graph = {
      nodes: g.nodes.map((n) => ({ ...n, id: rename(n.id) as never })),
      edges: g.edges.map((e) => ({ ...e, source: rename(e.source) as never, target: rename(e.target) as never })),
    };
    const d = diffGraphs(g, after);
    expect(d.nodes).toEqual([
      { change: 'removed', id: 'hidden2', kind: 'Dense' },
      { change: 'added', id: 'dense_b', kind: 'Dense' },
    ]);
    expect(d.likelyRenames).toEqual([{ from: 'hidden2', to: 'dense_b' }]);
    expect(d.edgesRemoved).toHaveLength(2);
    expect(d.edgesAdded).toHaveLength(2);
  });

  it('MLP → LeNet-5: shared ids are compared, the rest added or removed; the same-shaped classifier head is a likely rename', () => {
    const d = diffGraphs(mlp.project().graph, lenet5.project().graph);
    const by = (c: string) => d.nodes.filter((n) => n.change === c).map((n) => n.id);
    // Both start from the same Input "image" and share "flatten"; MLP's head is "logits", LeNet-5's "output" (both Dense 10 softmax).
    expect(by('removed')).toEqual(['hidden1', 'hidden2', 'dropout', 'logits']);
    expect(by('changed')).toEqual([]);
    expect(by('added')).toEqual(['c1', 's2', 'c3', 's4', 'f5', 'f6', 'output']);
    expect(d.likelyRenames).toEqual([{ from: 'logits', to: 'output' }]);
    // No edge is shared: image→flatten becomes image→c1 … s4→flatten.
    expect(d.edgesRemoved.map((e) => `${e.source}>${e.target}`)).toEqual(['image>flatten', 'flatten>hidden1', 'hidden1>hidden2', 'hidden2>dropout', 'dropout>logits']);
    expect(d.edgesAdded.map((e) => `${e.source}>${e.target}`)).toEqual(['image>c1', 'c1>s2', 's2>c3', 'c3>s4', 's4>flatten', 'flatten>f5', 'f5>f6', 'f6>output']);
  });
});

describe('diffRuns', () => {
  it('is identical for the same run', () => {
    expect(diffRuns(side(), side())).toMatchObject({ identical: true, hyperparameters: [], dataset: [] });
  });

  it('lists changed hyperparameters by flattened path, a new optimizer field and the seed', () => {
    const after = side({
      config: { ...base.training, optimizer: { name: 'sgd', learningRate: 0.1, momentum: 0.9 }, batchSize: 64, earlyStopping: { patience: 3 } },
      seed: 7,
    });
    expect(diffRuns(side(), after).hyperparameters).toEqual([
      { path: 'batchSize', before: 128, after: 64 },
      { path: 'earlyStopping.patience', before: undefined, after: 3 },
      { path: 'optimizer.learningRate', before: 0.001, after: 0.1 },
      { path: 'optimizer.momentum', before: undefined, after: 0.9 },
      { path: 'optimizer.name', before: 'adam', after: 'sgd' },
      { path: 'seed', before: 1, after: 7 },
    ]);
  });

  it('compares list settings as a whole (metrics) and the dataset by name, version, source and split sizes', () => {
    const after = side({
      config: { ...base.training, metrics: ['accuracy', 'top5Accuracy'] },
      dataset: { name: 'file:digits.csv', version: 'b'.repeat(64), source: 'file', splits: { train: 9000, validation: 500, test: 500 } },
    });
    const d = diffRuns(side(), after);
    expect(d.hyperparameters).toEqual([{ path: 'metrics', before: '["accuracy"]', after: '["accuracy","top5Accuracy"]' }]);
    expect(d.dataset).toEqual([
      { path: 'name', before: 'mnist', after: 'file:digits.csv' },
      { path: 'source', before: 'builtin', after: 'file' },
      { path: 'splits.test', before: 0, after: 500 },
      { path: 'splits.validation', before: 1000, after: 500 },
      { path: 'version', before: 'a'.repeat(64), after: 'b'.repeat(64) },
    ]);
    expect(d.identical).toBe(false);
  });
});
