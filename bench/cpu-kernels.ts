// One gradient step on the CPU backend with TF.js's own kernels, then with ours
// (src/engine/runtime/cpu-kernels.ts), same model, same inputs, in one process.
import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../src/engine/compile/compile.js';
import { analyzeGraph } from '../src/engine/graph/analyze.js';
import { installFastCpuKernels } from '../src/engine/runtime/cpu-kernels.js';
import { findTemplate } from '../src/engine/templates/index.js';
import { measure, writeSuite, type Row } from './harness.js';

function gradStep(id: string, batch: number): () => void {
  const { model } = compileGraph(analyzeGraph(findTemplate(id)!.project().graph), { seed: 1 });
  const shape = [batch, ...(model.inputs[0]!.shape.slice(1) as number[])];
  const x = model.inputs[0]!.dtype === 'int32' ? tf.randomUniform(shape, 0, 200, 'int32') : tf.randomUniform(shape);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return () =>
    tf.tidy(() => {
      const { value } = tf.variableGrads(() => tf.mean(tf.square(model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar, vars);
      value.dataSync();
    });
}

export async function runCpuKernels(): Promise<void> {
  await tf.setBackend('cpu');
  const cases: [string, number][] = [['resnet18', 1], ['unet', 2], ['mini-bert', 2], ['lstm-text', 8]];
  const steps = cases.map(([id, batch]) => ({ id, batch, step: gradStep(id, batch) }));
  const before = steps.map((s) => measure(1, 0, () => undefined, s.step)); // minutes each: one run
  installFastCpuKernels();
  const after = steps.map((s) => measure(5, 1, () => undefined, s.step));
  const rows: Row[] = steps.flatMap((s, i) => [
    { name: `${s.id}, batch ${s.batch}: TF.js kernels`, ...before[i]! },
    { name: `${s.id}, batch ${s.batch}: NeuralForge kernels`, ...after[i]!, note: `${(before[i]!.medianMs / after[i]!.medianMs).toFixed(1)}× faster` },
  ]);
  writeSuite('cpu-kernels', 'CPU gradient step: TF.js kernels vs NeuralForge kernels', rows);
}
