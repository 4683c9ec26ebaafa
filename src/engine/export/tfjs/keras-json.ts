// The on-disk shapes of a TF.js layers model (model.json): Keras topology JSON and the
// weights manifest. Plain data types and guards, no TF.js: the importer reads untrusted files.

/** One call input: [layer name, node index, tensor index, kwargs]. */
export type InboundCall = readonly [string, number, number, Readonly<Record<string, unknown>>?];

export interface KerasLayerJson {
  readonly class_name: string;
  /** Functional models name each layer here; Sequential ones only in config.name. */
  readonly name?: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** One entry per call of the layer; each call lists its inputs. */
  readonly inbound_nodes?: readonly (readonly InboundCall[])[];
}

export interface KerasModelJson {
  /** 'Model' or 'Functional' (graph), 'Sequential' (a chain). */
  readonly class_name: string;
  readonly config: {
    readonly name?: string;
    readonly layers: readonly KerasLayerJson[];
    readonly input_layers?: readonly InboundCall[];
    readonly output_layers?: readonly InboundCall[];
  };
  readonly keras_version?: string;
  readonly backend?: string;
}

export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly quantization?: { readonly dtype: string; readonly scale?: number; readonly min?: number };
}

export interface WeightsGroup {
  readonly paths: readonly string[];
  readonly weights: readonly WeightSpec[];
}

/** model.json as TF.js writes it (format 'layers-model'). */
export interface LayersModelJson {
  readonly format?: string;
  readonly generatedBy?: string;
  readonly convertedBy?: string | null;
  readonly modelTopology: KerasModelJson;
  readonly weightsManifest: readonly WeightsGroup[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where in model.json something is wrong, and what. */
export class ModelJsonError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`model.json ${path ? `${path}: ` : ''}${message}`);
    this.name = 'ModelJsonError';
  }
}

/**
 * Parses model.json text and checks the parts the importer relies on (it stays untrusted data:
 * layer configs are checked where they are read).
 * @throws ModelJsonError naming the field at fault.
 */
export function parseLayersModelJson(text: string): LayersModelJson {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ModelJsonError('', `not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(doc)) throw new ModelJsonError('', 'not a JSON object');
  if (doc['format'] !== undefined && doc['format'] !== 'layers-model')
    throw new ModelJsonError('format', `"${String(doc['format'])}" is not a layers model (graph models from the TF.js converter cannot be imported)`);
  const topo = doc['modelTopology'];
  if (!isObject(topo)) throw new ModelJsonError('modelTopology', 'missing: not a TF.js layers model');
  // Keras H5 conversions nest the model under model_config.
  const model = isObject(topo['model_config']) ? topo['model_config'] : topo;
  if (typeof model['class_name'] !== 'string') throw new ModelJsonError('modelTopology.class_name', 'missing');
  const config = model['config'];
  const layers = isObject(config) ? config['layers'] : Array.isArray(config) ? config : undefined;
  if (!Array.isArray(layers)) throw new ModelJsonError('modelTopology.config.layers', 'missing');
  layers.forEach((l, i) => {
    if (!isObject(l) || typeof l['class_name'] !== 'string' || !isObject(l['config']))
      throw new ModelJsonError(`modelTopology.config.layers[${i}]`, 'needs class_name and config');
  });
  const manifest = doc['weightsManifest'] ?? [];
  if (!Array.isArray(manifest)) throw new ModelJsonError('weightsManifest', 'must be a list');
  manifest.forEach((g, i) => {
    if (!isObject(g) || !Array.isArray(g['paths']) || !Array.isArray(g['weights'])) throw new ModelJsonError(`weightsManifest[${i}]`, 'needs paths and weights');
    (g['weights'] as unknown[]).forEach((w, j) => {
      if (!isObject(w) || typeof w['name'] !== 'string' || !Array.isArray(w['shape']) || !w['shape'].every((d) => Number.isInteger(d) && d >= 0) || typeof w['dtype'] !== 'string')
        throw new ModelJsonError(`weightsManifest[${i}].weights[${j}]`, 'needs a name, a shape of whole numbers and a dtype');
    });
  });
  const normalized = { ...model, config: isObject(config) ? config : { layers } } as unknown as KerasModelJson;
  return { ...(doc as object), modelTopology: normalized, weightsManifest: manifest as WeightsGroup[] } as LayersModelJson;
}
