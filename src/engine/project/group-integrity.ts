// Referential checks for format v2's groups and blocks: ids unique, group nodes exist and sit in
// one group at most, block templates self-contained, block params aimed at real params.
import { layerSpec } from '../layers/registry.js';
import type { Graph } from './types.js';

/** A refusal: where (`graph.groups[1].nodes[0]`) and why. */
export interface IntegrityIssue {
  readonly path: string;
  readonly message: string;
}

const issue = (path: string, message: string): IntegrityIssue => ({ path, message });

/** The first duplicate id in `ids`, as [index, first index], or null. */
function duplicate(ids: readonly string[]): [number, number] | null {
  const seen = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) {
    const first = seen.get(ids[i]!);
    if (first !== undefined) return [i, first];
    seen.set(ids[i]!, i);
  }
  return null;
}

/** Checks `graph.blocks` then `graph.groups` against the graph's nodes; null when all fit. */
export function checkGroupsAndBlocks(g: Graph): IntegrityIssue | null {
  const blocks = g.blocks ?? [];
  const dupBlock = duplicate(blocks.map((b) => b.id));
  if (dupBlock) return issue(`graph.blocks[${dupBlock[0]}].id`, `duplicate block id "${blocks[dupBlock[0]]!.id}" (first used by graph.blocks[${dupBlock[1]}])`);
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b]!;
    const at = `graph.blocks[${b}]`;
    const dupNode = duplicate(block.nodes.map((n) => n.id));
    if (dupNode) return issue(`${at}.nodes[${dupNode[0]}].id`, `duplicate node id "${block.nodes[dupNode[0]]!.id}" in block "${block.name}"`);
    const kinds = new Map(block.nodes.map((n) => [n.id as string, n.kind]));
    for (let e = 0; e < block.edges.length; e++) {
      const edge = block.edges[e]!;
      if (!kinds.has(edge.source)) return issue(`${at}.edges[${e}].source`, `edge comes from "${edge.source}", which is not a node of block "${block.name}"`);
      if (!kinds.has(edge.target)) return issue(`${at}.edges[${e}].target`, `edge goes to "${edge.target}", which is not a node of block "${block.name}"`);
    }
    const dupParam = duplicate(block.params.map((p) => p.name));
    if (dupParam) return issue(`${at}.params[${dupParam[0]}].name`, `duplicate block parameter "${block.params[dupParam[0]]!.name}"`);
    for (let p = 0; p < block.params.length; p++) {
      const targets = block.params[p]!.targets;
      for (let t = 0; t < targets.length; t++) {
        const { node, param } = targets[t]!;
        const kind = kinds.get(node);
        if (kind === undefined) return issue(`${at}.params[${p}].targets[${t}].node`, `"${node}" is not a node of block "${block.name}"`);
        const spec = layerSpec(kind);
        if (!spec || !(param in spec.params)) return issue(`${at}.params[${p}].targets[${t}].param`, `${kind} has no param "${param}"`);
      }
    }
  }

  const groups = g.groups ?? [];
  const dupGroup = duplicate(groups.map((x) => x.id));
  if (dupGroup) return issue(`graph.groups[${dupGroup[0]}].id`, `duplicate group id "${groups[dupGroup[0]]!.id}" (first used by graph.groups[${dupGroup[1]}])`);
  const nodeIds = new Set<string>(g.nodes.map((n) => n.id));
  const blockById = new Map(blocks.map((b) => [b.id as string, b]));
  const owner = new Map<string, number>();
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i]!;
    const at = `graph.groups[${i}]`;
    for (let k = 0; k < group.nodes.length; k++) {
      const id = group.nodes[k]!;
      if (!nodeIds.has(id)) return issue(`${at}.nodes[${k}]`, `"${id}" is not a node`);
      const first = owner.get(id);
      if (first !== undefined) return issue(`${at}.nodes[${k}]`, `node "${id}" is already in graph.groups[${first}]`);
      owner.set(id, i);
    }
    if (group.block !== undefined) {
      const block = blockById.get(group.block);
      if (!block) return issue(`${at}.block`, `"${group.block}" is not a block in graph.blocks`);
      if (block.nodes.length !== group.nodes.length)
        return issue(`${at}.nodes`, `an instance of block "${block.name}" has ${block.nodes.length} nodes; this group has ${group.nodes.length}`);
    }
  }
  return null;
}
