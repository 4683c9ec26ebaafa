// Shared by the graph-edit tests: a project document opened for real (openProjectDoc over an
// in-memory store, no other tabs), a Map-backed localStorage, random edits, and a graph form
// that ignores the order of nodes and edges.
import { createTabCoordinator } from '../../src/storage/tabs.js';
import { openProjectDoc, type ProjectDoc } from '../../src/editor/storage/project-doc.js';
import type { GraphChange } from '../../src/engine/graph/changes.js';
import { nodeId, type NodeId } from '../../src/engine/ids.js';
import type { Graph, GraphEdge } from '../../src/engine/project/types.js';
import type { ProjectRecord } from '../../src/storage/types.js';
import { sampleProject } from '../fixtures/storage/sample.js';
import type { KeyValueStore } from '../../src/editor/graph-edit/history-store.js';

export class MapStorage implements KeyValueStore {
  readonly map = new Map<string, string>();
  getItem = (k: string) => this.map.get(k) ?? null;
  setItem = (k: string, v: string) => void this.map.set(k, v);
  removeItem = (k: string) => void this.map.delete(k);
}

/** A real project document over `graph`, saving to memory. */
export async function openDoc(graph: Graph): Promise<{ doc: ProjectDoc; saved: Map<string, ProjectRecord> }> {
  const base = sampleProject();
  const record: ProjectRecord = { ...base, draft: { ...base.draft, graph } };
  const saved = new Map<string, ProjectRecord>([[record.id, record]]);
  const doc = await openProjectDoc({
    store: { getProject: async (id) => saved.get(id) ?? null, putProject: async (p) => void saved.set(p.id, p) },
    tabs: createTabCoordinator({ locks: undefined, channel: undefined, tabId: 'test-tab' }),
    record,
  });
  return { doc, saved };
}

const edgeKey = (e: GraphEdge) => `${e.source}->${e.target}:${e.targetInput}`;

/** The graph with nodes sorted by id and edges by key: equal graphs up to order. */
export function unordered(g: Graph): Graph {
  return {
    nodes: [...g.nodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    edges: [...g.edges].sort((a, b) => (edgeKey(a) < edgeKey(b) ? -1 : edgeKey(a) > edgeKey(b) ? 1 : 0)),
  };
}

/**
 * One random edit that fits `g` (1–3 changes): add, remove, set params, move, label, connect,
 * disconnect. Never adds an edge that already exists (removeEdge would then drop both copies).
 */
export function randomEdit(g: Graph, r: () => number, fresh: () => NodeId): GraphChange[] {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const node = () => pick(g.nodes);
  const kind = Math.floor(r() * 9);
  if (g.nodes.length < 3 || kind === 0) {
    const id = fresh();
    const changes: GraphChange[] = [{ type: 'addNode', node: { id, kind: 'Dense', params: { units: 1 + Math.floor(r() * 64) }, position: { x: Math.round(r() * 900), y: Math.round(r() * 900) } } }];
    if (g.nodes.length > 0) changes.push({ type: 'addEdge', edge: { source: node().id, target: id, targetInput: 0 } });
    return changes;
  }
  switch (kind) {
    case 1:
      return [{ type: 'removeNode', nodeId: node().id }];
    case 2: {
      const a = node();
      const b = pick(g.nodes.filter((n) => n.id !== a.id));
      return [{ type: 'removeNode', nodeId: a.id }, { type: 'removeNode', nodeId: b.id }];
    }
    case 3: {
      const n = node();
      return [{ type: 'setParams', nodeId: n.id, params: { ...n.params, units: 1 + Math.floor(r() * 512) } }];
    }
    case 4:
      return [{ type: 'moveNode', nodeId: node().id, position: { x: Math.round(r() * 2000), y: Math.round(r() * 2000) } }];
    case 5:
      return [{ type: 'setLabel', nodeId: node().id, label: r() < 0.3 ? undefined : `label ${Math.floor(r() * 100)}` }];
    case 6: {
      const a = node();
      const b = node();
      const edge = { source: a.id, target: b.id, targetInput: Math.floor(r() * 3) };
      return g.edges.some((e) => edgeKey(e) === edgeKey(edge)) ? [{ type: 'moveNode', nodeId: a.id, position: { x: 1, y: 2 } }] : [{ type: 'addEdge', edge }];
    }
    case 7:
      return g.edges.length > 0 ? [{ type: 'removeEdge', edge: pick(g.edges) }] : [{ type: 'removeNode', nodeId: node().id }];
    default: {
      // A removal and an edit of a survivor in one step: the inverse must run in reverse order.
      const a = node();
      const b = pick(g.nodes.filter((n) => n.id !== a.id));
      return [{ type: 'setParams', nodeId: b.id, params: { rate: r() } }, { type: 'removeNode', nodeId: a.id }, { type: 'moveNode', nodeId: b.id, position: { x: 5, y: 5 } }];
    }
  }
}

export function freshIds(prefix = 'x'): () => NodeId {
  let i = 0;
  return () => nodeId(`${prefix}${i++}`);
}
