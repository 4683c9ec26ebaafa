// Graph → tf.LayersModel through the functional API. Several inputs and outputs are
// allowed; initial weights are a pure function of the project seed.
import * as tf from '@tensorflow/tfjs';
import type { NodeId } from '../ids.js';
import type { Analysis } from '../graph/analyze.js';
import type { Diagnostic } from '../graph/diagnostics.js';
import { layerSpec } from '../layers/registry.js';
import type { BuildContext } from '../layers/spec.js';
import { CUSTOM_LAYERS, registerCustomLayers } from './custom/index.js';
import { weightSeed } from './seed.js';

export class CompileError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(`the graph has ${diagnostics.length} error${diagnostics.length === 1 ? '' : 's'}: ${diagnostics.map((d) => d.message).join('; ')}`);
    this.name = 'CompileError';
  }
}

export interface Compiled {
  readonly model: tf.LayersModel;
  /** Node ids of the model's inputs and outputs, in the model's order. */
  readonly inputs: readonly NodeId[];
  readonly outputs: readonly NodeId[];
}

export interface CompileOptions {
  /** Project seed for weight initialisation (default 0). */
  readonly seed?: number;
  readonly name?: string;
}

/** Layers a node built: its main layer is named by the node id, helpers get `id__suffix`. */
export const layerName = (id: NodeId, suffix?: string): string => (suffix ? `${id}__${suffix}` : id);
export const nodeOfLayer = (name: string): NodeId => name.split('__')[0] as NodeId;

/**
 * @example const { model } = compileGraph(analyzeGraph(project.graph), { seed: 1 }); model.predict(x)
 * @throws CompileError when the analysis has errors.
 */
export function compileGraph(analysis: Analysis, opts: CompileOptions = {}): Compiled {
  if (!analysis.valid) throw new CompileError(analysis.diagnostics.filter((d) => d.severity === 'error'));
  registerCustomLayers();
  const seed = opts.seed ?? 0;
  const tensors = new Map<NodeId, tf.SymbolicTensor>();
  const s = analysis.structure;
  for (const id of s.order) {
    const node = s.byId.get(id)!;
    const spec = layerSpec(node.kind)!;
    const params = analysis.nodes.get(id)!.params!;
    const ctx: BuildContext = {
      tf,
      nodeId: id,
      custom: CUSTOM_LAYERS,
      name: (suffix) => layerName(id, suffix),
      seed: (slot) => weightSeed(seed, id, slot),
    };
    const inputs = s.incoming.get(id)!.map((e) => tensors.get(e!.source)!);
    tensors.set(id, spec.build(ctx, params as never, inputs));
  }
  const model = tf.model({
    inputs: analysis.inputs.map((id) => tensors.get(id)!),
    outputs: analysis.outputs.map((id) => tensors.get(id)!),
    name: opts.name ?? 'neuralforge',
  });
  return { model, inputs: analysis.inputs, outputs: analysis.outputs };
}
