// exportModel/supportFor: every format through one entry; ONNX and the bundle always come with
// their validation report (onnxruntime-web against TF.js); refusals come before any work.
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { exportModel, supportFor } from '../../src/engine/export/index.js';
import { EXPORT_FORMATS, ExportError } from '../../src/engine/export/types.js';
import { analyzeGraph } from '../../src/engine/graph/analyze.js';
import { findTemplate } from '../../src/engine/templates/index.js';
import { ort } from '../helpers/onnx-check.js';
import { singleLayerGraph } from '../helpers/oracle.js';
import { compileProject } from './tfjs-cases.js';

const mlp = () => compileProject(findTemplate('mlp')!.project());

describe('exportModel', () => {
  it.each(EXPORT_FORMATS)('%s: gives files, their total size, and a report exactly for ONNX-based formats', async (format) => {
    const result = await exportModel(format, mlp(), { ort, samples: 4 });
    expect(result.files.length).toBeGreaterThan(0);
    expect(result.bytes).toBe(result.files.reduce((s, f) => s + f.bytes.byteLength, 0));
    for (const f of result.files) expect(f.path).toMatch(/^[\w.-]+(\/[\w.-]+)*$/);
    if (format === 'onnx' || format === 'bundle') {
      expect(result.report?.passed).toBe(true);
      expect(result.report?.runtimes.map((r) => r.runtime)).toEqual(['onnxruntime-web/wasm']);
    } else expect(result.report).toBeNull();
  });

  it('names the files: model.onnx, and the bundle zip after the project', async () => {
    expect((await exportModel('onnx', mlp(), { ort, samples: 2 })).files.map((f) => f.path)).toEqual(['model.onnx']);
    const bundle = await exportModel('bundle', mlp(), { ort, samples: 2 });
    expect(bundle.files.map((f) => f.path)).toEqual(['mlp-on-mnist-serving.zip']);
    expect(Object.keys(unzipSync(bundle.files[0]!.bytes))).toContain('model.onnx');
  });

  it('refuses to export ONNX unvalidated: onnxruntime must be given', async () => {
    await expect(exportModel('onnx', mlp(), {})).rejects.toThrow('ONNX exports are always validated: pass onnxruntime-web as deps.ort');
    await expect(exportModel('bundle', mlp())).rejects.toThrow(/always validated/);
  });

  it('refuses nodes a format cannot express up front, with an ExportError listing them', async () => {
    const graph = singleLayerGraph({ kind: 'LSTM', params: { units: 3, activation: 'gelu' }, inputs: [{ shape: [4, 2] }] });
    const analysis = analyzeGraph(graph);
    expect(supportFor('pytorch', analysis)).toEqual([{ nodeId: 'L', kind: 'LSTM', reason: expect.stringContaining("activation 'gelu'") }]);
    expect(supportFor('notebook', analysis)).toEqual(supportFor('pytorch', analysis));
    expect(supportFor('onnx', analysis)).toEqual([]); // ONNX unrolls such a cell
    expect(supportFor('tfjs', analysis)).toEqual([]);
    const input = compileProject({ ...findTemplate('mlp')!.project(), graph });
    const error = await exportModel('pytorch', input, { ort }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportError);
    expect(error).toMatchObject({ format: 'pytorch', unsupported: [{ nodeId: 'L', kind: 'LSTM' }] });
    // TF.js takes every layer NeuralForge has.
    expect((await exportModel('tfjs', input)).files.map((f) => f.path)).toEqual(['model.json', 'group1-shard1of1.bin', 'README.md']);
  });
});
