// The canvas's view of groups: which nodes are drawn on their own, where boxes and their ports
// are, how a dragged box becomes one batch of node moves, and where each edge is drawn.
import { createMemo, type Accessor } from 'solid-js';
import { collapsedView, type CollapsedBox, type CollapsedView } from '../../engine/blocks/index.js';
import type { Analysis } from '../../engine/graph/analyze.js';
import type { GraphChange } from '../../engine/graph/changes.js';
import type { NodeId } from '../../engine/ids.js';
import type { Graph, GraphEdge, GraphNode, GroupId, Position } from '../../engine/project/types.js';
import { inputPortPoint, outputPortPoint } from '../canvas/edge-geometry.js';
import { boxInputPoint, boxOutputPoint } from './box-geometry.js';

export interface CanvasBlocks {
  readonly view: Accessor<CollapsedView>;
  /** Nodes not inside a collapsed group, in graph order. */
  readonly visibleNodes: Accessor<readonly GraphNode[]>;
  /** Edges not inside one box. */
  readonly visibleEdges: Accessor<readonly GraphEdge[]>;
  box(id: GroupId): CollapsedBox | undefined;
  /** Where the box is drawn now (live while dragged). */
  boxPosition(box: CollapsedBox): Position;
  /** Both ends of a drawn edge, box ports included. */
  ends(e: GraphEdge): { from: Position; to: Position };
  /** The drop of a drag (nodes and boxes) as moveNode changes: a box moves all its nodes by its delta. */
  moves(moved: ReadonlyMap<NodeId, Position>): GraphChange[];
}

export function createCanvasBlocks(o: {
  graph: Accessor<Graph>;
  analysis: Accessor<Analysis>;
  /** Stored (or laid-out) node positions. */
  base: Accessor<ReadonlyMap<NodeId, Position>>;
  /** Live positions during a drag, keyed by node or group id. */
  live: Accessor<ReadonlyMap<NodeId, Position>>;
  /** Live or stored position of a drawn node. */
  position(id: NodeId): Position;
  ports(id: NodeId): number;
}): CanvasBlocks {
  const view = createMemo(() => collapsedView(o.graph(), o.analysis(), (id) => o.base().get(id) ?? { x: 0, y: 0 }));
  const boxes = createMemo(() => new Map(view().boxes.map((b) => [b.group.id, b])));
  const visibleNodes = createMemo(() => o.graph().nodes.filter((n) => !view().hidden.has(n.id)));
  const visibleEdges = createMemo(() => o.graph().edges.filter((e) => view().ends(e) !== null));
  const boxPosition = (b: CollapsedBox) => o.live().get(b.group.id as string as NodeId) ?? b.position;

  function ends(e: GraphEdge): { from: Position; to: Position } {
    const r = view().ends(e);
    if (!r) return { from: { x: 0, y: 0 }, to: { x: 0, y: 0 } }; // an edge being removed from the drawing
    let from: Position;
    if (r.from.kind === 'node') from = outputPortPoint(o.position(r.from.id));
    else {
      const b = boxes().get(r.from.group)!;
      from = boxOutputPoint(boxPosition(b), r.from.port, b.outputs.length);
    }
    let to: Position;
    if (r.to.kind === 'node') to = inputPortPoint(o.position(r.to.id), e.targetInput, o.ports(r.to.id) || 1);
    else {
      const b = boxes().get(r.to.group)!;
      to = boxInputPoint(boxPosition(b), r.to.port, b.inputs.length);
    }
    return { from, to };
  }

  function moves(moved: ReadonlyMap<NodeId, Position>): GraphChange[] {
    const out = new Map<NodeId, Position>();
    for (const [id, p] of moved) {
      const b = boxes().get(id as string as GroupId);
      if (!b) {
        out.set(id, p);
        continue;
      }
      const dx = p.x - b.position.x;
      const dy = p.y - b.position.y;
      for (const n of b.group.nodes) {
        const at = o.base().get(n) ?? { x: 0, y: 0 };
        out.set(n, { x: at.x + dx, y: at.y + dy });
      }
    }
    return [...out].map(([nodeId, p]) => ({ type: 'moveNode', nodeId, position: { x: Math.round(p.x), y: Math.round(p.y) } }));
  }

  return { view, visibleNodes, visibleEdges, box: (id) => boxes().get(id), boxPosition, ends, moves };
}
