// Where "insert after the selection" puts the new node: one row below the selected node, same x,
// or the nearest free row further down when a node's box is in the way; nothing else moves.
import { describe, expect, it } from 'vitest';
import { applyChange } from '../../src/engine/graph/changes.js';
import { nodeId } from '../../src/engine/ids.js';
import type { Graph } from '../../src/engine/project/types.js';
import { NODE_HEIGHT, NODE_WIDTH } from '../../src/editor/canvas/edge-geometry.js';
import { belowFree, INSERT_ROW, insertNode } from '../../src/editor/panels/insert-node.js';

const node = (id: string, x: number, y: number, kind = 'Dense') => ({ id: nodeId(id), kind, params: { units: 4 }, position: { x, y } });
const graphOf = (...nodes: ReturnType<typeof node>[]): Graph => ({ nodes, edges: [] });
/** The new node's position after inserting a Dense after `after`. */
const placed = (g: Graph, after: string) => {
  const { id, changes } = insertNode(g, 'Dense', nodeId(after), { x: -999, y: -999 });
  const next = changes.reduce(applyChange, g);
  for (const n of g.nodes) expect(next.nodes.find((m) => m.id === n.id)!.position, `${n.id} moved`).toEqual(n.position);
  expect(changes.some((c) => c.type === 'moveNode')).toBe(false);
  return next.nodes.find((n) => n.id === id)!.position;
};

describe('insert after: placement', () => {
  it('goes one row straight below the selected node when that spot is free', () => {
    expect(INSERT_ROW).toBeGreaterThan(NODE_HEIGHT); // a row leaves a gap between the boxes
    expect(placed(graphOf(node('a', 40, 60)), 'a')).toEqual({ x: 40, y: 160 });
  });

  it('skips rows whose spot a node covers, even partly, down to the nearest free one', () => {
    // b sits right below a; c straddles the next two rows, offset to the right but still overlapping.
    const g = graphOf(node('a', 0, 0), node('b', 0, 100), node('c', NODE_WIDTH - 1, 250));
    expect(placed(g, 'a')).toEqual({ x: 0, y: 400 });
  });

  it('is not blocked by nodes that only touch the spot or sit beside it', () => {
    const g = graphOf(node('a', 0, 0), node('right', NODE_WIDTH, 100), node('left', -NODE_WIDTH, 100), node('under', 0, 100 + NODE_HEIGHT));
    expect(belowFree(g, { x: 0, y: 0 })).toEqual({ x: 0, y: 100 });
    expect(placed(g, 'a')).toEqual({ x: 0, y: 100 });
  });

  it('ignores nodes without a position, and uses the given position when the anchor has none', () => {
    const bare = { id: nodeId('bare'), kind: 'Dense', params: { units: 4 } };
    const g: Graph = { nodes: [node('a', 0, 0), bare], edges: [] };
    expect(placed(g, 'a')).toEqual({ x: 0, y: 100 });
    const { changes } = insertNode(g, 'Dense', nodeId('bare'), { x: 7, y: 9 });
    expect(changes[0]).toMatchObject({ type: 'addNode', node: { position: { x: 7, y: 9 } } });
  });
});
