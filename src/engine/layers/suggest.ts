// Suggestions for a mismatched input that name the node producing it and the param to
// change: "Give the Conv2D "c2" 10 filters and padding 'same', or insert a Reshape."
import { formatShape, type Shape } from '../tensor.js';
import { describeSource } from './common.js';
import type { InputInfo } from './spec.js';

const known = (d: number | null | undefined): d is number => d !== null && d !== undefined;

/** The param fix for the last (channel) dim, if the producer has a param that sets it. */
function channelFix(src: InputInfo, want: number): string | null {
  const params = src.source.params;
  if (typeof params['filters'] === 'number') return `${want} filters`;
  if (typeof params['units'] === 'number') return `${want} units`;
  return null;
}

/** 'valid' padding shrinks spatial dims; 'same' keeps them, so suggest it when the producer's output is smaller. */
function spatialFix(src: InputInfo, want: Shape, dims: readonly number[]): string | null {
  if (src.source.params['padding'] !== 'valid') return null;
  const smaller = dims.some((i) => known(src.shape[i]) && known(want[i]) && src.shape[i]! < want[i]!);
  return smaller ? "padding 'same'" : null;
}

/** Indices of dims (batch excluded) where both shapes are known and differ, skipping `ignoreAxis`. */
function differingDims(got: Shape, want: Shape, ignoreAxis: number | null): number[] {
  const out: number[] = [];
  for (let i = 1; i < want.length; i++) {
    if (i !== ignoreAxis && known(got[i]) && known(want[i]) && got[i] !== want[i]) out.push(i);
  }
  return out;
}

/**
 * What to do so that `src` gives a tensor matching `want` (except on `ignoreAxis`, e.g.
 * Concatenate's axis). Always ends with ", or insert a Reshape." or names Reshape/Flatten.
 * @example matchSuggestion(conv2dValid8, [null, 28, 28, 10]) // → `Give the Conv2D "c2" 10 filters and padding 'same', or insert a Reshape.`
 */
export function matchSuggestion(src: InputInfo, want: Shape, ignoreAxis: number | null = null): string {
  if (src.shape.length !== want.length) {
    const flatten = want.length === 2 && src.shape.length > 2 ? 'a Flatten or ' : '';
    return `Insert ${flatten}a Reshape after ${describeSource(src)} so that it gives ${formatShape(want)}.`;
  }
  const diff = differingDims(src.shape, want, ignoreAxis);
  const last = want.length - 1;
  const spatial = diff.filter((i) => i !== last);
  // Each kind of difference needs its own fix; name them only when all are available.
  const fixes = [
    diff.includes(last) ? channelFix(src, want[last]!) : undefined,
    spatial.length ? spatialFix(src, want, spatial) : undefined,
  ].filter((f) => f !== undefined);
  if (fixes.length && fixes.every((f) => f !== null)) return `Give ${describeSource(src)} ${fixes.join(' and ')}, or insert a Reshape.`;
  return `Make ${describeSource(src)} give ${formatShape(want)}, or insert a Reshape.`;
}
