// How a collapsed group is drawn: one box whose input ports are its nodes' inputs not fed from
// inside, whose output ports are its nodes that feed the outside (or nothing), with the shapes,
// parameters and FLOPs of what is inside. Pure data: the canvas turns it into elements.
import type { Analysis } from '../graph/analyze.js';
import type { NodeId } from '../ids.js';
import { layerSpec } from '../layers/registry.js';
import type { Graph, GraphEdge, GroupId, NodeGroup, Position } from '../project/types.js';
import type { Shape } from '../tensor.js';

/** One input port of a box: the real node and input it feeds. */
export interface BoxInput {
  readonly node: NodeId;
  readonly targetInput: number;
}

/** One output port of a box: the real node whose output leaves, and its shape (null when unknown). */
export interface BoxOutput {
  readonly node: NodeId;
  readonly shape: Shape | null;
}

export interface CollapsedBox {
  readonly group: NodeGroup;
  /** Top-left of the group's nodes: where the box is drawn. */
  readonly position: Position;
  readonly inputs: readonly BoxInput[];
  readonly outputs: readonly BoxOutput[];
  readonly params: number;
  readonly flops: number;
}

/** An edge end on the canvas: a visible node, or a port of a box. */
export type EdgeEnd = { readonly kind: 'node'; readonly id: NodeId } | { readonly kind: 'box'; readonly group: GroupId; readonly port: number };

export interface CollapsedView {
  readonly boxes: readonly CollapsedBox[];
  /** Nodes drawn inside a box (not on their own), and the box. */
  readonly hidden: ReadonlyMap<NodeId, GroupId>;
  /** Where an edge is drawn from and to; null when it is inside one box. */
  ends(edge: GraphEdge): { from: EdgeEnd; to: EdgeEnd } | null;
}

/**
 * The boxes to draw for `graph`'s collapsed groups. `position` gives each node's canvas position
 * (the canvas lays out nodes that have none).
 * @example collapsedView(g, analyzeGraph(g)).boxes[0].outputs[0].shape // → [null, 5, 5, 16]
 */
export function collapsedView(graph: Graph, analysis: Analysis, position: (id: NodeId) => Position = (id) => graph.nodes.find((n) => n.id === id)?.position ?? { x: 0, y: 0 }): CollapsedView {
  const hidden = new Map<NodeId, GroupId>();
  const collapsed = (graph.groups ?? []).filter((x) => x.collapsed);
  for (const group of collapsed) for (const id of group.nodes) hidden.set(id, group.id);
  const kind = new Map(graph.nodes.map((n) => [n.id, n.kind]));
  const boxes: CollapsedBox[] = [];
  const inputPort = new Map<string, number>();
  const outputPort = new Map<NodeId, number>();
  for (const group of collapsed) {
    const inside = new Set<NodeId>(group.nodes);
    const inputs: BoxInput[] = [];
    const outputs: BoxOutput[] = [];
    let params = 0;
    let flops = 0;
    for (const id of group.nodes) {
      const fedInside = new Set<number>();
      let used = 0;
      let leaves = false;
      let consumed = false;
      for (const e of graph.edges) {
        if (e.target === id) {
          used = Math.max(used, e.targetInput + 1);
          if (inside.has(e.source)) fedInside.add(e.targetInput);
        }
        if (e.source === id) {
          consumed = true;
          if (!inside.has(e.target)) leaves = true;
        }
      }
      const ports = Math.max(used, layerSpec(kind.get(id) ?? '')?.inputs.min ?? 0);
      for (let i = 0; i < ports; i++)
        if (!fedInside.has(i)) {
          inputPort.set(`${id}\u0000${i}`, inputs.length);
          inputs.push({ node: id, targetInput: i });
        }
      const a = analysis.nodes.get(id);
      if (leaves || !consumed) {
        outputPort.set(id, outputs.length);
        outputs.push({ node: id, shape: a?.output?.shape ?? null });
      }
      params += a ? a.paramCount.trainable + a.paramCount.nonTrainable : 0;
      flops += a?.flops ?? 0;
    }
    const at = group.nodes.map(position);
    boxes.push({ group, position: { x: Math.min(...at.map((p) => p.x)), y: Math.min(...at.map((p) => p.y)) }, inputs, outputs, params, flops });
  }
  const end = (id: NodeId, port: number | undefined): EdgeEnd => {
    const group = hidden.get(id);
    return group === undefined ? { kind: 'node', id } : { kind: 'box', group, port: port ?? 0 };
  };
  return {
    boxes,
    hidden,
    ends(e) {
      const a = hidden.get(e.source);
      if (a !== undefined && a === hidden.get(e.target)) return null;
      return { from: end(e.source, outputPort.get(e.source)), to: end(e.target, inputPort.get(`${e.target}\u0000${e.targetInput}`)) };
    },
  };
}
