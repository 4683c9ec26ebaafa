// Positions for nodes that have none (imported or generated graphs), from the editor's dagre
// auto-layout (graph-edit/layout.ts). Nodes that have a position keep it; laid-out ones are
// shifted below them so the two never overlap.
import type { NodeId } from '../../engine/ids.js';
import type { Graph, Position } from '../../engine/project/types.js';
import { layoutGraph } from '../graph-edit/layout.js';

const GAP = 80;

/** Every node's position: its own where it has one, an auto-laid-out one otherwise. */
export function positionsFor(graph: Graph): Map<NodeId, Position> {
  const out = new Map<NodeId, Position>();
  let bottom = -Infinity;
  for (const n of graph.nodes) {
    if (!n.position) continue;
    out.set(n.id, n.position);
    bottom = Math.max(bottom, n.position.y);
  }
  if (out.size === graph.nodes.length) return out;
  const laid = layoutGraph(graph);
  // With stored nodes present, the laid-out ones start a band below the lowest of them.
  let top = Infinity;
  for (const n of graph.nodes) if (!n.position) top = Math.min(top, laid.get(n.id)!.y);
  const shift = out.size === 0 ? 0 : bottom + GAP * 2 - top;
  for (const n of graph.nodes) {
    if (n.position) continue;
    const p = laid.get(n.id)!;
    out.set(n.id, { x: p.x, y: p.y + shift });
  }
  return out;
}
