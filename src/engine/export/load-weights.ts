// Trained weights for an export: TF.js files (model.json + shards, as `npm run cli -- train --out`
// writes them) loaded onto a freshly compiled model, matched by weight name (`node/kernel`), with
// an error that lists every mismatch when the files belong to another graph.
import type * as tf from '@tensorflow/tfjs';
import { parseLayersModelJson } from './tfjs/keras-json.js';
import { decodeWeights } from './tfjs/weights-manifest.js';

/** The weight files do not fit the model: what is missing, surplus or shaped differently. */
export class WeightsMismatchError extends Error {
  constructor(
    readonly missing: readonly string[],
    readonly surplus: readonly string[],
    readonly misshapen: readonly string[],
  ) {
    const list = (label: string, xs: readonly string[]) => (xs.length ? [`${label}: ${xs.slice(0, 5).join(', ')}${xs.length > 5 ? ` and ${xs.length - 5} more` : ''}`] : []);
    super(
      `the weights do not fit this graph (were they trained for another one?) — ${[
        ...list('not in the files', missing),
        ...list('not in the model', surplus),
        ...list('different shape', misshapen),
      ].join('; ')}`,
    );
    this.name = 'WeightsMismatchError';
  }
}

/** The weight files model.json lists, in the order loadWeightsByName wants their bytes. */
export function weightPaths(modelJson: string): string[] {
  return parseLayersModelJson(modelJson).weightsManifest.flatMap((g) => [...g.paths]);
}

const fmt = (shape: readonly (number | null)[]) => `[${shape.join(',')}]`;

/**
 * Sets every weight of `model` from the files, by name; all or nothing.
 * @param shards the bytes of `weightPaths(modelJson)`, in that order.
 * @example loadWeightsByName(tf, compileGraph(analysis, { seed }).model, json, weightPaths(json).map(read))
 * @throws WeightsMismatchError when names or shapes differ; Error (naming the field) for a malformed model.json.
 */
export function loadWeightsByName(tfjs: typeof tf, model: tf.LayersModel, modelJson: string, shards: readonly Uint8Array[]): void {
  const decoded = decodeWeights(parseLayersModelJson(modelJson).weightsManifest, shards);
  const byName = new Map(decoded.map((w) => [w.name, w]));
  const missing: string[] = [];
  const misshapen: string[] = [];
  const wanted = new Set<string>();
  for (const w of model.weights) {
    wanted.add(w.originalName);
    const got = byName.get(w.originalName);
    if (!got) missing.push(w.originalName);
    else if (fmt(got.shape) !== fmt(w.shape)) misshapen.push(`${w.originalName} is ${fmt(w.shape)} in the model but ${fmt(got.shape)} in the files`);
  }
  const surplus = decoded.map((w) => w.name).filter((n) => !wanted.has(n));
  if (missing.length || surplus.length || misshapen.length) throw new WeightsMismatchError(missing, surplus, misshapen);
  for (const layer of model.layers) {
    if (!layer.weights.length) continue;
    tfjs.tidy(() => layer.setWeights(layer.weights.map((w) => tfjs.tensor(byName.get(w.originalName)!.values, w.shape as number[]))));
  }
}
