// Colour scales of the Evaluate panel: the confusion matrix's sequential blues, a categorical
// palette for classes, a heat ramp for Grad-CAM and a viridis-like ramp for regression targets.

export type Rgb = readonly [number, number, number];

const clamp01 = (t: number) => (Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0);

/** Piecewise-linear interpolation through evenly spaced stops. */
export function ramp(stops: readonly Rgb[], t: number): Rgb {
  const x = clamp01(t) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

const BLUES: readonly Rgb[] = [[255, 255, 255], [198, 219, 239], [107, 174, 214], [33, 113, 181], [8, 48, 107]];
/** Perceptually ordered (after matplotlib's viridis, 5 stops). */
const VIRIDIS: readonly Rgb[] = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
/** Dark blue → cyan → yellow → red, the usual Grad-CAM "jet"-like look. */
const HEAT: readonly Rgb[] = [[0, 0, 131], [0, 160, 255], [120, 255, 130], [255, 200, 0], [200, 0, 0]];

export const css = (c: Rgb): string => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

/** The confusion matrix fill for a value in [0, 1]. */
export const blues = (t: number): Rgb => ramp(BLUES, t);
export const viridis = (t: number): Rgb => ramp(VIRIDIS, t);
export const heat = (t: number): Rgb => ramp(HEAT, t);

/** Text that stays readable on a `blues(t)` fill. */
export const inkOnBlues = (t: number): string => (clamp01(t) > 0.5 ? '#fff' : '#1d2330');

const PALETTE: readonly Rgb[] = [
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207],
];

/** Class c's colour: ten distinct ones, then hues spaced by the golden angle. */
export function classColour(c: number): Rgb {
  if (c < PALETTE.length) return PALETTE[c]!;
  // HSL → RGB (CSS Color 4's formula) with s = 0.65, l = 0.5.
  const h = (c * 137.508) % 360;
  const a = 0.65 * 0.5;
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return 0.5 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

/**
 * A heat map blended over an RGBA image: each pixel mixes the image with `heat(map)` at
 * `alpha · map` (cold areas stay close to the image).
 */
export function overlayHeat(image: Uint8ClampedArray, map: Float32Array, alpha = 0.6): Uint8ClampedArray {
  if (image.length !== map.length * 4) throw new Error(`overlayHeat: image has ${image.length / 4} pixels, map ${map.length}`);
  const out = new Uint8ClampedArray(image.length);
  for (let i = 0; i < map.length; i++) {
    const v = clamp01(map[i]!);
    const [r, g, b] = heat(v);
    const a = alpha * (0.35 + 0.65 * v);
    out[i * 4] = image[i * 4]! * (1 - a) + r * a;
    out[i * 4 + 1] = image[i * 4 + 1]! * (1 - a) + g * a;
    out[i * 4 + 2] = image[i * 4 + 2]! * (1 - a) + b * a;
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** The heat map alone as an opaque RGBA image. */
export function heatImage(map: Float32Array): Uint8ClampedArray {
  const out = new Uint8ClampedArray(map.length * 4);
  for (let i = 0; i < map.length; i++) {
    const [r, g, b] = heat(map[i]!);
    out.set([r, g, b, 255], i * 4);
  }
  return out;
}
