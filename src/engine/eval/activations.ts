// The activations of any graph node for a batch, read from a compiled model (TF.js is passed in,
// so nothing here loads it): the layer named by the node id produces the node's output
// (compile's naming rule), and LayersModel.execute runs the graph up to that tensor only.
import type * as tf from '@tensorflow/tfjs';
import { EvalInputError, checkCount } from './input.js';

/** The TF.js namespace, injected by the caller (page, worker or Node). */
export type Tfjs = typeof tf;
export type ModelLayer = ReturnType<tf.LayersModel['getLayer']>;

export interface NodeActivations {
  /** N × size row-major, sample after sample. */
  readonly values: Float32Array;
  /** One sample's shape (no batch dimension). */
  readonly shape: readonly number[];
  readonly count: number;
}

/** The layer whose output is node `nodeId`'s output, or an error naming the nodes that exist. */
export function nodeLayer(model: tf.LayersModel, nodeId: string): ModelLayer {
  const layer = model.layers.find((l) => l.name === nodeId);
  if (!layer) throw new EvalInputError(`no node "${nodeId}" in the model (nodes: ${model.layers.filter((l) => !l.name.includes('__')).map((l) => l.name).join(', ')})`, 'nodeId');
  return layer;
}

/**
 * Runs `inputs` (one tensor per model input, batch first) through the model up to `nodeId`, in
 * batches of `batchSize`, and returns the activations flattened per sample.
 * @example const { values, shape } = await nodeActivations(tf, model, 'f5', [x]); // values: N × 120
 */
export async function nodeActivations(tfjs: Tfjs, model: tf.LayersModel, nodeId: string, inputs: readonly tf.Tensor[], batchSize = 128): Promise<NodeActivations> {
  checkCount(batchSize, 1, 'batchSize');
  const layer = nodeLayer(model, nodeId);
  if (inputs.length !== model.inputs.length) throw new EvalInputError(`got ${inputs.length} tensors, the model has ${model.inputs.length} inputs`, 'inputs');
  const count = inputs[0]!.shape[0]!;
  inputs.forEach((t, i) => {
    const want = model.inputs[i]!.shape.slice(1);
    if (t.shape[0] !== count || t.shape.length !== want.length + 1 || want.some((d, k) => d !== null && d !== t.shape[k + 1])) {
      throw new EvalInputError(`shape [${t.shape.join(', ')}] does not fit the model input [batch, ${want.join(', ')}] (all inputs need ${count} samples)`, `inputs[${i}]`);
    }
  });
  const output = layer.output as tf.SymbolicTensor;
  const shape = output.shape.slice(1).map((d) => d ?? -1);
  const chunks: Float32Array[] = [];
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const out = tfjs.tidy(() => {
      const batch = inputs.map((t) => t.slice(start, size));
      return model.execute(batch, output.name) as tf.Tensor;
    });
    chunks.push((await out.data()) as Float32Array);
    // Dynamic dimensions (null in the symbolic shape) take the value of the first batch.
    if (start === 0) out.shape.slice(1).forEach((d, k) => (shape[k] = d));
    out.dispose();
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(count * size);
  let offset = 0;
  for (const c of chunks) {
    values.set(c, offset);
    offset += c.length;
  }
  return { values, shape, count };
}
