// The selection box: shift-drag on the canvas background draws a rectangle and selects the
// nodes it touches. Captured before d3-zoom sees the press, so the drag does not pan.
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import type { Position } from '../../engine/project/types.js';
import type { Rect } from './edge-geometry.js';

export interface SelectionBox {
  /** The box in pane pixels while dragging. */
  readonly rect: Accessor<Rect | null>;
  attach(wrapper: HTMLElement, pane: () => HTMLElement | null): void;
}

const normalise = (a: Position, b: Position): Rect => ({ x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) });

export function createSelectionBox(o: { toGraph(p: Position): Position; onBusy(selecting: boolean): void; onSelect(graphRect: Rect, additive: boolean): void }): SelectionBox {
  const [rect, setRect] = createSignal<Rect | null>(null);
  return {
    rect,
    attach(wrapper, pane) {
      const down = (e: MouseEvent) => {
        const p = pane();
        if (!e.shiftKey || e.button !== 0 || !p || !p.contains(e.target as Node) || (e.target as Element).closest('.canvas-node, .edge-label')) return;
        e.stopPropagation(); // d3-zoom listens on the pane: it must not pan
        e.preventDefault();
        const origin = p.getBoundingClientRect();
        const at = (ev: MouseEvent): Position => ({ x: ev.clientX - origin.left, y: ev.clientY - origin.top });
        const start = at(e);
        o.onBusy(true);
        setRect(normalise(start, start));
        const move = (ev: MouseEvent) => setRect(normalise(start, at(ev)));
        const up = (ev: MouseEvent) => {
          window.removeEventListener('mousemove', move);
          window.removeEventListener('mouseup', up);
          const r = normalise(start, at(ev));
          const a = o.toGraph({ x: r.x, y: r.y });
          const b = o.toGraph({ x: r.x + r.width, y: r.y + r.height });
          setRect(null);
          o.onBusy(false);
          // The click that follows this mouseup must not reach the pane (a pane click clears the selection).
          const eat = (c: MouseEvent) => c.stopPropagation();
          window.addEventListener('click', eat, { capture: true, once: true });
          setTimeout(() => window.removeEventListener('click', eat, { capture: true }), 0);
          o.onSelect(normalise(a, b), ev.ctrlKey || ev.metaKey);
        };
        window.addEventListener('mousemove', move);
        window.addEventListener('mouseup', up);
      };
      wrapper.addEventListener('mousedown', down, { capture: true });
      onCleanup(() => wrapper.removeEventListener('mousedown', down, { capture: true }));
    },
  };
}
