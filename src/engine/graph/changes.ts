// Edits to a graph as data: the editor records them for undo, the analyzer uses them to
// decide how much to recompute. Graphs are immutable; applyChange returns a new one.
import type { NodeId } from '../ids.js';
import type { Graph, GraphEdge, GraphNode, Position } from '../project/types.js';

export type GraphChange =
  | { readonly type: 'addNode'; readonly node: GraphNode }
  | { readonly type: 'removeNode'; readonly nodeId: NodeId }
  | { readonly type: 'setParams'; readonly nodeId: NodeId; readonly params: Readonly<Record<string, unknown>> }
  | { readonly type: 'moveNode'; readonly nodeId: NodeId; readonly position: Position }
  | { readonly type: 'setLabel'; readonly nodeId: NodeId; readonly label: string | undefined }
  | { readonly type: 'addEdge'; readonly edge: GraphEdge }
  | { readonly type: 'removeEdge'; readonly edge: GraphEdge };

const sameEdge = (a: GraphEdge, b: GraphEdge) => a.source === b.source && a.target === b.target && a.targetInput === b.targetInput;

function updateNode(g: Graph, id: NodeId, f: (n: GraphNode) => GraphNode): Graph {
  const i = g.nodes.findIndex((n) => n.id === id);
  if (i < 0) throw new Error(`no node "${id}"`);
  const nodes = g.nodes.slice();
  nodes[i] = f(nodes[i]!);
  return { nodes, edges: g.edges };
}

export function applyChange(g: Graph, c: GraphChange): Graph {
  switch (c.type) {
    case 'addNode':
      if (g.nodes.some((n) => n.id === c.node.id)) throw new Error(`node "${c.node.id}" exists`);
      return { nodes: [...g.nodes, c.node], edges: g.edges };
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
      return { nodes: g.nodes, edges: [...g.edges, c.edge] };
    case 'removeEdge':
      return { nodes: g.nodes, edges: g.edges.filter((e) => !sameEdge(e, c.edge)) };
    default: {
      const never: never = c;
      throw new Error(`unhandled change ${(never as GraphChange).type}`);
    }
  }
}
