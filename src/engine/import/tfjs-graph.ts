// A Keras topology (functional or Sequential) as a list of calls in order, with NeuralForge's
// helper layers (`node__suffix`, see compile.ts layerName) folded back into the one node that
// built them: ELU(α ≠ 1), Softmax and normalisation on another axis, causal Conv1D,
// normalisation of rank > 4, and the exporter's Subtract (Add + Rescaling −1).
import type { InboundCall, KerasLayerJson, KerasModelJson } from '../export/tfjs/keras-json.js';

/** One layer call, or a folded group of our helper layers acting as one node. */
export interface LayerCall {
  /** The layer's name (a group's: its main layer, which consumers reference). */
  readonly name: string;
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** Names of the layers feeding it, in port order. */
  readonly inputs: readonly string[];
  /** Every Keras layer folded into it (itself when not a group), in file order: their weights are the node's. */
  readonly layers: readonly string[];
  /** Why the layer cannot be a node even if its class maps (shared layer, …); null when fine. */
  readonly problem: string | null;
}

export class TopologyError extends Error {}

const nameOf = (l: KerasLayerJson): string => {
  const n = l.name ?? l.config['name'];
  if (typeof n !== 'string' || !n) throw new TopologyError(`a ${l.class_name} layer has no name`);
  return n;
};

/** The input shape a Sequential model's first layer carries (TF.js: batch_input_shape; Keras 3: batch_shape). */
function sequentialInput(first: KerasLayerJson, taken: ReadonlySet<string>): LayerCall {
  let name = 'input';
  for (let i = 1; taken.has(name); i++) name = `input_${i}`;
  const shape = first.config['batch_input_shape'] ?? first.config['batch_shape'];
  if (!Array.isArray(shape)) throw new TopologyError(`the Sequential model's first layer (${first.class_name}) has no batch_input_shape: the input shape is unknown`);
  return { name, className: 'InputLayer', config: { batch_input_shape: shape, dtype: first.config['dtype'] ?? 'float32' }, inputs: [], layers: [], problem: null };
}

function sequentialCalls(layers: readonly KerasLayerJson[]): LayerCall[] {
  if (!layers.length) throw new TopologyError('the Sequential model has no layers');
  const calls: LayerCall[] = [];
  if (layers[0]!.class_name !== 'InputLayer') calls.push(sequentialInput(layers[0]!, new Set(layers.map(nameOf))));
  for (const l of layers) {
    const name = nameOf(l);
    const prev = calls.at(-1);
    calls.push({ name, className: l.class_name, config: l.config, inputs: prev ? [prev.name] : [], layers: [name], problem: null });
  }
  return calls;
}

/** [[[name, node, tensor, kwargs?], …], …]: Keras 3 writes objects instead, which this reader does not take. */
function isInboundNodes(v: unknown): v is (readonly InboundCall[])[] {
  const isCall = (c: unknown) => Array.isArray(c) && typeof c[0] === 'string' && Number.isInteger(c[1]) && Number.isInteger(c[2]);
  return Array.isArray(v) && v.every((n) => Array.isArray(n) && n.every(isCall));
}

function functionalCalls(layers: readonly KerasLayerJson[]): LayerCall[] {
  return layers.map((l) => {
    const name = nameOf(l);
    const nodes: unknown = l.inbound_nodes ?? [];
    if (!isInboundNodes(nodes))
      throw new TopologyError(`layer ${name}: inbound_nodes are not in the TF.js/Keras 2 layout [[[name, node, tensor, kwargs], …]]`);
    const first = nodes[0] ?? [];
    const problem =
      nodes.length > 1 ? `called ${nodes.length} times (shared weights cannot be expressed)`
      : first.some((c) => c[1] !== 0 || c[2] !== 0) ? 'reads a second output of a layer' : null;
    return { name, className: l.class_name, config: l.config, inputs: first.map((c) => c[0]), layers: [name], problem };
  });
}

type Group = { readonly main: LayerCall; readonly helpers: ReadonlyMap<string, LayerCall> };

