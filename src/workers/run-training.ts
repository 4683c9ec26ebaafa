// One training run inside the worker: validate the project (parseProject: the worker is a
// trust boundary) or read the checkpoint to resume from, load the dataset (built-in MNIST, an
// imported file, folder or download — kept on the device first, dataset-library.ts — or one kept
// earlier), choose a backend that can really train this model (dry-run
// step), pre-compile WebGPU shaders, train with the engine's loop, and score the held-out test
// split. Engine events become TrainerEvents for the page; with a project id, the run, its
// metric series and its checkpoints are kept on the device (run-store.ts).
import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../engine/compile/compile.js';
import { carveValidation, DatasetError, type LoadOptions, type Split } from '../engine/data/index.js';
import { analyzeGraph, type Analysis } from '../engine/graph/analyze.js';
import { describeProjectError, parseProject } from '../engine/project/parse.js';
import { chooseBackend, prewarmWebGpu, syntheticStep } from '../engine/runtime/backend.js';
import type { BackendName } from '../engine/runtime/backend-types.js';
import { taskForLoss } from '../engine/train/dataset-task.js';
import { evaluate, resolveTrainingConfig, trainModel, TrainingConfigError, type ResolvedTrainingConfig, type TrainerEvent as EngineEvent, type TrainingControl } from '../engine/train/index.js';
import { CURRENT_VERSION, type Project } from '../engine/project/types.js';
import type { ContentHash, ProjectId } from '../storage/types.js';
import { browserEnvironment } from './browser-env.js';
import { datasetForRun } from './dataset-library.js';
import { DataUnavailable, describeRequest, loadForRun } from './load-run-data.js';
import { loadResumeSource, RunStore, type ResumeSource, type RunStart, type RunStorage } from './run-store.js';
import { resumedFromTag, trainSamplesOf, trainSamplesTag } from './run-tags.js';
import { StepBuffer } from './step-buffer.js';
import { toWireError, type RunSummary, type StartRequest, type TrainerEvent } from './trainer-api.js';

/** What the worker can do to a run once it trains. */
export interface RunHandle {
  /** Sends buffered step metrics at once (on pause, so the charts show every step taken). */
  flush(): void;
  /** The run was paused or resumed: its stored status follows. */
  paused(isPaused: boolean): void;
}

export interface RunDeps {
  readonly onHandle?: (handle: RunHandle) => void;
  /** The device's storage, opened on first use; null when this browser has none. */
  readonly storage?: () => Promise<RunStorage | null>;
  /** Least time between progress events (the engine's default 100 ms); tests use 0 for every step. */
  readonly progressIntervalMs?: number;
}

/** A failure a person caused (bad project, missing data): reported without a stack. */
class RunError extends Error {}

/** The model's one Input, one sample (no batch dimension): what images are resized to, texts padded to. */
function modelInput(analysis: Analysis): LoadOptions['input'] {
  const id = analysis.inputs[0];
  const out = id === undefined ? null : analysis.nodes.get(id)?.output;
  return out ? { shape: out.shape.slice(1), dtype: out.dtype } : undefined;
}

/** The first `n` samples of a split (the data is already shuffled), without copying. */
function firstSamples(s: Split, n: number): Split {
  if (n >= s.count) return s;
  const cut = (c: Split['x']) => ({ ...c, values: c.values.subarray(0, n * c.shape.reduce((a, b) => a * b, 1)) });
  return { x: cut(s.x), y: cut(s.y), count: n };
}

/** An override from the page: absent, or a whole number in [1, 1e6]. */
function positive(v: number | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < 1 || v > 1e6) throw new RunError(`${name} must be a whole number from 1 to 1,000,000; got ${v}`);
  return v;
}

/** What a run trains: the request's project, or a stored checkpoint's own graph and configuration. */
interface RunPlan {
  readonly project: Project;
  readonly analysis: Analysis;
  readonly config: ResolvedTrainingConfig;
  readonly resume: ResumeSource | null;
}

