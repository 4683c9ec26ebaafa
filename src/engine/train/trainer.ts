// The training loop: epochs of seeded shuffles, optimizer steps, throttled progress with
// batched asynchronous readbacks, validation, early stopping, checkpoints and resume.
// Plain TypeScript over TF.js: the same code runs in a Web Worker and in Node.
import * as tf from '@tensorflow/tfjs';
import type { Split } from '../data/types.js';
import { epochOrder } from './batches.js';
import {
  checkCheckpoint, readNamed, weightKeys, writeNamed, CHECKPOINT_FORMAT, CHECKPOINT_VERSION,
  type Checkpoint, type CheckpointOptions, type NamedArray, type PartialEpoch, type TrainingPosition,
} from './checkpoint.js';
import { createYielder, now } from './clock.js';
import { TrainingConfigError, type ResolvedTrainingConfig } from './config.js';
import { TrainingControl } from './control.js';
import { earlyStoppingStep, INITIAL_EARLY_STOPPING, monitoredValue, type EarlyStoppingState } from './early-stopping.js';
import { evaluateTask } from './evaluate.js';
import type { EpochRecord, TrainerEvent, TrainStatus } from './events.js';
import { createOptimizer, decays, type TrainableParam } from './optimizers.js';
import { learningRateAt } from './schedules.js';
import { EpochSums, trainStep, type StepOutput } from './step.js';
import { prepareTask } from './task.js';

/** Optimizer steps the loop may queue on the device before waiting for the oldest. */
export const MAX_STEPS_IN_FLIGHT = 2;

export interface TrainOptions {
  readonly model: tf.LayersModel;
  readonly train: Split;
  /** Evaluated after every epoch; null for none (data/split.ts carveValidation makes one). */
  readonly validation: Split | null;
  readonly config: ResolvedTrainingConfig;
  readonly onEvent: (event: TrainerEvent) => void;
  readonly control?: TrainingControl;
  readonly checkpoints?: CheckpointOptions;
  /** Continue from here: weights, optimizer state, position, early stopping and history. */
  readonly resumeFrom?: Checkpoint;
  /** Least time between progress events (default 100 ms, so at most ~10 a second); 0 = every step. */
  readonly progressIntervalMs?: number;
  /** Steps queued on the device before the loop waits for the oldest (default MAX_STEPS_IN_FLIGHT). */
  readonly maxStepsInFlight?: number;
}

export interface TrainResult {
  readonly status: TrainStatus;
  /** Completed epochs, resumed ones included. */
  readonly epochs: number;
  readonly history: readonly EpochRecord[];
  /** Optimizer steps taken in the whole run. */
  readonly globalStep: number;
}

/** Longest stretch without giving the thread's other tasks (pause and stop messages) a turn. */
const YIELD_EVERY_MS = 50;

/**
 * Trains `model` in place with our own loop (not model.fit).
 * @example
 * const config = resolveTrainingConfig(project.training);
 * const { train, validation } = carveValidation(dataset.train, config.validationSplit, config.seed);
 * const control = createTrainingControl();
 * const result = await trainModel({ model, train, validation, config, control, onEvent: (e) => post(e) });
 * result.status // 'completed' | 'stopped' | 'early-stopped'
 * @throws TrainingConfigError when the data, the model and the loss do not fit together.
 */
