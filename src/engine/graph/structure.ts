// Graph structure: who feeds whom, a topological order, and the nodes caught in cycles.
import type { NodeId } from '../ids.js';
import type { Graph, GraphEdge, GraphNode } from '../project/types.js';

export interface Structure {
  readonly byId: ReadonlyMap<NodeId, GraphNode>;
  /** Incoming edges per node, indexed by target port; holes are unconnected ports. */
  readonly incoming: ReadonlyMap<NodeId, readonly (GraphEdge | undefined)[]>;
  /** Edges that hit a port already taken by another edge. */
  readonly duplicatePorts: readonly GraphEdge[];
  readonly consumers: ReadonlyMap<NodeId, readonly NodeId[]>;
  /** Topological order of every node not in (or downstream of) a cycle. */
  readonly order: readonly NodeId[];
  readonly orderIndex: ReadonlyMap<NodeId, number>;
  /** Each cycle found, as a path of node ids (first repeated implicitly). */
  readonly cycles: readonly (readonly NodeId[])[];
}

export function buildStructure(graph: Graph): Structure {
  const byId = new Map<NodeId, GraphNode>();
  const incoming = new Map<NodeId, (GraphEdge | undefined)[]>();
  const consumers = new Map<NodeId, NodeId[]>();
  for (const n of graph.nodes) {
    byId.set(n.id, n);
    incoming.set(n.id, []);
    consumers.set(n.id, []);
  }
  const duplicatePorts: GraphEdge[] = [];
  for (const e of graph.edges) {
    const ports = incoming.get(e.target);
    const outs = consumers.get(e.source);
    if (!ports || !outs) continue; // dangling edges are refused when parsing; ignore defensively
    if (ports[e.targetInput]) duplicatePorts.push(e);
    else ports[e.targetInput] = e;
    outs.push(e.target);
  }

  // Kahn's algorithm over distinct predecessors.
  const indegree = new Map<NodeId, number>();
  for (const n of graph.nodes) indegree.set(n.id, 0);
  for (const e of graph.edges) if (byId.has(e.source) && byId.has(e.target)) indegree.set(e.target, indegree.get(e.target)! + 1);
  const order: NodeId[] = [];
  for (const n of graph.nodes) if (indegree.get(n.id) === 0) order.push(n.id);
  for (let i = 0; i < order.length; i++) {
    for (const c of consumers.get(order[i]!)!) {
      const d = indegree.get(c)! - 1;
      indegree.set(c, d);
      if (d === 0) order.push(c);
    }
  }
  const orderIndex = new Map<NodeId, number>();
  order.forEach((id, i) => orderIndex.set(id, i));
  const cycles = order.length === graph.nodes.length ? [] : findCycles(graph.nodes, orderIndex, consumers);
  return { byId, incoming, duplicatePorts, consumers, order, orderIndex, cycles };
}

/** One representative path per cycle among the nodes Kahn could not order. */
function findCycles(nodes: readonly GraphNode[], ordered: ReadonlyMap<NodeId, number>, consumers: ReadonlyMap<NodeId, readonly NodeId[]>): NodeId[][] {
  const cycles: NodeId[][] = [];
  const done = new Set<NodeId>();
  for (const start of nodes) {
    if (ordered.has(start.id) || done.has(start.id)) continue;
    // Iterative DFS keeping the current path; a back edge to the path closes a cycle.
    const onPath = new Map<NodeId, number>();
    const path: NodeId[] = [];
    const stack: { id: NodeId; next: number }[] = [{ id: start.id, next: 0 }];
    onPath.set(start.id, 0);
    path.push(start.id);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const outs = consumers.get(top.id)!;
      if (top.next >= outs.length) {
        stack.pop();
        path.pop();
        onPath.delete(top.id);
        done.add(top.id);
        continue;
      }
      const c = outs[top.next++]!;
      if (ordered.has(c) || done.has(c)) continue;
      const at = onPath.get(c);
      if (at !== undefined) {
        cycles.push(path.slice(at));
        for (const id of path.slice(at)) done.add(id);
        continue;
      }
      onPath.set(c, path.length);
      path.push(c);
      stack.push({ id: c, next: 0 });
    }
  }
  return cycles;
}
