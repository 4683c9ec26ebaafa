// Node drag: @xyflow/system's XYDrag wrapped as a Solid primitive. Positions move locally
// while the pointer moves (no history, no storage); the drop reports the final positions once.
import { XYDrag, type Transform } from '@xyflow/system';
import { onCleanup } from 'solid-js';
import type { NodeId } from '../../engine/ids.js';
import type { Position } from '../../engine/project/types.js';
import type { FlowLookup } from './flow-nodes.js';

/** Class of elements inside a node that must not start a drag (its ports, its buttons). */
export const NO_DRAG = 'nodrag';

export interface NodeDragOptions {
  lookup(): FlowLookup;
  transform(): Transform;
  pane(): Element | null;
  canEdit(): boolean;
  panBy(delta: Position): Promise<boolean>;
  /** Live positions of the dragged nodes, every pointer move. */
  onMove(positions: ReadonlyMap<NodeId, Position>): void;
  /** The drop: final positions of the nodes that moved (empty when none did). */
  onDrop(positions: ReadonlyMap<NodeId, Position>): void;
}

/** Returns `attach(element, id)`: makes one node element draggable until the node unmounts. */
export function createNodeDrag(o: NodeDragOptions): (el: HTMLElement, id: NodeId) => void {
  return (el, id) => {
    let start = new Map<NodeId, Position>();
    const snapshot = (items: Map<string, { position: Position }>) => new Map([...items].map(([k, v]) => [k as NodeId, { x: v.position.x, y: v.position.y }]));
    const drag = XYDrag({
      getStoreItems: () => ({
        nodes: [...o.lookup().values()].map((n) => n.internals.userNode),
        nodeLookup: o.lookup(),
        edges: [],
        nodeExtent: [[-Infinity, -Infinity], [Infinity, Infinity]],
        snapGrid: [10, 10],
        snapToGrid: false,
        nodeOrigin: [0, 0],
        multiSelectionActive: false,
        domNode: o.pane(),
        transform: o.transform(),
        autoPanOnNodeDrag: false,
        nodesDraggable: o.canEdit(),
        selectNodesOnDrag: false,
        nodeDragThreshold: 0, // a threshold would drop the first pixels of every drag
        panBy: o.panBy,
        unselectNodesAndEdges: () => undefined,
        updateNodePositions: (items, dragging) => {
          if (dragging) o.onMove(snapshot(items as Map<string, { position: Position }>));
        },
      }),
      onDragStart: (_e, items) => (start = snapshot(items)),
      onDragStop: (_e, items) => {
        const end = snapshot(items);
        const moved = new Map([...end].filter(([k, p]) => start.get(k)?.x !== p.x || start.get(k)?.y !== p.y));
        o.onDrop(moved);
      },
    });
    drag.update({ domNode: el, nodeId: id, noDragClassName: NO_DRAG, isSelectable: true, nodeClickDistance: 2 });
    onCleanup(() => drag.destroy());
  };
}
