// Which nodes and edge labels the canvas mounts: on big graphs only those near the visible
// area, so a pan or drag frame costs what is on screen rather than the whole graph (Chromium's
// per-frame paint and layerize work grows with every mounted element; bench/README.md).
import type { Position } from '../../engine/project/types.js';
import { intersects, NODE_HEIGHT, NODE_WIDTH, type Rect } from './edge-geometry.js';

/** Below this many nodes everything is mounted: culling would only add churn. */
export const CULL_FROM = 150;

export interface Viewport {
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
}

/**
 * The graph-coordinate rectangle the pane shows, grown by `margin` of its size on every side so
 * nodes mount before they scroll in. Null when the pane has no size yet (hidden view): mount all.
 */
export function visibleWorldRect(v: Viewport, pane: { w: number; h: number }, margin = 0.25): Rect | null {
  if (pane.w <= 0 || pane.h <= 0 || v.zoom <= 0) return null;
  const w = pane.w / v.zoom;
  const h = pane.h / v.zoom;
  return { x: -v.x / v.zoom - w * margin, y: -v.y / v.zoom - h * margin, width: w * (1 + 2 * margin), height: h * (1 + 2 * margin) };
}

/** The items to mount: all on small graphs, else those whose card meets `rect`, plus `keep` (selected, focused). */
export function cull<T extends { readonly id: string }>(items: readonly T[], rect: Rect | null, at: (id: T['id']) => Position, keep: ReadonlySet<string>): readonly T[] {
  if (rect === null || items.length < CULL_FROM) return items;
  return items.filter((n) => keep.has(n.id) || intersects(rect, { ...at(n.id), width: NODE_WIDTH, height: NODE_HEIGHT }));
}

/** Whether a point (an edge label's midpoint) is inside `rect`; always true without a rect. */
export const pointIn = (rect: Rect | null, p: Position): boolean => rect === null || (p.x >= rect.x && p.x <= rect.x + rect.width && p.y >= rect.y && p.y <= rect.y + rect.height);

/**
 * Whether the curve between two ports can cross `rect`: its control polygon's bounding box (which
 * contains the whole bezier) meets it. Always true without a rect.
 */
export function curveMayCross(rect: Rect | null, from: Position, to: Position): boolean {
  if (rect === null) return true;
  const arm = Math.max(30, Math.abs(to.y - from.y) / 2); // as bezierPath's control arms
  const x = Math.min(from.x, to.x);
  const y = Math.min(from.y, to.y - arm);
  return intersects(rect, { x, y, width: Math.max(from.x, to.x) - x, height: Math.max(from.y + arm, to.y) - y });
}
