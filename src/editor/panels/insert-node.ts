// The edits that insert a new layer: after the selected node (rewired into its place in the
// chain) or free-standing at a position. Pure: returns GraphChanges for one ctx.apply step.
import type { GraphChange } from '../../engine/graph/changes.js';
import { nodeId, type NodeId } from '../../engine/ids.js';
import { layerSpec } from '../../engine/layers/registry.js';
import { resolveParams } from '../../engine/params.js';
import type { Graph, Position } from '../../engine/project/types.js';
import { NODE_HEIGHT, NODE_WIDTH } from '../canvas/edge-geometry.js';

/** One row down: a node inserted after another goes this far below it (the templates' row pitch). */
export const INSERT_ROW = 100;

/**
 * Where a node inserted after one at `anchor` goes: one row below it, same x, since data flows
 * top to bottom (inputs on top of a node, outputs below). When a node's box is in the way, the
 * next row down, until the spot is free; nothing else moves.
 * @example belowFree(graph, { x: 0, y: 0 }) // → { x: 0, y: 100 }, or { x: 0, y: 200 } if a node sits at y 100
 */
export function belowFree(graph: Graph, anchor: Position): Position {
  const overlaps = (at: Position) =>
    graph.nodes.some((n) => n.position !== undefined && Math.abs(n.position.x - at.x) < NODE_WIDTH && Math.abs(n.position.y - at.y) < NODE_HEIGHT);
  for (let row = 1; ; row++) {
    const at = { x: anchor.x, y: anchor.y + row * INSERT_ROW };
    if (!overlaps(at)) return at;
  }
}

/**
 * A fresh id for a node of `kind`: snake_case kind plus the first free number, e.g. `dense_3`.
 * @example uniqueNodeId(graph, 'Conv2D') // → 'conv2d_1' when no conv2d_1 exists
 */
export function uniqueNodeId(graph: Graph, kind: string): NodeId {
  // Conv2DTranspose → conv2d_transpose, LeakyReLU → leaky_relu: split only before a capitalised word.
  const base = kind.replace(/(\d)D/g, '$1d').replace(/([a-z0-9])([A-Z][a-z])/g, '$1_$2').toLowerCase();
  const taken = new Set<string>(graph.nodes.map((n) => n.id));
  for (let i = 1; ; i++) if (!taken.has(`${base}_${i}`)) return nodeId(`${base}_${i}`);
}

/** The kind's params with every default filled in, as the properties panel will show them. */
export function defaultParams(kind: string): Record<string, unknown> {
  const spec = layerSpec(kind);
  if (!spec) throw new Error(`unknown layer kind "${kind}"`);
  const r = resolveParams(spec.params, {});
  // Every registered param has a default (a registry test pins this); a failure is a broken invariant.
  if (!r.ok) throw new Error(`${kind} has params without defaults: ${r.issues.map((i) => i.param).join(', ')}`);
  return r.params;
}

export interface Insertion {
  readonly id: NodeId;
  readonly changes: readonly GraphChange[];
}

/**
 * Adds a `kind` node. With `after`, it goes below that node (the first free row, see belowFree),
 * fed by it, and takes over its outgoing edges (a → b becomes a → new → b); without, it stands
 * alone at `position`.
 */
export function insertNode(graph: Graph, kind: string, after: NodeId | null, position: Position): Insertion {
  const id = uniqueNodeId(graph, kind);
  const params = defaultParams(kind);
  const prev = after === null ? undefined : graph.nodes.find((n) => n.id === after);
  if (after !== null && !prev) throw new Error(`no node "${after}" to insert after`);
  if (!prev) return { id, changes: [{ type: 'addNode', node: { id, kind, params, position } }] };
  const at = prev.position ? belowFree(graph, prev.position) : position;
  const changes: GraphChange[] = [{ type: 'addNode', node: { id, kind, params, position: at } }];
  // A kind that takes no input (Input) cannot sit in a chain: it goes beside, unwired.
  if ((layerSpec(kind)?.inputs.max ?? 0) === 0) return { id, changes };
  // Edges out of the selected node now leave from the new node, on the same target port.
  for (const e of graph.edges.filter((x) => x.source === prev.id)) {
    changes.push({ type: 'removeEdge', edge: e }, { type: 'addEdge', edge: { ...e, source: id } });
  }
  changes.push({ type: 'addEdge', edge: { source: prev.id, target: id, targetInput: 0 } });
  return { id, changes };
}
