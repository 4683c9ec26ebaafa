// The canvas's view of a collapsed block: edges drawn to the box's ports, a dragged box moved as
// one batch of node moves (each node by the box's delta), and lookup entries whose handles sit
// on the box's ports under the real node ids (so a connection reaches the real input).
import { createRoot, createSignal } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { BOX_HEIGHT, boxInputPoint, boxLookupEntries, boxOutputPoint } from '../../src/editor/blocks/box-geometry.js';
import { createCanvasBlocks } from '../../src/editor/blocks/canvas-blocks.js';
import { inputPortPoint } from '../../src/editor/canvas/edge-geometry.js';
import { groupIntoBlock } from '../../src/engine/blocks/index.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { applyChange } from '../../src/engine/graph/changes.js';
import { nodeId, type NodeId } from '../../src/engine/ids.js';
import type { Position } from '../../src/engine/project/types.js';
import { lenet5 } from '../../src/engine/templates/vision.js';

function setup() {
  const g0 = lenet5.project().graph;
  const edit = groupIntoBlock(g0, ['c1', 's2', 'c3', 's4'].map(nodeId), { name: 'Stack', params: [] });
  const g = edit.changes.reduce(applyChange, g0);
  const base = new Map(g.nodes.map((n) => [n.id, n.position!]));
  return createRoot(() => {
    const [live] = createSignal<ReadonlyMap<NodeId, Position>>(new Map());
    const blocks = createCanvasBlocks({ graph: () => g, analysis: () => analyzeGraph(g), base: () => base, live, position: (id) => base.get(id)!, ports: () => 1 });
    return { g, edit, base, blocks };
  });
}

describe('a collapsed block on the canvas', () => {
  it('draws six nodes and the edges that enter and leave the box at its ports', () => {
    const { g, edit, base, blocks } = setup();
    expect(blocks.visibleNodes().map((n) => n.id)).toEqual(['image', 'flatten', 'f5', 'f6', 'output']);
    expect(blocks.visibleEdges()).toHaveLength(g.edges.length - 3); // three edges inside the box
    const box = blocks.box(edit.groupId)!;
    expect(box.position).toEqual(base.get(nodeId('c1'))); // LeNet's stack is one column: its top-left is c1
    const into = blocks.ends({ source: nodeId('image'), target: nodeId('c1'), targetInput: 0 });
    expect(into.to).toEqual(boxInputPoint(box.position, 0, 1));
    const out = blocks.ends({ source: nodeId('s4'), target: nodeId('flatten'), targetInput: 0 });
    expect(out.from).toEqual(boxOutputPoint(box.position, 0, 1));
    expect(out.from.y).toBe(box.position.y + BOX_HEIGHT);
    expect(out.to).toEqual(inputPortPoint(base.get(nodeId('flatten'))!, 0, 1));
  });

  it('turns a dragged box into one moveNode per member, each by the box delta, plus the other dragged nodes', () => {
    const { edit, base, blocks } = setup();
    const box = blocks.box(edit.groupId)!;
    const moves = blocks.moves(new Map([[edit.groupId as string as NodeId, { x: box.position.x + 40.4, y: box.position.y - 10 }], [nodeId('f5'), { x: 7, y: 8 }]]));
    expect(moves).toEqual([
      ...['c1', 's2', 'c3', 's4'].map((id) => ({ type: 'moveNode', nodeId: id, position: { x: base.get(nodeId(id))!.x + 40, y: base.get(nodeId(id))!.y - 10 } })),
      { type: 'moveNode', nodeId: 'f5', position: { x: 7, y: 8 } },
    ]);
  });

  it('puts the real nodes’ handles on the box’s ports, and only the box is draggable', () => {
    const { edit, blocks } = setup();
    const box = blocks.box(edit.groupId)!;
    const entries = new Map(boxLookupEntries(box, box.position, false));
    expect([...entries.keys()]).toEqual([edit.groupId, 'c1', 's4']);
    expect(entries.get(edit.groupId)!.draggable).toBe(true);
    expect(entries.get('c1')!.draggable).toBe(false);
    const c1 = entries.get('c1')!.internals.handleBounds!;
    expect(c1.target!.map((h) => h.id)).toEqual(['in-0']);
    const at = boxInputPoint(box.position, 0, 1);
    expect({ x: box.position.x + c1.target![0]!.x + 6, y: box.position.y + c1.target![0]!.y + 6 }).toEqual(at);
    expect(entries.get('s4')!.internals.handleBounds!.source!.map((h) => h.id)).toEqual(['out']);
  });
});
