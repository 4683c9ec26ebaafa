// Which group the selection stands for: a box is selected by selecting all of its nodes, so
// Properties, the commands and the canvas agree on "the selected block".
import type { NodeId } from '../../engine/ids.js';
import type { Graph, NodeGroup } from '../../engine/project/types.js';

/** The group whose nodes are exactly the selection, if any. */
export function selectedGroup(g: Graph, selection: readonly NodeId[]): NodeGroup | null {
  if (selection.length === 0) return null;
  const sel = new Set(selection);
  return g.groups?.find((x) => x.nodes.length === sel.size && x.nodes.every((id) => sel.has(id))) ?? null;
}

/** The groups any selected node belongs to, in graph order. */
export function groupsTouched(g: Graph, selection: readonly NodeId[]): NodeGroup[] {
  const sel = new Set(selection);
  return (g.groups ?? []).filter((x) => x.nodes.some((id) => sel.has(id)));
}
