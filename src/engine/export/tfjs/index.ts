// Export to TF.js layers-model files that a plain `tf.loadLayersModel` reads: model.json with
// standard layers wherever inference is identical, weight shards, and, only when the model
// uses NeuralForge's own layers, a generated `custom-layers.js` that registers them.
import type { ExportFile, ExportInput } from '../types.js';
import { CUSTOM_LAYERS_FILE, customLayersModule } from './custom-source.js';
import type { KerasModelJson, LayersModelJson, WeightSpec } from './keras-json.js';
import { standardizeTopology } from './standardize.js';
import { utf8 as text } from './utf8.js';
import { DEFAULT_SHARD_BYTES, encodeFloat32, shardFiles } from './weights-manifest.js';

export const MODEL_JSON = 'model.json';

export interface TfjsExportOptions {
  /** Largest weight file, bytes (default 4 MiB, as the TF.js converter). */
  readonly shardBytes?: number;
}

function usage(input: ExportInput, customClasses: readonly string[]): string {
  const shapes = input.model.inputs.map((t) => `\`${t.name.replace(/:\d+$/, '')}\` [${t.shape.map((d) => d ?? 'batch').join(', ')}] ${t.dtype}`);
  const importLine = customClasses.length ? `import './${CUSTOM_LAYERS_FILE}'; // registers ${customClasses.join(', ')}\n` : '';
  return `# ${input.project.name} — TF.js layers model

Exported by NeuralForge. Inputs: ${shapes.join('; ')}.

\`\`\`js
import * as tf from '@tensorflow/tfjs';
${importLine}const model = await tf.loadLayersModel('${MODEL_JSON}'); // a URL in the browser
const y = model.predict(x);
\`\`\`
${customClasses.length ? `\n\`${CUSTOM_LAYERS_FILE}\` defines NeuralForge's own layers, generated from the same code that trained the model.\n` : ''}`;
}

/**
 * The model's current weights and topology as TF.js files.
 * @example const files = exportTfjs({ project, analysis, model }); // model.json, group1-shard1of1.bin[, custom-layers.js], README.md
 */
export function exportTfjs(input: ExportInput, opts: TfjsExportOptions = {}): ExportFile[] {
  const { model } = input;
  const { topology, customClasses } = standardizeTopology(model.toJSON(null, false) as unknown as KerasModelJson);
  const specs: WeightSpec[] = [];
  const arrays: Float32Array[] = [];
  for (const w of model.weights) {
    if (w.dtype !== 'float32') throw new Error(`weight ${w.originalName} is ${w.dtype}; only float32 weights are exported`);
    specs.push({ name: w.originalName, shape: [...w.shape] as number[], dtype: 'float32' });
    arrays.push(w.read().dataSync() as Float32Array);
  }
  const shards = shardFiles(encodeFloat32(arrays), opts.shardBytes ?? DEFAULT_SHARD_BYTES);
  const json: LayersModelJson = {
    format: 'layers-model',
    generatedBy: `NeuralForge (${topology.keras_version ?? 'tfjs-layers'})`,
    convertedBy: null,
    modelTopology: topology,
    weightsManifest: [{ paths: shards.map((s) => s.path), weights: specs }],
  };
  const files: ExportFile[] = [{ path: MODEL_JSON, bytes: text(JSON.stringify(json)) }, ...shards];
  if (customClasses.length) files.push({ path: CUSTOM_LAYERS_FILE, bytes: text(customLayersModule(customClasses)) });
  files.push({ path: 'README.md', bytes: text(usage(input, customClasses)) });
  return files;
}
