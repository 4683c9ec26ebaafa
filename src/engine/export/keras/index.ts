// The Keras export: model.py (a tf.keras functional model of the graph), weights.npz in
// Keras's layouts, train_tfjs.mjs (trains the TF.js export in Node, as NeuralForge would) and
// a README. Every layer kind has a Keras form, so nothing is refused.
import { strToU8 } from 'fflate';
import type { ExportFile, ExportInput } from '../types.js';
import { kerasGraph, kerasModelPy } from './model-py.js';
import { kerasReadme } from './readme.js';
import { trainTfjs } from './train-tfjs.js';
import { kerasWeightsNpz } from './weights.js';

/**
 * model.py, weights.npz, train_tfjs.mjs (when the project can train) and README.md.
 * @example const files = exportKeras({ project, analysis, model });
 */
export function exportKeras(input: ExportInput): ExportFile[] {
  const { project, analysis, model } = input;
  const g = kerasGraph(analysis, project.name);
  const description = project.description ? `${project.name}: ${project.description}` : project.name;
  const script = trainTfjs(project, model);
  return [
    { path: 'model.py', bytes: strToU8(kerasModelPy(g, description)) },
    { path: 'weights.npz', bytes: kerasWeightsNpz(g, model) },
    ...(script.ok ? [{ path: 'train_tfjs.mjs', bytes: strToU8(script.source) }] : []),
    { path: 'README.md', bytes: strToU8(kerasReadme(project.name, script.ok ? null : script.reason)) },
  ];
}
