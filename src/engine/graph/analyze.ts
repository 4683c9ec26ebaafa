// Shape inference and accounting for a whole graph, with per-node diagnostics, and an
// incremental pass that recomputes only what a param edit can reach.
import type { NodeId } from '../ids.js';
import { closestName, resolveParams, type ParamSchema, type Resolved } from '../params.js';
import type { Graph, GraphNode } from '../project/types.js';
import { layerSpec } from '../layers/registry.js';
import { LAYER_KINDS } from '../layers/kinds.js';
import type { InputInfo, LayerSpec, ParamCount } from '../layers/spec.js';
import { BYTES_PER_ELEMENT, shapesEqual, type TensorInfo } from '../tensor.js';
import type { Diagnostic } from './diagnostics.js';
import { buildStructure, type Structure } from './structure.js';
import { rankWarnings } from './rank-rules.js';
import type { GraphChange } from './changes.js';

export interface NodeAnalysis {
  readonly id: NodeId;
  readonly kind: string;
  /** Resolved params (defaults filled in), or null when they are invalid or the kind is unknown. */
  readonly params: Readonly<Record<string, unknown>> | null;
  readonly output: TensorInfo | null;
  readonly paramCount: ParamCount;
  readonly flops: number;
  readonly activationBytes: number;
  readonly diagnostics: readonly Diagnostic[];
}

export interface Totals {
  readonly params: number;
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
  /** Forward FLOPs per sample. */
  readonly flops: number;
  /** Activations kept for the backward pass, per sample. */
  readonly activationBytes: number;
}

export interface Analysis {
  readonly graph: Graph;
  readonly structure: Structure;
  readonly nodes: ReadonlyMap<NodeId, NodeAnalysis>;
  /** Connected Input nodes in graph order: the compiled model's inputs. */
  readonly inputs: readonly NodeId[];
  /** Nodes nothing consumes, in graph order: the compiled model's outputs. */
  readonly outputs: readonly NodeId[];
  readonly diagnostics: readonly Diagnostic[];
  readonly totals: Totals;
  /** No error-severity diagnostics: the graph compiles. */
  readonly valid: boolean;
}

const NO_COUNT: ParamCount = { trainable: 0, nonTrainable: 0 };

// Params objects are immutable; cache their resolution by identity so re-analysis is cheap.
const resolvedCache = new WeakMap<object, { spec: LayerSpec; r: Resolved<ParamSchema> }>();
function resolveFor(spec: LayerSpec, params: Readonly<Record<string, unknown>>): Resolved<ParamSchema> {
  const hit = resolvedCache.get(params);
  if (hit && hit.spec === spec) return hit.r;
  const r = resolveParams(spec.params, params);
  resolvedCache.set(params, { spec, r });
  return r;
}

function diag(node: GraphNode, code: Diagnostic['code'], message: string, suggestion: string, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  return { code, severity, nodeId: node.id, message, suggestion };
}

const ordinal = (i: number): string => String(i + 1);

function failed(node: GraphNode, params: NodeAnalysis['params'], diagnostics: Diagnostic[]): NodeAnalysis {
  return { id: node.id, kind: node.kind, params, output: null, paramCount: NO_COUNT, flops: 0, activationBytes: 0, diagnostics };
}

