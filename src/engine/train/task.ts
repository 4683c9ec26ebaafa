// What a model, a configuration and a dataset must agree on before the first step: one input
// and one output, sample shapes, labels that fit the loss, metrics that fit the labels.
// Mismatches are named for a person, then the loss, metrics and batch dtypes are fixed.
import type * as tf from '@tensorflow/tfjs';
import type { Split } from '../data/types.js';
import { TrainingConfigError, type ResolvedTrainingConfig, type TrainingConfigIssue } from './config.js';
import { labelDtype, labelProblem, makeLoss, outputActivation, type LossFn, type OutputActivation } from './losses.js';
import { makeMetric, type Metric } from './metrics.js';
import { gatherRows } from './batches.js';

export interface Task {
  readonly loss: LossFn;
  readonly metrics: readonly Metric[];
  readonly inputDtype: 'float32' | 'int32';
  readonly labelDtype: 'float32' | 'int32';
  readonly output: OutputActivation;
}

const fmt = (s: readonly (number | null)[]) => `[${s.map((d) => (d === null ? 'null' : d)).join(',')}]`;

/**
 * Checks the model against the config and the splits it will see.
 * @throws TrainingConfigError with every problem found.
 */
export function prepareTask(model: tf.LayersModel, config: ResolvedTrainingConfig, splits: readonly Split[]): Task {
  const issues: TrainingConfigIssue[] = [];
  if (model.inputs.length !== 1 || model.outputs.length !== 1)
    throw new TrainingConfigError([{ path: 'graph', message: `training needs one Input and one output; this model has ${model.inputs.length} and ${model.outputs.length}` }]);
  const inShape = model.inputs[0]!.shape.slice(1);
  const outShape = model.outputs[0]!.shape;
  const output = outputActivation(model);
  for (const s of splits) {
    if (s.count === 0) issues.push({ path: 'dataset', message: 'a split has no samples' });
    const fits = s.x.shape.length === inShape.length && inShape.every((d, i) => d === null || d === s.x.shape[i]);
    if (!fits) issues.push({ path: 'dataset', message: `samples are ${fmt([null, ...s.x.shape])} but the model's Input takes ${fmt([null, ...inShape])}` });
    const p = labelProblem(config.loss, outShape, s.y);
    if (p) issues.push({ path: 'training.loss', message: p });
  }
  const lastDim = outShape.at(-1) ?? 1;
  const metrics: Metric[] = [];
  config.metrics.forEach((spec, i) => {
    const m = makeMetric(spec, config.loss, output, lastDim);
    if (typeof m === 'string') issues.push({ path: `training.metrics[${i}]`, message: m });
    else metrics.push(m);
  });
  const unique = new Map(issues.map((i) => [`${i.path}\u0000${i.message}`, i]));
  if (unique.size > 0) throw new TrainingConfigError([...unique.values()]);
  return {
    loss: makeLoss(config.loss, output),
    metrics,
    inputDtype: model.inputs[0]!.dtype === 'int32' ? 'int32' : 'float32',
    labelDtype: labelDtype(config.loss),
    output,
  };
}

/** Samples order[from…to) (or from…to in storage order) as input and label tensors. */
export function batchTensors(task: Task, split: Split, order: Int32Array | null, from: number, to: number): { x: tf.Tensor; y: tf.Tensor } {
  return { x: gatherRows(split.x, order, from, to, task.inputDtype), y: gatherRows(split.y, order, from, to, task.labelDtype) };
}
