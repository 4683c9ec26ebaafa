// The inverse of a list of graph changes, computed from the graph they apply to: what undo
// applies. removeNode's inverse re-adds the node and every edge it took with it, in its ports,
// and puts its group back as it was.
import { applyChange, groupOf, type GraphChange } from '../../engine/graph/changes.js';
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
      const back: GraphChange[] = [{ type: 'addNode', node, index: g.nodes.indexOf(node) }, ...edges.map(({ edge, index }): GraphChange => ({ type: 'addEdge', edge, index }))];
      // Its group comes back whole (membership order, block link), replacing what removeNode left of it.
      const group = groupOf(g, c.nodeId);
      if (!group) return back;
      const index = g.groups!.indexOf(group);
      const left: GraphChange[] = group.nodes.length > 1 ? [{ type: 'removeGroup', groupId: group.id }] : [];
      return [...back, ...left, { type: 'addGroup', group, index }];
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
    case 'addGroup':
      return [{ type: 'removeGroup', groupId: c.group.id }];
    case 'removeGroup': {
      const group = g.groups?.find((x) => x.id === c.groupId);
      if (!group) throw new Error(`no group "${c.groupId}"`);
      return [{ type: 'addGroup', group, index: g.groups!.indexOf(group) }];
    }
    case 'setGroup': {
      const group = g.groups?.find((x) => x.id === c.groupId);
      if (!group) throw new Error(`no group "${c.groupId}"`);
      const patch = { ...(c.patch.name !== undefined ? { name: group.name } : {}), ...(c.patch.collapsed !== undefined ? { collapsed: group.collapsed } : {}) };
      return [{ type: 'setGroup', groupId: c.groupId, patch }];
    }
    case 'addBlock':
      return [{ type: 'removeBlock', blockId: c.block.id }];
    case 'removeBlock': {
      const block = g.blocks?.find((b) => b.id === c.blockId);
      if (!block) throw new Error(`no block "${c.blockId}"`);
      return [{ type: 'addBlock', block, index: g.blocks!.indexOf(block) }];
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
