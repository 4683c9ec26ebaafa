// Import a TF.js layers model (model.json + weight files): ours, or any written by plain TF.js
// or the Keras converter. Keras layers become NeuralForge nodes and their weights; a layer we
// cannot express stays in the graph as an unknown kind and is listed as unmapped.
import { parseLayersModelJson, ModelJsonError, type LayersModelJson } from '../export/tfjs/keras-json.js';
import { decodeWeights, type DecodedWeight } from '../export/tfjs/weights-manifest.js';
import { analyzeGraph } from '../graph/analyze.js';
import type { NodeId } from '../ids.js';
import { LIMITS } from '../project/schema.js';
import type { Project } from '../project/types.js';
import { GraphBuilder, project } from '../templates/builder.js';
import { layerCalls, TopologyError, type LayerCall } from './tfjs-graph.js';
import { mapKerasLayer, type Mapped } from './tfjs-layers.js';

/** Keras classes with no NeuralForge kind, as the ONNX importer lists ops. */
export interface UnmappedLayer {
  /** The Keras class name. */
  readonly op: string;
  readonly count: number;
  /** Layer names, with the reason when a known class had a config we cannot express. */
  readonly nodes: readonly string[];
}

export interface TfjsImport {
  readonly project: Project;
  /** Per node, in the order a compiled model's layers hold them (setNodeWeights). */
  readonly weights: Map<NodeId, Float32Array[]>;
  readonly unmapped: readonly UnmappedLayer[];
  readonly notes: readonly string[];
}

export type TfjsImportErrorCode = 'invalid-model' | 'weights-mismatch' | 'too-large';

export class TfjsImportError extends Error {
  constructor(
    readonly code: TfjsImportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TfjsImportError';
  }
}

/** Kind given to a layer we cannot express: the analysis reports it as an unknown kind. */
export const unmappedKind = (className: string): string => `keras:${className}`;

const ID_OK = /[^A-Za-z0-9_.-]/g;

/** Node ids from layer names: allowed characters only, no "__" (our helper-layer separator), unique. */
function idMaker(): (name: string) => NodeId {
  const used = new Set<string>();
  return (name) => {
    const clean = name.replace(ID_OK, '_').replace(/_{2,}/g, '_').slice(0, LIMITS.maxIdLength - 4) || 'layer';
    let id = clean;
    for (let i = 2; used.has(id); i++) id = `${clean}_${i}`;
    used.add(id);
    return id as NodeId;
  };
}

function inputLayer(call: LayerCall): Mapped {
  const shape = call.config['batch_input_shape'] ?? call.config['batch_shape'];
  if (!Array.isArray(shape) || shape.length < 2) return { reason: 'no input shape' };
  const dims = shape.slice(1);
  if (!dims.every((d) => Number.isInteger(d) && (d as number) > 0)) return { reason: `input shape [${dims.map((d) => d ?? 'null').join(', ')}] has unknown sizes; NeuralForge inputs need fixed sizes` };
  const dtype = call.config['dtype'] === 'int32' ? 'int32' : 'float32';
  return { kind: 'Input', params: { shape: dims, dtype } };
}

/** Weights of each Keras layer, by the layer name that prefixes the weight name. */
function weightsByLayer(decoded: readonly DecodedWeight[]): Map<string, DecodedWeight[]> {
  const out = new Map<string, DecodedWeight[]>();
  for (const w of decoded) {
    const layer = w.name.split('/')[0]!;
    out.set(layer, [...(out.get(layer) ?? []), w]);
  }
  return out;
}

/** Input layers first, in the model's declared input order (the compiled model's inputs follow graph order). */
function ordered(calls: readonly LayerCall[], json: LayersModelJson): LayerCall[] {
  const declared = (json.modelTopology.config.input_layers ?? []).map((c) => c[0]);
  const rank = (c: LayerCall) => (c.className === 'InputLayer' ? (declared.includes(c.name) ? declared.indexOf(c.name) : declared.length) : Infinity);
  const inputs = calls.filter((c) => c.className === 'InputLayer').sort((a, b) => rank(a) - rank(b));
  return [...inputs, ...calls.filter((c) => c.className !== 'InputLayer')];
}

