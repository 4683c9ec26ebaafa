// Shape inference on generated 1,000-node graphs: a full pass, and the incremental pass
// after one param edit. Targets (issue 2, on a 2-core machine): full ≤ 5 ms, incremental ≤ 1 ms.
import { analyzeGraph, reanalyze } from '../src/engine/graph/analyze.js';
import { applyChange, type GraphChange } from '../src/engine/graph/changes.js';
import { nodeId } from '../src/engine/ids.js';
import type { Graph } from '../src/engine/project/types.js';
import { deepResnet, residualMlp } from '../tests/helpers/random-graph.js';
import { measure, writeSuite, type Row } from './harness.js';

/** A structurally identical graph with fresh params objects, so no cached param resolution is reused. */
const fresh = (g: Graph): Graph => ({ nodes: g.nodes.map((n) => ({ ...n, params: { ...n.params } })), edges: g.edges });

function suite(label: string, g: Graph, editId: string, editParams: Record<string, unknown>): Row[] {
  if (g.nodes.length !== 1000) throw new Error(`${label}: expected 1000 nodes, got ${g.nodes.length}`);
  const base = analyzeGraph(g);
  if (!base.valid) throw new Error(`${label}: generated graph is invalid: ${base.diagnostics[0]?.message}`);
  const change: GraphChange = { type: 'setParams', nodeId: nodeId(editId), params: editParams };
  const edited = applyChange(g, change);
  const cold = measure(200, 20, () => fresh(g), (x) => analyzeGraph(x));
  const warm = measure(200, 20, () => g, (x) => analyzeGraph(x));
  const inc = measure(500, 50, () => ({ ...change, params: { ...editParams } }), (c) => reanalyze(base, edited, c));
  return [
    { name: `${label}: full pass, cold params`, ...cold, target: '≤ 5 ms' },
    { name: `${label}: full pass, warm params`, ...warm, target: '≤ 5 ms' },
    { name: `${label}: incremental after editing ${editId}`, ...inc, target: '≤ 1 ms', note: 'the edit keeps the output shape, so it stops after one consumer' },
  ];
}

export function runInference(): void {
  const rows = [
    ...suite('residual MLP, 1,000 nodes', residualMlp(1000, 64), 'n498', { units: 64, activation: 'relu' }),
    ...suite('deep ResNet (conv/BN/ReLU/Add), 1,000 nodes', deepResnet(1000), 'b70_conv2', { filters: 32, kernelSize: 3, padding: 'same', useBias: false }),
  ];
  writeSuite('inference', 'Shape inference (issue 2)', rows);
}
