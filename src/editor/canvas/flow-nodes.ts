// The graph as @xyflow/system sees it: a lookup of internal nodes with positions, fixed sizes
// and port bounds, so XYDrag and XYHandle can hit-test without measuring the DOM.
import { Position as Side, type Handle, type InternalNodeBase, type NodeBase } from '@xyflow/system';
import type { NodeId } from '../../engine/ids.js';
import type { Position } from '../../engine/project/types.js';
import { inputPortPoint, NODE_HEIGHT, NODE_WIDTH, outputPortPoint } from './edge-geometry.js';

export const PORT_SIZE = 12;
export type FlowNode = NodeBase<{ kind: string }>;
export type FlowLookup = Map<string, InternalNodeBase<FlowNode>>;

/** Handle ids: `in-0`, `in-1`, … for inputs, `out` for the single output. */
export const inputHandleId = (i: number) => `in-${i}`;
export const OUTPUT_HANDLE = 'out';
export const parseInputHandle = (id: string | null | undefined): number | null => (id?.startsWith('in-') ? Number(id.slice(3)) : null);

function handle(nodeId: string, id: string, type: 'source' | 'target', centre: Position, at: Position): Handle {
  return { id, nodeId, type, position: type === 'source' ? Side.Bottom : Side.Top, x: centre.x - at.x - PORT_SIZE / 2, y: centre.y - at.y - PORT_SIZE / 2, width: PORT_SIZE, height: PORT_SIZE };
}

export interface FlowNodeInput {
  readonly id: NodeId;
  readonly kind: string;
  readonly position: Position;
  readonly ports: number;
  readonly hasOutput: boolean;
  readonly selected: boolean;
}

/** One internal node per graph node, ready for XYDrag and XYHandle. */
export function buildLookup(nodes: Iterable<FlowNodeInput>): FlowLookup {
  const lookup: FlowLookup = new Map();
  for (const n of nodes) {
    const user: FlowNode = { id: n.id, position: n.position, data: { kind: n.kind }, selected: n.selected, width: NODE_WIDTH, height: NODE_HEIGHT };
    const target = Array.from({ length: n.ports }, (_, i) => handle(n.id, inputHandleId(i), 'target', inputPortPoint(n.position, i, n.ports), n.position));
    const source = n.hasOutput ? [handle(n.id, OUTPUT_HANDLE, 'source', outputPortPoint(n.position), n.position)] : [];
    lookup.set(n.id, {
      ...user,
      measured: { width: NODE_WIDTH, height: NODE_HEIGHT },
      internals: { positionAbsolute: n.position, z: 0, userNode: user, handleBounds: { source, target } },
    });
  }
  return lookup;
}
