// Every template exported to ONNX: onnxruntime-web reproduces TF.js within 1e-4 (trained-looking
// weights: constant initial values perturbed), and onnx.checker accepts the file (full_check).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pkg from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx, validateOnnx, type OnnxExport } from '../../src/engine/export/onnx/index.js';
import type { ExportInput } from '../../src/engine/export/types.js';
import { TEMPLATES } from '../../src/engine/templates/index.js';
import { exportInputFor, onnxChecker, ort, tempDir } from '../helpers/onnx-check.js';

const { onnx } = pkg;
/** The big convnets run few samples to keep the suite quick on two cores. */
const SAMPLES: Record<string, number> = { resnet18: 2, unet: 2 };

const opCounts = (bytes: Uint8Array): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const n of onnx.ModelProto.decode(bytes).graph!.node!) counts.set(n.opType!, (counts.get(n.opType!) ?? 0) + 1);
  return counts;
};

describe('ONNX export of the templates', () => {
  const built = new Map<string, { input: ExportInput; exported: OnnxExport; path: string }>();
  let checker = new Map<string, string>();

  beforeAll(() => {
    const dir = tempDir();
    for (const t of TEMPLATES) {
      const project = t.project();
      const input = exportInputFor(project.graph, project);
      const exported = exportOnnx(input);
      const path = join(dir, `${t.id}.onnx`);
      writeFileSync(path, exported.bytes);
      built.set(t.id, { input, exported, path });
    }
    checker = onnxChecker([...built.values()].map((b) => b.path));
  });

  it.each(TEMPLATES.map((t) => t.id))('%s: onnxruntime-web matches TF.js within 1e-4', async (id) => {
    const { input, exported } = built.get(id)!;
    const report = await validateOnnx(input, exported, { ort, samples: SAMPLES[id] ?? 4, repeats: 0, seed: 11 });
    expect(report.runtimes[0]!.error).toBeUndefined();
    expect(report.runtimes[0]!.maxAbsDiff).toBeLessThanOrEqual(1e-4);
    expect(report.passed).toBe(true);
  });

  it.each(TEMPLATES.map((t) => t.id))('%s: onnx.checker accepts the file (full_check)', (id) => {
    expect(checker.get(built.get(id)!.path)).toBe('ok');
  });

  it('keeps ResNet-18 channels first from the input on: one Transpose in the whole graph', () => {
    const ops = opCounts(built.get('resnet18')!.exported.bytes);
    expect(ops.get('Conv')).toBe(20);
    expect(ops.get('Transpose')).toBe(1);
  });

  it('GPT-mini takes int32 token ids and gives logits for every position, named by node id', () => {
    const { exported } = built.get('gpt-mini')!;
    expect(exported.inputs).toEqual([{ name: 'tokens', nodeId: 'tokens', shape: ['N', 64], dtype: 'int32' }]);
    expect(exported.outputs).toEqual([{ name: 'logits', nodeId: 'logits', shape: ['N', 64, 256], dtype: 'float32' }]);
    expect(opCounts(exported.bytes).get('LayerNormalization')).toBe(9); // 2 per block + the final norm
  });
});
