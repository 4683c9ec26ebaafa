// Where nodes, ports and edges sit in graph coordinates. Nodes have a fixed size so the
// geometry is pure arithmetic (no DOM measuring): inputs along the top edge, the output
// at the bottom centre; the graph flows downward like the templates' layered layout.
import type { Position } from '../../engine/project/types.js';

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 64;

/** Centre of input port `index` of `count` on a node whose top-left is `at`. */
export function inputPortPoint(at: Position, index: number, count: number): Position {
  return { x: at.x + (NODE_WIDTH * (index + 1)) / (Math.max(count, 1) + 1), y: at.y };
}

export function outputPortPoint(at: Position): Position {
  return { x: at.x + NODE_WIDTH / 2, y: at.y + NODE_HEIGHT };
}

/** A vertical cubic bezier from an output port down (or up) to an input port, as an SVG path. */
export function bezierPath(from: Position, to: Position): string {
  // Control arms grow with distance so long back-edges still leave and enter vertically.
  const arm = Math.max(30, Math.abs(to.y - from.y) / 2);
  return `M${from.x},${from.y} C${from.x},${from.y + arm} ${to.x},${to.y - arm} ${to.x},${to.y}`;
}

/** The curve's point at t = 0.5, where the shape label goes. */
export function bezierMidpoint(from: Position, to: Position): Position {
  const arm = Math.max(30, Math.abs(to.y - from.y) / 2);
  // B(0.5) = (P0 + 3·P1 + 3·P2 + P3) / 8
  const y = (from.y + 3 * (from.y + arm) + 3 * (to.y - arm) + to.y) / 8;
  return { x: (from.x + to.x) / 2, y };
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Bounds of nodes at `positions` (an empty graph gives a node-sized box at the origin). */
export function nodesBounds(positions: Iterable<Position>): Rect {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const p of positions) {
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x + NODE_WIDTH);
    y1 = Math.max(y1, p.y + NODE_HEIGHT);
  }
  if (x0 === Infinity) return { x: 0, y: 0, width: NODE_WIDTH, height: NODE_HEIGHT };
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Whether two rects overlap (selection box against a node). */
export function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
