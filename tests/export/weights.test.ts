// nodeWeights/setNodeWeights: grouping by node and writing back into a differently seeded model.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/engine/compile/compile.js';
import { nodeWeights, setNodeWeights } from '../../src/engine/export/weights.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { nodeId } from '../../src/engine/ids.js';
import { findTemplate } from '../../src/engine/templates/index.js';

const build = (id: string, seed: number) => compileGraph(analyzeGraph(findTemplate(id)!.project().graph), { seed }).model;

describe('node weights', () => {
  it.each(['lstm-text', 'gpt-mini', 'lenet5'])('%s: copying every node weight into another seed reproduces the model exactly', (id) => {
    const a = build(id, 1);
    const b = build(id, 2);
    const w = nodeWeights(a);
    expect([...w.values()].flat().length).toBe(a.weights.length);
    setNodeWeights(tf, b, new Map([...w].map(([k, v]) => [k, v.map((x) => x.values)])));
    a.getWeights().forEach((t, i) => expect(b.getWeights()[i]!.dataSync()).toEqual(t.dataSync()));
  });

  it('names the LSTM weights in TF.js order, grouped under the node id', () => {
    const w = nodeWeights(build('lstm-text', 0)).get(nodeId('lstm'))!;
    expect(w.map((x) => x.name).slice(0, 3)).toEqual(['kernel', 'recurrent_kernel', 'bias']);
  });

  it('refuses a weight of the wrong size, naming node and weight', () => {
    const m = build('lenet5', 0);
    const w = nodeWeights(m);
    const [first, arrays] = [...w][0]!;
    const bad = new Map([...w].map(([k, v]) => [k, v.map((x) => x.values)]));
    bad.set(first, [new Float32Array(1), ...arrays.slice(1).map((x) => x.values)]);
    expect(() => setNodeWeights(tf, m, bad)).toThrow(new RegExp(`node "${first}": .*kernel needs \\d+ values`));
  });
});