/** Validates the request's project (or reads the checkpoint to resume from) and resolves the configuration. */
async function whatToTrain(req: StartRequest, storage: RunStorage | null): Promise<RunPlan> {
  const o = req.overrides ?? {};
  let resume: ResumeSource | null = null;
  if (req.resumeFrom) {
    if (!storage) throw new RunError('cannot resume: this browser offers no storage to read the checkpoint from');
    resume = await loadResumeSource(storage, req.resumeFrom).catch((e: unknown) => {
      throw new RunError(`cannot resume: ${e instanceof Error ? e.message : String(e)}`);
    });
  }
  // A resumed run trains the checkpoint's own graph and configuration; only its length may change.
  const epochs = positive(o.epochs, 'epochs');
  const document = resume
    ? { format: 'neuralforge-project', version: CURRENT_VERSION, name: 'resumed run', graph: resume.version.graph, training: { ...resume.run.config, epochs: epochs ?? resume.checkpoint.config.epochs } }
    : req.project;
  const parsed = parseProject(document);
  if (!parsed.ok) throw new RunError(`the project is not valid: ${describeProjectError(parsed.error)}`);
  const project = parsed.project;
  const analysis = analyzeGraph(project.graph);
  if (!analysis.valid) throw new RunError(`the graph has errors: ${analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ')}`);
  if (resume) return { project, analysis, config: { ...resume.checkpoint.config, epochs: epochs ?? resume.checkpoint.config.epochs }, resume };
  const resolved = resolveTrainingConfig(project.training);
  return { project, analysis, config: { ...resolved, epochs: epochs ?? resolved.epochs, batchSize: positive(o.batchSize, 'batchSize') ?? resolved.batchSize }, resume };
}

/**
 * Trains as `req` says; never throws (a failure is a summary with status 'failed', and a
 * stored run ends 'failed' with the message).
 */
