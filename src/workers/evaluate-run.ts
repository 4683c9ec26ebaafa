// The evaluator's core (Node-testable, TF.js passed in): a stored run's checkpoint rebuilt on its
// own architecture version, on the backend the trainer would choose, scored on the held-out split
// of the data the run trained on. Returns the page's reply and the session kept for follow-ups.
import { compileGraph } from '../engine/compile/compile.js';
import type { Preprocessing, Split } from '../engine/data/index.js';
import { residualPoints, rocReport, worstK } from '../engine/eval/index.js';
import type { Tfjs } from '../engine/eval/activations.js';
import type { Analysis } from '../engine/graph/analyze.js';
import { chooseBackend, type BackendEnvironment } from '../engine/runtime/backend.js';
import { isBackendPreference } from '../engine/runtime/backend-types.js';
import { taskForLoss } from '../engine/train/dataset-task.js';
import { outputActivation } from '../engine/train/losses.js';
import { loadEvalSplit, loadRunDataset, type DataLoader } from './eval-data.js';
import { EvalError } from './eval-errors.js';
import { buildModel, loadEvalSource } from './eval-model.js';
import { scoreClassification, scoreRegression, predictSplit } from './eval-scores.js';
import { newSessionId, type EvalSession, type SessionScores } from './eval-session.js';
import type { ClassificationEval, EvalCommon, EvalNode, EvalRequest, RegressionEval } from './evaluator-api.js';
import type { RunStorage } from './run-store.js';

/** Samples listed as "worst" at most. */
export const WORST_COUNT = 100;

export interface EvalDeps {
  readonly tf: Tfjs;
  /** The device's storage, opened on first use. */
  readonly storage: () => Promise<RunStorage>;
  /** Where backends are set up (browserEnvironment() in the worker). */
  readonly environment: BackendEnvironment;
  /** How the run's data is read (default: loadForRun, as the trainer reads it). */
  readonly loadData?: DataLoader;
  readonly now?: () => number;
}

/** Every graph node with its output shape (no batch dimension; −1 for a size fixed only at run time); `spatial`: Grad-CAM can use it. */
export function evalNodes(analysis: Analysis): EvalNode[] {
  const nodes: EvalNode[] = [];
  for (const id of analysis.structure.order) {
    const a = analysis.nodes.get(id);
    if (!a?.output) continue;
    const shape = a.output.shape.slice(1).map((d) => d ?? -1);
    // An Input's "activations" are the image itself: nothing for Grad-CAM to weigh.
    const spatial = a.kind !== 'Input' && shape.length === 3 && shape[0]! > 0 && shape[1]! > 0 && shape[0]! * shape[1]! > 1;
    nodes.push({ id, kind: a.kind, shape, spatial });
  }
  return nodes;
}

/** How samples look: the dataset's preprocessing says, else an [h, w, 1|3] sample is an image. */
export function sampleKindOf(preprocessing: Preprocessing | null, x: Split['x']): EvalSession['sampleKind'] {
  switch (preprocessing?.kind) {
    case 'image':
      return 'image';
    case 'text':
      return 'text';
    case 'table':
      return 'table';
    case undefined:
      return x.shape.length === 3 && (x.shape[2] === 1 || x.shape[2] === 3) ? 'image' : 'sequence';
    default: {
      const never: never = preprocessing;
      throw new Error(`unknown preprocessing ${JSON.stringify(never)}`);
    }
  }
}

function checkRequest(r: EvalRequest): void {
  if (typeof r !== 'object' || r === null || typeof r.runId !== 'string' || r.runId === '') throw new EvalError('bad-request', 'the request names no run (runId)');
  if (r.split !== 'test' && r.split !== 'validation') throw new EvalError('bad-request', `split must be "test" or "validation"; got ${JSON.stringify(r.split)}`);
  if (r.backend !== undefined && !isBackendPreference(r.backend)) throw new EvalError('bad-request', `backend ${JSON.stringify(r.backend)} is not one of auto, webgpu, webgl, wasm, cpu`);
  if (r.checkpointId !== null && typeof r.checkpointId !== 'string') throw new EvalError('bad-request', 'checkpointId must be a checkpoint id or null');
}

