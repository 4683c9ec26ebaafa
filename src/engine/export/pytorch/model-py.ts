// model.py: an nn.Module mirroring the graph. Tensors enter and leave channels-last as in
// TF.js; convolutions and pooling compute channels-first, and a tensor moves between the two
// layouts only where the next layer needs the other one.
import type { NodeId } from '../../ids.js';
import { docstring, indent, shapeText, withComment } from '../python-code.js';
import { inLayout, type Layout } from './emitter.js';
import type { TorchGraph } from './graph.js';
import { helperClosure, HELPERS, type HelperName } from './helpers.js';

/** Where each tensor lives in forward: a variable per layout it is available in. */
class Tensors {
  private readonly vars = new Map<NodeId, Map<Layout, string>>();
  private readonly current = new Map<NodeId, Layout>();
  readonly lines: string[] = [];

  constructor(private readonly g: TorchGraph) {}

  set(id: NodeId, name: string, layout: Layout): void {
    this.vars.set(id, new Map([[layout, name]]));
    this.current.set(id, layout);
  }

  /** The layout `id` was last produced or converted into. */
  layoutOf(id: NodeId): Layout {
    return this.current.get(id)!;
  }

  /**
   * A variable holding `id` in `layout`, adding a movedim line when needed. The variable is
   * rebound when no later reader wants the old layout, else the converted copy gets a new name.
   */
  get(id: NodeId, layout: Layout, readerIndex: number): string {
    const node = this.g.byId.get(id)!;
    const have = this.vars.get(id)!;
    const rank = node.info.output.shape.length;
    if (rank < 3) return [...have.values()][0]!;
    const existing = have.get(layout);
    if (existing) return existing;
    const from = this.current.get(id)!;
    const old = have.get(from)!;
    const oldWanted =
      (from === 'last' && this.g.outputs.includes(id)) ||
      this.g.consumers.get(id)!.some((c) => {
        const reader = this.g.byId.get(c)!;
        return reader.index > readerIndex && reader.op.layout(reader.info) === from;
      });
    const name = oldWanted ? this.g.names.claim(`${old}_${layout === 'first' ? 'cf' : 'cl'}`) : old;
    const move = layout === 'first' ? 'movedim(-1, 1)' : 'movedim(1, -1)';
    this.lines.push(withComment(`${name} = ${old}.${move}`, `${shapeText(inLayout(node.info.output.shape, layout))}, channels ${layout}`));
    if (!oldWanted) have.clear();
    have.set(layout, name);
    this.current.set(id, layout);
    return name;
  }
}

/** The forward body: one statement (or a few) per node, each ending in its output's shape. */
function forwardBody(g: TorchGraph): string[] {
  const t = new Tensors(g);
  for (const id of g.inputs) t.set(id, g.byId.get(id)!.info.attr(), 'last');
  for (const node of g.nodes) {
    if (node.kind === 'Input') continue;
    const { info, op } = node;
    const sources = g.sources.get(info.id)!;
    const want = op.layout(info);
    const layout: Layout = want !== 'any' ? want : info.inputs[0]!.shape.length < 3 ? 'last' : t.layoutOf(sources[0]!);
    const args = sources.map((s) => t.get(s, layout, node.index));
    const lines = [...op.forward({ ...info, args, layout, out: info.attr() })];
    const outLayout: Layout = info.output.shape.length < 3 ? 'last' : layout;
    lines[lines.length - 1] = withComment(lines.at(-1)!, shapeText(inLayout(info.output.shape, outLayout)));
    t.lines.push(...lines);
    t.set(info.id, info.attr(), outLayout);
  }
  const results = g.outputs.map((id) => t.get(id, 'last', Infinity));
  t.lines.push(`return ${results.join(', ')}`);
  return t.lines;
}

/** `(B, 28, 28, 1) → (B, 10)`, channels last, for the forward docstring. */
function signature(g: TorchGraph): string {
  const shapes = (ids: readonly NodeId[]) => ids.map((id) => shapeText(g.byId.get(id)!.info.output.shape)).join(', ');
  return `${shapes(g.inputs)} → ${shapes(g.outputs)}, channels last as in NeuralForge.`;
}

