// A tiny fluent builder for writing template graphs as code that reads like the
// architecture; positions come from a simple layered layout (depth → row).
import { nodeId, type NodeId } from '../ids.js';
import type { DatasetRef, Graph, GraphEdge, GraphNode, Project, TrainingConfig } from '../project/types.js';
import { CURRENT_VERSION, PROJECT_FORMAT } from '../project/types.js';

export class GraphBuilder {
  private readonly nodes: GraphNode[] = [];
  private readonly edges: GraphEdge[] = [];

  input(id: string, shape: number[], dtype: 'float32' | 'int32' = 'float32'): NodeId {
    return this.layer(id, 'Input', { shape, dtype }, []);
  }

  /** Adds a node fed by `inputs` on ports 0…n-1 and returns its id. */
  layer(id: string, kind: string, params: Record<string, unknown>, inputs: readonly NodeId[]): NodeId {
    const nid = nodeId(id);
    this.nodes.push({ id: nid, kind, params });
    inputs.forEach((s, port) => this.edges.push({ source: s, target: nid, targetInput: port }));
    return nid;
  }

  /** Feeds `x` through a chain of [id, kind, params] layers; returns the last id. */
  chain(x: NodeId, steps: readonly (readonly [string, string, Record<string, unknown>])[]): NodeId {
    return steps.reduce((prev, [id, kind, params]) => this.layer(id, kind, params, [prev]), x);
  }

  build(): Graph {
    return { nodes: layout(this.nodes, this.edges), edges: [...this.edges] };
  }
}

/** Row = longest path from an input; column = order within the row. */
function layout(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): GraphNode[] {
  const depth = new Map<NodeId, number>();
  for (const n of nodes) {
    const ins = edges.filter((e) => e.target === n.id).map((e) => depth.get(e.source) ?? 0);
    depth.set(n.id, ins.length ? Math.max(...ins) + 1 : 0);
  }
  const perRow = new Map<number, number>();
  return nodes.map((n) => {
    const row = depth.get(n.id)!;
    const col = perRow.get(row) ?? 0;
    perRow.set(row, col + 1);
    return { ...n, position: { x: col * 240, y: row * 100 } };
  });
}

export interface TemplateInfo {
  readonly id: string;
  readonly name: string;
  readonly task: 'classification' | 'segmentation' | 'language-modeling';
  readonly summary: string;
  project(): Project;
}

export function project(name: string, description: string, graph: Graph, training: TrainingConfig, dataset: DatasetRef = {}): Project {
  return { format: PROJECT_FORMAT, version: CURRENT_VERSION, name, description, graph, training, dataset };
}
