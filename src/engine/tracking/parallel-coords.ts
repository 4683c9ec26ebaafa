// Parallel coordinates for runs, as pure geometry: one axis per setting that varies (linear, log
// when the values span ≥ 2 decades, or evenly spaced categories), positions along an axis as
// 0 (bottom) … 1 (top), brushes as ranges of those positions, and which runs every brush keeps.
import { sameFlat, type FlatValue } from './flatten.js';

/** A value on an axis; `undefined` when the run does not have the setting or metric. */
export type AxisValue = FlatValue | undefined;

export type Axis =
  | { readonly kind: 'linear' | 'log'; readonly key: string; readonly min: number; readonly max: number }
  | { readonly kind: 'category'; readonly key: string; readonly categories: readonly string[] };

/** A selected range on one axis, in axis positions (0 bottom … 1 top), lo ≤ hi. */
export interface Brush {
  readonly key: string;
  readonly lo: number;
  readonly hi: number;
}

/** One run as the chart sees it: its id and its value per axis key. */
export interface AxisRun {
  readonly id: string;
  readonly values: Readonly<Record<string, AxisValue>>;
}

/** A value ratio at or above which a positive numeric axis is drawn on a log scale: two decades. */
export const LOG_RATIO = 100;

/** How a missing or non-number value reads on a category axis. */
const categoryOf = (v: AxisValue): string => (v === undefined || v === null ? '—' : String(v));

/**
 * The keys whose values are not all the same across `runs` (a key some runs lack varies), sorted.
 * @example varyingKeys([{ lr: 0.1, bs: 32 }, { lr: 0.01, bs: 32 }]) // ['lr']
 */
export function varyingKeys(runs: readonly Readonly<Record<string, FlatValue>>[]): string[] {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r)))].sort();
  return keys.filter((k) => {
    const first = Object.hasOwn(runs[0] ?? {}, k) ? runs[0]![k] : undefined;
    return runs.some((r) => !sameFlat(Object.hasOwn(r, k) ? r[k] : undefined, first));
  });
}

/**
 * The axis for `key` given every run's value: numeric when every present value is a finite number
 * (log when all are positive and max/min ≥ 100), otherwise categories in sorted order.
 * @example buildAxis('lr', [1e-4, 1e-2, 0.1]) // { kind: 'log', key: 'lr', min: 1e-4, max: 0.1 }
 */
export function buildAxis(key: string, values: readonly AxisValue[]): Axis {
  const present = values.filter((v) => v !== undefined && v !== null);
  if (present.length > 0 && present.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    const nums = present as number[];
    const min = Math.min(...nums);
    const max = Math.max(...nums);
    return { kind: min > 0 && max / min >= LOG_RATIO ? 'log' : 'linear', key, min, max };
  }
  const categories = [...new Set(values.map(categoryOf))].sort();
  return { kind: 'category', key, categories };
}

/**
 * Where `value` sits on `axis`: 0 (bottom) … 1 (top); null when a numeric axis has no number for
 * it. A single-valued axis puts everything in the middle.
 */
export function axisPosition(axis: Axis, value: AxisValue): number | null {
  switch (axis.kind) {
    case 'category': {
      const i = axis.categories.indexOf(categoryOf(value));
      if (i < 0) return null;
      return axis.categories.length === 1 ? 0.5 : i / (axis.categories.length - 1);
    }
    case 'linear':
    case 'log': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return null;
      if (axis.max === axis.min) return 0.5;
      if (axis.kind === 'linear') return (value - axis.min) / (axis.max - axis.min);
      if (value <= 0) return null;
      return Math.log(value / axis.min) / Math.log(axis.max / axis.min);
    }
    default:
      return unreachable(axis);
  }
}

/** The value at position `t` of a numeric axis (the inverse of axisPosition); null on a category axis. */
export function axisValueAt(axis: Axis, t: number): number | null {
  switch (axis.kind) {
    case 'category':
      return null;
    case 'linear':
      return axis.min + t * (axis.max - axis.min);
    case 'log':
      return axis.min * (axis.max / axis.min) ** t;
    default:
      return unreachable(axis);
  }
}

/** Tick marks of an axis: categories each, log axes at powers of ten (and the ends), linear in 4 steps. */
export function axisTicks(axis: Axis): { t: number; label: string }[] {
  switch (axis.kind) {
    case 'category':
      return axis.categories.map((c) => ({ t: axisPosition(axis, c)!, label: c || '""' }));
    case 'linear':
      if (axis.min === axis.max) return [{ t: 0.5, label: formatValue(axis.min) }];
      return [0, 0.25, 0.5, 0.75, 1].map((t) => ({ t, label: formatValue(axisValueAt(axis, t)!) }));
    case 'log': {
      const ticks = [{ t: 0, label: formatValue(axis.min) }];
      for (let e = Math.ceil(Math.log10(axis.min)); 10 ** e < axis.max; e++) {
        const t = axisPosition(axis, 10 ** e)!;
        if (t > 0.06 && t < 0.94) ticks.push({ t, label: formatValue(10 ** e) });
      }
      ticks.push({ t: 1, label: formatValue(axis.max) });
      return ticks;
    }
    default:
      return unreachable(axis);
  }
}

