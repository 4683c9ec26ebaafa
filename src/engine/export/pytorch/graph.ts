// The graph as the PyTorch generators walk it: nodes in topological order with their
// emitter, resolved params, shapes and Python names (unique, taken from the node ids).
import type { Analysis } from '../../graph/analyze.js';
import type { NodeId } from '../../ids.js';
import { isLayerKind } from '../../layers/kinds.js';
import type { TensorInfo } from '../../tensor.js';
import { pascalCase, PythonNames } from '../python-code.js';
import type { NodeInfo, TorchEmitter } from './emitter.js';
import { HELPER_NAMES } from './helpers.js';
import { torchOp } from './ops/index.js';

export interface TorchNode {
  readonly kind: string;
  readonly op: TorchEmitter<unknown>;
  readonly info: NodeInfo<unknown>;
  /** Position in the topological order. */
  readonly index: number;
}

export interface TorchGraph {
  readonly className: string;
  /** Every node, Inputs included, in topological order. */
  readonly nodes: readonly TorchNode[];
  readonly byId: ReadonlyMap<NodeId, TorchNode>;
  readonly inputs: readonly NodeId[];
  readonly outputs: readonly NodeId[];
  /** Who reads each node's output (a node reading it twice is listed twice). */
  readonly consumers: ReadonlyMap<NodeId, readonly NodeId[]>;
  /** Each node's inputs, in port order. */
  readonly sources: ReadonlyMap<NodeId, readonly NodeId[]>;
  /** Fresh names for locals the generators add (converted layouts). */
  readonly names: PythonNames;
}

/** What model.py imports or defines, and what nn.Module already uses: a node named so gets a `_`. */
const RESERVED = new Set([
  'torch', 'nn', 'F', 'np', 'math', 'Path', 'load_weights', 'load_model', ...HELPER_NAMES,
  'float', 'range', 'super', 'len', 'print', 'getattr', 'setattr', 'list', 'dict', 'max', 'min', 'sum', 'abs', 'isinstance',
  'training', 'forward', 'train', 'eval', 'parameters', 'modules', 'children', 'apply', 'cuda', 'cpu', 'to', 'double', 'half',
  'bfloat16', 'state_dict', 'load_state_dict', 'register_buffer', 'register_parameter', 'register_module', 'zero_grad',
  'named_parameters', 'named_modules', 'named_children', 'named_buffers', 'buffers', 'add_module', 'extra_repr', 'share_memory',
  'requires_grad_', 'get_parameter', 'get_submodule', 'get_buffer', 'dump_patches', 'xpu', 'ipu', 'get_extra_state', 'set_extra_state',
]);

/**
 * Emitters, names and shapes for every node of a valid analysis.
 * @throws Error when the analysis has errors (exporters take valid graphs only).
 */
export function torchGraph(analysis: Analysis, projectName: string): TorchGraph {
  if (!analysis.valid) throw new Error('the graph has errors; fix them before exporting');
  const className = pascalCase(projectName);
  const names = new PythonNames(new Set([...RESERVED, className]));
  const s = analysis.structure;
  const nodeNames = new Map(s.order.map((id) => [id, names.claim(id)]));
  const nodes = s.order.map((id, index): TorchNode => {
    const node = s.byId.get(id)!;
    const a = analysis.nodes.get(id)!;
    if (!isLayerKind(node.kind)) throw new Error(`node "${id}" has unknown kind ${node.kind}`);
    const inputs = s.incoming.get(id)!.map((e) => analysis.nodes.get(e!.source)!.output as TensorInfo);
    const attrs = new Map<string, string>();
    const attr = (suffix?: string): string => {
      if (!suffix) return nodeNames.get(id)!;
      if (!attrs.has(suffix)) attrs.set(suffix, names.claim(`${nodeNames.get(id)!}_${suffix}`));
      return attrs.get(suffix)!;
    };
    return { kind: node.kind, op: torchOp(node.kind), index, info: { id, params: a.params!, inputs, output: a.output!, attr } };
  });
  const consumers = new Map(s.order.map((id) => [id, s.consumers.get(id) ?? []]));
  const sources = new Map(s.order.map((id) => [id, s.incoming.get(id)!.map((e) => e!.source)]));
  return { className, nodes, byId: new Map(nodes.map((n) => [n.info.id, n])), inputs: analysis.inputs, outputs: analysis.outputs, consumers, sources, names };
}
