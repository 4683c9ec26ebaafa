// A compiled model's weights grouped by graph node, in each layer's TF.js weight order
// (Dense: kernel, bias; LSTM: kernel, recurrent_kernel, bias; …). Exporters read these and
// convert layouts; importers write them back.
import type * as tf from '@tensorflow/tfjs';
import { nodeOfLayer } from '../compile/compile.js';
import type { NodeId } from '../ids.js';

export interface NodeWeight {
  /** The TF.js layer that owns it: the node id, or `id__suffix` for a helper layer. */
  readonly layer: string;
  /** TF.js's weight name within the layer (`kernel`, `recurrent_kernel`, `moving_mean`, …). */
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** Every weight of the model, grouped by node id, in layer order then weight order. */
export function nodeWeights(model: tf.LayersModel): Map<NodeId, NodeWeight[]> {
  const out = new Map<NodeId, NodeWeight[]>();
  for (const layer of model.layers) {
    const weights = layer.weights;
    if (!weights.length) continue;
    const values = layer.getWeights();
    const node = nodeOfLayer(layer.name);
    const list = out.get(node) ?? [];
    weights.forEach((w, i) => {
      const data = values[i]!.dataSync();
      list.push({ layer: layer.name, name: shortName(w.originalName), shape: [...w.shape] as number[], values: Float32Array.from(data) });
    });
    out.set(node, list);
  }
  return out;
}

/** `dense1/kernel` → `kernel`; `lstm/lstm_cell/recurrent_kernel` → `recurrent_kernel`. */
const shortName = (original: string): string => original.slice(original.lastIndexOf('/') + 1);

/**
 * Writes arrays into the model's weights, node by node, in the order `nodeWeights` lists them.
 * @throws Error naming the node and weight when a count or size does not match.
 */
export function setNodeWeights(tfjs: typeof tf, model: tf.LayersModel, weights: ReadonlyMap<NodeId, readonly Float32Array[]>): void {
  const pending = new Map(weights);
  for (const layer of model.layers) {
    if (!layer.weights.length) continue;
    const node = nodeOfLayer(layer.name);
    const arrays = pending.get(node);
    if (!arrays) throw new Error(`no weights given for node "${node}" (layer ${layer.name})`);
    const take = arrays.slice(0, layer.weights.length);
    if (take.length !== layer.weights.length) throw new Error(`node "${node}": layer ${layer.name} needs ${layer.weights.length} weights, got ${take.length}`);
    layer.weights.forEach((w, i) => {
      const size = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
      if (take[i]!.length !== size) throw new Error(`node "${node}": ${w.originalName} needs ${size} values [${w.shape.join(',')}], got ${take[i]!.length}`);
    });
    tfjs.tidy(() => layer.setWeights(take.map((a, i) => tfjs.tensor(a, layer.weights[i]!.shape as number[]))));
    const rest = arrays.slice(layer.weights.length);
    if (rest.length) pending.set(node, rest);
    else pending.delete(node);
  }
  if (pending.size) throw new Error(`weights given for nodes the model does not have: ${[...pending.keys()].join(', ')}`);
}
