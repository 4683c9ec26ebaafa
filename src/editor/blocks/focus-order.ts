// Keyboard focus on the canvas: from the focused item, the nearest item in an arrow's direction
// (within a 45° cone either side, distance weighted against straying sideways).
import type { Position } from '../../engine/project/types.js';

export type Direction = 'left' | 'right' | 'up' | 'down';

export interface FocusItem {
  readonly key: string;
  /** Centre of the item in graph coordinates. */
  readonly centre: Position;
}

const ARROWS: Readonly<Record<string, Direction>> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

/** The direction an arrow key names, or null for any other key. */
export const arrowDirection = (key: string): Direction | null => ARROWS[key] ?? null;

/**
 * The key of the nearest item from `from` towards `dir`, or null when there is none that way.
 * @example nearestInDirection(items, 'c1', 'down') // → 's2', the node under c1
 */
export function nearestInDirection(items: readonly FocusItem[], from: string, dir: Direction): string | null {
  const origin = items.find((i) => i.key === from);
  if (!origin) return items[0]?.key ?? null;
  let best: string | null = null;
  let bestScore = Infinity;
  for (const item of items) {
    if (item.key === from) continue;
    const dx = item.centre.x - origin.centre.x;
    const dy = item.centre.y - origin.centre.y;
    const along = dir === 'left' ? -dx : dir === 'right' ? dx : dir === 'up' ? -dy : dy;
    const across = dir === 'left' || dir === 'right' ? Math.abs(dy) : Math.abs(dx);
    if (along <= 0 || across > along) continue;
    const score = along + 2 * across;
    if (score < bestScore) {
      bestScore = score;
      best = item.key;
    }
  }
  return best;
}
