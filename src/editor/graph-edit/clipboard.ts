// Copy, cut, paste, duplicate and delete of node groups. A copied group keeps the edges between
// its own nodes and drops the ones to the rest of the graph; pasted nodes get fresh ids and
// land offset from the originals. The system clipboard carries the group as tagged JSON, so a
// group pastes into another project; what comes back is validated before it is used.
import { z } from 'zod';
import type { GraphChange } from '../../engine/graph/changes.js';
import { nodeId, type NodeId } from '../../engine/ids.js';
import { LIMITS } from '../../engine/project/schema.js';
import type { Graph, GraphEdge, GraphNode, Position } from '../../engine/project/types.js';
import { edgeSchema, nodeSchema } from './change-schema.js';

export const CLIPBOARD_FORMAT = 'neuralforge-nodes';

/** A copied group of nodes and the edges between them. */
export interface NodeGroup {
  readonly format: typeof CLIPBOARD_FORMAT;
  readonly version: 1;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

const groupSchema = z.strictObject({
  format: z.literal(CLIPBOARD_FORMAT),
  version: z.literal(1),
  nodes: z.array(nodeSchema).min(1).max(LIMITS.maxNodes),
  edges: z.array(edgeSchema).max(LIMITS.maxEdges),
});

/** How far a paste lands from the copied nodes, per paste that would land on top of them. */
export const PASTE_OFFSET = 40;
/** Clipboard text longer than this is not parsed. */
export const MAX_CLIPBOARD_CHARS = 5_000_000;

/** The nodes `ids` of `graph` (in graph order) and the edges among them. */
export function copyGroup(graph: Graph, ids: readonly NodeId[]): NodeGroup {
  const wanted = new Set(ids);
  const nodes = graph.nodes.filter((n) => wanted.has(n.id));
  const edges = graph.edges.filter((e) => wanted.has(e.source) && wanted.has(e.target));
  return { format: CLIPBOARD_FORMAT, version: 1, nodes, edges };
}

export const serializeGroup = (g: NodeGroup): string => JSON.stringify(g);

/** The group in clipboard text, or why the text is not one (a person pasted something else). */
export function parseGroup(text: string): { ok: true; group: NodeGroup } | { ok: false; reason: string } {
  if (text.length > MAX_CLIPBOARD_CHARS) return { ok: false, reason: `The clipboard holds ${text.length} characters; layers copied from NeuralForge are at most ${MAX_CLIPBOARD_CHARS}.` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'The clipboard does not hold layers copied from NeuralForge (it is not JSON).' };
  }
  if ((json as { format?: unknown } | null)?.format !== CLIPBOARD_FORMAT) return { ok: false, reason: 'The clipboard does not hold layers copied from NeuralForge.' };
  const parsed = groupSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `The copied layers are damaged: ${issue.path.join('.') || 'the group'}: ${issue.message}.` };
  }
  const ids = new Set(parsed.data.nodes.map((n) => n.id));
  if (ids.size !== parsed.data.nodes.length) return { ok: false, reason: 'The copied layers are damaged: two layers share an id.' };
  const stray = parsed.data.edges.find((e) => !ids.has(e.source) || !ids.has(e.target));
  if (stray) return { ok: false, reason: `The copied layers are damaged: an edge ${stray.source} → ${stray.target} leaves the group.` };
  return { ok: true, group: parsed.data };
}

/** A fresh id like `dense_2` that is not in `taken` and fits the id rules (≤ 64 characters). */
function freshId(id: string, taken: Set<string>): NodeId {
  const base = id.replace(/_\d+$/, '').slice(0, LIMITS.maxIdLength - 8) || 'node';
  for (let i = 2; ; i++) {
    const candidate = `${base}_${i}`;
    if (!taken.has(candidate)) {
      taken.add(candidate);
      return nodeId(candidate);
    }
  }
}

/**
 * Changes that add `group` to `graph`: fresh ids, the group's own edges re-pointed to them,
 * positions shifted by the smallest multiple of PASTE_OFFSET that puts no pasted node exactly
 * on an existing one (so pasting twice gives two visible copies).
 */
export function pasteChanges(graph: Graph, group: NodeGroup): { changes: GraphChange[]; ids: NodeId[] } {
  const taken = new Set<string>(graph.nodes.map((n) => n.id));
  const rename = new Map<string, NodeId>();
  for (const n of group.nodes) rename.set(n.id, freshId(n.id, taken));
  const occupied = new Set(graph.nodes.flatMap((n) => (n.position ? [`${n.position.x},${n.position.y}`] : [])));
  let k = 1;
  const at = (p: Position, k: number) => ({ x: p.x + k * PASTE_OFFSET, y: p.y + k * PASTE_OFFSET });
  while (group.nodes.some((n) => n.position && occupied.has(`${at(n.position, k).x},${at(n.position, k).y}`))) k++;
  const changes: GraphChange[] = group.nodes.map((n) => ({
    type: 'addNode',
    node: { ...n, id: rename.get(n.id)!, ...(n.position ? { position: at(n.position, k) } : {}) },
  }));
  for (const e of group.edges) changes.push({ type: 'addEdge', edge: { ...e, source: rename.get(e.source)!, target: rename.get(e.target)! } });
  return { changes, ids: [...rename.values()] };
}

/**
 * Changes that delete the nodes `ids` with every edge touching them. Last node first: undo
 * re-adds them in reverse, i.e. in their original order (at the end of the graph's node list).
 */
export function deleteChanges(graph: Graph, ids: readonly NodeId[]): GraphChange[] {
  const wanted = new Set(ids);
  return graph.nodes.filter((n) => wanted.has(n.id)).reverse().map((n) => ({ type: 'removeNode', nodeId: n.id }));
}

/** Changes that duplicate the nodes `ids` next to themselves, with the edges among them. */
export function duplicateChanges(graph: Graph, ids: readonly NodeId[]): { changes: GraphChange[]; ids: NodeId[] } {
  const group = copyGroup(graph, ids);
  return group.nodes.length === 0 ? { changes: [], ids: [] } : pasteChanges(graph, group);
}
