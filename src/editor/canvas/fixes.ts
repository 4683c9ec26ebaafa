// Which edges are broken (the target has a shape diagnostic about that input) or suspect (a
// warning about what that input does to the target), and the concrete fixes the canvas offers on
// them, each a list of GraphChanges applied as one undo step.
import type { Analysis } from '../../engine/graph/analyze.js';
import type { GraphChange } from '../../engine/graph/changes.js';
import type { Diagnostic, DiagnosticCode } from '../../engine/graph/diagnostics.js';
import { nodeId, type NodeId } from '../../engine/ids.js';
import type { Graph, GraphEdge, GraphNode, Position } from '../../engine/project/types.js';
import type { Shape } from '../../engine/tensor.js';
import { SHAPE_CODES } from './connection.js';
import { shapeText } from './node-summary.js';

export interface EdgeFix {
  /** What the button says: "Insert a Flatten", "Give the Dense "d2" 64 units". */
  readonly label: string;
  readonly changes: readonly GraphChange[];
}

/** Merges whose message names the one input at fault: "Add: input 2 is [..] but input 1 is [..]". */
const PORT_IN_MESSAGE = /^\w+: input (\d+) is /;

/** Warnings about what a (single) input does to its target; the edge shows them in the warning colour. */
const EDGE_WARNING_CODES: ReadonlySet<DiagnosticCode> = new Set(['last-axis-only']);

/**
 * The target's diagnostic that concerns this edge, or null when the edge is fine: a shape error
 * about this input first, else a warning about it (severity 'warning': drawn apart from errors).
 */
export function edgeProblem(analysis: Analysis, edge: GraphEdge): Diagnostic | null {
  const ds = analysis.nodes.get(edge.target)?.diagnostics ?? [];
  for (const d of ds) {
    if (d.severity !== 'error' || !SHAPE_CODES.has(d.code)) continue;
    const m = PORT_IN_MESSAGE.exec(d.message);
    if (!m || Number(m[1]) - 1 === edge.targetInput) return d;
  }
  return ds.find((d) => d.severity === 'warning' && EDGE_WARNING_CODES.has(d.code)) ?? null;
}

/** `flatten_1`, `flatten_2`, …: the first id of that stem the graph does not use. */
export function freshId(graph: Graph, stem: string): NodeId {
  const used = new Set<string>(graph.nodes.map((n) => n.id));
  for (let i = 1; ; i++) if (!used.has(`${stem}_${i}`)) return nodeId(`${stem}_${i}`);
}

function between(graph: Graph, edge: GraphEdge): Position | undefined {
  const a = graph.nodes.find((n) => n.id === edge.source)?.position;
  const b = graph.nodes.find((n) => n.id === edge.target)?.position;
  return a && b ? { x: (a.x + b.x) / 2 + 24, y: (a.y + b.y) / 2 } : undefined;
}

/** Replaces `edge` by source → new node → target, as one list of changes. */
function insertOnEdge(graph: Graph, edge: GraphEdge, kind: string, params: Record<string, unknown>): GraphChange[] {
  const id = freshId(graph, kind.toLowerCase());
  const position = between(graph, edge);
  const node: GraphNode = position ? { id, kind, params, position } : { id, kind, params };
  return [
    { type: 'removeEdge', edge },
    { type: 'addNode', node },
    { type: 'addEdge', edge: { source: edge.source, target: id, targetInput: 0 } },
    { type: 'addEdge', edge: { source: id, target: edge.target, targetInput: edge.targetInput } },
  ];
}

const perSample = (s: Shape): number | null => s.slice(1).reduce<number | null>((n, d) => (n === null || d === null ? null : n * d), 1);
const ELEMENTWISE = new Set(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum']);

/** Fixes for a merge input whose shape differs from input 1's. */
function mergeFixes(graph: Graph, analysis: Analysis, edge: GraphEdge, got: Shape): EdgeFix[] {
  const first = graph.edges.find((e) => e.target === edge.target && e.targetInput === 0);
  const want = first ? analysis.nodes.get(first.source)?.output?.shape : undefined;
  if (!want) return [];
  const fixes: EdgeFix[] = [];
  const last = want.length - 1;
  const onlyLastDiffers = got.length === want.length && got.every((d, i) => i === 0 || i === last || d === want[i]);
  const wantLast = want[last];
  if (onlyLastDiffers && typeof wantLast === 'number') {
    const src = graph.nodes.find((n) => n.id === edge.source)!;
    const param = typeof src.params['units'] === 'number' ? 'units' : typeof src.params['filters'] === 'number' ? 'filters' : null;
    if (param) fixes.push({ label: `Give the ${src.kind} "${src.id}" ${wantLast} ${param}`, changes: [{ type: 'setParams', nodeId: src.id, params: { ...src.params, [param]: wantLast } }] });
    fixes.push({ label: `Insert a Dense projection to ${wantLast}`, changes: insertOnEdge(graph, edge, 'Dense', { units: wantLast }) });
  }
  const n = perSample(got);
  if (n !== null && n === perSample(want) && !onlyLastDiffers) {
    fixes.push({ label: `Insert a Reshape to ${shapeText(want)}`, changes: insertOnEdge(graph, edge, 'Reshape', { targetShape: want.slice(1) }) });
  }
  return fixes;
}

/**
 * Concrete fixes for a broken edge, best first; empty when the edge is fine or no fix is known.
 * @example fixesForEdge(g, a, edge)[0] // → { label: 'Insert a Flatten', changes: [removeEdge, addNode, addEdge, addEdge] }
 */
export function fixesForEdge(graph: Graph, analysis: Analysis, edge: GraphEdge): EdgeFix[] {
  const problem = edgeProblem(analysis, edge);
  const got = analysis.nodes.get(edge.source)?.output?.shape;
  const target = graph.nodes.find((n) => n.id === edge.target);
  if (!problem || !got || !target) return [];
  if (ELEMENTWISE.has(target.kind) && (problem.code === 'shape-mismatch' || problem.code === 'rank-mismatch')) return mergeFixes(graph, analysis, edge, got);
  const flatten = (): EdgeFix[] => [{ label: 'Insert a Flatten', changes: insertOnEdge(graph, edge, 'Flatten', {}) }];
  // "Insert a Flatten or Reshape before this RepeatVector": the input has more dims than wanted.
  if (problem.code === 'rank-mismatch' && got.length > 2 && /Flatten/.test(problem.suggestion)) return flatten();
  // A Dense on a feature map: flattening makes it see the whole sample, as a classifier head should.
  if (problem.code === 'last-axis-only') return flatten();
  return [];
}
