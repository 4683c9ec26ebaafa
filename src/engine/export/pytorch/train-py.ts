// train.py: trains the exported model as NeuralForge would, with the project's data reader,
// loss, metrics, optimizer, schedule, batch size, epochs, clipping, L2 and seed. The pieces
// are sections so the notebook can lay them out as cells.
import type * as tf from '@tensorflow/tfjs';
import type { Project } from '../../project/types.js';
import { resolveTrainingConfig, trainingConfigIssues, type ResolvedTrainingConfig } from '../../train/config.js';
import { outputActivation } from '../../train/losses.js';
import { docstring, pyFloat, pyStr } from '../python-code.js';
import type { TorchGraph } from './graph.js';
import { dataSection, trainData, type DataSection, type TrainData } from './train-data.js';
import { loopFeatures, loopSource } from './train-loop.js';
import { objectiveSource } from './train-objective.js';
import { optimizerSource, scheduleSource } from './train-optim.js';

/** Everything train.py is made from, or why the project cannot be trained outside NeuralForge either. */
export type TrainPlan =
  | { readonly ok: true; readonly config: ResolvedTrainingConfig; readonly data: TrainData; readonly sections: TrainSections }
  | { readonly ok: false; readonly reason: string };

export interface TrainSections {
  /** `import x` / `from x import y` lines beyond numpy and torch. */
  readonly imports: readonly string[];
  /** `NAME = value  # why` lines. */
  readonly constants: readonly string[];
  readonly data: DataSection;
  /** loss, metrics, optimizer, schedule and loop: top-level definitions, in order. */
  readonly definitions: readonly string[];
}

/** What NeuralForge's trainer also needs: one input, one output, and a training section it can resolve. */
export function trainPlan(project: Project, g: TorchGraph, model: tf.LayersModel): TrainPlan {
  if (g.inputs.length !== 1 || g.outputs.length !== 1)
    return { ok: false, reason: `training needs one Input and one output; this model has ${g.inputs.length} and ${g.outputs.length}` };
  const issues = trainingConfigIssues(project.training);
  if (issues.length) return { ok: false, reason: `the training section has problems: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}` };
  const config = resolveTrainingConfig(project.training);
  const data = trainData(project.dataset, g, config.loss);
  const output = g.byId.get(g.outputs[0]!)!.info.output;
  const schedule = scheduleSource(config.schedule, config.optimizer.learningRate);
  const features = loopFeatures(config, schedule !== null);
  const loop = loopSource(features);
  const section = dataSection(data);
  const labelDtype = config.loss === 'sparseCategoricalCrossentropy' || config.loss === 'nextTokenCrossentropy' ? 'torch.long' : 'torch.float32';
  const constants = [
    `SEED = ${config.seed}`,
    `BATCH_SIZE = ${config.batchSize}`,
    `EPOCHS = ${config.epochs}`,
    ...(features.validation ? [`VALIDATION_SPLIT = ${pyFloat(config.validationSplit)}  # of the training samples, held out each epoch`] : []),
    ...(features.accumulate ? [`ACCUMULATION_STEPS = ${config.accumulationSteps}  # mini-batches whose gradients make one optimizer step`] : []),
    ...(features.l2 ? [`L2 = ${pyFloat(config.l2)}  # penalty L2 · Σw² on matrices and kernels, added to their gradients`] : []),
    ...(features.clip ? [`CLIP_NORM = ${pyFloat(config.clipNorm!)}  # largest global gradient norm`] : []),
    `LABEL_DTYPE = ${labelDtype}  # ${labelDtype === 'torch.long' ? 'class ids' : 'float targets'} for ${config.loss}`,
    ...section.constants.map(([name, value, why]) => `${name} = ${value}  # ${why}`),
  ];
  const definitions = [
    objectiveSource(config.loss, outputActivation(model), config.metrics, output.shape.at(-1) ?? 1),
    optimizerSource(config.optimizer),
    ...(schedule ? [schedule] : []),
    loop.source,
  ];
  const imports = [...new Set([...section.imports, ...loop.imports, ...(schedule ? ['math'] : [])])];
  return { ok: true, config, data, sections: { imports, constants, data: section, definitions } };
}

/** `import a` lines first, then `from a import b`, each sorted. */
export function importLines(imports: readonly string[]): string[] {
  const plain = imports.filter((i) => !i.startsWith('from ')).sort();
  const from = imports.filter((i) => i.startsWith('from ')).sort();
  return [...plain.map((m) => `import ${m}`), ...from];
}

