// What changed between two runs: the architecture (nodes added, removed or changed, edges),
// the hyperparameters (flattened training settings) and the dataset. Pure data in, data out.
import { edgeId } from '../ids.js';
import type { Graph, GraphEdge, GraphNode, TrainingConfig } from '../project/types.js';
import { flattenSettings, sameFlat, type FlatValue } from './flatten.js';

/** One setting that differs; `undefined` on a side means the setting is absent there. */
export interface ValueChange {
  readonly path: string;
  readonly before: FlatValue | undefined;
  readonly after: FlatValue | undefined;
}

export type NodeDiff =
  | { readonly change: 'added'; readonly id: string; readonly kind: string }
  | { readonly change: 'removed'; readonly id: string; readonly kind: string }
  /** Same id on both sides; `kind` is set only when the layer kind itself changed. */
  | { readonly change: 'changed'; readonly id: string; readonly kind: { readonly before: string; readonly after: string } | null; readonly params: readonly ValueChange[] };

export interface EdgeRef {
  readonly source: string;
  readonly target: string;
  readonly targetInput: number;
}

export interface ArchitectureDiff {
  /** Removed, then changed, then added; each in graph order. */
  readonly nodes: readonly NodeDiff[];
  readonly edgesAdded: readonly EdgeRef[];
  readonly edgesRemoved: readonly EdgeRef[];
  /**
   * Nodes are matched by id, so a renamed id is a removal plus an addition. When a removed node
   * and an added one have the same kind and the same params, they are paired here as a hint
   * (first removed with first added, in graph order); they still appear as removed and added.
   */
  readonly likelyRenames: readonly { readonly from: string; readonly to: string }[];
}

/** What a run trained on, as far as a diff cares. */
export interface DatasetFacts {
  readonly name: string;
  /** Content hash; null when unknown. */
  readonly version: string | null;
  readonly source?: string | null;
  readonly splits?: { readonly train: number; readonly validation: number; readonly test: number } | null;
}

/** One side of a comparison: the run's architecture, settings, seed and data. */
export interface RunSide {
  readonly graph: Graph;
  readonly config: TrainingConfig;
  readonly seed: number;
  readonly dataset: DatasetFacts;
}

export interface RunDiff {
  readonly architecture: ArchitectureDiff;
  /** Flattened training settings (`optimizer.learningRate`, …) and `seed`, sorted by path. */
  readonly hyperparameters: readonly ValueChange[];
  /** `name`, `version`, `source`, `splits.train`, … that differ. */
  readonly dataset: readonly ValueChange[];
  /** True when nothing at all differs. */
  readonly identical: boolean;
}

/** The differing paths of two flat maps, sorted by path. */
export function diffFlat(before: Readonly<Record<string, FlatValue>>, after: Readonly<Record<string, FlatValue>>): ValueChange[] {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return paths.flatMap((path) => {
    const b = Object.hasOwn(before, path) ? before[path] : undefined;
    const a = Object.hasOwn(after, path) ? after[path] : undefined;
    return sameFlat(b, a) ? [] : [{ path, before: b, after: a }];
  });
}

const paramsOf = (n: GraphNode) => flattenSettings(n.params);
const edgeKey = (e: GraphEdge): string => edgeId(e.source, e.target, e.targetInput);
const edgeRef = (e: GraphEdge): EdgeRef => ({ source: e.source, target: e.target, targetInput: e.targetInput });
/** Kind and params as one comparable string (labels and positions are not architecture). */
const signature = (n: GraphNode): string => JSON.stringify([n.kind, paramsOf(n)]);

/**
 * The architecture change from `before` to `after`: nodes matched by id (labels, positions and
 * canvas groups ignored, as for an architecture version's hash), params compared per flattened path.
 * @example diffGraphs(v1.graph, v2.graph).nodes // [{ change: 'changed', id: 'hidden', kind: null, params: [{ path: 'units', before: 32, after: 64 }] }]
 */
export function diffGraphs(before: Graph, after: Graph): ArchitectureDiff {
  const old = new Map(before.nodes.map((n) => [n.id as string, n]));
  const now = new Map(after.nodes.map((n) => [n.id as string, n]));
  const removed = before.nodes.filter((n) => !now.has(n.id));
  const added = after.nodes.filter((n) => !old.has(n.id));
  const changed: NodeDiff[] = after.nodes.flatMap((n): NodeDiff[] => {
    const o = old.get(n.id);
    if (!o) return [];
    const params = diffFlat(paramsOf(o), paramsOf(n));
    const kind = o.kind === n.kind ? null : { before: o.kind, after: n.kind };
    return params.length === 0 && kind === null ? [] : [{ change: 'changed', id: n.id, kind, params }];
  });
  const oldEdges = new Set(before.edges.map(edgeKey));
  const newEdges = new Set(after.edges.map(edgeKey));
  const free = [...added];
  const likelyRenames = removed.flatMap((r) => {
    const i = free.findIndex((a) => signature(a) === signature(r));
    return i < 0 ? [] : [{ from: r.id as string, to: free.splice(i, 1)[0]!.id as string }];
  });
  return {
    nodes: [
      ...removed.map((n): NodeDiff => ({ change: 'removed', id: n.id, kind: n.kind })),
      ...changed,
      ...added.map((n): NodeDiff => ({ change: 'added', id: n.id, kind: n.kind })),
    ],
    edgesAdded: after.edges.filter((e) => !oldEdges.has(edgeKey(e))).map(edgeRef),
    edgesRemoved: before.edges.filter((e) => !newEdges.has(edgeKey(e))).map(edgeRef),
    likelyRenames,
  };
}

/** Training settings with the run's seed, flattened (the record's seed wins over the config's). */
const settingsOf = (s: RunSide) => flattenSettings({ ...s.config, seed: s.seed });

const datasetOf = (d: DatasetFacts) => flattenSettings({ name: d.name, version: d.version, source: d.source ?? null, splits: d.splits ?? null });

/**
 * Everything that differs between two runs.
 * @example diffRuns(a, b).hyperparameters // [{ path: 'optimizer.learningRate', before: 0.01, after: 0.001 }]
 */
export function diffRuns(before: RunSide, after: RunSide): RunDiff {
  const architecture = diffGraphs(before.graph, after.graph);
  const hyperparameters = diffFlat(settingsOf(before), settingsOf(after));
  const dataset = diffFlat(datasetOf(before.dataset), datasetOf(after.dataset));
  const identical =
    architecture.nodes.length + architecture.edgesAdded.length + architecture.edgesRemoved.length + hyperparameters.length + dataset.length === 0;
  return { architecture, hyperparameters, dataset, identical };
}
