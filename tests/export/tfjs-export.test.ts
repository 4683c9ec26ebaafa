// TF.js export, checked by the outside oracle that matters: plain TF.js in a fresh Node process,
// loading over HTTP with nothing of ours but the emitted custom-layers.js. Every template and
// every shared layer case must predict what our model predicts, within 1e-5.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportTfjs } from '../../src/engine/export/tfjs/index.js';
import { allProjects, compileProject, loadInFreshNode, maxAbsDiff, predict, sampleInputs, scratchDir, writeFiles, type LoadResult } from './tfjs-cases.js';

const STANDARD_CUSTOM = new Set(['NFGroupNormalization', 'NFMultiHeadAttention', 'NFPositionalEmbedding', 'NFTransformerEncoder']);

interface Expected {
  readonly name: string;
  readonly key: string;
  readonly outputs: number[][];
  readonly files: string[];
}

const dir = scratchDir('nf-tfjs-export-');
const cases = allProjects().map((p, i) => ({ ...p, key: `c${i}` }));
const expected = new Map<string, Expected>();
let results: Record<string, LoadResult> = {};

beforeAll(() => {
  for (const c of cases) {
    const input = compileProject(c.project);
    const samples = sampleInputs(input.model);
    // The MLP is split into 64 KiB shards, so multi-file loading is exercised too.
    const files = exportTfjs(input, c.name === 'template mlp' ? { shardBytes: 64 * 1024 } : {});
    writeFiles(join(dir, c.key), [...files, { path: 'samples.json', bytes: new TextEncoder().encode(JSON.stringify(samples)) }]);
    expected.set(c.key, { name: c.name, key: c.key, outputs: predict(input.model, samples), files: files.map((f) => f.path) });
    input.model.dispose();
  }
  results = loadInFreshNode(dir, cases.map((c) => c.key));
}, 240_000);

describe('TF.js export loaded by plain TF.js', () => {
  it.each(cases)('$name predicts the same', ({ key }) => {
    const r = results[key]!;
    if ('error' in r) throw new Error(r.error);
    const want = expected.get(key)!;
    expect(r.outputs.map((o) => o.length)).toEqual(want.outputs.map((o) => o.length));
    expect(maxAbsDiff(r.outputs, want.outputs)).toBeLessThan(1e-5);
    // Only the four truly custom classes remain ours; everything else is a standard TF.js layer.
    expect(r.classes.filter((c) => c.startsWith('NF') && !STANDARD_CUSTOM.has(c))).toEqual([]);
  });

  it('maps dropout variants and Subtract to standard layers', () => {
    const classes = (name: string) => {
      const key = cases.find((c) => c.name.startsWith(name))!.key;
      const r = results[key]!;
      if ('error' in r) throw new Error(r.error);
      return r.classes;
    };
    expect(classes('Dropout#0')).toEqual(['InputLayer', 'Dropout']);
    expect(classes('SpatialDropout1D#0')).toEqual(['InputLayer', 'SpatialDropout1D']);
    expect(classes('SpatialDropout2D#0')).toEqual(['InputLayer', 'Dropout']);
    expect(classes('Subtract#0')).toEqual(['InputLayer', 'InputLayer', 'Rescaling', 'Add']);
    const json = JSON.parse(readFileSync(join(dir, cases.find((c) => c.name.startsWith('SpatialDropout2D'))!.key, 'model.json'), 'utf8'));
    expect(json.modelTopology.config.layers[1].config.noise_shape).toEqual([null, 1, 1, null]);
  });

  it('ships custom-layers.js only when needed, registering exactly the classes used', () => {
    const fileOf = (name: string) => {
      const key = cases.find((c) => c.name === name)!.key;
      return { files: expected.get(key)!.files, js: () => readFileSync(join(dir, key, 'custom-layers.js'), 'utf8') };
    };
    expect(fileOf('template mlp').files).not.toContain('custom-layers.js');
    expect(fileOf('template lenet5').files).toEqual(['model.json', 'group1-shard1of1.bin', 'README.md']);
    const gpt = fileOf('template gpt-mini');
    expect(gpt.files).toContain('custom-layers.js');
    const exported = [...gpt.js().matchAll(/^export const (\w+)/gm)].map((m) => m[1]);
    expect(exported).toEqual(['NFPositionalEmbedding', 'NFTransformerEncoder']);
    expect(gpt.js()).toMatch(/^import \* as tf from '@tensorflow\/tfjs';$/m);
    expect(fileOf('GroupNormalization#0').js().match(/registerClass\(/g)).toHaveLength(1);
    // TF.js cannot load its own tanh GELU ("gelu_new" saved, "geluNew" looked up): the alias fixes that.
    expect([...fileOf('GELU#1').js().matchAll(/^export const (\w+)/gm)].map((m) => m[1])).toEqual(['geluNew']);
    expect(fileOf('GELU#0').files).not.toContain('custom-layers.js');
  });

  it('splits weights into shards that the loader joins', () => {
    const files = expected.get(cases.find((c) => c.name === 'template mlp')!.key)!.files;
    expect(files.filter((f) => f.endsWith('.bin'))).toHaveLength(15); // 235,146 floats ≈ 919 KiB / 64 KiB
    expect(files).toContain('group1-shard15of15.bin');
  });
});