/**
 * A brush from a vertical drag on an axis drawn from `top` (position 1) down `height` pixels
 * (position 0): the two pointer y's in pixels, in either order, clamped to the axis.
 * @example brushFromDrag('lr', 150, 50, 0, 200) // { key: 'lr', lo: 0.25, hi: 0.75 }
 */
export function brushFromDrag(key: string, y0: number, y1: number, top: number, height: number): Brush {
  if (!(height > 0)) throw new RangeError(`axis height must be positive; got ${height}`);
  const t = (y: number) => Math.min(1, Math.max(0, 1 - (y - top) / height));
  const [a, b] = [t(y0), t(y1)];
  return { key, lo: Math.min(a, b), hi: Math.max(a, b) };
}

/** How far one arrow key press moves or resizes a brush, in axis positions. */
export const KEY_STEP = 0.05;

/**
 * The keyboard alternative to dragging: with no brush yet, an arrow key keeps the lowest quarter;
 * then Up/Down move the range (`resize` false) or its top edge (`resize` true), kept inside 0…1.
 * @example nudgeBrush(undefined, 'lr', 'up', false) // { key: 'lr', lo: 0, hi: 0.25 }
 */
export function nudgeBrush(brush: Brush | undefined, key: string, dir: 'up' | 'down', resize: boolean): Brush {
  if (!brush) return { key, lo: 0, hi: 0.25 };
  const d = dir === 'up' ? KEY_STEP : -KEY_STEP;
  if (resize) return { key, lo: brush.lo, hi: Math.min(1, Math.max(brush.lo + KEY_STEP, brush.hi + d)) };
  const span = brush.hi - brush.lo;
  const lo = Math.min(1 - span, Math.max(0, brush.lo + d));
  return { key, lo, hi: lo + span };
}

/** A drag shorter than this (in axis positions) is a click: it clears the axis's brush. */
export const CLICK_SPAN = 0.01;

/**
 * The runs that every brush keeps (AND across axes). A run with no position on a brushed axis is
 * left out. A small tolerance keeps a point drawn on the brush's edge.
 */
export function keptRuns(runs: readonly AxisRun[], axes: readonly Axis[], brushes: readonly Brush[]): Set<string> {
  const byKey = new Map(axes.map((a) => [a.key, a]));
  const eps = 1e-9;
  return new Set(
    runs
      .filter((r) =>
        brushes.every((b) => {
          const axis = byKey.get(b.key);
          if (!axis) return true; // a brush on an axis no longer shown filters nothing
          const t = axisPosition(axis, r.values[b.key]);
          return t !== null && t >= b.lo - eps && t <= b.hi + eps;
        }),
      )
      .map((r) => r.id),
  );
}

/** A brush as words: "0.001 … 0.01" on numeric axes, the categories inside it on category axes. */
export function brushText(axis: Axis, brush: Brush): string {
  if (axis.kind === 'category') {
    const inside = axis.categories.filter((c) => {
      const t = axisPosition(axis, c)!;
      return t >= brush.lo - 1e-9 && t <= brush.hi + 1e-9;
    });
    return inside.length === 0 ? 'none' : inside.join(', ');
  }
  return `${formatValue(axisValueAt(axis, brush.lo)!)} … ${formatValue(axisValueAt(axis, brush.hi)!)}`;
}

/** The polyline of one run through axes at `xs` (pixels), the plot from `top` down `height`; gaps skip an axis. */
export function polylinePoints(run: AxisRun, axes: readonly Axis[], xs: readonly number[], top: number, height: number): string {
  return axes
    .flatMap((a, i) => {
      const t = axisPosition(a, run.values[a.key]);
      return t === null ? [] : [`${round(xs[i]!)},${round(top + (1 - t) * height)}`];
    })
    .join(' ');
}

/** Evenly spaced axis x positions across `width` with `pad` pixels kept free at each side. */
export function axisXs(count: number, width: number, pad: number): number[] {
  if (count <= 1) return count === 1 ? [width / 2] : [];
  return Array.from({ length: count }, (_, i) => pad + (i * (width - 2 * pad)) / (count - 1));
}

/** Blue (0, low) → teal → yellow (1, high): a perceptually ordered ramp (viridis stops) as #rrggbb. */
export function rampColor(t: number): string {
  const stops = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ] as const;
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(u));
  const f = u - i;
  const c = stops[i]!.map((v, k) => Math.round(v + f * (stops[i + 1]![k]! - v)));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** Short, readable numbers: 1e-3, 0.25, 128, 1.2e+6. */
export function formatValue(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 0.01 || a >= 1e5) return v.toExponential(1).replace('.0e', 'e');
  return String(Number(v.toPrecision(3)));
}

const round = (v: number) => Math.round(v * 10) / 10;

function unreachable(x: never): never {
  throw new Error(`unknown axis ${JSON.stringify(x)}`);
}
