// The Jupyter export: one notebook (nbformat 4.5) that defines the PyTorch model, loads the
// exported weights, trains it as NeuralForge would (the same pieces as train.py), and shows the
// run NeuralForge recorded, as a table and a plot; plus the weights.npz it loads.
import { strToU8 } from 'fflate';
import { modelParts, exampleRun } from './pytorch/model-py.js';
import { torchGraph } from './pytorch/graph.js';
import { pytorchSupport } from './pytorch/index.js';
import { stateDict, stateDictNpz } from './pytorch/state-dict.js';
import { importLines, setupSource, trainPlan, type TrainPlan } from './pytorch/train-py.js';
import { pyFloat, pyStr, shapeText } from './python-code.js';
import { ExportError, type ExportFile, type ExportInput, type ExportRunInfo } from './types.js';

type Cell =
  | { readonly cell_type: 'markdown'; readonly id: string; readonly metadata: Record<string, never>; readonly source: string[] }
  | {
      readonly cell_type: 'code';
      readonly id: string;
      readonly metadata: Record<string, never>;
      readonly execution_count: null;
      readonly outputs: never[];
      readonly source: string[];
    };

/** Jupyter keeps a cell's source as lines, each but the last ending in a newline. */
const lines = (text: string): string[] => text.split('\n').map((l, i, all) => (i < all.length - 1 ? `${l}\n` : l));
const markdown = (id: string, text: string): Cell => ({ cell_type: 'markdown', id, metadata: {}, source: lines(text) });
const code = (id: string, text: string): Cell => ({ cell_type: 'code', id, metadata: {}, execution_count: null, outputs: [], source: lines(text) });

/** Markdown table cells must not contain pipes or line breaks. */
const cellText = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
const table = (head: readonly string[], rows: readonly (readonly string[])[]): string =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cellText).join(' | ')} |`)].join('\n');

const fixed = (v: number | null | undefined): string => (v === null || v === undefined ? '' : Number.isFinite(v) ? v.toFixed(4) : String(v));
const pyNumber = (v: number | null): string => (v !== null && Number.isFinite(v) ? pyFloat(v) : "float('nan')");

function layerTable(input: ExportInput): string {
  const rows = input.analysis.structure.order.map((id) => {
    const a = input.analysis.nodes.get(id)!;
    return [`\`${id}\``, a.kind, shapeText(a.output!.shape), a.paramCount.trainable + a.paramCount.nonTrainable > 0 ? String(a.paramCount.trainable + a.paramCount.nonTrainable) : ''];
  });
  return table(['node', 'kind', 'output', 'parameters'], rows);
}

function introCell(input: ExportInput, plan: TrainPlan): Cell {
  const { project, analysis } = input;
  return markdown('title', [
    `# ${project.name}`,
    ...(project.description ? ['', project.description] : []),
    '',
    'Exported by NeuralForge: the same network as a PyTorch module, with the weights it had in the app',
    '(`weights.npz`, beside this notebook). It needs Python 3 with `torch` and `numpy`; `matplotlib` only for the plot.',
    `Tensors go in and out channels-last, as in NeuralForge. ${plan.ok ? 'The training cells use the project\'s own loss, metrics, optimizer and schedule.' : `It cannot be trained here: ${plan.reason}.`}`,
    '',
    `${analysis.totals.params.toLocaleString('en-US')} parameters:`,
    '',
    layerTable(input),
  ].join('\n'));
}

function trainingCells(plan: Extract<TrainPlan, { ok: true }>): Cell[] {
  const s = plan.sections;
  const d = plan.data;
  const label = d.kind === 'table' || d.kind === 'text' ? [`LABEL = ${d.label ? pyStr(d.label) : "'label'  # the label column: set it"}`] : [];
  const validation = plan.config.validationSplit > 0;
  return [
    markdown('data-intro', '## Data\n\nSet `DATA_PATH` to the dataset file (or a `.npz` with `x_train`, `y_train` and optionally `x_test`, `y_test`).'),
    code('data', [...s.constants, `DATA_PATH = ${pyStr(d.file)}`, ...label, '', '', s.data.source, '', '', `train_data, test_data = ${s.data.call('DATA_PATH', 'LABEL')}`, "print('training samples:', len(train_data[0]))"].join('\n')),
    markdown('training-intro', `## Training\n\nLoss, metrics, optimizer${plan.config.schedule.name === 'constant' ? '' : ', learning-rate schedule'} and loop, as NeuralForge runs them.`),
    code('training-code', [...s.definitions, setupSource(plan)].join('\n\n\n')),
    code('train', [
      'torch.manual_seed(SEED)',
      "device = 'cuda' if torch.cuda.is_available() else 'cpu'",
      'model = load_model().to(device)',
      ...(validation
        ? ['fit_data, validation_data = split_validation(train_data)', 'history = fit(model, to_tensors(fit_data, device), to_tensors(validation_data, device), EPOCHS)']
        : ['history = fit(model, to_tensors(train_data, device), EPOCHS)']),
      'if test_data is not None:',
      "    print('test', evaluate(model, to_tensors(test_data, device)).result())",
    ].join('\n')),
  ];
}