/** The (batch-included) axis a Permute swaps with the last one; 0 when it is not such a swap. */
function swappedAxis(dims: unknown): number {
  if (!Array.isArray(dims) || !dims.every(Number.isInteger)) return 0;
  const last = dims.length;
  const i = dims.findIndex((d, k) => d === last && k + 1 !== last);
  return i >= 0 && dims[last - 1] === i + 1 && dims.every((d, k) => k === i || k === last - 1 || d === k + 1) ? i + 1 : 0;
}

/** A group's node as the kind-level call it stands for, or null when the pattern is not one of ours. */
function fold({ main, helpers }: Group): Omit<LayerCall, 'name' | 'layers' | 'problem'> | null {
  const h = (s: string) => helpers.get(s);
  const only = (...suffixes: string[]) => helpers.size === suffixes.length && suffixes.every((s) => helpers.has(s));
  if (main.className === 'Add' && only('negate') && h('negate')!.config['scale'] === -1 && main.inputs[1] === h('negate')!.name)
    return { className: 'Subtract', config: {}, inputs: [main.inputs[0]!, h('negate')!.inputs[0]!] };
  if (main.className === 'Add' && only('elu', 'relu', 'alpha', 'one_minus_alpha'))
    return { className: 'ELU', config: { alpha: h('alpha')!.config['scale'] }, inputs: h('elu')!.inputs };
  // Softmax or a normalisation on another axis: that axis swapped last, the layer, swapped back.
  const axis = main.className === 'Permute' ? swappedAxis(main.config['dims']) : 0;
  if (axis > 0 && only('to_last', 'softmax')) return { className: 'Softmax', config: { axis }, inputs: h('to_last')!.inputs };
  if (axis > 0 && only('to_last', 'norm')) return { className: h('norm')!.className, config: { ...h('norm')!.config, axis }, inputs: h('to_last')!.inputs };
  if (main.className === 'Conv1D' && only('causal_2d', 'causal_pad', 'causal_1d'))
    return { className: 'Conv1D', config: { ...main.config, padding: 'causal' }, inputs: h('causal_2d')!.inputs };
  if (main.className === 'Reshape' && only('flat', 'norm'))
    return { className: h('norm')!.className, config: { ...h('norm')!.config, axis: -1 }, inputs: h('flat')!.inputs };
  return null;
}

/** Folds `X__suffix` layers into X where X exists; anything unrecognised stays as separate calls. */
function foldHelpers(calls: readonly LayerCall[]): LayerCall[] {
  const byName = new Map(calls.map((c) => [c.name, c]));
  const helpersOf = new Map<string, Map<string, LayerCall>>();
  for (const c of calls) {
    const cut = c.name.indexOf('__');
    if (cut <= 0 || !byName.has(c.name.slice(0, cut))) continue;
    const base = c.name.slice(0, cut);
    const group = helpersOf.get(base) ?? new Map<string, LayerCall>();
    group.set(c.name.slice(cut + 2), c);
    helpersOf.set(base, group);
  }
  const folded = new Map<string, LayerCall>();
  const absorbed = new Set<string>();
  for (const [base, helpers] of helpersOf) {
    const main = byName.get(base)!;
    const f = fold({ main, helpers });
    if (!f) continue;
    const members = new Set([base, ...[...helpers.values()].map((c) => c.name)]);
    folded.set(base, { ...f, name: base, layers: calls.filter((c) => members.has(c.name)).map((c) => c.name), problem: main.problem });
    for (const m of members) if (m !== base) absorbed.add(m);
  }
  return calls.filter((c) => !absorbed.has(c.name)).map((c) => folded.get(c.name) ?? c);
}

/**
 * The model's layer calls in file order (producers before consumers, as TF.js writes them),
 * our helper layers folded. Nested models are left as calls of class Sequential/Model (unmapped).
 * @throws TopologyError for a layout this reader does not know.
 */
export function layerCalls(topology: KerasModelJson): LayerCall[] {
  const layers = topology.config.layers;
  const calls = topology.class_name === 'Sequential' ? sequentialCalls(layers) : functionalCalls(layers);
  const names = new Set<string>();
  for (const c of calls) {
    if (names.has(c.name)) throw new TopologyError(`two layers are named ${c.name}`);
    names.add(c.name);
  }
  return foldHelpers(calls);
}
