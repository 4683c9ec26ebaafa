// Seeded generators of large layered graphs, shared by tests and the benchmark.
import { nodeId, type NodeId } from '../../src/engine/ids.js';
import type { Graph, GraphEdge, GraphNode } from '../../src/engine/project/types.js';

/** The engine's seeded PRNG, re-exported: generated graphs are the same on every run. */
export { rng } from '../../src/engine/random.js';
import { rng } from '../../src/engine/random.js';

/**
 * A residual MLP of `n` nodes: Input → (Dense → Activation → Add(skip)) blocks, every
 * tensor [null, width]. Real branching and merges, and cheap to analyse.
 */
export function residualMlp(n: number, width = 64, seed = 1): Graph {
  const r = rng(seed);
  const nodes: GraphNode[] = [{ id: nodeId('in'), kind: 'Input', params: { shape: [width] } }];
  const edges: GraphEdge[] = [];
  let last: NodeId = nodeId('in');
  let i = 0;
  const add = (kind: string, params: Record<string, unknown>, inputs: NodeId[]) => {
    const id = nodeId(`n${i++}`);
    nodes.push({ id, kind, params });
    inputs.forEach((s, port) => edges.push({ source: s, target: id, targetInput: port }));
    return id;
  };
  while (nodes.length + 3 <= n) {
    const skip = last;
    const d = add('Dense', { units: width, activation: r() < 0.5 ? 'relu' : 'linear' }, [last]);
    const a = add('Activation', { activation: 'tanh' }, [d]);
    last = add('Add', {}, [a, skip]);
  }
  while (nodes.length < n) last = add('Dropout', { rate: 0.1 }, [last]);
  return { nodes, edges };
}

/**
 * A deep residual CNN of exactly `n` nodes at 16×16×32: Input, a stem conv, then basic
 * blocks (conv → BN → ReLU → conv → BN → Add(skip) → ReLU), padded with Dropout.
 */
export function deepResnet(n: number): Graph {
  const nodes: GraphNode[] = [{ id: nodeId('in'), kind: 'Input', params: { shape: [16, 16, 32] } }];
  const edges: GraphEdge[] = [];
  const add = (id: string, kind: string, params: Record<string, unknown>, inputs: NodeId[]) => {
    const nid = nodeId(id);
    nodes.push({ id: nid, kind, params });
    inputs.forEach((s, port) => edges.push({ source: s, target: nid, targetInput: port }));
    return nid;
  };
  const conv = { filters: 32, kernelSize: 3, padding: 'same', useBias: false };
  let x = add('stem', 'Conv2D', conv, [nodeId('in')]);
  for (let b = 0; nodes.length + 7 <= n; b++) {
    const c1 = add(`b${b}_conv1`, 'Conv2D', conv, [x]);
    const r1 = add(`b${b}_relu1`, 'ReLU', {}, [add(`b${b}_bn1`, 'BatchNormalization', {}, [c1])]);
    const c2 = add(`b${b}_conv2`, 'Conv2D', conv, [r1]);
    const sum = add(`b${b}_add`, 'Add', {}, [add(`b${b}_bn2`, 'BatchNormalization', {}, [c2]), x]);
    x = add(`b${b}_out`, 'ReLU', {}, [sum]);
  }
  for (let i = 0; nodes.length < n; i++) x = add(`pad${i}`, 'Dropout', { rate: 0.1 }, [x]);
  return { nodes, edges };
}