/**
 * Evaluates `request` (see EvaluatorApi.evaluate). The caller owns the returned session's model.
 * @throws EvalError with the code the page shows; anything else is unexpected ('failed').
 * @example const { result, session } = await evaluateRun({ runId, checkpointId: null, split: 'test' }, deps);
 */
export async function evaluateRun(request: EvalRequest, deps: EvalDeps): Promise<{ result: ClassificationEval | RegressionEval; session: EvalSession }> {
  const now = deps.now ?? (() => performance.now());
  const t0 = now();
  checkRequest(request);
  const storage = await deps.storage();
  const source = await loadEvalSource(storage, request.runId, request.checkpointId);
  const { analysis, checkpoint } = source;
  const config = checkpoint.config;
  const lossTask = taskForLoss(config.loss);
  if (lossTask === 'language-modeling') throw new EvalError('unsupported-task', `run ${source.run.id} trains a language model (${config.loss}); evaluation covers classification and regression — judge a language model by its validation loss in Curves`);
  if (analysis.inputs.length !== 1 || analysis.outputs.length !== 1) throw new EvalError('unsupported-task', `evaluation needs a model with one Input and one output; this one has ${analysis.inputs.length} and ${analysis.outputs.length}`);
  const data = await loadEvalSplit(storage, source.run, analysis, config, request, deps.loadData ?? loadRunDataset);
  if (data.dataset.task === 'segmentation' || data.dataset.task === 'language-modeling') throw new EvalError('unsupported-task', `"${data.dataset.name}" is a ${data.dataset.task} dataset; evaluation covers classification and regression`);

  const build = () => compileGraph(analysis, { seed: config.seed }).model;
  const choice = await chooseBackend({ preference: request.backend ?? 'auto', environment: deps.environment, model: build });
  const model = buildModel(source);
  try {
    const input = model.inputs[0]!;
    const inputShape = input.shape.slice(1).map((d, i) => d ?? data.split.x.shape[i] ?? 1);
    const inputDtype = input.dtype === 'int32' ? 'int32' : 'float32';
    const { values, shape } = await predictSplit(deps.tf, model, data.split, inputShape, inputDtype);
    const scoreInput = { loss: config.loss, output: outputActivation(model), split: data.split, values, outShape: shape, classNames: data.dataset.classes ?? null };
    const scores: SessionScores = lossTask === 'classification' ? scoreClassification(scoreInput) : scoreRegression(scoreInput);
    const preprocessing = data.dataset.preprocessing ?? null;
    const session: EvalSession = {
      id: newSessionId(), model, split: data.split, inputShape, inputDtype, preprocessing,
      sampleKind: sampleKindOf(preprocessing, data.split.x), nodes: evalNodes(analysis), scores,
    };
    const common: Omit<EvalCommon, 'ms'> = {
      session: session.id, runId: source.run.id, checkpointId: source.manifest.id, split: data.which, fellBack: data.fellBack,
      samples: data.split.count, sampleKind: session.sampleKind, nodes: session.nodes, backend: choice.report.backend,
    };
    const result = resultOf(common, scores, now() - t0);
    return { result, session };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** The page's view of the scores. */
function resultOf(common: Omit<EvalCommon, 'ms'>, s: SessionScores, ms: number): ClassificationEval | RegressionEval {
  switch (s.task) {
    case 'classification':
      return {
        ...common, ms, task: 'classification', classNames: s.classNames, labels: s.labels, report: s.report,
        roc: rocOf(s), worst: worstK(s.report.losses, WORST_COUNT),
      };
    case 'regression': {
      const residuals = residualPoints(s.actual, s.predicted, s.outputs, 0);
      const worst = worstK(Float32Array.from(residuals, (r) => Math.abs(r.residual)), WORST_COUNT);
      return { ...common, ms, task: 'regression', report: s.report, residuals, worst };
    }
    default: {
      const never: never = s;
      throw new Error(`unknown task ${JSON.stringify(never)}`);
    }
  }
}

const rocOf = (s: Extract<SessionScores, { task: 'classification' }>) => rocReport(s.labels, s.probs, s.report.classes);
