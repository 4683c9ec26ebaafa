// Input ports of a node on the canvas: how many to draw and what to call each one.
import type { NodeId } from '../../engine/ids.js';
import { layerSpec } from '../../engine/layers/registry.js';
import type { Graph } from '../../engine/project/types.js';

/** The highest connected input index of `id` plus one (0 when nothing is connected). */
export function connectedPorts(graph: Graph, id: NodeId): number {
  let n = 0;
  for (const e of graph.edges) if (e.target === id) n = Math.max(n, e.targetInput + 1);
  return n;
}

/**
 * Ports drawn for a node: the kind's minimum, every connected one, and one spare for kinds
 * that take more (Add, Concatenate) so a further input can be dropped; never above the maximum.
 * Unknown kinds draw their connected ports only.
 */
export function inputPortCount(graph: Graph, id: NodeId, kind: string): number {
  return portsFor(kind, connectedPorts(graph, id));
}

/** inputPortCount for every node in one pass over the edges (the canvas redraws 500-node graphs). */
export function inputPortCounts(graph: Graph): Map<NodeId, number> {
  const used = new Map<NodeId, number>();
  for (const e of graph.edges) used.set(e.target, Math.max(used.get(e.target) ?? 0, e.targetInput + 1));
  return new Map(graph.nodes.map((n) => [n.id, portsFor(n.kind, used.get(n.id) ?? 0)]));
}

function portsFor(kind: string, used: number): number {
  const spec = layerSpec(kind);
  if (!spec) return used;
  const { min, max } = spec.inputs;
  return Math.max(used, Math.min(max, Math.max(min, used + 1)));
}

/** The port's name where the kind names its inputs (MultiHeadAttention: query, value, key). */
export function portName(kind: string, index: number): string | null {
  return layerSpec(kind)?.inputs.names?.[index] ?? null;
}

/** "input 2 (value)" or "input 2": how messages name a port. */
export function describePort(kind: string, index: number): string {
  const name = portName(kind, index);
  return name ? `input ${index + 1} (${name})` : `input ${index + 1}`;
}