/** Example inputs for the `__main__` check: token ids below the vocabulary of the Embedding they feed. */
function exampleInput(g: TorchGraph, id: NodeId): string {
  const { shape, dtype } = g.byId.get(id)!.info.output;
  const dims = ['2', ...shape.slice(1).map(String)].join(', ');
  if (dtype === 'float32') return `torch.randn(${dims})`;
  const embedding = g.consumers.get(id)!.map((c) => g.byId.get(c)!).find((c) => c.kind === 'Embedding');
  const vocab = embedding ? (embedding.info.params as { inputDim: number }).inputDim : 2;
  return `torch.randint(0, ${vocab}, (${dims}))`;
}

/** The `__main__` check: run the model on random inputs and print the output shapes. */
export function exampleRun(g: TorchGraph): string[] {
  const call = `model(${g.inputs.map((id) => exampleInput(g, id)).join(', ')})`;
  const shapes = g.outputs.length === 1 ? 'outputs.shape' : '[output.shape for output in outputs]';
  return ['with torch.no_grad():', `    outputs = ${call}`, `print(${shapes})`];
}

/** model.py in pieces, so the notebook can lay them out as cells. */
export interface ModelParts {
  /** Modules beyond pathlib, numpy, torch, nn and F. */
  readonly imports: readonly string[];
  /** Helper functions and classes, in dependency order. */
  readonly helpers: readonly string[];
  /** The nn.Module. */
  readonly module: string;
  /** load_weights and load_model, reading `weights` (a Python expression) by default. */
  readonly loaders: string;
}

/** The pieces of model.py; `weights` is the default weights path as a Python expression. */
export function modelParts(g: TorchGraph, weights: string): ModelParts {
  const init = g.nodes.flatMap((n) => n.op.init(n.info));
  const forward = forwardBody(g);
  const helpers = helperClosure(g.nodes.flatMap((n): readonly HelperName[] => n.op.helpers?.(n.info) ?? []));
  const args = g.inputs.map((id) => g.byId.get(id)!.info.attr());
  const module = [
    `class ${g.className}(nn.Module):`,
    '    def __init__(self):',
    '        super().__init__()',
    ...indent(init, 2),
    '',
    `    def forward(self, ${args.join(', ')}):`,
    `        """${signature(g)}"""`,
    ...indent(forward, 2),
  ];
  const loaders = [
    `def load_weights(model, path=${weights}):`,
    '    """Loads weights.npz (keys and layouts as model.state_dict()) into the model."""',
    '    arrays = np.load(path)',
    '    state = {key: torch.from_numpy(arrays[key]) for key in arrays.files}',
    '    missing, unexpected = model.load_state_dict(state, strict=False)',
    "    missing = [key for key in missing if not key.endswith('num_batches_tracked')]",
    '    if missing or unexpected:',
    "        raise ValueError(f'{path} does not fit {type(model).__name__}: missing {missing}, unexpected {unexpected}')",
    '',
    '',
    `def load_model(path=${weights}):`,
    '    """The model with the exported weights, in evaluation mode."""',
    `    model = ${g.className}()`,
    '    load_weights(model, path)',
    '    return model.eval()',
  ];
  return {
    imports: [...new Set(helpers.flatMap((h) => HELPERS[h].imports))].sort(),
    helpers: helpers.map((h) => HELPERS[h].source),
    module: module.join('\n'),
    loaders: loaders.join('\n'),
  };
}

/** The whole model.py: imports, the helpers the graph needs, the module, and functions that load weights.npz into it. */
export function modelPy(g: TorchGraph, description: string): string {
  const parts = modelParts(g, "Path(__file__).with_name('weights.npz')");
  const header = [
    ...docstring([
      description,
      'A PyTorch module generated by NeuralForge from the same graph. It takes and returns tensors channels-last, exactly as ' +
        "NeuralForge (TF.js) does; inside, convolutions and pooling run channels-first, PyTorch's layout. weights.npz holds the " +
        "exported weights in PyTorch's layouts.",
    ]),
    ...parts.imports.map((m) => `import ${m}`),
    'from pathlib import Path',
    '',
    'import numpy as np',
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
  ];
  const main = ["if __name__ == '__main__':", '    model = load_model()', ...indent(exampleRun(g))];
  return `${[header.join('\n'), ...parts.helpers, parts.module, parts.loaders, main.join('\n')].join('\n\n\n')}\n`;
}