/** Infers one node from its already-analysed inputs. */
function analyzeNode(node: GraphNode, s: Structure, done: ReadonlyMap<NodeId, NodeAnalysis>): NodeAnalysis {
  const ds: Diagnostic[] = [];
  const spec = layerSpec(node.kind);
  if (!spec) {
    const near = closestName(node.kind, LAYER_KINDS);
    ds.push(diag(node, 'unknown-kind', `unknown layer kind "${node.kind}"`, near ? `Did you mean ${near}?` : 'Pick a layer from the palette.'));
    return failed(node, null, ds);
  }
  const r = resolveFor(spec, node.params);
  if (!r.ok) for (const i of r.issues) ds.push(diag(node, i.code, `${node.kind}: ${i.message}`, i.suggestion));

  const ports = s.incoming.get(node.id)!;
  const { min, max, names } = spec.inputs;
  const portName = (i: number) => (names?.[i] ? `input ${ordinal(i)} (${names[i]})` : `input ${ordinal(i)}`);
  for (let i = 0; i < Math.max(min, ports.length); i++) {
    if (i >= max && ports[i]) {
      ds.push(diag(node, 'surplus-input', `${node.kind} takes ${max === 0 ? 'no inputs' : `at most ${max} input${max > 1 ? 's' : ''}`}, but ${portName(i)} is connected to "${ports[i]!.source}"`, 'Remove that connection.'));
    } else if (i < max && !ports[i] && (i < min || i < ports.length)) {
      ds.push(diag(node, 'missing-input', `${node.kind}: ${portName(i)} is not connected`, min === 0 ? 'Connect it or remove the empty port.' : `Connect a layer's output to ${portName(i)}.`));
    }
  }
  for (const e of s.duplicatePorts) {
    if (e.target === node.id) ds.push(diag(node, 'duplicate-input', `${node.kind}: ${portName(e.targetInput)} has more than one connection (also from "${e.source}")`, 'Keep one connection per input; use Concatenate or Add to combine tensors.'));
  }
  if (!r.ok || ds.length) return failed(node, r.ok ? r.params : null, ds);

  const inputs: InputInfo[] = [];
  for (const e of ports) {
    const up = done.get(e!.source);
    if (!up?.output) return failed(node, r.params, ds); // an upstream problem, reported there
    const src = s.byId.get(e!.source)!;
    inputs.push({ shape: up.output.shape, dtype: up.output.dtype, source: { id: src.id, kind: src.kind, params: up.params ?? src.params } });
  }
  const inferred = spec.infer(r.params, inputs);
  if (!inferred.ok) {
    ds.push(diag(node, inferred.code, inferred.message, inferred.suggestion));
    return failed(node, r.params, ds);
  }
  const out = inferred.out;
  const limit = spec.trainingLimit?.(r.params);
  if (limit) ds.push(diag(node, 'cannot-train', `${node.kind}: ${limit.message}`, limit.suggestion, 'warning'));
  ds.push(...rankWarnings(node.id, node.kind, inputs, out.shape));
  const elements = spec.activationElements ? spec.activationElements(r.params, inputs, out) : sampleElements(out);
  return {
    id: node.id,
    kind: node.kind,
    params: r.params,
    output: out,
    paramCount: spec.countParams(r.params, inputs, out),
    flops: spec.flops(r.params, inputs, out),
    activationBytes: elements * BYTES_PER_ELEMENT[out.dtype],
    diagnostics: ds,
  };
}

function sampleElements(t: TensorInfo): number {
  let n = 1;
  for (let i = 1; i < t.shape.length; i++) n *= t.shape[i] ?? 0;
  return n;
}

function graphDiagnostics(graph: Graph, s: Structure): Diagnostic[] {
  const ds: Diagnostic[] = [];
  for (const cycle of s.cycles) {
    const path = [...cycle, cycle[0]!].join(' → ');
    for (const id of cycle) {
      const n = s.byId.get(id)!;
      ds.push(diag(n, 'cycle', `${n.kind} "${id}" is part of a cycle: ${path}`, 'Remove one connection in the cycle; for recurrence use an LSTM, GRU or SimpleRNN layer.'));
    }
  }
  if (graph.nodes.length === 0) return ds;
  if (!graph.nodes.some((n) => n.kind === 'Input'))
    ds.push({ code: 'no-input', severity: 'error', nodeId: null, message: 'the graph has no Input node', suggestion: 'Add an Input layer and set the shape of one sample.' });
  for (const n of graph.nodes) {
    if (n.kind === 'Input' && s.consumers.get(n.id)!.length === 0)
      ds.push(diag(n, 'unconnected', `Input "${n.id}" is not connected to anything`, 'Connect it to a layer or delete it.', 'warning'));
  }
  if (!graph.nodes.some((n) => n.kind !== 'Input' && s.consumers.get(n.id)!.length === 0))
    ds.push({ code: 'no-output', severity: 'error', nodeId: null, message: 'the graph has no output layer', suggestion: 'Add a layer after the Input; any layer nothing consumes is an output.' });
  return ds;
}

