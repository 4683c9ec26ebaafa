// Where a collapsed block's box and its ports sit, and the @xyflow/system lookup entries that let
// XYDrag move the box and XYHandle connect to its ports as if they were the real nodes' ports.
import { Position as Side, type Handle, type InternalNodeBase } from '@xyflow/system';
import type { CollapsedBox } from '../../engine/blocks/index.js';
import type { Position } from '../../engine/project/types.js';
import { inputPortPoint, NODE_HEIGHT, NODE_WIDTH } from '../canvas/edge-geometry.js';
import { inputHandleId, OUTPUT_HANDLE, PORT_SIZE, type FlowNode } from '../canvas/flow-nodes.js';

/** Boxes are node-sized, so the canvas's geometry (edges, selection, fit) works unchanged. */
export const BOX_WIDTH = NODE_WIDTH;
export const BOX_HEIGHT = NODE_HEIGHT;

/** Centre of the box's input port `index` of `count`. */
export const boxInputPoint = (at: Position, index: number, count: number): Position => inputPortPoint(at, index, count);

/** Centre of the box's output port `index` of `count`, spread along the bottom edge. */
export const boxOutputPoint = (at: Position, index: number, count: number): Position => ({ x: at.x + (BOX_WIDTH * (index + 1)) / (Math.max(count, 1) + 1), y: at.y + BOX_HEIGHT });

function handle(nodeId: string, id: string, type: 'source' | 'target', centre: Position, at: Position): Handle {
  return { id, nodeId, type, position: type === 'source' ? Side.Bottom : Side.Top, x: centre.x - at.x - PORT_SIZE / 2, y: centre.y - at.y - PORT_SIZE / 2, width: PORT_SIZE, height: PORT_SIZE };
}

function entry(id: string, at: Position, selected: boolean, source: Handle[], target: Handle[], draggable: boolean): InternalNodeBase<FlowNode> {
  const user: FlowNode = { id, position: at, data: { kind: 'block' }, selected, width: BOX_WIDTH, height: BOX_HEIGHT, draggable };
  return { ...user, measured: { width: BOX_WIDTH, height: BOX_HEIGHT }, internals: { positionAbsolute: at, z: 0, userNode: user, handleBounds: { source, target } } };
}

/**
 * Lookup entries for one box: the box itself (id = group id, dragged as a whole) and one port-only
 * entry per real node behind a port (id = that node's id, never dragged), with its handles where
 * the box draws them: a connection dropped on a box port connects to the real node and input.
 */
export function boxLookupEntries(box: CollapsedBox, at: Position, selected: boolean): [string, InternalNodeBase<FlowNode>][] {
  const out: [string, InternalNodeBase<FlowNode>][] = [[box.group.id, entry(box.group.id, at, selected, [], [], true)]];
  const nodes = new Set([...box.inputs.map((p) => p.node), ...box.outputs.map((p) => p.node)]);
  for (const id of nodes) {
    const target = box.inputs.flatMap((p, i) => (p.node === id ? [handle(id, inputHandleId(p.targetInput), 'target', boxInputPoint(at, i, box.inputs.length), at)] : []));
    const k = box.outputs.findIndex((p) => p.node === id);
    const source = k >= 0 ? [handle(id, OUTPUT_HANDLE, 'source', boxOutputPoint(at, k, box.outputs.length), at)] : [];
    out.push([id, entry(id, at, false, source, target, false)]);
  }
  return out;
}
