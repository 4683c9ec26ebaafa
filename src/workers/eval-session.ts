// The one evaluation the worker keeps for follow-up questions (samples, Grad-CAM, projections):
// the model with the checkpoint's weights, the scored split and what scoring it found. A new
// evaluation replaces it; a question about any other session is answered 'session-gone'.
import type * as tf from '@tensorflow/tfjs';
import type { ClassificationReport, RegressionReport } from '../engine/eval/index.js';
import type { Preprocessing, Split } from '../engine/data/index.js';
import { EvalError } from './eval-errors.js';
import type { EvalNode, EvalSessionId } from './evaluator-api.js';

/** What scoring found, per task. */
export type SessionScores =
  | {
      readonly task: 'classification';
      readonly classNames: readonly string[];
      readonly labels: Int32Array;
      /** N×C probabilities, row-major. */
      readonly probs: Float32Array;
      readonly report: ClassificationReport;
    }
  | {
      readonly task: 'regression';
      /** N×D targets and predictions, row-major. */
      readonly actual: Float32Array;
      readonly predicted: Float32Array;
      readonly outputs: number;
      /** The run's loss per sample (mean over outputs). */
      readonly losses: Float32Array;
      readonly report: RegressionReport;
    };

export interface EvalSession {
  readonly id: EvalSessionId;
  readonly model: tf.LayersModel;
  /** The scored samples, in split order (index i of every reply is sample i here). */
  readonly split: Split;
  /** The model's input, one sample: what a batch is reshaped to. */
  readonly inputShape: readonly number[];
  readonly inputDtype: 'float32' | 'int32';
  readonly preprocessing: Preprocessing | null;
  readonly sampleKind: 'image' | 'text' | 'table' | 'sequence';
  readonly nodes: readonly EvalNode[];
  readonly scores: SessionScores;
}

let counter = 0;
/** A fresh id, unique within this worker's life and unlikely to match another worker's. */
export const newSessionId = (): EvalSessionId => `eval-${Date.now().toString(36)}-${(++counter).toString(36)}` as EvalSessionId;

/** Holds at most one session; replacing or disposing it frees its model. */
export class SessionSlot {
  private current: EvalSession | null = null;

  /** The session `id`, or EvalError('session-gone') when it was disposed or replaced. */
  get(id: EvalSessionId): EvalSession {
    if (!this.current || this.current.id !== id)
      throw new EvalError('session-gone', `evaluation ${id} is no longer in the evaluator (it was replaced by a newer evaluation or closed); evaluate again`);
    return this.current;
  }

  has(): boolean {
    return this.current !== null;
  }

  /** Frees the kept session (before a new evaluation loads, so two models never coexist). */
  clear(): void {
    this.current?.model.dispose();
    this.current = null;
  }

  set(session: EvalSession): void {
    this.clear();
    this.current = session;
  }

  /** Frees the session if it is `id`; a stale id changes nothing. */
  dispose(id: EvalSessionId): void {
    if (this.current?.id === id) this.clear();
  }
}
