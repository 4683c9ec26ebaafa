// Words and numbers for the Evaluate panel: the checkpoint picker's labels and default, why the
// Evaluate button is disabled, what to do about each evaluator error code, and number formats.
import type { CheckpointId, CheckpointRecord, RunRecord } from '../../storage/types.js';
import type { EvalErrorCode } from '../../workers/evaluator-api.js';

/** 0.9123 → "91.2%"; NaN → "—". */
export function percent(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '—';
}

/** A metric in [0, 1] or any real: 4 significant digits, "—" for NaN/null. */
export function metric(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : String(Number(x.toPrecision(4)));
}

/** 1234 → "1.2 s", 340 → "340 ms". */
export function duration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

const newestFirst = (a: CheckpointRecord, b: CheckpointRecord) => b.globalStep - a.globalStep || b.createdAt - a.createdAt;

/** The picker's order: best first, then the others newest first. */
export function orderedCheckpoints(checkpoints: readonly CheckpointRecord[]): CheckpointRecord[] {
  return [...checkpoints].sort((a, b) => Number(b.kind === 'best') - Number(a.kind === 'best') || newestFirst(a, b));
}

/** The checkpoint evaluated when the person picks none: the run's best, else its newest (the worker's rule too). */
export function defaultCheckpointId(checkpoints: readonly CheckpointRecord[]): CheckpointId | null {
  return orderedCheckpoints(checkpoints)[0]?.id ?? null;
}

/** "best · epoch 3 (valLoss 0.3102)", "final · epoch 5", "periodic · epoch 2, step 40". */
export function checkpointOptionLabel(c: CheckpointRecord): string {
  const m = c.metric && Number.isFinite(c.metric.value) ? ` (${c.metric.name} ${c.metric.value.toPrecision(4)})` : '';
  return `${c.kind} · epoch ${c.epoch}${c.kind === 'periodic' ? `, step ${c.globalStep}` : ''}${m}`;
}

/** Why Evaluate cannot run now, or null when it can. */
export function evaluateBlocker(run: RunRecord | null, checkpoints: readonly CheckpointRecord[], busy: boolean): string | null {
  if (!run) return 'Pick a run in the table above to evaluate its model.';
  if (busy) return 'A run is training: evaluate when it has finished or been stopped.';
  if (checkpoints.length === 0) return 'This run has no stored checkpoint, so there is no model to evaluate.';
  return null;
}

/** What a person can do about an evaluator failure. */
export function errorAdvice(code: EvalErrorCode): string {
  switch (code) {
    case 'run-not-found':
      return 'The run is no longer stored on this device; pick another run.';
    case 'no-checkpoint':
      return 'The run has no checkpoint left; train it again or pick another run.';
    case 'version-missing':
      return 'The architecture version this run trained is no longer stored.';
    case 'dataset-missing':
      return 'The data this run trained on is no longer on this device: import the same file again (same contents), then evaluate.';
    case 'no-split':
      return 'The dataset has neither a test split nor validation samples; train with a validation split, or use a dataset with a test split.';
    case 'unsupported-task':
      return 'Evaluation covers classification and regression models only.';
    case 'session-gone':
      return 'The evaluated model was unloaded; press Evaluate again.';
    case 'bad-request':
      return 'The request was refused; check the values above.';
    case 'failed':
      return 'Something unexpected failed while evaluating; the message above says what.';
    default: {
      const never: never = code;
      throw new Error(`unknown evaluation error ${String(never)}`);
    }
  }
}

/** The sample cap field: empty → no cap; a positive whole number → that; anything else → an error message. */
export function parseSampleCap(text: string): { ok: true; cap: number | undefined } | { ok: false; error: string } {
  const t = text.trim();
  if (t === '') return { ok: true, cap: undefined };
  const n = Number(t);
  if (!Number.isInteger(n) || n < 1) return { ok: false, error: `Sample cap "${t}" is not a whole number ≥ 1 (leave it empty to evaluate every sample).` };
  return { ok: true, cap: n };
}
