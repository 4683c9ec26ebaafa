// The run a share link reports: the best completed run of the project, by validation accuracy,
// else accuracy, else lowest validation loss, else lowest loss.
import type { SharedBestRun } from '../../engine/share/index.js';

/** The fields of a stored run this needs (src/storage/types.ts RunRecord). */
export interface RunLike {
  readonly status: string;
  readonly epochs: number;
  readonly finalMetrics: Readonly<Record<string, number>>;
  readonly tags?: readonly string[];
}

const RANKING: readonly (readonly [string, 'max' | 'min'])[] = [
  ['valAccuracy', 'max'],
  ['accuracy', 'max'],
  ['valLoss', 'min'],
  ['loss', 'min'],
];
const METRIC_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * The best completed run as a link carries it (finite metrics with plain names, at most 32), or
 * undefined when no completed run has a metric to rank by.
 * @example bestRunSummary([{ status: 'completed', epochs: 3, finalMetrics: { valAccuracy: 0.97 } }]) // → { metrics: { valAccuracy: 0.97 }, epochs: 3 }
 */
export function bestRunSummary(runs: readonly RunLike[]): SharedBestRun | undefined {
  const done = runs.filter((r) => r.status === 'completed');
  for (const [metric, mode] of RANKING) {
    const ranked = done.filter((r) => Number.isFinite(r.finalMetrics[metric]));
    if (ranked.length === 0) continue;
    const best = ranked.reduce((a, b) => {
      const av = a.finalMetrics[metric]!;
      const bv = b.finalMetrics[metric]!;
      return (mode === 'max' ? bv > av : bv < av) ? b : a;
    });
    const metrics = Object.fromEntries(
      Object.entries(best.finalMetrics)
        .filter(([k, v]) => METRIC_NAME.test(k) && k !== '__proto__' && k !== 'constructor' && k !== 'prototype' && Number.isFinite(v))
        .slice(0, 32),
    );
    return { metrics, epochs: best.epochs };
  }
  return undefined;
}
