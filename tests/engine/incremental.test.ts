// Incremental re-inference must give exactly what a full pass gives, after any edit.
import { describe, expect, it } from 'vitest';
import { analyzeGraph, reanalyze, type Analysis } from '../../src/engine/graph/analyze.js';
import { applyChange, type GraphChange } from '../../src/engine/graph/changes.js';
import { nodeId } from '../../src/engine/ids.js';
import { residualMlp, rng } from '../helpers/random-graph.js';

function comparable(a: Analysis) {
  return {
    nodes: [...a.nodes.values()].map((n) => ({ id: n.id, out: n.output, count: n.paramCount, flops: n.flops, mem: n.activationBytes, ds: n.diagnostics })),
    diagnostics: a.diagnostics,
    totals: a.totals,
    valid: a.valid,
    inputs: a.inputs,
    outputs: a.outputs,
  };
}

describe('incremental re-inference', () => {
  it('matches a full pass after each of 300 random edits', () => {
    const r = rng(42);
    let graph = residualMlp(120, 16);
    let a = analyzeGraph(graph);
    const denses = graph.nodes.filter((n) => n.kind === 'Dense').map((n) => n.id);
    for (let step = 0; step < 300; step++) {
      const id = denses[Math.floor(r() * denses.length)]!;
      const roll = r();
      // Mostly widths that break the following Add, sometimes ones that fix it, sometimes invalid values.
      const units = roll < 0.4 ? 16 : roll < 0.8 ? 8 + Math.floor(r() * 16) : roll < 0.9 ? 0 : 'wide';
      const change: GraphChange =
        r() < 0.1
          ? { type: 'moveNode', nodeId: id, position: { x: step, y: step } }
          : { type: 'setParams', nodeId: id, params: { units, activation: 'relu' } };
      graph = applyChange(graph, change);
      a = reanalyze(a, graph, change);
      expect(comparable(a), `after step ${step}`).toEqual(comparable(analyzeGraph(graph)));
    }
  });

  it('recomputes only downstream nodes whose inputs changed', () => {
    const graph = residualMlp(60, 16);
    const a = analyzeGraph(graph);
    const change: GraphChange = { type: 'setParams', nodeId: nodeId('n30'), params: { units: 16, activation: 'linear' } };
    const b = reanalyze(a, applyChange(graph, change), change);
    // Same output shape → only the edited node and its direct consumer are new objects.
    const changed = [...b.nodes.keys()].filter((k) => b.nodes.get(k) !== a.nodes.get(k));
    expect(changed).toEqual(['n30', 'n31']);
    expect(b.nodes.get(nodeId('n0'))).toBe(a.nodes.get(nodeId('n0')));
  });

  it('structural edits fall back to a full pass and stay consistent', () => {
    let graph = residualMlp(30, 8);
    let a = analyzeGraph(graph);
    const changes: GraphChange[] = [
      { type: 'removeEdge', edge: { source: nodeId('n2'), target: nodeId('n3'), targetInput: 0 } },
      { type: 'addNode', node: { id: nodeId('extra'), kind: 'Dense', params: { units: 8 } } },
      { type: 'addEdge', edge: { source: nodeId('n2'), target: nodeId('extra'), targetInput: 0 } },
      { type: 'addEdge', edge: { source: nodeId('extra'), target: nodeId('n3'), targetInput: 0 } },
      { type: 'removeNode', nodeId: nodeId('n10') },
    ];
    for (const c of changes) {
      graph = applyChange(graph, c);
      a = reanalyze(a, graph, c);
      expect(comparable(a)).toEqual(comparable(analyzeGraph(graph)));
    }
    expect(a.diagnostics.map((d) => `${d.code}@${d.nodeId}`)).toContain('missing-input@n11');
  });
});
