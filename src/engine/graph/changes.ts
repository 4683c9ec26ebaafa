// Edits to a graph as data: the editor records them for undo, the analyzer uses them to
// decide how much to recompute. Graphs are immutable; applyChange returns a new one.
import type { NodeId } from '../ids.js';
import type { Graph, GraphEdge, GraphNode, Position } from '../project/types.js';

export type GraphChange =
  /** `index`: where in the node list (undo puts a deleted node back in place: the order is the models' input order); default last. */
  | { readonly type: 'addNode'; readonly node: GraphNode; readonly index?: number }
  | { readonly type: 'removeNode'; readonly nodeId: NodeId }
  | { readonly type: 'setParams'; readonly nodeId: NodeId; readonly params: Readonly<Record<string, unknown>> }
  | { readonly type: 'moveNode'; readonly nodeId: NodeId; readonly position: Position }
  | { readonly type: 'setLabel'; readonly nodeId: NodeId; readonly label: string | undefined }
  | { readonly type: 'addEdge'; readonly edge: GraphEdge; readonly index?: number }
  | { readonly type: 'removeEdge'; readonly edge: GraphEdge };

const sameEdge = (a: GraphEdge, b: GraphEdge) => a.source === b.source && a.target === b.target && a.targetInput === b.targetInput;

function updateNode(g: Graph, id: NodeId, f: (n: GraphNode) => GraphNode): Graph {
  const i = g.nodes.findIndex((n) => n.id === id);
  if (i < 0) throw new Error(`no node "${id}"`);
  const nodes = g.nodes.slice();
  nodes[i] = f(nodes[i]!);
  return { nodes, edges: g.edges };
}

/** A copy of `list` with `item` at `index` (clamped), or appended when there is none. */
function insertAt<T>(list: readonly T[], item: T, index: number | undefined): T[] {
  if (index === undefined || index >= list.length) return [...list, item];
  const out = list.slice();
  out.splice(Math.max(0, index), 0, item);
  return out;
}

export function applyChange(g: Graph, c: GraphChange): Graph {
  switch (c.type) {
    case 'addNode':
      if (g.nodes.some((n) => n.id === c.node.id)) throw new Error(`node "${c.node.id}" exists`);
      return { nodes: insertAt(g.nodes, c.node, c.index), edges: g.edges };
    case 'removeNode':
      return { nodes: g.nodes.filter((n) => n.id !== c.nodeId), edges: g.edges.filter((e) => e.source !== c.nodeId && e.target !== c.nodeId) };
    case 'setParams':
      return updateNode(g, c.nodeId, (n) => ({ ...n, params: c.params }));
    case 'moveNode':
      return updateNode(g, c.nodeId, (n) => ({ ...n, position: c.position }));
    case 'setLabel':
      return updateNode(g, c.nodeId, (n) => {
        const { label: _drop, ...rest } = n;
        return c.label === undefined ? rest : { ...rest, label: c.label };
      });
    case 'addEdge':
      return { nodes: g.nodes, edges: insertAt(g.edges, c.edge, c.index) };
    case 'removeEdge':
      return { nodes: g.nodes, edges: g.edges.filter((e) => !sameEdge(e, c.edge)) };
    default: {
      const never: never = c;
      throw new Error(`unhandled change ${(never as GraphChange).type}`);
    }
  }
}