function finish(graph: Graph, s: Structure, nodes: Map<NodeId, NodeAnalysis>, graphDs: readonly Diagnostic[]): Analysis {
  let trainable = 0;
  let nonTrainable = 0;
  let flops = 0;
  let activationBytes = 0;
  const diagnostics: Diagnostic[] = [...graphDs];
  const inputs: NodeId[] = [];
  const outputs: NodeId[] = [];
  for (const n of graph.nodes) {
    const a = nodes.get(n.id)!;
    trainable += a.paramCount.trainable;
    nonTrainable += a.paramCount.nonTrainable;
    flops += a.flops;
    activationBytes += a.activationBytes;
    for (const d of a.diagnostics) diagnostics.push(d);
    if (n.kind === 'Input') {
      if (s.consumers.get(n.id)!.length > 0) inputs.push(n.id); // a stray Input only warns
    } else if (s.consumers.get(n.id)!.length === 0) outputs.push(n.id);
  }
  return {
    graph,
    structure: s,
    nodes,
    inputs,
    outputs,
    diagnostics,
    totals: { params: trainable + nonTrainable, trainableParams: trainable, nonTrainableParams: nonTrainable, flops, activationBytes },
    valid: !diagnostics.some((d) => d.severity === 'error'),
  };
}

/**
 * Full analysis: structure, shapes, diagnostics and totals.
 * @example const a = analyzeGraph(project.graph); a.nodes.get(nodeId('c1'))?.output?.shape // → [null, 28, 28, 16]
 */
export function analyzeGraph(graph: Graph): Analysis {
  const s = buildStructure(graph);
  const nodes = new Map<NodeId, NodeAnalysis>();
  for (const id of s.order) nodes.set(id, analyzeNode(s.byId.get(id)!, s, nodes));
  // Nodes in or below a cycle have no order; they get no shape.
  for (const n of graph.nodes) if (!nodes.has(n.id)) nodes.set(n.id, failed(n, null, []));
  return finish(graph, s, nodes, graphDiagnostics(graph, s));
}

/**
 * Re-analysis after one change. A param edit recomputes the edited node and, in
 * topological order, only those downstream whose inputs actually changed; structural
 * changes fall back to a full pass.
 */
export function reanalyze(prev: Analysis, graph: Graph, change: GraphChange): Analysis {
  switch (change.type) {
    case 'moveNode':
    case 'setLabel':
    case 'addGroup':
    case 'removeGroup':
    case 'setGroup':
    case 'addBlock':
    case 'removeBlock':
      // Groups and blocks are drawing only: no shape changes.
      return { ...prev, graph, structure: { ...prev.structure, byId: new Map(graph.nodes.map((n) => [n.id, n])) } };
    case 'setParams':
      return reanalyzeFrom(prev, graph, change.nodeId);
    case 'addNode':
    case 'removeNode':
    case 'addEdge':
    case 'removeEdge':
      return analyzeGraph(graph);
    default: {
      const never: never = change;
      throw new Error(`unhandled change ${(never as GraphChange).type}`);
    }
  }
}

function reanalyzeFrom(prev: Analysis, graph: Graph, changed: NodeId): Analysis {
  const byId = new Map(prev.structure.byId);
  for (const n of graph.nodes) if (n.id === changed) byId.set(n.id, n);
  const s: Structure = { ...prev.structure, byId };
  const start = s.orderIndex.get(changed);
  if (start === undefined) return analyzeGraph(graph); // node in a cycle: nothing to reuse
  const nodes = new Map(prev.nodes);
  const dirty = new Set<NodeId>([changed]);
  for (let i = start; i < s.order.length && dirty.size; i++) {
    const id = s.order[i]!;
    if (!dirty.delete(id)) continue;
    const before = nodes.get(id)!;
    const after = analyzeNode(byId.get(id)!, s, nodes);
    nodes.set(id, after);
    if (!sameOutput(before, after)) for (const c of s.consumers.get(id)!) dirty.add(c);
  }
  return finish(graph, s, nodes, prev.diagnostics.filter((d) => d.nodeId === null || d.code === 'cycle' || d.code === 'unconnected'));
}

function sameOutput(a: NodeAnalysis, b: NodeAnalysis): boolean {
  if (a.output === null || b.output === null) return a.output === b.output;
  // Downstream suggestions read the producer's params, so a param change must propagate too.
  return a.output.dtype === b.output.dtype && shapesEqual(a.output.shape, b.output.shape) && a.params === b.params;
}
