// Keyboard focus on the canvas: arrows move to the nearest item that way, on LeNet's own layout
// and on hand-placed grids (the expected neighbours worked out by eye from the coordinates).
import { describe, expect, it } from 'vitest';
import { arrowDirection, nearestInDirection, type FocusItem } from '../../src/editor/blocks/focus-order.js';
import { selectedGroup } from '../../src/editor/blocks/selection.js';
import { groupIntoBlock } from '../../src/engine/blocks/index.js';
import { applyChange } from '../../src/engine/graph/changes.js';
import type { NodeId } from '../../src/engine/ids.js';
import { lenet5 } from '../../src/engine/templates/vision.js';

const at = (key: string, x: number, y: number): FocusItem => ({ key, centre: { x, y } });

describe('nearest item in a direction', () => {
  // a b c
  // d . e     (e sits a little lower than d)
  //   f
  const grid = [at('a', 0, 0), at('b', 100, 0), at('c', 200, 0), at('d', 0, 100), at('e', 200, 120), at('f', 100, 200)];

  it('steps to the neighbour in each direction, and nowhere past the edge', () => {
    expect(nearestInDirection(grid, 'a', 'right')).toBe('b');
    expect(nearestInDirection(grid, 'b', 'right')).toBe('c');
    expect(nearestInDirection(grid, 'a', 'down')).toBe('d');
    expect(nearestInDirection(grid, 'd', 'right')).toBe('e'); // within the cone though 20 lower
    expect(nearestInDirection(grid, 'b', 'down')).toBe('f'); // d and e are more sideways than down
    expect(nearestInDirection(grid, 'f', 'up')).toBe('b');
    expect(nearestInDirection(grid, 'a', 'up')).toBeNull();
    expect(nearestInDirection(grid, 'c', 'right')).toBeNull();
  });

  it('starts from the first item when the focused one is gone', () => expect(nearestInDirection(grid, 'zz', 'down')).toBe('a'));

  it('walks LeNet top to bottom with ArrowDown', () => {
    const g = lenet5.project().graph;
    const items = g.nodes.map((n) => at(n.id, n.position!.x + 100, n.position!.y + 32));
    const order = ['image'];
    for (let k = nearestInDirection(items, 'image', arrowDirection('ArrowDown')!); k; k = nearestInDirection(items, k, 'down')) order.push(k);
    expect(order).toEqual(g.nodes.map((n) => n.id));
    expect(arrowDirection('Enter')).toBeNull();
  });
});

describe('the selected group', () => {
  it('is the group whose nodes are exactly the selection', () => {
    const g0 = lenet5.project().graph;
    const stack = ['c1', 's2'] as NodeId[];
    const g = groupIntoBlock(g0, stack, { name: 'Pair', params: [] }).changes.reduce(applyChange, g0);
    expect(selectedGroup(g, ['s2', 'c1'] as NodeId[])?.name).toBe('Pair');
    expect(selectedGroup(g, ['c1'] as NodeId[])).toBeNull();
    expect(selectedGroup(g, ['c1', 's2', 'c3'] as NodeId[])).toBeNull();
    expect(selectedGroup(g, [])).toBeNull();
  });
});
