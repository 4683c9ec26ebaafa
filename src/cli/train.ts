// `npm run cli -- train FILE [--epochs N] [--backend auto|cpu|wasm|webgl|webgpu] [--out DIR]`:
// headless training with the same engine as the browser. One JSON object per line on
// stdout: an epoch line per epoch, then a done line with metrics on the test split.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { compileGraph } from '../engine/compile/compile.js';
import { carveValidation, DatasetError, loadDataset } from '../engine/data/index.js';
import { nodeMnistBytes, readFileBytes } from '../engine/data/node-files.js';
import { toTfjsFiles, WEIGHTS_FILE } from '../engine/export/tfjs-format.js';
import { analyzeGraph } from '../engine/graph/analyze.js';
import { chooseNodeBackend } from '../engine/runtime/backend-node.js';
import { isBackendPreference, type BackendPreference } from '../engine/runtime/backend-types.js';
import { taskForLoss } from '../engine/train/dataset-task.js';
import { evaluate, resolveTrainingConfig, TrainingConfigError, trainModel, type TrainerEvent } from '../engine/train/index.js';
import { parseFlags, readProject, UsageError, writeLine } from './io.js';

export const TRAIN_USAGE = 'usage: npm run cli -- train FILE [--epochs N] [--backend auto|cpu|wasm|webgl|webgpu] [--out DIR]';

interface TrainArgs {
  readonly file: string;
  readonly epochs: number | null;
  readonly backend: BackendPreference;
  readonly out: string | null;
}

function parseTrainArgs(args: readonly string[]): TrainArgs {
  const { positional, flags } = parseFlags(args, ['epochs', 'backend', 'out']);
  if (positional.length !== 1) throw new UsageError(TRAIN_USAGE);
  const epochs = flags.get('epochs');
  if (epochs !== undefined && !/^[1-9]\d{0,5}$/.test(epochs)) throw new UsageError(`--epochs must be a whole number ≥ 1; got "${epochs}"`);
  const backend = flags.get('backend') ?? 'auto';
  if (!isBackendPreference(backend)) throw new UsageError(`--backend must be auto, cpu, wasm, webgl or webgpu; got "${backend}"`);
  return { file: positional[0]!, epochs: epochs ? Number(epochs) : null, backend, out: flags.get('out') ?? null };
}

/** The project's `training` section, with `--epochs` applied; config mistakes are usage errors. */
function trainingConfig(training: Parameters<typeof resolveTrainingConfig>[0], file: string, epochs: number | null) {
  try {
    return resolveTrainingConfig(epochs ? { ...training, epochs } : training);
  } catch (e) {
    if (e instanceof TrainingConfigError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}

export async function trainCommand(args: readonly string[]): Promise<number> {
  const a = parseTrainArgs(args);
  const started = Date.now();
  const project = await readProject(a.file);
  const analysis = analyzeGraph(project.graph);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new UsageError(`${a.file}: the graph has ${errors.length} error${errors.length > 1 ? 's' : ''}; first: ${errors[0]!.nodeId ?? 'graph'}: ${errors[0]!.message}`);
  const config = trainingConfig(project.training, a.file, a.epochs);
  const build = () => compileGraph(analysis, { seed: config.seed }).model;

  const { report } = await chooseNodeBackend(a.backend, build);
  const model = build();
  const input = model.inputs[0]!;
  let dataset;
  try {
    dataset = await loadDataset(project.dataset, {
      mnistBytes: nodeMnistBytes,
      readFile: (path) => readFileBytes(resolve(dirname(a.file), path)),
      options: { input: { shape: input.shape.slice(1), dtype: input.dtype === 'int32' ? 'int32' : 'float32' }, task: taskForLoss(config.loss), seed: config.seed },
    });
  } catch (e) {
    if (e instanceof DatasetError) throw new UsageError(`${a.file}: dataset: ${e.message}`);
    throw e;
  }
  const { train, validation } = carveValidation(dataset.train, config.validationSplit, config.seed);
  writeLine({ type: 'start', backend: report.backend, adapter: report.adapter, skipped: report.skipped.map((s) => s.message), dataset: dataset.name, trainSamples: train.count, validationSamples: validation?.count ?? 0, testSamples: dataset.test?.count ?? 0 });

  const onEvent = (e: TrainerEvent) => {
    if (e.type === 'epoch') writeLine({ type: 'epoch', epoch: e.epoch, loss: e.loss, valLoss: e.valLoss, metrics: e.metrics, valMetrics: e.valMetrics, learningRate: e.learningRate, durationMs: Math.round(e.durationMs) });
    else if (e.type === 'early-stop') writeLine(e);
  };
  const result = await trainModel({ model, train, validation, config, onEvent });
  const test = dataset.test ? await evaluate(model, dataset.test, config) : null;
  const done = {
    type: 'done',
    status: result.status,
    epochs: result.epochs,
    testLoss: test?.loss ?? null,
    testMetrics: test?.metrics ?? null,
    backend: report.backend,
    durationMs: Date.now() - started,
  };
  if (a.out) await writeOutputs(a.out, model, { ...done, project: project.name, config, backendReport: report, history: result.history });
  writeLine(done);
  return 0;
}

async function writeOutputs(dir: string, model: Parameters<typeof toTfjsFiles>[0], summary: object): Promise<void> {
  await mkdir(dir, { recursive: true });
  const files = await toTfjsFiles(model);
  await writeFile(join(dir, 'model.json'), files.modelJson);
  await writeFile(join(dir, WEIGHTS_FILE), files.weights);
  await writeFile(join(dir, 'run.json'), `${JSON.stringify(summary, null, 2)}\n`);
}
