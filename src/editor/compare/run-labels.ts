// How the Compare panel names and colours runs: the run's own name when it has one, else a short
// id with the settings that differ among the compared runs ("3f2a9c · learningRate 0.01").
import { flattenSettings, type FlatValue } from '../../engine/tracking/flatten.js';
import { formatValue, varyingKeys } from '../../engine/tracking/parallel-coords.js';
import type { RunRecord } from '../../storage/types.js';

/** A run's hyperparameters as flat paths (`optimizer.learningRate`, `seed`, …), as the diff sees them. */
export const settingsOf = (run: RunRecord): Record<string, FlatValue> => flattenSettings({ ...run.config, seed: run.seed });

/** The settings (flat paths) that differ among `runs`, sorted. */
export const varyingSettings = (runs: readonly RunRecord[]): string[] => varyingKeys(runs.map(settingsOf));

/** The first characters of a run id: enough to tell runs apart in a legend. */
export const shortId = (id: string): string => id.replace(/-/g, '').slice(0, 6);

/** The last segment of a flat path: `optimizer.learningRate` → `learningRate`. */
export const leafName = (path: string): string => path.slice(path.lastIndexOf('.') + 1);

const show = (v: FlatValue | undefined): string => (v === undefined ? '—' : typeof v === 'number' ? formatValue(v) : String(v));

/**
 * Legend labels by run id: the run's name when set, else its short id plus up to two of the
 * varying settings.
 */
export function runLabels(runs: readonly RunRecord[]): Map<string, string> {
  const keys = varyingSettings(runs).slice(0, 2);
  return new Map(
    runs.map((r) => {
      if (r.name) return [r.id, r.name];
      const s = settingsOf(r);
      const parts = keys.map((k) => `${leafName(k)} ${show(s[k])}`);
      return [r.id, [shortId(r.id), ...parts].join(' · ')];
    }),
  );
}

/** Tableau 10: distinct on light backgrounds and for common colour-vision deficiencies. */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** The i-th run's colour: the palette first, then hues a golden angle apart. */
export function runColor(i: number): string {
  if (i < PALETTE.length) return PALETTE[i]!;
  const hue = Math.round((i * 137.508) % 360);
  return `hsl(${hue} 65% ${i % 2 === 0 ? 42 : 55}%)`;
}
