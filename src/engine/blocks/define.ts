// Reusable blocks as graph edits: define a block from selected nodes, place an instance of
// it, set a block parameter on every target, ungroup. Every function returns GraphChange
// lists, so the editor applies each as one undo step; the graph itself stays flat.
import type { GraphChange } from '../graph/changes.js';
import { groupOf } from '../graph/changes.js';
import { nodeId, type NodeId } from '../ids.js';
import { layerSpec } from '../layers/registry.js';
import { blockId, groupId, type BlockDef, type BlockId, type BlockParam, type Graph, type GraphNode, type GroupId, type NodeGroup, type Position } from '../project/types.js';

/** Changes plus the ids they create, so the caller can select or name them. */
export interface BlockEdit {
  readonly changes: GraphChange[];
  readonly groupId: GroupId;
  readonly nodeIds: readonly NodeId[];
}

/** A fresh id `${stem}-${n}` not in `taken`. */
function freshId(stem: string, taken: ReadonlySet<string>): string {
  for (let i = 1; ; i++) if (!taken.has(`${stem}-${i}`)) return `${stem}-${i}`;
}

const groupIds = (g: Graph) => new Set<string>((g.groups ?? []).map((x) => x.id));

/** The selected nodes in graph order; throws with the reason when the selection cannot be grouped. */
function selectedNodes(g: Graph, ids: readonly NodeId[]): GraphNode[] {
  if (ids.length === 0) throw new Error('Select the layers to group first.');
  const want = new Set<string>(ids);
  const nodes = g.nodes.filter((n) => want.has(n.id));
  if (nodes.length !== want.size) throw new Error(`no node "${[...want].find((id) => !nodes.some((n) => n.id === id))}"`);
  for (const n of nodes) {
    const other = groupOf(g, n.id);
    if (other) throw new Error(`"${n.label ?? n.id}" is already in the group "${other.name}"; ungroup it first.`);
  }
  return nodes;
}

const topLeft = (nodes: readonly GraphNode[]): Position => ({
  x: Math.min(...nodes.map((n) => n.position?.x ?? 0)),
  y: Math.min(...nodes.map((n) => n.position?.y ?? 0)),
});

/**
 * The params a block made of `ids` can expose: one per (kind, param), so two Conv2D's `filters`
 * become one `filters` parameter with two targets. A name shared by several kinds gets the kind
 * appended ("activation (Dense)").
 * @example candidateBlockParams(g, ['c1', 'c3'])[0] // → { name: 'filters', targets: [{node:'c1',param:'filters'},{node:'c3',param:'filters'}] }
 */
export function candidateBlockParams(g: Graph, ids: readonly NodeId[]): BlockParam[] {
  const byKey = new Map<string, { kind: string; param: string; targets: { node: NodeId; param: string }[] }>();
  for (const n of selectedNodes(g, ids)) {
    const spec = layerSpec(n.kind);
    if (!spec || n.kind === 'Input') continue;
    for (const param of Object.keys(spec.params)) {
      const key = `${n.kind}\u0000${param}`;
      const entry = byKey.get(key) ?? { kind: n.kind, param, targets: [] };
      entry.targets.push({ node: n.id, param });
      byKey.set(key, entry);
    }
  }
  const kindsPerParam = new Map<string, number>();
  for (const e of byKey.values()) kindsPerParam.set(e.param, (kindsPerParam.get(e.param) ?? 0) + 1);
  return [...byKey.values()].map((e) => ({ name: kindsPerParam.get(e.param)! > 1 ? `${e.param} (${e.kind})` : e.param, targets: e.targets }));
}

/**
 * Defines a block from the selected nodes (their internal edges; edges entering or leaving stay
 * as they are) and wraps the selection as a collapsed instance of it. `params` name the selection's
 * own node ids as targets (candidateBlockParams gives the choices).
 */
export function groupIntoBlock(g: Graph, ids: readonly NodeId[], options: { readonly name: string; readonly params: readonly BlockParam[] }): BlockEdit & { readonly blockId: BlockId } {
  const name = options.name.trim();
  if (name === '') throw new Error('A block needs a name.');
  const nodes = selectedNodes(g, ids);
  const inside = new Set<string>(nodes.map((n) => n.id));
  for (const p of options.params)
    for (const t of p.targets) if (!inside.has(t.node)) throw new Error(`block parameter "${p.name}" targets "${t.node}", which is not in the selection`);
  const origin = topLeft(nodes);
  const block: BlockDef = {
    id: blockId(freshId('block', new Set((g.blocks ?? []).map((b) => b.id)))),
    name,
    nodes: nodes.map((n) => ({ ...n, position: { x: (n.position?.x ?? 0) - origin.x, y: (n.position?.y ?? 0) - origin.y } })),
    edges: g.edges.filter((e) => inside.has(e.source) && inside.has(e.target)),
    params: options.params.map((p) => ({ name: p.name, targets: p.targets.map((t) => ({ node: t.node, param: t.param })) })),
  };
  const group: NodeGroup = { id: groupId(freshId('group', groupIds(g))), name, block: block.id, nodes: nodes.map((n) => n.id), collapsed: true };
  return { changes: [{ type: 'addBlock', block }, { type: 'addGroup', group }], groupId: group.id, blockId: block.id, nodeIds: group.nodes };
}

