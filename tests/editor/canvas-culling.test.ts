// What the canvas mounts on big graphs: the nodes near the view, the selection and the focused
// node; small graphs mount everything.
import { describe, expect, it } from 'vitest';
import { CULL_FROM, cull, pointIn, visibleWorldRect } from '../../src/editor/canvas/culling.js';
import { NODE_HEIGHT, NODE_WIDTH } from '../../src/editor/canvas/edge-geometry.js';

/** n nodes on a grid 10 wide, 300 × 100 apart. */
const grid = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `n${i}`, at: { x: (i % 10) * 300, y: Math.floor(i / 10) * 100 } }));
const at = (nodes: ReturnType<typeof grid>) => (id: string) => nodes.find((n) => n.id === id)!.at;

describe('visibleWorldRect', () => {
  it('is the pane in graph coordinates, grown by the margin on every side', () => {
    // Panned by (-600, -200) at zoom 2: the pane's top-left shows graph point (300, 100).
    expect(visibleWorldRect({ x: -600, y: -200, zoom: 2 }, { w: 800, h: 400 }, 0)).toEqual({ x: 300, y: 100, width: 400, height: 200 });
    expect(visibleWorldRect({ x: -600, y: -200, zoom: 2 }, { w: 800, h: 400 }, 0.5)).toEqual({ x: 100, y: 0, width: 800, height: 400 });
    expect(visibleWorldRect({ x: 0, y: 0, zoom: 1 }, { w: 0, h: 400 })).toBeNull();
  });
});

describe('cull', () => {
  it('mounts every node of a small graph, wherever the view is', () => {
    const nodes = grid(CULL_FROM - 1);
    expect(cull(nodes, { x: 1e6, y: 1e6, width: 10, height: 10 }, at(nodes), new Set())).toBe(nodes);
  });

  it('on a big graph mounts exactly the cards that meet the view, plus kept ones', () => {
    const nodes = grid(500);
    const view = { x: 250, y: 150, width: 400, height: 120 }; // meets columns 0–2 (x 0–800) and rows 1–2
    const mounted = cull(nodes, view, at(nodes), new Set(['n499']));
    const expected = nodes.filter(({ at: p }) => p.x < 650 && p.x + NODE_WIDTH > 250 && p.y < 270 && p.y + NODE_HEIGHT > 150).map((n) => n.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(mounted.map((n) => n.id)).toEqual([...expected, 'n499'].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))));
    expect(cull(nodes, null, at(nodes), new Set())).toBe(nodes);
  });

  it('places edge-label midpoints inside or outside the view', () => {
    const r = { x: 0, y: 0, width: 100, height: 50 };
    expect([pointIn(r, { x: 50, y: 25 }), pointIn(r, { x: 101, y: 25 }), pointIn(null, { x: 1e9, y: 0 })]).toEqual([true, false, true]);
  });
});
