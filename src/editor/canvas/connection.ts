// Whether an edge from one node's output to another's input port may be made, checked while
// the person drags: a taken port, a cycle, or shapes that would not fit refuse it with a reason.
import { reanalyze, type Analysis } from '../../engine/graph/analyze.js';
import { applyChange, type GraphChange } from '../../engine/graph/changes.js';
import type { DiagnosticCode } from '../../engine/graph/diagnostics.js';
import type { NodeId } from '../../engine/ids.js';
import { layerSpec } from '../../engine/layers/registry.js';
import type { Graph, GraphEdge } from '../../engine/project/types.js';
import { describePort } from './ports.js';

export type ConnectionCheck = { readonly ok: true; readonly edge: GraphEdge } | { readonly ok: false; readonly reason: string };

/** Diagnostics that mean the tensor does not fit the layer (as opposed to an unfinished graph). */
export const SHAPE_CODES: ReadonlySet<DiagnosticCode> = new Set(['rank-mismatch', 'shape-mismatch', 'invalid-shape', 'unknown-dim', 'dtype-mismatch']);

/** The path from `from` to `to` along edges, or null: a new edge to→from would close it into a cycle. */
function pathBetween(graph: Graph, from: NodeId, to: NodeId): NodeId[] | null {
  const next = new Map<NodeId, NodeId[]>();
  for (const e of graph.edges) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const cameFrom = new Map<NodeId, NodeId>();
  const queue = [from];
  const seen = new Set(queue);
  while (queue.length) {
    const id = queue.shift()!;
    if (id === to) {
      const path = [to];
      while (path[0] !== from) path.unshift(cameFrom.get(path[0]!)!);
      return path;
    }
    for (const n of next.get(id) ?? []) {
      if (seen.has(n)) continue;
      seen.add(n);
      cameFrom.set(n, id);
      queue.push(n);
    }
  }
  return null;
}

/**
 * Checks the edge `source` → input `targetInput` of `target` against the graph and, for shapes,
 * against the engine's analysis of the graph with that edge added.
 * @example checkConnection(g, a, nodeId('conv1'), nodeId('dense'), 0) // → { ok: false, reason: '…' }
 */
export function checkConnection(graph: Graph, analysis: Analysis, source: NodeId, target: NodeId, targetInput: number): ConnectionCheck {
  const refuse = (reason: string): ConnectionCheck => ({ ok: false, reason });
  if (source === target) return refuse('A layer cannot take its own output as input.');
  const t = graph.nodes.find((n) => n.id === target);
  if (!t || !graph.nodes.some((n) => n.id === source)) return refuse(`No layer "${t ? source : target}" in this graph.`);
  const spec = layerSpec(t.kind);
  if (!spec) return refuse(`"${target}" has an unknown kind (${t.kind}); fix it before connecting to it.`);
  const { max } = spec.inputs;
  if (max === 0) return refuse(`${t.kind} "${target}" takes no inputs.`);
  if (targetInput >= max) return refuse(`${t.kind} "${target}" takes at most ${max} input${max > 1 ? 's' : ''}.`);
  const port = describePort(t.kind, targetInput);
  const taken = graph.edges.find((e) => e.target === target && e.targetInput === targetInput);
  if (taken) return refuse(`${port} of "${target}" is already connected to "${taken.source}"; remove that connection first.`);
  const loop = pathBetween(graph, target, source);
  if (loop) return refuse(`That would make a cycle: ${[...loop, target].join(' → ')}. For recurrence use an LSTM, GRU or SimpleRNN layer.`);

  const edge: GraphEdge = { source, target, targetInput };
  const change: GraphChange = { type: 'addEdge', edge };
  const after = reanalyze(analysis, applyChange(graph, change), change);
  const misfit = after.nodes.get(target)?.diagnostics.find((d) => d.severity === 'error' && SHAPE_CODES.has(d.code));
  if (misfit) return refuse(`Shapes do not fit: ${misfit.message}. ${misfit.suggestion}`);
  return { ok: true, edge };
}