/**
 * The weight files model.json lists, in the order importTfjs wants their bytes.
 * @throws TfjsImportError when model.json is not a TF.js layers model.
 */
export function listedWeightFiles(modelJson: string): string[] {
  try {
    return parseLayersModelJson(modelJson).weightsManifest.flatMap((g) => [...g.paths]);
  } catch (e) {
    if (e instanceof ModelJsonError) throw new TfjsImportError('invalid-model', e.message);
    throw e;
  }
}

/**
 * @param modelJson model.json text.
 * @param weights the bytes of every file the manifest lists, in manifest order.
 * @example const { project, weights, unmapped } = importTfjs(json, [shard1]); compileGraph(analyzeGraph(project.graph)); setNodeWeights(tf, model, weights)
 * @throws TfjsImportError when the file is not a TF.js layers model or the weight bytes do not fit its manifest.
 */
export function importTfjs(modelJson: string, weights: readonly Uint8Array[], opts: { name?: string } = {}): TfjsImport {
  let json: LayersModelJson;
  let calls: LayerCall[];
  try {
    json = parseLayersModelJson(modelJson);
    calls = layerCalls(json.modelTopology);
  } catch (e) {
    if (e instanceof ModelJsonError || e instanceof TopologyError) throw new TfjsImportError('invalid-model', e.message);
    throw e;
  }
  if (calls.length > LIMITS.maxNodes) throw new TfjsImportError('too-large', `the model has ${calls.length} layers; at most ${LIMITS.maxNodes} can be imported`);
  let decoded: DecodedWeight[];
  try {
    decoded = decodeWeights(json.weightsManifest, weights);
  } catch (e) {
    throw new TfjsImportError('weights-mismatch', (e as Error).message);
  }
  const byLayer = weightsByLayer(decoded);
  const notes: string[] = [];
  const unmapped = new Map<string, string[]>();
  const builder = new GraphBuilder();
  const idOf = new Map<string, NodeId>();
  const makeId = idMaker();
  const nodeWeights = new Map<NodeId, Float32Array[]>();

  for (const call of ordered(calls, json)) {
    const id = makeId(call.name);
    idOf.set(call.name, id);
    const inputs = call.inputs.map((n) => idOf.get(n) ?? idOf.get(n.split('__')[0]!));
    if (inputs.some((i) => i === undefined)) throw new TfjsImportError('invalid-model', `layer ${call.name} reads ${call.inputs.join(', ')}, which come later or do not exist`);
    const mapped: Mapped = call.problem ? { reason: call.problem } : call.className === 'InputLayer' ? inputLayer(call) : mapKerasLayer(call.className, call.config);
    if ('reason' in mapped) {
      unmapped.set(call.className, [...(unmapped.get(call.className) ?? []), `${call.name} (${mapped.reason})`]);
      builder.layer(id, unmappedKind(call.className), {}, inputs as NodeId[]);
    } else {
      builder.layer(id, mapped.kind, mapped.params, inputs as NodeId[]);
      const own = call.layers.flatMap((l) => byLayer.get(l) ?? []);
      if (own.length) nodeWeights.set(id, own.map((w) => w.values));
    }
    for (const l of call.layers) byLayer.delete(l);
    if (id !== call.name) notes.push(`layer ${call.name} is node ${id}`);
  }
  if (byLayer.size) notes.push(`weights of ${[...byLayer.keys()].join(', ')} belong to no imported layer and were left out`);

  const graph = builder.build();
  const name = opts.name ?? (typeof json.modelTopology.config.name === 'string' ? json.modelTopology.config.name : 'imported');
  const proj = project(name.slice(0, LIMITS.maxNameLength), `Imported from a TF.js layers model${json.generatedBy ? ` (${json.generatedBy})` : ''}.`, graph, {}, {});
  for (const d of analyzeGraph(proj.graph).diagnostics)
    if (d.severity === 'error' && d.code !== 'unknown-kind') notes.push(`${d.nodeId ?? 'graph'}: ${d.message}`);
  return {
    project: proj,
    weights: nodeWeights,
    unmapped: [...unmapped].map(([op, list]) => ({ op, count: list.length, nodes: list })),
    notes,
  };
}