/** Places a new instance of `blockId` with its top-left at `at`: fresh node ids, its internal edges, a collapsed group. */
export function instantiateBlock(g: Graph, id: BlockId, at: Position): BlockEdit {
  const block = g.blocks?.find((b) => b.id === id);
  if (!block) throw new Error(`no block "${id}"`);
  const taken = new Set<string>(g.nodes.map((n) => n.id));
  const rename = new Map<string, NodeId>();
  for (const n of block.nodes) {
    let fresh = n.id as string;
    for (let i = 2; taken.has(fresh); i++) fresh = `${n.id}_${i}`;
    taken.add(fresh);
    rename.set(n.id, nodeId(fresh));
  }
  const changes: GraphChange[] = block.nodes.map((n) => ({
    type: 'addNode',
    node: { ...n, id: rename.get(n.id)!, position: { x: at.x + (n.position?.x ?? 0), y: at.y + (n.position?.y ?? 0) } },
  }));
  for (const e of block.edges) changes.push({ type: 'addEdge', edge: { source: rename.get(e.source)!, target: rename.get(e.target)!, targetInput: e.targetInput } });
  const nodeIds = block.nodes.map((n) => rename.get(n.id)!);
  const group: NodeGroup = { id: groupId(freshId('group', groupIds(g))), name: block.name, block: block.id, nodes: nodeIds, collapsed: true };
  changes.push({ type: 'addGroup', group });
  return { changes, groupId: group.id, nodeIds };
}

/** The group `id` with its block; throws when either is missing. */
export function instanceOf(g: Graph, id: GroupId): { group: NodeGroup; block: BlockDef } {
  const group = g.groups?.find((x) => x.id === id);
  if (!group) throw new Error(`no group "${id}"`);
  const block = g.blocks?.find((b) => b.id === group.block);
  if (!block) throw new Error(`the group "${group.name}" is not an instance of a block`);
  return { group, block };
}

/** Instance node ids a block parameter writes, with the param each one takes. */
export function paramTargets(g: Graph, id: GroupId, name: string): { node: NodeId; param: string }[] {
  const { group, block } = instanceOf(g, id);
  const param = block.params.find((p) => p.name === name);
  if (!param) throw new Error(`the block "${block.name}" has no parameter "${name}"`);
  return param.targets.map((t) => ({ node: group.nodes[block.nodes.findIndex((n) => n.id === t.node)]!, param: t.param }));
}

/** A block parameter's value: its first target's param as stored (undefined when it is left at the default). */
export function blockParamValue(g: Graph, id: GroupId, name: string): unknown {
  const first = paramTargets(g, id, name)[0]!;
  return g.nodes.find((n) => n.id === first.node)?.params[first.param];
}

/**
 * Sets a block parameter: one setParams per target node (several params of one node merge).
 * @example setBlockParam(g, group, 'filters', 32) // → both convs' filters = 32
 */
export function setBlockParam(g: Graph, id: GroupId, name: string, value: unknown): GraphChange[] {
  const perNode = new Map<NodeId, Record<string, unknown>>();
  for (const t of paramTargets(g, id, name)) {
    const node = g.nodes.find((n) => n.id === t.node);
    if (!node) throw new Error(`no node "${t.node}"`);
    const params = perNode.get(t.node) ?? { ...node.params };
    params[t.param] = value;
    perNode.set(t.node, params);
  }
  return [...perNode].map(([nodeId, params]) => ({ type: 'setParams', nodeId, params }));
}

/** Dissolves a group: its nodes stay where they are; the block definition stays in the palette. */
export function ungroup(g: Graph, id: GroupId): GraphChange[] {
  if (!g.groups?.some((x) => x.id === id)) throw new Error(`no group "${id}"`);
  return [{ type: 'removeGroup', groupId: id }];
}

/** Deletes a block definition; refused while an instance uses it. */
export function deleteBlock(g: Graph, id: BlockId): GraphChange[] {
  const block = g.blocks?.find((b) => b.id === id);
  if (!block) throw new Error(`no block "${id}"`);
  const used = g.groups?.filter((x) => x.block === id).length ?? 0;
  if (used > 0) throw new Error(`"${block.name}" is used by ${used} instance${used === 1 ? '' : 's'} on the canvas; ungroup or delete them first.`);
  return [{ type: 'removeBlock', blockId: id }];
}