export async function runTraining(req: StartRequest, control: TrainingControl, emit: (e: TrainerEvent) => void, deps: RunDeps = {}): Promise<RunSummary> {
  const { runId } = req;
  const warned = new Set<string>();
  /** Each distinct warning once (a storage failure would otherwise repeat at every write). */
  const warn = (message: string) => {
    if (warned.has(message)) return;
    warned.add(message);
    emit({ type: 'warning', runId, message });
  };
  let store: RunStore | null = null;
  const t0 = performance.now();
  let backend: BackendName | null = null;
  let epochsCompleted = 0;
  let finalValAccuracy: number | null = null;
  let firstStepAt: number | null = null;
  let trainStart: number | null = null;
  const timings = { loadDataMs: null as number | null, chooseBackendMs: null as number | null, prewarmMs: null as number | null };
  const summary = (status: RunSummary['status'], extra: Partial<RunSummary> = {}): RunSummary => ({
    runId,
    status,
    backend,
    epochsCompleted,
    finalValAccuracy,
    testAccuracy: null,
    timeToFirstStepMs: firstStepAt === null ? null : firstStepAt - t0,
    timings: { ...timings, firstStepMs: firstStepAt === null || trainStart === null ? null : firstStepAt - trainStart },
    totalMs: performance.now() - t0,
    error: null,
    ...extra,
  });
  let model: tf.LayersModel | null = null;
  try {
    const stopping = () => control.state === 'stopping'; // a call: TS would keep a narrowed property across awaits
    if (stopping()) return summary('stopped'); // stopped while waiting for its turn
    const o = req.overrides ?? {};
    // Imports are kept on the device (and stored ones read from it) even for runs not kept there.
    const storage = req.projectId || req.resumeFrom || req.dataset.source !== 'builtin' ? await openStorage(deps, warn) : null;
    const plan = await whatToTrain(req, storage);
    const { project, analysis, config, resume } = plan;
    const seed = config.seed;

    emit({ type: 'phase', runId, phase: 'loading-data', detail: describeRequest(req.dataset) });
    let t = performance.now();
    const input = modelInput(analysis);
    const options: LoadOptions = { ...(input ? { input } : {}), task: taskForLoss(config.loss), seed };
    const { data, origin } = await loadForRun(req.dataset, options, (event) => emit({ type: 'download', runId, event }), { storage });
    const hang = 'testHangImportAfterChunks' in req.dataset ? req.dataset.testHangImportAfterChunks : undefined;
    const kept = await datasetForRun(storage, origin, data, {
      warn,
      onKeep: (name) => emit({ type: 'phase', runId, phase: 'loading-data', detail: `keeping ${name} on this device` }),
      ...(hang ? { hangAfterChunks: hang, onHang: () => warn(`test hook: the dataset import hangs after chunk ${hang}`) } : {}),
    });
    timings.loadDataMs = performance.now() - t;
    // A resumed run sees the same samples as the run it continues (a mid-epoch checkpoint needs it).
    const limit = positive(o.maxTrainSamples, 'maxTrainSamples') ?? (resume ? trainSamplesOf(resume.run) : undefined);
    const all = limit ? firstSamples(data.train, limit) : data.train;
    const { train, validation } = carveValidation(all, config.validationSplit, seed);
    emit({
      type: 'dataset',
      runId,
      info: {
        name: data.name, classes: data.classes?.length ?? null, train: train.count, validation: validation?.count ?? 0, test: data.test?.count ?? 0, skipped: data.skipped ?? [],
        version: kept.version, datasetId: kept.id,
      },
    });
    if (resume && resume.run.datasetName !== data.name) warn(`the checkpoint was trained on ${resume.run.datasetName}; this run continues on ${data.name}`);
    if (stopping()) return summary('stopped');

    // A resumed run belongs with the run it continues, whichever project the page has open.
    const projectId = resume?.run.projectId ?? req.projectId;
    if (storage && projectId) {
      store = await beginStore(storage, projectId, { req, plan, datasetName: data.name, datasetVersion: kept.version, limit }, warn);
      if (store) emit({ type: 'stored', runId, record: store.record });
    }
    if (resume) emit({ type: 'resumed', runId, from: { checkpointId: resume.manifest.id, runId: resume.run.id, epoch: resume.manifest.epoch, globalStep: resume.manifest.globalStep } });

    emit({ type: 'phase', runId, phase: 'choosing-backend', detail: req.backend === 'auto' ? 'trying webgpu, webgl, wasm, cpu' : `trying ${req.backend} first` });
    const build = () => compileGraph(analysis, { seed }).model;
    t = performance.now();
    const choice = await chooseBackend({ preference: req.backend, environment: browserEnvironment(), model: build });
    timings.chooseBackendMs = performance.now() - t;
    backend = choice.report.backend;
    void choice.deviceLost?.then((why) => {
      emit({ type: 'warning', runId, message: `the GPU device was lost (${why}); the run stops` });
      control.stop();
    });
    model = build();

    let prewarmMs: number | null = null;
    if (backend === 'webgpu' && req.prewarm === true) {
      emit({ type: 'phase', runId, phase: 'prewarming', detail: 'compiling GPU shaders' });
      const m = model;
      // Gradients only: compile-only mode leaves garbage in outputs, which must not reach the weights.
      const r = await prewarmWebGpu(() => void syntheticStep(m, config.batchSize, null));
      prewarmMs = r?.ms ?? null;
      timings.prewarmMs = prewarmMs;
    }
    emit({ type: 'backend', runId, report: choice.report, prewarmMs });
    if (store) void store.setBackend(choice.report);
    for (const s of choice.report.skipped) if (s.reason.code === 'missing-kernels' || s.reason.code === 'dry-run-failed') emit({ type: 'warning', runId, message: `${s.message}; training on ${backend} instead` });

    emit({ type: 'phase', runId, phase: 'training', detail: `${train.count} samples, batch ${config.batchSize}, ${config.epochs} epochs` });
    const steps = new StepBuffer((points) => {
      emit({ type: 'steps', runId, points });
      void store?.appendSteps(points);
    });
    deps.onHandle?.({ flush: () => steps.flush(), paused: (p) => void store?.update({ status: p ? 'paused' : 'running' }) });
    const onEvent = (e: EngineEvent) => {
      switch (e.type) {
        case 'progress':
          firstStepAt ??= performance.now();
          steps.push({
            step: (e.epoch - 1) * e.stepsPerEpoch + e.step, epoch: e.epoch, loss: e.stepLoss, accuracy: e.metrics['accuracy'] ?? null,
            learningRate: e.learningRate, gradNorm: e.gradNorm, samplesPerSec: e.samplesPerSec,
          });
          return;
        case 'epoch':
          steps.flush();
          epochsCompleted = e.epoch;
          void store?.appendEpoch(e);
          finalValAccuracy = e.valMetrics?.['accuracy'] ?? null;
          emit({
            type: 'epoch',
            runId,
            epoch: { epoch: e.epoch, epochs: config.epochs, loss: e.loss, accuracy: e.metrics['accuracy'] ?? null, valLoss: e.valLoss, valAccuracy: finalValAccuracy, ms: e.durationMs },
          });
          return;
        case 'early-stop':
          emit({ type: 'warning', runId, message: `stopped early at epoch ${e.epoch}: ${e.monitor} has not improved since epoch ${e.bestEpoch}` });
          return;
        case 'checkpoint':
        case 'done':
          steps.flush();
          return;
        default: {
          const never: never = e;
          throw new Error(`unknown engine event ${JSON.stringify(never)}`);
        }
      }
    };
    trainStart = performance.now();
    // The loop itself keeps at most MAX_STEPS_IN_FLIGHT steps queued on the device, so
    // Pause/Stop act within a couple of steps; progress comes at most ~10 times a second.
    const checkpoints = store?.checkpoints(req.checkpoints ?? {}, {
      onSaved: (checkpoint) => emit({ type: 'checkpoint', runId, checkpoint }),
      ...(req.testHangCheckpoint ? { hangAt: req.testHangCheckpoint, onHang: () => warn(`test hook: checkpoint ${req.testHangCheckpoint} hangs before its manifest`) } : {}),
    });
    const result = await trainModel({
      model, train, validation, config, onEvent, control,
      ...(checkpoints ? { checkpoints } : {}),
      ...(resume ? { resumeFrom: resume.checkpoint } : {}),
      ...(deps.progressIntervalMs !== undefined ? { progressIntervalMs: deps.progressIntervalMs } : {}),
    });
    if (result.status === 'stopped') {
      await store?.finish('stopped', {}, null);
      return summary('stopped');
    }

    let testAccuracy: number | null = null;
    if (data.test) {
      emit({ type: 'phase', runId, phase: 'evaluating', detail: `${data.test.count} test samples` });
      testAccuracy = (await evaluate(model, data.test, config)).metrics['accuracy'] ?? null;
    }
    if (store) emit({ type: 'stored', runId, record: await store.finish(result.status, testAccuracy === null ? {} : { testAccuracy }, null) });
    return summary('completed', { testAccuracy });
  } catch (e) {
    const error = e instanceof RunError || e instanceof DataUnavailable || e instanceof DatasetError || e instanceof TrainingConfigError ? { message: e.message, stack: null } : toWireError(e);
    if (store) emit({ type: 'stored', runId, record: await store.finish('failed', {}, error.message) });
    return summary('failed', { error });
  } finally {
    model?.dispose();
  }
}

