// What a node card shows besides its kind: a few key params, the output shape with B for the
// batch, and the parameter count, all read from the analysis.
import type { NodeAnalysis } from '../../engine/graph/analyze.js';
import type { Shape } from '../../engine/tensor.js';

/** Params worth a glance, in the order they are shown; the first three present are used. */
const KEY_PARAMS = ['shape', 'units', 'filters', 'kernelSize', 'poolSize', 'rate', 'numHeads', 'keyDim', 'inputDim', 'outputDim', 'targetShape', 'axis', 'activation'] as const;

/** `[B, 64, 32, 32]`: the batch is B, an unknown dim is ?. */
export function shapeText(shape: Shape): string {
  return `[${shape.map((d, i) => (i === 0 ? 'B' : d === null ? '?' : String(d))).join(', ')}]`;
}

function paramText(v: unknown): string {
  // kernelSize [3, 3] reads as 3×3; other lists as written.
  if (Array.isArray(v)) return v.length === 2 && v.every((x) => typeof x === 'number') ? `${v[0]}×${v[1]}` : `[${v.join(', ')}]`;
  return String(v);
}

/** Up to three "name value" pairs from the resolved params, e.g. ["filters 64", "kernelSize 3×3"]. */
export function keyParams(a: NodeAnalysis | undefined, raw: Readonly<Record<string, unknown>>, limit = 3): string[] {
  const params = a?.params ?? raw;
  const out: string[] = [];
  for (const k of KEY_PARAMS) {
    if (out.length >= limit) break;
    const v = params[k];
    if (v === undefined || v === null || (k === 'activation' && v === 'linear')) continue;
    out.push(`${k} ${paramText(v)}`);
  }
  return out;
}

/** 1234567 → "1.2M", 50240 → "50.2k". */
export function compactCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

/**
 * `text` cut to `max` characters with an ellipsis. Cards truncate in script rather than with CSS
 * `overflow: hidden` + `text-overflow`, because each clipping element is a paint chunk of its own
 * and Chromium's per-frame layerize work grows with them (about a third of a pan frame at 500 nodes).
 * @example fitText('a_very_long_layer_name', 10) === 'a_very_lo…'
 */
export function fitText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
