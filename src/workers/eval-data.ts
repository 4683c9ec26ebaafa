// The samples an evaluation scores: the data the run trained on (the same kept dataset or
// built-in, loaded with the same input shape, task and seed as run-training.ts loads it), and of
// it the held-out split — the dataset's test split, or the validation samples carved exactly as
// the run carved them: its sample limit first, then carveValidation with its validationSplit
// and seed.
import type { Analysis } from '../engine/graph/analyze.js';
import { carveValidation, type Dataset, type DownloadEvent, type LoadOptions, type Split } from '../engine/data/index.js';
import type { ResolvedTrainingConfig } from '../engine/train/config.js';
import { taskForLoss } from '../engine/train/dataset-task.js';
import type { RunRecord } from '../storage/types.js';
import { EvalError } from './eval-errors.js';
import { DataUnavailable, loadForRun } from './load-run-data.js';
import { runDatasetRequest } from './reproduce.js';
import type { RunStorage } from './run-store.js';
import { trainSamplesOf } from './run-tags.js';
import type { DatasetRequest } from './trainer-api.js';

/** Loads a run's data: `loadForRun` in the worker; tests may wrap it. */
export type DataLoader = (req: DatasetRequest, options: LoadOptions, storage: RunStorage) => Promise<Dataset>;

export const loadRunDataset: DataLoader = async (req, options, storage) => (await loadForRun(req, options, (_e: DownloadEvent) => {}, { storage })).data;

export interface EvalSplit {
  readonly dataset: Dataset;
  readonly split: Split;
  readonly which: 'test' | 'validation';
  /** A test split was asked for, but the dataset has none: the validation samples were used. */
  readonly fellBack: boolean;
}

/** The model's one Input, one sample, as run-training.ts gives it to the loader. */
export function modelInput(analysis: Analysis): LoadOptions['input'] {
  const id = analysis.inputs[0];
  const out = id === undefined ? null : analysis.nodes.get(id)?.output;
  return out ? { shape: out.shape.slice(1), dtype: out.dtype } : undefined;
}

/** The first `n` samples of a split, without copying (run-training.ts limits the same way). */
export function firstSamples(s: Split, n: number): Split {
  if (n >= s.count) return s;
  const cut = (c: Split['x']) => ({ ...c, values: c.values.subarray(0, n * c.shape.reduce((a, b) => a * b, 1)) });
  return { x: cut(s.x), y: cut(s.y), count: n };
}

/**
 * The validation samples run `run` held out: the first `train-samples` of the train split when
 * the run was limited, then carved with the run's validationSplit and seed. Null when it carved none.
 */
export function heldOutValidation(data: Dataset, run: Pick<RunRecord, 'tags'>, config: Pick<ResolvedTrainingConfig, 'validationSplit' | 'seed'>): Split | null {
  const limit = trainSamplesOf(run);
  const all = limit ? firstSamples(data.train, limit) : data.train;
  return carveValidation(all, config.validationSplit, config.seed).validation;
}

export interface SplitRequest {
  readonly split: 'test' | 'validation';
  readonly maxSamples?: number | undefined;
}

/**
 * Loads the run's data and picks the split to score.
 * @throws EvalError 'dataset-missing' (the data is gone), 'no-split' (nothing held out), 'bad-request' (maxSamples).
 */
export async function loadEvalSplit(storage: RunStorage, run: RunRecord, analysis: Analysis, config: ResolvedTrainingConfig, request: SplitRequest, load: DataLoader = loadRunDataset): Promise<EvalSplit> {
  const max = request.maxSamples;
  if (max !== undefined && !(Number.isInteger(max) && max >= 1)) throw new EvalError('bad-request', `maxSamples must be a whole number ≥ 1; got ${max}`);
  const req = (await runDatasetRequest(storage.db, run))?.request;
  if (!req)
    throw new EvalError('dataset-missing', `the data run ${run.id} trained on ("${run.datasetName}", version ${run.datasetVersion ?? 'unknown'}) is no longer on this device: import the same file again, then evaluate`);
  const input = modelInput(analysis);
  const options: LoadOptions = { ...(input ? { input } : {}), task: taskForLoss(config.loss), seed: config.seed };
  const dataset = await load(req, options, storage).catch((e: unknown) => {
    throw e instanceof DataUnavailable ? new EvalError('dataset-missing', `the data run ${run.id} trained on cannot be read: ${e.message}`) : e;
  });
  let which: EvalSplit['which'] = request.split;
  let split: Split | null = request.split === 'test' ? dataset.test : null;
  if (!split) {
    which = 'validation';
    split = heldOutValidation(dataset, run, config);
    if (!split) {
      const why = request.split === 'test' ? `"${dataset.name}" has no test split, and the run` : 'the run';
      throw new EvalError('no-split', `nothing was held out to evaluate on: ${why} trained with validationSplit 0 (every sample was trained on)`);
    }
  }
  if (split.count === 0) throw new EvalError('no-split', `the ${which} split of "${dataset.name}" has no samples`);
  return { dataset, split: max ? firstSamples(split, max) : split, which, fellBack: request.split === 'test' && which === 'validation' };
}
