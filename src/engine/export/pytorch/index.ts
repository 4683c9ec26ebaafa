// The PyTorch export: model.py, weights.npz, train.py (when the project can train) and a
// README. Kinds or settings PyTorch cannot express are refused up front, with the reason.
import { strToU8 } from 'fflate';
import type { Analysis } from '../../graph/analyze.js';
import { isLayerKind } from '../../layers/kinds.js';
import { ExportError, type ExportFile, type ExportInput, type UnsupportedNode } from '../types.js';
import { torchGraph } from './graph.js';
import { modelPy } from './model-py.js';
import { pytorchReadme } from './readme.js';
import { stateDict, stateDictNpz } from './state-dict.js';
import { torchOp } from './ops/index.js';
import { trainPlan, trainPy } from './train-py.js';

const utf8 = (s: string): Uint8Array => strToU8(s);

/**
 * The nodes of a valid analysis that PyTorch cannot express, with the reason for each.
 * @example pytorchSupport(analyzeGraph(graph)) // [{ nodeId: 'lstm', kind: 'LSTM', reason: 'nn.LSTM fixes …' }]
 */
export function pytorchSupport(analysis: Analysis): UnsupportedNode[] {
  const out: UnsupportedNode[] = [];
  for (const id of analysis.structure.order) {
    const node = analysis.structure.byId.get(id)!;
    const a = analysis.nodes.get(id)!;
    if (!isLayerKind(node.kind) || !a.params || !a.output) continue; // analysis errors are reported there
    const op = torchOp(node.kind);
    const inputs = analysis.structure.incoming.get(id)!.map((e) => analysis.nodes.get(e!.source)!.output!);
    const reason = op.unsupported?.({ id, params: a.params, inputs, output: a.output, attr: () => id });
    if (reason) out.push({ nodeId: id, kind: node.kind, reason });
  }
  return out;
}

/**
 * model.py, weights.npz, train.py (when the project can train) and README.md.
 * @example const files = exportPytorch({ project, analysis, model }); // write each file.path
 * @throws ExportError listing every node PyTorch cannot express.
 */
export function exportPytorch(input: ExportInput): ExportFile[] {
  const unsupported = pytorchSupport(input.analysis);
  if (unsupported.length) throw new ExportError('pytorch', unsupported);
  const { project } = input;
  const g = torchGraph(input.analysis, project.name);
  const plan = trainPlan(project, g, input.model);
  const description = project.description ? `${project.name}: ${project.description}` : project.name;
  return [
    { path: 'model.py', bytes: utf8(modelPy(g, description)) },
    { path: 'weights.npz', bytes: stateDictNpz(stateDict(g, input.model)) },
    ...(plan.ok ? [{ path: 'train.py', bytes: utf8(trainPy(plan, g.className, project.name)) }] : []),
    { path: 'README.md', bytes: utf8(pytorchReadme(project.name, g.className, plan)) },
  ];
}
