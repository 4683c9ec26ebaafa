// The line under the training settings, before Start: "≈ 2 min 10 s for 3 epochs · 212.0 MiB
// training memory at batch 64", following the settings and this run's quick overrides.
import { createMemo } from 'solid-js';
import type { Analysis } from '../../engine/graph/analyze.js';
import { MNIST_TEST_PER_CLASS } from '../../engine/data/mnist.js';
import type { TrainingConfig } from '../../engine/project/types.js';
import { TRAINING_DEFAULTS } from '../../engine/train/config.js';
import { basisText, estimateRun, estimateText, type Pace } from './estimate.js';

/** Built-in MNIST: 10,000 digits, of which 200 per class are the fixed test set. */
export const MNIST_TRAIN_SAMPLES = 10_000 - 10 * MNIST_TEST_PER_CLASS;

export interface EstimateLineProps {
  readonly analysis: () => Analysis;
  readonly training: () => TrainingConfig;
  /** "This run only" overrides (null: the project's value). */
  readonly epochs: () => number | null;
  readonly batchSize: () => number | null;
  readonly maxTrainSamples: () => number | null;
  /** Samples in the chosen data before the validation split; null when not known before loading it. */
  readonly datasetSamples: () => number | null;
  readonly pace: () => Pace | null;
}

export function EstimateLine(props: EstimateLineProps) {
  const estimate = createMemo(() => {
    const t = props.training();
    const batchSize = props.batchSize() ?? t.batchSize ?? TRAINING_DEFAULTS.batchSize;
    const epochs = props.epochs() ?? t.epochs ?? TRAINING_DEFAULTS.epochs;
    const all = props.datasetSamples();
    const limited = all === null ? null : Math.min(all, props.maxTrainSamples() ?? all);
    // The worker carves validation out of the (limited) training samples.
    const trainSamples = limited === null ? null : Math.round(limited * (1 - (t.validationSplit ?? 0)));
    const e = estimateRun({
      totals: props.analysis().totals,
      batchSize,
      epochs,
      accumulationSteps: t.accumulationSteps ?? 1,
      optimizer: t.optimizer ?? TRAINING_DEFAULTS.optimizer,
      trainSamples,
      pace: props.pace(),
    });
    return { e, text: estimateText(e, epochs, batchSize), why: basisText(e) };
  });
  return (
    <p class="estimate" title={estimate().why} data-testid="estimate" data-seconds={estimate().e.seconds} data-bytes={estimate().e.memory.totalBytes} data-basis={estimate().e.basis.kind}>
      {estimate().text}
      <span class="muted"> ({estimate().e.basis.kind === 'measured' ? 'measured pace' : 'assumed pace, before any run'})</span>
    </p>
  );
}
