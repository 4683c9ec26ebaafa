// The ONNX exporter's contract: what it refuses and how it says so, its options, and
// validateOnnx's report (shape, providers that cannot run, and catching a model that differs).
import * as tf from '@tensorflow/tfjs';
import pkg from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { exportOnnx, onnxSupport, validateOnnx } from '../../src/engine/export/onnx/index.js';
import { ExportError } from '../../src/engine/export/types.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { nodeId } from '../../src/engine/ids.js';
import type { Project } from '../../src/engine/project/types.js';
import { TEMPLATES } from '../../src/engine/templates/index.js';
import { exportInputFor, ort } from '../helpers/onnx-check.js';
import { singleLayerGraph } from '../helpers/oracle.js';

const { onnx } = pkg;
const lstm = (params: Record<string, unknown>) => singleLayerGraph({ kind: 'LSTM', params: { units: 3, ...params }, inputs: [{ shape: [4, 2] }] });

describe('onnxSupport and refusals', () => {
  it.each(TEMPLATES.map((t) => t.id))('%s: every node is supported', (id) => {
    expect(onnxSupport(analyzeGraph(TEMPLATES.find((t) => t.id === id)!.project().graph))).toEqual([]);
  });

  it("writes ONNX's own recurrent op when it defines the activations, and unrolls the steps when not", () => {
    const ops = (params: Record<string, unknown>) => {
      const counts = new Map<string, number>();
      for (const n of onnx.ModelProto.decode(exportOnnx(exportInputFor(lstm(params))).bytes).graph!.node!) counts.set(n.opType!, (counts.get(n.opType!) ?? 0) + 1);
      return counts;
    };
    expect(onnxSupport(analyzeGraph(lstm({ activation: 'gelu' })))).toEqual([]);
    expect(ops({ activation: 'tanh', recurrentActivation: 'hardSigmoid' }).get('LSTM')).toBe(1);
    const unrolled = ops({ activation: 'gelu' });
    expect(unrolled.get('LSTM')).toBeUndefined();
    expect(unrolled.get('Erf')).toBe(2 * 4); // gelu on the cell input and the output, at each of 4 steps
  });

  it('refuses a graph with errors up front: an ExportError listing each node and the error there', () => {
    const graph = singleLayerGraph({ kind: 'Dense', params: { units: 0 }, inputs: [{ shape: [3] }] });
    const analysis = analyzeGraph(graph);
    const input = { project: { name: 'p' } as Project, analysis, model: exportInputFor(lstm({})).model };
    let error: unknown;
    try {
      exportOnnx(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExportError);
    expect((error as ExportError).format).toBe('onnx');
    expect((error as ExportError).unsupported).toEqual([{ nodeId: 'L', kind: 'Dense', reason: expect.stringMatching(/^the graph has an error here: Dense: .*units/) }]);
    expect((error as ExportError).message).toMatch(/^cannot export to onnx: L \(Dense\): the graph has an error here: Dense: /);
  });

  it('lists nodes of a graph that does not analyse (unknown kind, bad params) instead of exporting it', () => {
    const graph = singleLayerGraph({ kind: 'Conv4D', params: {}, inputs: [{ shape: [3] }] });
    const analysis = analyzeGraph(graph);
    expect(onnxSupport(analysis)).toEqual([{ nodeId: 'L', kind: 'Conv4D', reason: expect.stringMatching(/^the graph has an error here: unknown layer kind "Conv4D"/) }]);
    const input = { project: { name: 'p' } as Project, analysis, model: exportInputFor(lstm({})).model };
    expect(() => exportOnnx(input)).toThrow(ExportError);
  });

  it('names every node of a cycle, and refuses a graph whose only error is graph-wide', () => {
    const cycle = analyzeGraph({
      nodes: [{ id: nodeId('x'), kind: 'Input', params: { shape: [3] } }, { id: nodeId('s'), kind: 'Add', params: {} }, { id: nodeId('t'), kind: 'Dense', params: { units: 3 } }],
      edges: [{ source: nodeId('x'), target: nodeId('s'), targetInput: 0 }, { source: nodeId('t'), target: nodeId('s'), targetInput: 1 }, { source: nodeId('s'), target: nodeId('t'), targetInput: 0 }],
    });
    expect(onnxSupport(cycle).map((u) => [u.nodeId, u.reason])).toEqual([
      ['s', 'the graph has an error here: Add "s" is part of a cycle: s → t → s'],
      ['t', 'the graph has an error here: Dense "t" is part of a cycle: s → t → s'],
    ]);
    const lonely = analyzeGraph({ nodes: [{ id: nodeId('x'), kind: 'Input', params: { shape: [3] } }], edges: [] });
    expect(onnxSupport(lonely)).toEqual([]);
    const input = { project: { name: 'p' } as Project, analysis: lonely, model: exportInputFor(lstm({})).model };
    expect(() => exportOnnx(input)).toThrow(/^cannot export to onnx: the graph has no output layer/);
  });

  it('refuses a batch that is not a positive integer, saying what it got', () => {
    const input = exportInputFor(lstm({}));
    expect(() => exportOnnx(input, { batch: 0 })).toThrow(/batch must be a positive integer or 'dynamic', got 0/);
    expect(() => exportOnnx(input, { batch: 1.5 })).toThrow(/got 1\.5/);
  });
});

describe('validateOnnx', () => {
  const mlp = TEMPLATES.find((t) => t.id === 'mlp')!.project();

  it('reports samples, one entry per provider, latency and a pass; a provider that cannot run in Node is an error entry', async () => {
    const input = exportInputFor(mlp.graph, mlp);
    const report = await validateOnnx(input, exportOnnx(input), { ort, providers: ['wasm', 'webgpu'], repeats: 2 });
    expect(report.samples).toBe(8);
    expect(report.tolerance).toBe(1e-4);
    const [wasm, webgpu] = report.runtimes;
    expect(wasm).toMatchObject({ runtime: 'onnxruntime-web/wasm' });
    expect(wasm!.error).toBeUndefined();
    expect(wasm!.maxAbsDiff).toBeLessThanOrEqual(1e-4);
    expect(wasm!.meanAbsDiff).toBeLessThanOrEqual(wasm!.maxAbsDiff);
    expect(wasm!.latencyMs).toBeGreaterThan(0);
    expect(webgpu!.runtime).toBe('onnxruntime-web/webgpu');
    expect(webgpu!.error).toMatch(/webgpu/i);
    expect([webgpu!.maxAbsDiff, webgpu!.meanAbsDiff, webgpu!.latencyMs].every(Number.isNaN)).toBe(true);
    expect(report.passed).toBe(true);
  });

  it('does not pass when no provider could run', async () => {
    const input = exportInputFor(mlp.graph, mlp);
    const report = await validateOnnx(input, exportOnnx(input), { ort, providers: ['webgpu'], samples: 2 });
    expect(report.runtimes).toHaveLength(1);
    expect(report.passed).toBe(false);
  });

  it('catches a model that differs: one weight changed in TF.js after export', async () => {
    const input = exportInputFor(mlp.graph, mlp);
    const exported = exportOnnx(input);
    const layer = input.model.getLayer('hidden2');
    const [kernel, bias] = layer.getWeights();
    const changed = kernel!.dataSync().slice();
    changed[0]! += 0.5;
    layer.setWeights([tf.tensor(changed, kernel!.shape), bias!]);
    const report = await validateOnnx(input, exported, { ort, samples: 4, repeats: 0 });
    expect(report.runtimes[0]!.error).toBeUndefined();
    expect(report.runtimes[0]!.maxAbsDiff).toBeGreaterThan(1e-4);
    expect(report.passed).toBe(false);
  });

  it('refuses a sample count that is not a positive integer', async () => {
    const input = exportInputFor(mlp.graph, mlp);
    await expect(validateOnnx(input, exportOnnx(input), { ort, samples: 0 })).rejects.toThrow(/samples must be a positive integer, got 0/);
  });

  it('is reproducible: the same seed gives the same differences', async () => {
    const input = exportInputFor(mlp.graph, mlp);
    const exported = exportOnnx(input);
    const run = () => validateOnnx(input, exported, { ort, samples: 3, repeats: 0, seed: 42 });
    const [a, b] = [await run(), await run()];
    expect(a.runtimes[0]!.maxAbsDiff).toBe(b.runtimes[0]!.maxAbsDiff);
    expect(a.runtimes[0]!.meanAbsDiff).toBe(b.runtimes[0]!.meanAbsDiff);
  });
});
