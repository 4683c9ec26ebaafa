// The inverse of a list of graph changes, computed from the graph they apply to: what undo
// applies. removeNode's inverse re-adds the node and every edge it took with it, in its ports.
import { applyChange, type GraphChange } from '../../engine/graph/changes.js';
import type { Graph, GraphEdge, GraphNode } from '../../engine/project/types.js';

const sameEdge = (a: GraphEdge, b: GraphEdge) => a.source === b.source && a.target === b.target && a.targetInput === b.targetInput;

function nodeOf(g: Graph, c: { readonly nodeId: string }): GraphNode {
  const n = g.nodes.find((x) => x.id === c.nodeId);
  if (!n) throw new Error(`no node "${c.nodeId}"`);
  return n;
}

/** The changes that undo `c` on `g` (before `c` is applied). */
function invertOne(g: Graph, c: GraphChange): GraphChange[] {
  switch (c.type) {
    case 'addNode':
      return [{ type: 'removeNode', nodeId: c.node.id }];
    case 'removeNode': {
      const node = nodeOf(g, c);
      // Back in their old places: node order is the model's input order. Ascending edge indexes
      // re-insert correctly one after another, as each lands where it was.
      const edges = g.edges.flatMap((edge, index) => (edge.source === c.nodeId || edge.target === c.nodeId ? [{ edge, index }] : []));
      return [{ type: 'addNode', node, index: g.nodes.indexOf(node) }, ...edges.map(({ edge, index }): GraphChange => ({ type: 'addEdge', edge, index }))];
    }
    case 'setParams':
      return [{ type: 'setParams', nodeId: c.nodeId, params: nodeOf(g, c).params }];
    case 'moveNode': {
      const n = nodeOf(g, c);
      // A node that had no position gets one back only by undoing to a position; none is kept as the origin.
      return [{ type: 'moveNode', nodeId: c.nodeId, position: n.position ?? { x: 0, y: 0 } }];
    }
    case 'setLabel':
      return [{ type: 'setLabel', nodeId: c.nodeId, label: nodeOf(g, c).label }];
    case 'addEdge':
      return [{ type: 'removeEdge', edge: c.edge }];
    case 'removeEdge':
      // Removing an edge that is not there changes nothing, so neither may its undo.
      {
        const index = g.edges.findIndex((e) => sameEdge(e, c.edge));
        return index >= 0 ? [{ type: 'addEdge', edge: c.edge, index }] : [];
      }
    default: {
      const never: never = c;
      throw new Error(`unhandled change ${(never as GraphChange).type}`);
    }
  }
}

/**
 * Applies `changes` to `before` and returns the graph after them with the changes that undo
 * them (in the order to apply). Throws, like applyChange, when a change does not fit.
 */
export function applyWithInverse(before: Graph, changes: readonly GraphChange[]): { after: Graph; inverse: GraphChange[] } {
  let g = before;
  const steps: GraphChange[][] = [];
  for (const c of changes) {
    steps.push(invertOne(g, c));
    g = applyChange(g, c);
  }
  return { after: g, inverse: steps.reverse().flat() };
}
