// Evaluation and dataset checks without TF.js (metrics, ROC, projections, duplicates). The two
// TF.js modules, activations.ts and grad-cam.ts, are imported directly by code that has TF.js.
export { EvalInputError } from './input.js';
export * from './classification.js';
export * from './roc.js';
export * from './regression.js';
export * from './projection.js';
export * from './tsne.js';
export * from './dataset-checks.js';
export * from './duplicates.js';
export * from './image-hash.js';
export * from './image-duplicates.js';
export * from './column-stats.js';