export async function trainModel(opts: TrainOptions): Promise<TrainResult> {
  const { model, train, validation, config, onEvent } = opts;
  const control = opts.control ?? new TrainingControl();
  const progressInterval = opts.progressIntervalMs ?? 100;
  const task = prepareTask(model, config, validation ? [train, validation] : [train]);
  const es = config.earlyStopping;
  if (es?.monitor.startsWith('val') && !validation)
    throw new TrainingConfigError([{ path: 'training.earlyStopping.monitor', message: `"${es.monitor}" needs validation data: set validationSplit above 0` }]);

  const keys = weightKeys(model);
  const weights = model.weights.map((w, i) => ({ key: keys[i]!, variable: w.read() as tf.Variable }));
  const keyOf = new Map(model.weights.map((w, i) => [w, keys[i]!]));
  const params: TrainableParam[] = model.trainableWeights.map((w) => ({ key: keyOf.get(w)!, variable: w.read() as tf.Variable, decay: decays(w.read() as tf.Variable) }));
  const optimizer = createOptimizer(config.optimizer, params);

  const names = task.metrics.map((m) => m.name);
  const microPerEpoch = Math.ceil(train.count / config.batchSize);
  const stepsPerEpoch = Math.ceil(microPerEpoch / config.accumulationSteps);
  const totalSteps = stepsPerEpoch * config.epochs;

  let pos: TrainingPosition = { epoch: 0, step: 0, microBatch: 0, globalStep: 0, microStep: 0 };
  let history: EpochRecord[] = [];
  let esState: EarlyStoppingState = INITIAL_EARLY_STOPPING;
  let best: tf.Tensor[] | null = null;
  let partial: PartialEpoch | null = null;
  let sums: EpochSums | null = null;
  let last: StepOutput | null = null;
  let epochStart = 0;
  const yielder = createYielder();
  /** Losses of recent steps, awaited to keep at most MAX_STEPS_IN_FLIGHT queued on the device. */
  const fences: tf.Tensor[] = [];

  const snapshotBest = () => {
    if (best) tf.dispose(best);
    best = weights.map((w) => tf.clone(w.variable));
  };

  /** Every piece of state, read back asynchronously. */
  const checkpoint = async (reason: Checkpoint['reason'], elapsedMs: number): Promise<void> => {
    const sink = opts.checkpoints?.sink;
    if (!sink) return;
    const bestArrays: NamedArray[] | null = best ? await readNamed(weights.map((w, i) => ({ key: w.key, variable: best![i]! }))) : null;
    let partialEpoch: PartialEpoch | null = null;
    if (sums && pos.microBatch > 0) {
      const s = await sums.read();
      partialEpoch = {
        lossSum: s.lossSum,
        samples: sums.samples,
        metricSums: Object.fromEntries(names.map((n, i) => [n, s.metricSums[i]!])),
        metricCounts: Object.fromEntries(names.map((n, i) => [n, sums!.metricCounts[i]!])),
        elapsedMs,
      };
    }
    const ckpt: Checkpoint = {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      reason,
      config,
      trainCount: train.count,
      position: pos,
      weights: await readNamed(weights),
      optimizer: { name: config.optimizer.name, iterations: optimizer.iterations, slots: await readNamed(optimizer.slots) },
      partialEpoch,
      earlyStopping: es ? esState : null,
      bestWeights: bestArrays,
      history: [...history],
    };
    await sink.save(ckpt);
    onEvent({ type: 'checkpoint', epoch: pos.epoch, globalStep: pos.globalStep, reason });
  };

  let status: TrainStatus = 'completed';
  try {
    if (opts.resumeFrom) {
      const r = opts.resumeFrom;
      checkCheckpoint(r);
      if (r.optimizer.name !== config.optimizer.name)
        throw new Error(`the checkpoint's optimizer state is for ${r.optimizer.name}; this run uses ${config.optimizer.name}`);
      if (r.position.microBatch > 0 && r.trainCount !== train.count)
        throw new Error(`the checkpoint stopped mid-epoch on ${r.trainCount} samples; this training split has ${train.count}`);
      writeNamed(weights, r.weights, 'weights');
      writeNamed(optimizer.slots, r.optimizer.slots, 'optimizer state');
      optimizer.iterations = r.optimizer.iterations;
      pos = r.position;
      history = [...r.history];
      esState = r.earlyStopping ?? INITIAL_EARLY_STOPPING;
      if (r.bestWeights) best = r.bestWeights.map((a) => tf.tensor(a.values.slice(), [...a.shape], a.dtype));
      partial = r.partialEpoch;
    }

    const runStart = now();
    const stepsAtStart = pos.globalStep;
    let lastProgress = now();
    let reportedOnce = false; // the first step always reports: the UI shows a point at once
    let lastYield = now();
    let samplesSinceProgress = 0;

    epochs: for (let epoch = pos.epoch; epoch < config.epochs; epoch++) {
      const order = epochOrder(train.count, config.seed, epoch);
      sums = new EpochSums(
        task.metrics.length,
        partial
          ? { lossSum: partial.lossSum, samples: partial.samples, metricSums: names.map((n) => partial!.metricSums[n] ?? 0), metricCounts: names.map((n) => partial!.metricCounts[n] ?? 0) }
          : undefined,
      );
      epochStart = now() - (partial?.elapsedMs ?? 0);
      partial = null;
      let learningRate = learningRateAt(config.schedule, config.optimizer.learningRate, { step: pos.globalStep, epoch, totalSteps });

      while (pos.microBatch < microPerEpoch) {
        await control.whenRunnable();
        if (control.state === 'stopping') {
          status = 'stopped';
          break epochs;
        }
        const to = Math.min(microPerEpoch, pos.microBatch + config.accumulationSteps);
        learningRate = learningRateAt(config.schedule, config.optimizer.learningRate, { step: pos.globalStep, epoch, totalSteps });
        const reportDue = !reportedOnce || now() - lastProgress >= progressInterval;
        const samplesBefore = sums.samples;
        const out = trainStep(
          { model, task, config, train, params, optimizer },
          { order, from: pos.microBatch, to, microStep: pos.microStep, learningRate, wantNorm: reportDue },
          sums,
        );
        if (last) tf.dispose([last.loss, ...(last.norm ? [last.norm] : [])]);
        last = out;
        // Without a bound, JS queues steps far ahead of a GPU (seen: Stop taking 6-20 s on
        // SwiftShader). Waiting for step n-2 keeps the device busy yet the loop responsive.
        fences.push(tf.clone(out.loss));
        if (fences.length > (opts.maxStepsInFlight ?? MAX_STEPS_IN_FLIGHT)) {
          const fence = fences.shift()!;
          await fence.data();
          fence.dispose();
        }
        samplesSinceProgress += sums.samples - samplesBefore;
        pos = { epoch, step: pos.step + 1, microBatch: to, globalStep: pos.globalStep + 1, microStep: pos.microStep + (to - pos.microBatch) };

        if (reportDue) {
          const [read, stepLoss, norm] = await Promise.all([sums.read(), out.loss.data(), out.norm ? out.norm.data() : Promise.resolve(null)]);
          const t = now();
          const doneHere = pos.globalStep - stepsAtStart;
          onEvent({
            type: 'progress',
            epoch: epoch + 1,
            step: pos.step,
            stepsPerEpoch,
            loss: read.lossSum / sums.samples,
            stepLoss: stepLoss[0]!,
            metrics: Object.fromEntries(names.map((n, i) => [n, read.metricSums[i]! / sums!.metricCounts[i]!])),
            learningRate,
            gradNorm: norm ? norm[0]! : Number.NaN,
            samplesPerSec: (samplesSinceProgress * 1000) / Math.max(1e-3, t - lastProgress),
            etaSec: doneHere > 0 ? ((totalSteps - pos.globalStep) * (t - runStart)) / doneHere / 1000 : null,
          });
          lastProgress = t;
          reportedOnce = true;
          samplesSinceProgress = 0;
        }
        if (now() - lastYield >= YIELD_EVERY_MS) {
          await yielder.next();
          lastYield = now();
        }
        const everySteps = opts.checkpoints?.everySteps ?? 0;
        if (everySteps > 0 && pos.globalStep % everySteps === 0 && pos.microBatch < microPerEpoch) await checkpoint('interval', now() - epochStart);
      }

      // Epoch end: one readback of the sums, then validation.
      const read = await sums.read();
      const val = validation ? await evaluateTask(model, validation, task, config.batchSize) : null;
      const record: EpochRecord = {
        epoch: epoch + 1,
        loss: read.lossSum / sums.samples,
        metrics: Object.fromEntries(names.map((n, i) => [n, read.metricSums[i]! / sums!.metricCounts[i]!])),
        valLoss: val ? val.loss : null,
        valMetrics: val ? val.metrics : null,
        learningRate,
        durationMs: now() - epochStart,
      };
      sums.dispose();
      sums = null;
      pos = { ...pos, epoch: epoch + 1, step: 0, microBatch: 0 };
      history.push(record);
      onEvent({ type: 'epoch', ...record });

      if (es) {
        const value = monitoredValue(record, es.monitor) ?? Number.NaN;
        const r = earlyStoppingStep(es, esState, value, record.epoch);
        esState = r.state;
        if (r.decision === 'improved' && es.restoreBestWeights) snapshotBest();
        if (r.decision === 'stop') {
          const restore = es.restoreBestWeights && best !== null;
          if (restore) weights.forEach((w, i) => w.variable.assign(best![i]!));
          onEvent({ type: 'early-stop', epoch: record.epoch, monitor: es.monitor, best: esState.best ?? Number.NaN, bestEpoch: esState.bestEpoch, restoredBestWeights: restore });
          status = 'early-stopped';
          break;
        }
      }
      const everyEpochs = opts.checkpoints?.everyEpochs ?? 1;
      if (everyEpochs > 0 && pos.epoch % everyEpochs === 0 && pos.epoch < config.epochs) await checkpoint('interval', 0);
      await yielder.next();
      lastYield = now();
    }

    await checkpoint('final', now() - epochStart);
    onEvent({ type: 'done', status, epochs: history.length, history: [...history] });
    return { status, epochs: history.length, history: [...history], globalStep: pos.globalStep };
  } finally {
    yielder.close();
    tf.dispose(fences);
    if (sums) sums.dispose();
    if (last) tf.dispose([last.loss, ...(last.norm ? [last.norm] : [])]);
    if (best) tf.dispose(best);
    optimizer.dispose();
  }
}