const TO_TENSORS = `def to_tensors(data, device):
    x, y = data
    return torch.as_tensor(x).to(device), torch.as_tensor(y, dtype=LABEL_DTYPE).to(device)`;

const SPLIT_VALIDATION = `def split_validation(data):
    """Holds out VALIDATION_SPLIT of the training samples (a seeded choice, not NeuralForge's exact one)."""
    x, y = data
    order = np.random.default_rng(SEED).permutation(len(x))
    held_out = round(len(x) * VALIDATION_SPLIT)
    return (x[order[held_out:]], y[order[held_out:]]), (x[order[:held_out]], y[order[:held_out]])`;

/** The shared tail of train.py and the notebook: tensors on the device, the validation split. */
export function setupSource(plan: Extract<TrainPlan, { ok: true }>): string {
  return [TO_TENSORS, ...(plan.config.validationSplit > 0 ? [SPLIT_VALIDATION] : [])].join('\n\n\n');
}

const describeData = (d: TrainData): string => {
  switch (d.kind) {
    case 'mnist': return "NeuralForge's mnist.bin (public/data/mnist.bin in the app)";
    case 'table': return `a CSV table like ${d.file}`;
    case 'text': return `labelled texts like ${d.file} (.csv or .jsonl)`;
    case 'corpus': return `a text file like ${d.file}`;
    case 'npz': return 'a .npz';
    default: {
      const never: never = d;
      throw new Error(`unhandled data kind ${JSON.stringify(never)}`);
    }
  }
};

/** The whole train.py for a trainable project. */
export function trainPy(plan: Extract<TrainPlan, { ok: true }>, className: string, projectName: string): string {
  const { sections: s, data, config } = plan;
  const label = s.data.needsLabel;
  const labelDefault = data.kind === 'table' || data.kind === 'text' ? data.label : null;
  const validation = config.validationSplit > 0;
  const header = [
    ...docstring([
      `Trains ${projectName} (class ${className} in model.py) as NeuralForge would.`,
      'Usage: python train.py [--data FILE] [--epochs N] [--weights weights.npz] [--save trained.npz]',
      `--data takes ${describeData(data)}${data.kind === 'npz' ? '' : ', or a .npz'} with x_train and y_train (and optionally x_test, y_test) ` +
        "shaped as the model's input and labels. Training starts from the exported weights unless --weights none.",
    ]),
    ...importLines(['argparse', ...s.imports, 'from pathlib import Path']),
    '',
    'import numpy as np',
    'import torch',
    ...(s.definitions.some((d) => d.includes('F.')) ? ['import torch.nn.functional as F'] : []),
    '',
    `from model import ${className}, load_weights`,
    '',
    ...s.constants,
  ];
  const main = [
    'def main(argv=None):',
    "    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])",
    `    parser.add_argument('--data', default=${pyStr(data.file)}, help='the training data (default: %(default)s)')`,
    ...(label ? [`    parser.add_argument('--label', ${labelDefault ? `default=${pyStr(labelDefault)}` : 'required=True'}, help='the label column or field')`] : []),
    "    parser.add_argument('--epochs', type=int, default=EPOCHS)",
    "    parser.add_argument('--weights', default=str(Path(__file__).with_name('weights.npz')), help='starting weights, or none')",
    "    parser.add_argument('--save', default='trained.npz', help='where the trained weights go')",
    '    args = parser.parse_args(argv)',
    '    torch.manual_seed(SEED)',
    "    device = 'cuda' if torch.cuda.is_available() else 'cpu'",
    `    model = ${className}()`,
    "    if args.weights != 'none':",
    '        load_weights(model, args.weights)',
    '    model.to(device)',
    `    train, test = ${s.data.call('args.data', 'args.label')}`,
    ...(validation
      ? ['    train, validation = split_validation(train)', '    history = fit(model, to_tensors(train, device), to_tensors(validation, device), args.epochs)']
      : ['    history = fit(model, to_tensors(train, device), args.epochs)']),
    '    if test is not None:',
    "        result = evaluate(model, to_tensors(test, device)).result()",
    "        print('test  ' + '  '.join(f'{name} {value:.4f}' for name, value in result.items()))",
    "    state = {key: value.cpu().numpy() for key, value in model.state_dict().items() if not key.endswith('num_batches_tracked')}",
    '    np.savez(args.save, **state)',
    "    print(f'saved the trained weights to {args.save}')",
    '    return history',
  ];
  const blocks = [header.join('\n'), s.data.source, ...s.definitions, setupSource(plan), main.join('\n'), "if __name__ == '__main__':\n    main()"];
  return `${blocks.join('\n\n\n')}\n`;
}
