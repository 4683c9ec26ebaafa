// Facts about a run kept in its RunRecord's tags, for the trainer and the page alike (no TF.js):
// `train-samples:N` (trained on the first N samples only: a resume must see the same ones) and
// `resumed-from:<runId>@<globalStep>/<epoch>` (where the run's curves continue another run's,
// kept even after retention deletes the checkpoint itself), and `reproduces:<runId>` (a run started
// by "Reproduce" from another run's recorded inputs).
import type { RunId, RunRecord } from '../storage/types.js';

export const TRAIN_SAMPLES_TAG = 'train-samples:';
export const RESUMED_FROM_TAG = 'resumed-from:';
export const REPRODUCES_TAG = 'reproduces:';

/** The point of another run that a resumed run continues: its series up to here come first. */
export interface ContinuedPoint {
  readonly runId: RunId;
  readonly globalStep: number;
  /** Completed epochs at the checkpoint. */
  readonly epoch: number;
}

export const trainSamplesTag = (n: number): string => `${TRAIN_SAMPLES_TAG}${n}`;
export const resumedFromTag = (p: ContinuedPoint): string => `${RESUMED_FROM_TAG}${p.runId}@${p.globalStep}/${p.epoch}`;
export const reproducesTag = (runId: RunId): string => `${REPRODUCES_TAG}${runId}`;

/** The sample limit a run trained with; undefined when it used every sample (or the tag is damaged). */
export function trainSamplesOf(run: Pick<RunRecord, 'tags'>): number | undefined {
  const tag = run.tags.find((t) => t.startsWith(TRAIN_SAMPLES_TAG));
  const n = tag ? Number(tag.slice(TRAIN_SAMPLES_TAG.length)) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Where a resumed run continues another; null for a run trained from scratch (or a damaged tag). */
export function continuedPointOf(run: Pick<RunRecord, 'tags'>): ContinuedPoint | null {
  const tag = run.tags.find((t) => t.startsWith(RESUMED_FROM_TAG));
  const m = tag ? /^(.+)@(\d+)\/(\d+)$/.exec(tag.slice(RESUMED_FROM_TAG.length)) : null;
  return m ? { runId: m[1]! as RunId, globalStep: Number(m[2]), epoch: Number(m[3]) } : null;
}

/** The run this one reproduces; null when it was not started by "Reproduce" (or the tag is empty). */
export function reproducedRunOf(run: Pick<RunRecord, 'tags'>): RunId | null {
  const tag = run.tags.find((t) => t.startsWith(REPRODUCES_TAG));
  const id = tag ? tag.slice(REPRODUCES_TAG.length) : '';
  return id.length > 0 ? (id as RunId) : null;
}
