// Keyboard focus of canvas items (nodes and collapsed blocks) as one roving tab stop: Tab enters
// on the selected (or first) item, arrows move focus to the nearest item that way, Enter or Space
// selects it. Delete is left to bubble to the editor's command table.
import { createEffect, createMemo, createSignal, type Accessor } from 'solid-js';
import { arrowDirection, nearestInDirection, type FocusItem } from '../blocks/focus-order.js';

export interface KeyboardFocus {
  /** 0 for the one item Tab lands on, -1 for the others. */
  tabIndex(key: string): number;
  onFocus(key: string): void;
  onKeyDown(e: KeyboardEvent, key: string): void;
  /** The item that has (or is getting) keyboard focus: the canvas keeps it mounted when culling. */
  readonly focused: Accessor<string | null>;
}

export function createKeyboardFocus(o: {
  items: Accessor<readonly FocusItem[]>;
  /** Keys of selected items, in selection order. */
  selectedKeys: Accessor<readonly string[]>;
  select(key: string): void;
  /** The element of an item, to move DOM focus to it. */
  element(key: string): HTMLElement | null;
  /** Brings an item into view when focus moves to it. */
  reveal(key: string): void;
  /** The focused item went away (deleted): focus something that keeps the editor's keys (the canvas). */
  onLost(): void;
}): KeyboardFocus {
  const [focused, setFocused] = createSignal<string | null>(null);
  // A deleted node takes DOM focus with it, and keys pressed on <body> reach no editor shortcut.
  createEffect(() => {
    const f = focused();
    if (f === null || o.items().some((i) => i.key === f)) return;
    queueMicrotask(() => {
      if (typeof document !== 'undefined' && (document.activeElement === null || document.activeElement === document.body)) o.onLost();
    });
  });
  const roving = createMemo(() => {
    const keys = new Set(o.items().map((i) => i.key));
    const f = focused();
    if (f !== null && keys.has(f)) return f;
    return o.selectedKeys().find((k) => keys.has(k)) ?? o.items()[0]?.key ?? null;
  });
  return {
    focused,
    tabIndex: (key) => (key === roving() ? 0 : -1),
    onFocus: (key) => setFocused(key),
    onKeyDown(e, key) {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const dir = arrowDirection(e.key);
      if (dir) {
        e.preventDefault();
        e.stopPropagation(); // the canvas would pan
        const next = nearestInDirection(o.items(), key, dir);
        if (next === null) return;
        setFocused(next);
        o.reveal(next);
        o.element(next)?.focus({ preventScroll: true });
      } else if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        e.stopPropagation();
        o.select(key);
      }
    },
  };
}
