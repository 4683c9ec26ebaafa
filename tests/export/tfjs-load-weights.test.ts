// loadWeightsByName: trained TF.js files (as `train --out` writes them) onto a freshly compiled
// model, by name; files from another graph are refused with every mismatch listed.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { toTfjsFiles } from '../../src/engine/export/tfjs-format.js';
import { exportTfjs } from '../../src/engine/export/tfjs/index.js';
import { loadWeightsByName, weightPaths, WeightsMismatchError } from '../../src/engine/export/load-weights.js';
import { findTemplate } from '../../src/engine/templates/index.js';
import { compileProject, maxAbsDiff, predict, sampleInputs } from './tfjs-cases.js';

const compile = (id: string, seed: number) => compileProject(findTemplate(id)!.project(), seed).model;

describe('loading trained weights by name', () => {
  it.each(['lenet5', 'gpt-mini'])('%s: files written from one seed make a model of another seed predict identically', async (id) => {
    const trained = compile(id, 1);
    const fresh = compile(id, 2);
    const samples = sampleInputs(trained);
    expect(maxAbsDiff(predict(fresh, samples), predict(trained, samples))).toBeGreaterThan(1e-3); // the seeds really differ
    const { modelJson, weights } = await toTfjsFiles(trained);
    expect(weightPaths(modelJson)).toEqual(['weights.bin']);
    loadWeightsByName(tf, fresh, modelJson, [weights]);
    expect(maxAbsDiff(predict(fresh, samples), predict(trained, samples))).toBe(0);
  });

  it('also reads our standard export, shards and all', () => {
    const trained = compile('mlp', 1);
    const files = exportTfjs({ project: findTemplate('mlp')!.project(), analysis: null as never, model: trained }, { shardBytes: 100_000 });
    const json = new TextDecoder().decode(files[0]!.bytes);
    const byPath = new Map(files.map((f) => [f.path, f.bytes]));
    const fresh = compile('mlp', 3);
    loadWeightsByName(tf, fresh, json, weightPaths(json).map((p) => byPath.get(p)!));
    const samples = sampleInputs(trained);
    expect(maxAbsDiff(predict(fresh, samples), predict(trained, samples))).toBe(0);
  });

  it('refuses files of another graph, listing what is missing, surplus and misshapen', async () => {
    const { modelJson, weights } = await toTfjsFiles(compile('mlp', 1));
    const target = compile('lenet5', 1);
    const before = target.getWeights().map((w) => w.dataSync().slice());
    let error: unknown;
    try {
      loadWeightsByName(tf, target, modelJson, [weights]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WeightsMismatchError);
    const e = error as WeightsMismatchError;
    expect(e.missing).toContain('c1/kernel');
    expect(e.surplus).toContain('hidden1/kernel');
    expect(e.message).toMatch(/^the weights do not fit this graph .*not in the files: c1\/kernel, c1\/bias, .* and \d+ more; not in the model: hidden1\/kernel/);
    // All or nothing: the model keeps its weights.
    target.getWeights().forEach((w, i) => expect(w.dataSync()).toEqual(before[i]));
  });

  it('names a weight whose shape changed (the same graph with another width)', async () => {
    const p = findTemplate('mlp')!.project();
    const wider = { ...p, graph: { ...p.graph, nodes: p.graph.nodes.map((n) => (n.id === 'hidden1' ? { ...n, params: { ...n.params, units: 64 } } : n)) } };
    const { modelJson, weights } = await toTfjsFiles(compileProject(wider, 1).model);
    expect(() => loadWeightsByName(tf, compile('mlp', 1), modelJson, [weights])).toThrow(/different shape: hidden1\/kernel is \[784,\d+\] in the model but \[784,64\] in the files/);
  });
});
