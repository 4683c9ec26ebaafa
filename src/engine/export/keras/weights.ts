// weights.npz for the Keras model.py: the TF.js weights as they are (Keras's layouts are
// TF.js's), keyed "<layer>/<weight path>", except MultiHeadAttention, whose Keras layer keeps
// its projections as einsum kernels (D, H, K) where NeuralForge flattens them to (D, H·K).
import type * as tf from '@tensorflow/tfjs';
import { nodeOfLayer } from '../../compile/compile.js';
import { npzBytes, type NpyArray } from '../npz.js';
import type { KerasGraph } from './model-py.js';

interface MhaP { numHeads: number; keyDim: number; valueDim: number | null }

/** Keras's shape for one of NeuralForge's flattened attention weights. */
function mhaShape(path: string, shape: readonly number[], p: MhaP): number[] {
  const [h, k, v] = [p.numHeads, p.keyDim, p.valueDim ?? p.keyDim];
  const [projection, name] = path.split('/') as [string, string];
  if (projection === 'output') return name === 'kernel' ? [h, v, shape[1]!] : [...shape];
  const depth = projection === 'value' ? v : k;
  return name === 'kernel' ? [shape[0]!, h, depth] : [h, depth];
}

/** Every weight in the model's layer order (= each Keras layer's order), as named npz arrays. */
export function kerasWeights(g: KerasGraph, model: tf.LayersModel): [string, NpyArray][] {
  const out: [string, NpyArray][] = [];
  for (const layer of model.layers) {
    if (!layer.weights.length) continue;
    const node = nodeOfLayer(layer.name);
    const name = g.names.get(node);
    if (!name) throw new Error(`internal: layer ${layer.name} belongs to no node of the graph`);
    const kind = g.analysis.structure.byId.get(node)!.kind;
    const values = layer.getWeights();
    layer.weights.forEach((w, i) => {
      const path = w.originalName.slice(w.originalName.indexOf('/') + 1); // drop the TF.js layer name
      const shape = kind === 'MultiHeadAttention' ? mhaShape(path, w.shape as number[], g.analysis.nodes.get(node)!.params as unknown as MhaP) : (w.shape as number[]);
      out.push([`${name}/${path}`, { shape, data: Float32Array.from(values[i]!.dataSync()) }]);
    });
  }
  return out;
}

/** weights.npz's bytes. */
export const kerasWeightsNpz = (g: KerasGraph, model: tf.LayersModel): Uint8Array => npzBytes(kerasWeights(g, model));
