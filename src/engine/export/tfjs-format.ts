// A compiled model as TF.js "layers-model" files (model.json + one weights shard), as bytes:
// the CLI writes them to disk, the worker hands them to storage or a download.
import * as tf from '@tensorflow/tfjs';
import { registerCustomLayers } from '../compile/custom/index.js';

export const WEIGHTS_FILE = 'weights.bin';

export interface TfjsFiles {
  /** model.json: topology plus a manifest pointing at `weights.bin`. */
  readonly modelJson: string;
  readonly weights: Uint8Array;
}

/**
 * @example const { modelJson, weights } = await toTfjsFiles(model); // write both, then tf.loadLayersModel('…/model.json')
 */
export async function toTfjsFiles(model: tf.LayersModel): Promise<TfjsFiles> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved?.weightSpecs || !saved.weightData) throw new Error('TF.js returned no weights to save');
  const data = tf.io.CompositeArrayBuffer.join(saved.weightData);
  const modelJson = JSON.stringify({
    format: 'layers-model',
    generatedBy: `TensorFlow.js v${tf.version.tfjs} via NeuralForge`,
    convertedBy: null,
    modelTopology: saved.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: saved.weightSpecs }],
  });
  return { modelJson, weights: new Uint8Array(data) };
}

/** The inverse, for tests and re-import: rebuilds the model from the two files' bytes. */
export async function fromTfjsFiles(files: TfjsFiles): Promise<tf.LayersModel> {
  registerCustomLayers();
  const json = JSON.parse(files.modelJson) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  const weights = files.weights.buffer.slice(files.weights.byteOffset, files.weights.byteOffset + files.weights.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData: weights }));
}