function runCells(run: ExportRunInfo, trained: boolean): Cell[] {
  const metricNames = [...new Set(run.epochs.flatMap((e) => Object.keys(e.metrics)))];
  const rows = run.epochs.map((e) => [String(e.epoch), fixed(e.loss), fixed(e.valLoss), ...metricNames.map((m) => fixed(e.metrics[m]))]);
  const test = run.testMetrics ? `\n\nTest: ${Object.entries(run.testMetrics).map(([k, v]) => `${k} ${fixed(v)}`).join(', ')}.` : '';
  const cells = [markdown('recorded-run', `## The run NeuralForge recorded (\`${cellText(run.id)}\`)\n\n${table(['epoch', 'loss', 'valLoss', ...metricNames], rows)}${test}`)];
  if (!run.epochs.length) return cells;
  const series = [['loss', run.epochs.map((e) => e.loss)] as const, ...(run.epochs.some((e) => e.valLoss !== null) ? [['valLoss', run.epochs.map((e) => e.valLoss)] as const] : [])];
  const plot = [
    'try:',
    '    import matplotlib.pyplot as plt',
    'except ImportError:',
    '    plt = None',
    "    print('matplotlib is not installed (pip install matplotlib): no plot')",
    '',
    'if plt is not None:',
    '    recorded = {  # NeuralForge, per epoch',
    ...series.map(([name, values]) => `        ${pyStr(name)}: [${values.map(pyNumber).join(', ')}],`),
    '    }',
    '    for name, values in recorded.items():',
    "        plt.plot(range(1, len(values) + 1), values, label=f'NeuralForge {name}')",
    ...(trained
      ? [
          '    for name in recorded:  # this notebook\'s training, if it ran',
          "        if 'history' in globals() and history and name in history[0]:",
          "            plt.plot(range(1, len(history) + 1), [h[name] for h in history], '--', label=f'PyTorch {name}')",
        ]
      : []),
    "    plt.xlabel('epoch')",
    '    plt.legend()',
    '    plt.show()',
  ];
  return [...cells, code('plot', plot.join('\n'))];
}

/** A file name for the notebook from the project's name. */
const notebookName = (name: string): string => `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'model'}.ipynb`;

/**
 * The notebook and the weights.npz it loads.
 * @example const [notebook, weights] = exportNotebook({ project, analysis, model, run });
 * @throws ExportError when PyTorch cannot express a node (the notebook runs the PyTorch model).
 */
export function exportNotebook(input: ExportInput): ExportFile[] {
  const unsupported = pytorchSupport(input.analysis);
  if (unsupported.length) throw new ExportError('notebook', unsupported);
  const g = torchGraph(input.analysis, input.project.name);
  const plan = trainPlan(input.project, g, input.model);
  const parts = modelParts(g, "'weights.npz'");
  const readers = plan.ok ? plan.sections.data.source : '';
  const imports = [...parts.imports, ...(plan.ok ? plan.sections.imports : []), ...(readers.includes('Path(') ? ['from pathlib import Path'] : [])];
  const cells: Cell[] = [
    introCell(input, plan),
    code('imports', [...importLines([...new Set(imports)]), '', 'import numpy as np', 'import torch', 'import torch.nn as nn', 'import torch.nn.functional as F'].join('\n')),
    markdown('model-intro', '## The model'),
    code('model', [...parts.helpers, parts.module].join('\n\n\n')),
    markdown('weights-intro', '## Weights\n\n`weights.npz` holds the weights in PyTorch\'s layouts, keyed as `model.state_dict()`.'),
    code('weights', [parts.loaders, '', '', 'model = load_model()', ...exampleRun(g)].join('\n')),
    ...(plan.ok ? trainingCells(plan) : []),
    ...(input.run ? runCells(input.run, plan.ok) : []),
  ];
  const notebook = {
    cells,
    metadata: {
      kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
      language_info: { name: 'python' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return [
    { path: notebookName(input.project.name), bytes: strToU8(`${JSON.stringify(notebook, null, 1)}\n`) },
    { path: 'weights.npz', bytes: stateDictNpz(stateDict(g, input.model)) },
  ];
}
