// weights.npz for model.py: every node's TF.js weights converted by its emitter into
// state_dict entries (PyTorch names and layouts), checked so no weight is dropped.
import type * as tf from '@tensorflow/tfjs';
import { npzBytes, type NpyArray } from '../npz.js';
import { nodeWeights } from '../weights.js';
import type { StateEntry } from './emitter.js';
import type { TorchGraph } from './graph.js';

/**
 * The model's current weights as state_dict entries, in graph order.
 * @throws Error naming the node when an emitter drops weights or produces a wrongly sized array.
 */
export function stateDict(g: TorchGraph, model: tf.LayersModel): StateEntry[] {
  const byNode = nodeWeights(model);
  const entries = g.nodes.flatMap((n) => {
    const ws = byNode.get(n.info.id) ?? [];
    const out = n.op.state(n.info, ws);
    if (ws.length > 0 && out.length === 0) throw new Error(`internal: the PyTorch export of node "${n.info.id}" (${n.kind}) drops its ${ws.length} weights`);
    for (const e of out) {
      const size = e.shape.reduce((a, b) => a * b, 1);
      if (size !== e.values.length) throw new Error(`internal: ${e.key} of node "${n.info.id}" has ${e.values.length} values for shape [${e.shape.join(', ')}]`);
    }
    return out;
  });
  const missing = [...byNode.keys()].filter((id) => !g.byId.has(id));
  if (missing.length) throw new Error(`internal: the model has weights for nodes the graph lacks: ${missing.join(', ')}`);
  return entries;
}

/** The entries as weights.npz bytes. */
export function stateDictNpz(entries: readonly StateEntry[]): Uint8Array {
  return npzBytes(entries.map((e): [string, NpyArray] => [e.key, { shape: e.shape, data: e.values }]));
}
