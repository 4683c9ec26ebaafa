// The evaluator contract's types as the panel's components use them (one import site).
export type {
  ClassificationEval,
  EvalNode,
  EvalReply,
  EvalSessionId,
  EvaluatorApi,
  GradCamReply,
  ProjectionReply,
  RegressionEval,
  SampleInfo,
  SamplePreview,
} from '../../workers/evaluator-api.js';
import type { EvalCommon } from '../../workers/evaluator-api.js';

/** How the split's samples look. */
export type SampleKind = EvalCommon['sampleKind'];
