// Auto-layout: a layered drawing of the graph by dagre (Sugiyama-style ranks), sized to the
// canvas's node boxes, so data flows one way (top to bottom by default) with few crossings.
import { Graph as DagreGraph, layout } from '@dagrejs/dagre';
import type { GraphChange } from '../../engine/graph/changes.js';
import type { NodeId } from '../../engine/ids.js';
import type { Graph, Position } from '../../engine/project/types.js';
import { NODE_HEIGHT, NODE_WIDTH } from '../canvas/edge-geometry.js';

/** The canvas draws every node as a box of this size (graph units). */
export const NODE_BOX = { width: NODE_WIDTH, height: NODE_HEIGHT } as const;

export interface LayoutOptions {
  /** TB: inputs at the top, data flows down; LR: left to right. */
  readonly direction?: 'TB' | 'LR';
  /** Gap between nodes of one rank, and between ranks. */
  readonly nodeGap?: number;
  readonly rankGap?: number;
}

/**
 * Top-left corner of every node's box, laid out in layers along `direction`. Deterministic:
 * the same graph (same node and edge order) always gets the same positions.
 *
 * @example layoutGraph(graph).get(nodeId('dense1')) // { x: 0, y: 104 }
 */
export function layoutGraph(graph: Graph, options: LayoutOptions = {}): Map<NodeId, Position> {
  const g = new DagreGraph();
  g.setGraph({ rankdir: options.direction ?? 'TB', nodesep: options.nodeGap ?? 40, ranksep: options.rankGap ?? 48, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(n.id, { width: NODE_BOX.width, height: NODE_BOX.height });
  // One dagre edge per connected pair: Add(x, x) feeds one node twice, which is one arrow to lay out.
  for (const e of graph.edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target);
  layout(g);
  const out = new Map<NodeId, Position>();
  for (const n of graph.nodes) {
    const { x, y } = g.node(n.id) as { x: number; y: number };
    // dagre gives centres; the canvas (xyflow) positions boxes by their top-left corner.
    out.set(n.id, { x: Math.round(x - NODE_BOX.width / 2), y: Math.round(y - NODE_BOX.height / 2) });
  }
  return out;
}

/** moveNode changes that lay the whole graph out; nodes already in place are left out. */
export function autoLayoutChanges(graph: Graph, options: LayoutOptions = {}): GraphChange[] {
  const positions = layoutGraph(graph, options);
  const changes: GraphChange[] = [];
  for (const n of graph.nodes) {
    const p = positions.get(n.id)!;
    if (n.position?.x !== p.x || n.position.y !== p.y) changes.push({ type: 'moveNode', nodeId: n.id, position: p });
  }
  return changes;
}

/** True when some node has no position (imported or hand-written graphs): the editor lays it out on open. */
export const needsLayout = (graph: Graph): boolean => graph.nodes.some((n) => n.position === undefined);
