// The one contract between the page and the evaluator worker (comlink): a stored run's model
// (a checkpoint's weights on its own architecture version) scored on a held-out split of the
// data it trained on, then asked follow-up questions (samples, Grad-CAM, projections) about
// that evaluation. The page imports this file for its types only: TF.js stays in the worker.
// Replies never reject; failures come back as { ok: false, error, code }.
import type { BackendPreference } from '../engine/runtime/backend-types.js';
import type { ClassificationReport, RegressionReport, ResidualPoint, RocReport } from '../engine/eval/index.js';
import type { Brand } from '../engine/ids.js';
import type { CheckpointId, RunId } from '../storage/types.js';
import type { WireError } from './trainer-api.js';

/** One evaluation kept in the worker (model + split), for follow-up questions. */
export type EvalSessionId = Brand<string, 'EvalSessionId'>;

/**
 * What to evaluate. The split is the held-out one the run never trained on: the dataset's test
 * split, or the validation samples carved exactly as the run carved them (its seed and
 * validationSplit), when asked or when the dataset has no test split.
 */
export interface EvalRequest {
  readonly runId: RunId;
  /** Null: the run's 'best' checkpoint, else its newest one. */
  readonly checkpointId: CheckpointId | null;
  readonly split: 'test' | 'validation';
  /** Evaluate the first N samples of the split only (default: all). */
  readonly maxSamples?: number;
  /** Default 'auto' (the same choice the trainer makes). */
  readonly backend?: BackendPreference;
}

export type EvalErrorCode = 'run-not-found' | 'no-checkpoint' | 'version-missing' | 'dataset-missing' | 'no-split' | 'unsupported-task' | 'session-gone' | 'bad-request' | 'failed';

export interface EvalFailure {
  readonly ok: false;
  readonly code: EvalErrorCode;
  readonly error: WireError;
}

/** A node the page may pick for Grad-CAM or a projection. */
export interface EvalNode {
  readonly id: string;
  readonly kind: string;
  /** Output shape without the batch dimension. */
  readonly shape: readonly number[];
  /** Output is [h, w, c] with h·w > 1: Grad-CAM can explain it. */
  readonly spatial: boolean;
}

/** Facts every evaluation reports. */
export interface EvalCommon {
  readonly session: EvalSessionId;
  readonly runId: RunId;
  readonly checkpointId: CheckpointId;
  /** Which split was scored (a 'test' request falls back to 'validation' when there is no test split; `fellBack` says so). */
  readonly split: 'test' | 'validation';
  readonly fellBack: boolean;
  readonly samples: number;
  /** How samples look: what `samples()` previews return. */
  readonly sampleKind: 'image' | 'text' | 'table' | 'sequence';
  readonly nodes: readonly EvalNode[];
  readonly backend: string;
  readonly ms: number;
}

export interface ClassificationEval extends EvalCommon {
  readonly task: 'classification';
  /** Class names by id. */
  readonly classNames: readonly string[];
  readonly labels: Int32Array;
  /** The full report: confusion matrix with each cell's sample indices, per-class and averages, predictions, per-sample losses. */
  readonly report: ClassificationReport;
  readonly roc: RocReport;
  /** Sample indices by loss, worst first (at most 100). */
  readonly worst: Int32Array;
}

export interface RegressionEval extends EvalCommon {
  readonly task: 'regression';
  readonly report: RegressionReport;
  /** For output 0, every sample (the residual plot). */
  readonly residuals: readonly ResidualPoint[];
  /** Sample indices by |residual| of output 0, worst first (at most 100). */
  readonly worst: Int32Array;
}

export type EvalReply = { readonly ok: true; readonly result: ClassificationEval | RegressionEval } | EvalFailure;

/** How one sample looks, for a grid or a list. */
export type SamplePreview =
  /** RGBA, row-major, ready for ImageData. */
  | { readonly kind: 'image'; readonly width: number; readonly height: number; readonly rgba: Uint8ClampedArray }
  /** Token ids decoded back through the vocabulary (padding left out). */
  | { readonly kind: 'text'; readonly text: string }
  /** Raw (un-standardised where the preprocessing says how) feature values by column name. */
  | { readonly kind: 'table'; readonly columns: readonly string[]; readonly values: readonly number[] }
  | { readonly kind: 'sequence'; readonly values: readonly number[] };

export interface SampleInfo {
  readonly index: number;
  readonly preview: SamplePreview;
  /** Classification: true class id, predicted id, the predicted probabilities' top 3 [class, p]. */
  readonly label?: number;
  readonly predicted?: number;
  readonly top?: readonly (readonly [number, number])[];
  /** Regression: target and prediction of output 0. */
  readonly actual?: number;
  readonly prediction?: number;
  readonly loss: number;
}

export type SamplesReply = { readonly ok: true; readonly samples: readonly SampleInfo[] } | EvalFailure;

export interface GradCamRequest {
  readonly index: number;
  /** A node with `spatial: true`. */
  readonly nodeId: string;
  /** Null: the predicted class. */
  readonly classIndex: number | null;
}

export type GradCamReply =
  | {
      readonly ok: true;
      readonly index: number;
      readonly nodeId: string;
      readonly classIndex: number;
      /** The sample as an image, and the heat map at the same size in [0, 1], row-major. */
      readonly image: Extract<SamplePreview, { kind: 'image' }>;
      readonly map: Float32Array;
      readonly score: number;
    }
  | EvalFailure;

export interface ProjectionRequest {
  readonly nodeId: string;
  readonly method: 'pca' | 'tsne';
  /** Samples projected (first N of the split, at most TSNE_MAX_POINTS for t-SNE); default 1000. */
  readonly maxPoints?: number;
  readonly seed?: number;
}

export type ProjectionReply =
  | {
      readonly ok: true;
      readonly nodeId: string;
      readonly method: 'pca' | 'tsne';
      /** N×2 row-major coordinates, for sample indices `indices`. */
      readonly points: Float32Array;
      readonly indices: Int32Array;
      /** Colour: true class ids (classification) or null (regression: colour by `values`). */
      readonly labels: Int32Array | null;
      readonly values: Float32Array | null;
      /** PCA only: the two components' explained variance ratios. */
      readonly explained: readonly number[] | null;
      readonly ms: number;
    }
  | EvalFailure;

export interface EvaluatorApi {
  /** Loads the run's model and data and scores the split; replaces the worker's previous session. */
  evaluate(request: EvalRequest): Promise<EvalReply>;
  /** Previews and predictions of samples of the session's split, in the order asked (at most 200). */
  samples(session: EvalSessionId, indices: readonly number[]): Promise<SamplesReply>;
  gradCam(session: EvalSessionId, request: GradCamRequest): Promise<GradCamReply>;
  project(session: EvalSessionId, request: ProjectionRequest): Promise<ProjectionReply>;
  /** Frees the session's model and data. */
  dispose(session: EvalSessionId): Promise<void>;
}
