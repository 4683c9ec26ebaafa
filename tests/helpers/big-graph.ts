// Generated large graphs for the canvas performance test and the editor benchmark: laid out in
// columns 240 px apart and rows 110 px apart, so the canvas shows them as drawn, not auto-laid-out.
import { nodeId } from '../../src/engine/ids.js';
import type { Graph, GraphEdge, GraphNode } from '../../src/engine/project/types.js';

const COLUMN = 240;
const ROW = 110;
/** Nodes per column: one Input (or the shared stem) and 49 layers below it. */
export const CHAIN_LENGTH = 50;

const at = (column: number, row: number) => ({ x: column * COLUMN, y: row * ROW });
const edge = (source: string, target: string): GraphEdge => ({ source: nodeId(source), target: nodeId(target), targetInput: 0 });

/**
 * `count / 50` independent chains, each an Input [32] and 49 Dense(32) layers: every node has a
 * shape and a parameter count, and an edit changes only its own node (the next Dense fixes units).
 * Node ids are `n{chain}_{row}`. `count` must be a positive multiple of 50.
 */
export function denseChains(count: number): Graph {
  const chains = chainCount(count);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (let c = 0; c < chains; c++)
    for (let r = 0; r < CHAIN_LENGTH; r++) {
      nodes.push({ id: nodeId(`n${c}_${r}`), kind: r === 0 ? 'Input' : 'Dense', params: r === 0 ? { shape: [32] } : { units: 32 }, position: at(c, r) });
      if (r > 0) edges.push(edge(`n${c}_${r - 1}`, `n${c}_${r}`));
    }
  return { nodes, edges };
}

/**
 * One Input and one Dense `stem` feeding `count / 50` chains of shape-keeping layers (ReLU,
 * Dropout, LayerNormalization in turn): editing the stem's units changes the shape of every other
 * node but the Input, so it is the worst case for "an edit updates the shapes on screen".
 * Ids: `input`, `stem`, then `f{chain}_{row}`: chain 0 below the stem (rows 2…49), the others
 * beside it (rows 1…50), so the graph has exactly `count` nodes (a positive multiple of 50).
 */
export function fanOut(count: number): Graph {
  const chains = chainCount(count);
  const keep = ['ReLU', 'Dropout', 'LayerNormalization'] as const;
  const nodes: GraphNode[] = [
    { id: nodeId('input'), kind: 'Input', params: { shape: [32] }, position: at(0, 0) },
    { id: nodeId('stem'), kind: 'Dense', params: { units: 32 }, position: at(0, 1) },
  ];
  const edges: GraphEdge[] = [edge('input', 'stem')];
  for (let c = 0; c < chains; c++) {
    const first = c === 0 ? 2 : 1;
    for (let r = first; r < first + (c === 0 ? CHAIN_LENGTH - 2 : CHAIN_LENGTH); r++) {
      const kind = keep[r % keep.length]!;
      nodes.push({ id: nodeId(`f${c}_${r}`), kind, params: kind === 'Dropout' ? { rate: 0.1 } : {}, position: at(c, r) });
      edges.push(edge(r === first ? 'stem' : `f${c}_${r - 1}`, `f${c}_${r}`));
    }
  }
  return { nodes, edges };
}

function chainCount(count: number): number {
  if (!Number.isInteger(count) || count <= 0 || count % CHAIN_LENGTH !== 0) throw new Error(`a generated graph has a positive multiple of ${CHAIN_LENGTH} nodes, not ${count}`);
  return count / CHAIN_LENGTH;
}
