// What the canvas mounts on big graphs: the nodes near the view, the selection and the focused
// node; small graphs mount everything.
import { describe, expect, it } from 'vitest';
import { CULL_FROM, cull, curveMayCross, pointIn, visibleWorldRect } from '../../src/editor/canvas/culling.js';
import { bezierPath } from '../../src/editor/canvas/edge-geometry.js';
import { NODE_HEIGHT, NODE_WIDTH } from '../../src/editor/canvas/edge-geometry.js';

/** n nodes on a grid 10 wide, 300 × 100 apart. */
const grid = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `n${i}`, at: { x: (i % 10) * 300, y: Math.floor(i / 10) * 100 } }));
const at = (nodes: ReturnType<typeof grid>) => (id: string) => nodes.find((n) => n.id === id)!.at;

describe('visibleWorldRect', () => {
  it('is the pane in graph coordinates, grown by the margin on every side', () => {
    // Panned by (-600, -200) at zoom 2: the pane's top-left shows graph point (300, 100).
    expect(visibleWorldRect({ x: -600, y: -200, zoom: 2 }, { w: 800, h: 400 }, 0)).toEqual({ x: 300, y: 100, width: 400, height: 200 });
    expect(visibleWorldRect({ x: -600, y: -200, zoom: 2 }, { w: 800, h: 400 }, 0.5)).toEqual({ x: 100, y: 0, width: 800, height: 400 });
    expect(visibleWorldRect({ x: -600, y: -200, zoom: 2 }, { w: 800, h: 400 })).toEqual({ x: 200, y: 50, width: 600, height: 300 });
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

describe('curveMayCross', () => {
  it('keeps every edge whose drawn curve passes through the view, sampled along the path', () => {
    // Sample the SVG path's own cubic (the canvas draws bezierPath) and check no crossing curve is dropped.
    const cubic = (d: string) => d.match(/-?[\d.]+/g)!.map(Number);
    const view = { x: 0, y: 0, width: 200, height: 100 };
    let kept = 0;
    for (let i = 0; i < 400; i++) {
      const from = { x: ((i * 37) % 900) - 350, y: ((i * 53) % 700) - 300 };
      const to = { x: ((i * 71) % 900) - 350, y: ((i * 29) % 700) - 300 };
      const [x0, y0, x1, y1, x2, y2, x3, y3] = cubic(bezierPath(from, to)) as [number, number, number, number, number, number, number, number];
      const crosses = Array.from({ length: 101 }, (_, k) => k / 100).some((t) => {
        const u = 1 - t;
        const x = u ** 3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t ** 3 * x3;
        const y = u ** 3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t ** 3 * y3;
        return pointIn(view, { x, y });
      });
      if (crosses) expect(curveMayCross(view, from, to), `${JSON.stringify(from)} → ${JSON.stringify(to)}`).toBe(true);
      if (curveMayCross(view, from, to)) kept++;
    }
    expect(kept, 'and drops some').toBeLessThan(400);
  });
});
