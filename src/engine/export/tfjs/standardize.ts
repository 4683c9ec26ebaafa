// Rewrites a compiled model's Keras topology so plain TF.js (and Keras) loaders can read it:
// our classes whose inference is a standard layer's become that layer; the rest stay custom
// and are listed, so the exporter ships their code (custom-layers.js).
import { GELU_NEW_ALIAS } from './custom-source.js';
import type { InboundCall, KerasLayerJson, KerasModelJson } from './keras-json.js';

/** Suffix of the helper layer that negates Subtract's second input (a − b = a + (−1·b)). */
export const NEGATE_SUFFIX = 'negate';

export interface Standardized {
  readonly topology: KerasModelJson;
  /** Classes a loader must register: NeuralForge's (NFGroupNormalization, …) and the geluNew alias; sorted. */
  readonly customClasses: readonly string[];
}

type Rewrite = (layer: KerasLayerJson) => KerasLayerJson[];

const base = (layer: KerasLayerJson) => ({ name: layer.config['name'], trainable: layer.config['trainable'] ?? true });

/** Every dropout variant is the identity at inference; these keep training semantics too. */
function dropout(layer: KerasLayerJson): KerasLayerJson[] {
  const noise = layer.config['noise'];
  const rate = layer.config['rate'];
  switch (noise) {
    case 'elementwise':
      return [{ ...layer, class_name: 'Dropout', config: { ...base(layer), rate, noise_shape: null, seed: null } }];
    case 'channels1d':
      return [{ ...layer, class_name: 'SpatialDropout1D', config: { ...base(layer), rate, seed: null } }];
    case 'channels2d':
      // TF.js has no SpatialDropout2D; Keras defines it as Dropout with noise_shape [B, 1, 1, C].
      return [{ ...layer, class_name: 'Dropout', config: { ...base(layer), rate, noise_shape: [null, 1, 1, null], seed: null } }];
    default:
      throw new Error(`layer ${String(layer.name)}: unknown dropout noise ${JSON.stringify(noise)}`);
  }
}

/** TF.js has no Subtract layer: a − b as Add(a, Rescaling(scale −1)(b)); negation is exact. */
function subtract(layer: KerasLayerJson): KerasLayerJson[] {
  const calls = layer.inbound_nodes ?? [];
  const [a, b] = calls[0] ?? [];
  if (calls.length !== 1 || !a || !b) throw new Error(`layer ${String(layer.name)}: Subtract needs one call with 2 inputs`);
  const negName = `${String(layer.name)}__${NEGATE_SUFFIX}`;
  const negate: KerasLayerJson = {
    class_name: 'Rescaling',
    name: negName,
    config: { name: negName, trainable: true, scale: -1, offset: 0 },
    inbound_nodes: [[b]],
  };
  const add: KerasLayerJson = { ...layer, class_name: 'Add', config: base(layer), inbound_nodes: [[a, [negName, 0, 0, {}] as InboundCall]] };
  return [negate, add];
}

const REWRITES: Readonly<Record<string, Rewrite>> = {
  NFDropout: dropout,
  NFSubtract: subtract,
};

/**
 * @example const { topology, customClasses } = standardizeTopology(model.toJSON(null, false) as KerasModelJson)
 * @throws Error when a rewritten layer would collide with an existing layer name.
 */
export function standardizeTopology(topology: KerasModelJson): Standardized {
  const layers = topology.config.layers.flatMap((l) => REWRITES[l.class_name]?.(l) ?? [l]);
  const names = layers.map((l) => l.name ?? String(l.config['name']));
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`layer name ${dup} appears twice after standardising; rename the node`);
  const custom = new Set(layers.map((l) => l.class_name).filter((c) => c.startsWith('NF')));
  if (layers.some((l) => JSON.stringify(l.config).includes('"gelu_new"'))) custom.add(GELU_NEW_ALIAS);
  const customClasses = [...custom].sort();
  return { topology: { ...topology, config: { ...topology.config, layers } }, customClasses };
}