/** Stores the run's record; null (with a warning) when that fails: the run then trains unsaved. */
function beginStore(storage: RunStorage, projectId: ProjectId, run: { req: StartRequest; plan: RunPlan; datasetName: string; datasetVersion: ContentHash; limit: number | undefined }, warn: (m: string) => void): Promise<RunStore | null> {
  const { project, analysis, config, resume } = run.plan;
  const tags = [
    ...(run.limit ? [trainSamplesTag(run.limit)] : []),
    ...(resume ? [resumedFromTag({ runId: resume.run.id, globalStep: resume.manifest.globalStep, epoch: resume.manifest.epoch })] : []),
    // The page's own tags (e.g. `reproduces:<runId>`); the request crossed a worker boundary, so strings only.
    ...(run.req.tags ?? []).filter((t): t is string => typeof t === 'string' && t.length > 0),
  ];
  const start: RunStart = {
    runId: run.req.runId,
    projectId,
    graph: project.graph,
    totals: { params: analysis.totals.params, trainableParams: analysis.totals.trainableParams, flops: analysis.totals.flops },
    config: { ...project.training, epochs: config.epochs, batchSize: config.batchSize, seed: config.seed },
    seed: config.seed,
    datasetName: run.datasetName,
    datasetVersion: run.datasetVersion,
    resumedFrom: run.req.resumeFrom ?? null,
    tags,
  };
  return RunStore.begin(storage, start, warn).catch((e: unknown) => {
    warn(`this run is not saved on the device: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  });
}

/** The device's storage, or null (with a warning) when it cannot be opened: the run then trains unsaved. */
async function openStorage(deps: RunDeps, warn: (m: string) => void): Promise<RunStorage | null> {
  try {
    return (await deps.storage?.()) ?? null;
  } catch (e) {
    warn(`runs cannot be saved on this device: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}
