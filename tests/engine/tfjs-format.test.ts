// Saving in TF.js format and loading back gives the same predictions, custom layers included.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { fromTfjsFiles, toTfjsFiles, WEIGHTS_FILE } from '../../src/engine/export/tfjs-format.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { findTemplate } from '../../src/engine/templates/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('TF.js layers-model files', () => {
  for (const id of ['lenet5', 'gpt-mini']) {
    it(`${id}: round trip keeps topology and weights`, async () => {
      const { model } = compileGraph(analyzeGraph(findTemplate(id)!.project().graph), { seed: 5 });
      const files = await toTfjsFiles(model);
      const manifest = JSON.parse(files.modelJson);
      expect(manifest.format).toBe('layers-model');
      expect(manifest.weightsManifest[0].paths).toEqual([WEIGHTS_FILE]);
      expect(files.weights.byteLength).toBe(model.countParams() * 4);
      const loaded = await fromTfjsFiles(files);
      const shape = [2, ...(model.inputs[0]!.shape.slice(1) as number[])];
      const x = model.inputs[0]!.dtype === 'int32' ? tf.randomUniform(shape, 0, 100, 'int32') : tf.randomUniform(shape);
      const a = (model.predict(x) as tf.Tensor).dataSync();
      const b = (loaded.predict(x) as tf.Tensor).dataSync();
      expect(Array.from(b)).toEqual(Array.from(a));
    });
  }
});
