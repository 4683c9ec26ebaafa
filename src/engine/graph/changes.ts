// Edits to a graph as data: the editor records them for undo, the analyzer uses them to
// decide how much to recompute. Graphs are immutable; applyChange returns a new one.
import type { NodeId } from '../ids.js';
import type { BlockDef, BlockId, Graph, GraphEdge, GraphNode, GroupId, NodeGroup, Position } from '../project/types.js';

/** What setGroup may change on a group. */
export interface GroupPatch {
  readonly name?: string;
  readonly collapsed?: boolean;
}

export type GraphChange =
  /** `index`: where in the node list (undo puts a deleted node back in place: the order is the models' input order); default last. */
  | { readonly type: 'addNode'; readonly node: GraphNode; readonly index?: number }
  /** Also takes the node out of its group; a block instance that loses a node becomes a plain group, an emptied group goes. */
  | { readonly type: 'removeNode'; readonly nodeId: NodeId }
  | { readonly type: 'setParams'; readonly nodeId: NodeId; readonly params: Readonly<Record<string, unknown>> }
  | { readonly type: 'moveNode'; readonly nodeId: NodeId; readonly position: Position }
  | { readonly type: 'setLabel'; readonly nodeId: NodeId; readonly label: string | undefined }
  | { readonly type: 'addEdge'; readonly edge: GraphEdge; readonly index?: number }
  | { readonly type: 'removeEdge'; readonly edge: GraphEdge }
  | { readonly type: 'addGroup'; readonly group: NodeGroup; readonly index?: number }
  | { readonly type: 'removeGroup'; readonly groupId: GroupId }
  | { readonly type: 'setGroup'; readonly groupId: GroupId; readonly patch: GroupPatch }
  | { readonly type: 'addBlock'; readonly block: BlockDef; readonly index?: number }
  | { readonly type: 'removeBlock'; readonly blockId: BlockId };

const sameEdge = (a: GraphEdge, b: GraphEdge) => a.source === b.source && a.target === b.target && a.targetInput === b.targetInput;

function updateNode(g: Graph, id: NodeId, f: (n: GraphNode) => GraphNode): Graph {
  const i = g.nodes.findIndex((n) => n.id === id);
  if (i < 0) throw new Error(`no node "${id}"`);
  const nodes = g.nodes.slice();
  nodes[i] = f(nodes[i]!);
  return { ...g, nodes };
}

/** A copy of `list` with `item` at `index` (clamped), or appended when there is none. */
function insertAt<T>(list: readonly T[], item: T, index: number | undefined): T[] {
  if (index === undefined || index >= list.length) return [...list, item];
  const out = list.slice();
  out.splice(Math.max(0, index), 0, item);
  return out;
}

/** `g` with `groups`/`blocks` replaced; an empty list is dropped so v1-shaped graphs stay as they were. */
function withLists(g: Graph, groups: readonly NodeGroup[] | undefined, blocks: readonly BlockDef[] | undefined): Graph {
  const { groups: _g, blocks: _b, ...rest } = g;
  return { ...rest, ...(groups && groups.length > 0 ? { groups } : {}), ...(blocks && blocks.length > 0 ? { blocks } : {}) };
}

/** The group holding `nodeId`, if any. */
export function groupOf(g: Graph, nodeId: NodeId): NodeGroup | undefined {
  return g.groups?.find((x) => x.nodes.includes(nodeId));
}

function withoutNode(g: Graph, nodeId: NodeId): Graph {
  const nodes = g.nodes.filter((n) => n.id !== nodeId);
  const edges = g.edges.filter((e) => e.source !== nodeId && e.target !== nodeId);
  const groups = g.groups?.flatMap((x): NodeGroup[] => {
    if (!x.nodes.includes(nodeId)) return [x];
    if (x.nodes.length === 1) return [];
    const { block: _drop, ...plain } = x; // node i no longer matches the block's node i
    return [{ ...plain, nodes: x.nodes.filter((id) => id !== nodeId) }];
  });
  return withLists({ ...g, nodes, edges }, groups, g.blocks);
}

function addGroup(g: Graph, group: NodeGroup, index: number | undefined): Graph {
  const groups = g.groups ?? [];
  if (groups.some((x) => x.id === group.id)) throw new Error(`group "${group.id}" exists`);
  if (group.nodes.length === 0) throw new Error(`group "${group.id}" has no nodes`);
  for (const id of group.nodes) {
    if (!g.nodes.some((n) => n.id === id)) throw new Error(`group "${group.id}": no node "${id}"`);
    const other = groupOf(g, id);
    if (other) throw new Error(`group "${group.id}": node "${id}" is already in group "${other.id}"`);
  }
  if (group.block !== undefined && !g.blocks?.some((b) => b.id === group.block)) throw new Error(`group "${group.id}": no block "${group.block}"`);
  return withLists(g, insertAt(groups, group, index), g.blocks);
}

function requireGroup(g: Graph, id: GroupId): NodeGroup {
  const group = g.groups?.find((x) => x.id === id);
  if (!group) throw new Error(`no group "${id}"`);
  return group;
}

export function applyChange(g: Graph, c: GraphChange): Graph {
  switch (c.type) {
    case 'addNode':
      if (g.nodes.some((n) => n.id === c.node.id)) throw new Error(`node "${c.node.id}" exists`);
      return { ...g, nodes: insertAt(g.nodes, c.node, c.index) };
    case 'removeNode':
      return withoutNode(g, c.nodeId);
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
      return { ...g, edges: insertAt(g.edges, c.edge, c.index) };
    case 'removeEdge':
      return { ...g, edges: g.edges.filter((e) => !sameEdge(e, c.edge)) };
    case 'addGroup':
      return addGroup(g, c.group, c.index);
    case 'removeGroup':
      requireGroup(g, c.groupId);
      return withLists(g, g.groups?.filter((x) => x.id !== c.groupId), g.blocks);
    case 'setGroup': {
      requireGroup(g, c.groupId);
      const groups = g.groups!.map((x) => (x.id === c.groupId ? { ...x, ...(c.patch.name !== undefined ? { name: c.patch.name } : {}), ...(c.patch.collapsed !== undefined ? { collapsed: c.patch.collapsed } : {}) } : x));
      return withLists(g, groups, g.blocks);
    }
    case 'addBlock':
      if (g.blocks?.some((b) => b.id === c.block.id)) throw new Error(`block "${c.block.id}" exists`);
      return withLists(g, g.groups, insertAt(g.blocks ?? [], c.block, c.index));
    case 'removeBlock': {
      if (!g.blocks?.some((b) => b.id === c.blockId)) throw new Error(`no block "${c.blockId}"`);
      const user = g.groups?.find((x) => x.block === c.blockId);
      if (user) throw new Error(`block "${c.blockId}" is used by group "${user.name}"; ungroup its instances first`);
      return withLists(g, g.groups, g.blocks.filter((b) => b.id !== c.blockId));
    }
    default: {
      const never: never = c;
      throw new Error(`unhandled change ${(never as GraphChange).type}`);
    }
  }
}
