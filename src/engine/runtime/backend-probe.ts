// Probing a backend with the real model before a run: one synthetic training step on a
// batch of 1 (forward, backward, optimizer update) catches TF.js's "Kernel 'X' not
// registered for backend 'Y'" here instead of mid-run; a profiled step on the CPU lists
// every kernel the model needs; and WebGPU shaders can be compiled ahead of the first step.
import * as tf from '@tensorflow/tfjs';
import type { SkipReason } from './backend-types.js';

/** Thrown by TF.js's engine as `Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'`. */
const MISSING_KERNEL = /Kernel '([^']+)' not registered for backend/;

export function missingKernelIn(e: unknown): string | null {
  return MISSING_KERNEL.exec(e instanceof Error ? e.message : String(e))?.[1] ?? null;
}

/** One input batch of the model's input shapes: zeros for integer inputs (valid token ids), noise otherwise. */
function syntheticInputs(model: tf.LayersModel, batch: number): tf.Tensor[] {
  return model.inputs.map((inp) => {
    const shape = [batch, ...inp.shape.slice(1).map((d) => d ?? 1)]; // unknown dims (sequence length) → 1
    return inp.dtype === 'int32' ? tf.zeros(shape, 'int32') : tf.randomUniform(shape, 0, 1, 'float32');
  });
}

/**
 * A training step with a stand-in loss (mean square of every output) so that every layer's
 * forward and backward kernels run; the optimizer update runs when one is given.
 * Call inside tf.tidy. Returns the loss.
 */
export function syntheticStep(model: tf.LayersModel, batch: number, optimizer: tf.Optimizer | null): tf.Scalar {
  const xs = syntheticInputs(model, batch);
  const loss = (): tf.Scalar => {
    const ys = model.apply(xs, { training: true }) as tf.Tensor | tf.Tensor[];
    const outs = Array.isArray(ys) ? ys : [ys];
    return tf.addN(outs.map((y) => tf.mean(tf.square(tf.cast(y, 'float32'))))) as tf.Scalar;
  };
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  if (vars.length === 0) return loss();
  const { value, grads } = tf.variableGrads(loss, vars);
  optimizer?.applyGradients(grads);
  return value;
}

/** Builds the model on the active backend and trains one step on a batch of 1; null when it worked. */
export async function dryRunStep(build: () => tf.LayersModel): Promise<SkipReason | null> {
  let model: tf.LayersModel | null = null;
  const optimizer = tf.train.sgd(0);
  try {
    model = build();
    const m = model;
    const loss = tf.tidy(() => syntheticStep(m, 1, optimizer));
    // Reading the value waits for the GPU, so an execution failure surfaces here too.
    const [v] = await loss.data();
    loss.dispose();
    if (!Number.isFinite(v)) return { code: 'dry-run-failed', message: `the test step's loss is ${v}` };
    return null;
  } catch (e) {
    const kernel = missingKernelIn(e);
    return kernel ? { code: 'missing-kernels', kernels: [kernel] } : { code: 'dry-run-failed', message: (e as Error).message };
  } finally {
    model?.dispose();
    optimizer.dispose();
  }
}

/** Every kernel one training step of the model runs (profiled on the active backend: use cpu). */
export async function kernelsUsedBy(build: () => tf.LayersModel): Promise<string[]> {
  const model = build();
  const optimizer = tf.train.sgd(0);
  try {
    const profile = await tf.profile(() => {
      tf.tidy(() => syntheticStep(model, 1, optimizer));
    });
    // The profile also names op scopes (e.g. fusedMatMul__op); keep real kernels only.
    const backend = tf.getBackend();
    return [...new Set(profile.kernelNames)].filter((k) => tf.getKernel(k, backend)).sort();
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

interface CompilingBackend {
  checkCompileCompletionAsync(): Promise<void>;
  pipelineCache: Record<string, unknown>;
}

/**
 * Compiles the WebGPU pipelines `step` would use without running them: with the flag
 * WEBGPU_ENGINE_COMPILE_ONLY TF.js creates pipelines asynchronously (in parallel) and skips
 * dispatch; the tensors `step` makes hold garbage and are disposed. `step` must not change
 * weights (compute gradients, do not apply them). A no-op off WebGPU.
 * Measured on SwiftShader (2 cores, MLP, batch 128, 4 runs): it moves ~4.5 s of compilation
 * before the first step (first step 0.6 s instead of 5.2 s) and shortens first epoch plus
 * pre-warm by only ~0.5 s (13.2–14.2 s vs 14.0–14.9 s), so the trainer leaves it off unless asked.
 */
export async function prewarmWebGpu(step: () => void): Promise<{ readonly ms: number; readonly pipelines: number } | null> {
  if (tf.getBackend() !== 'webgpu') return null;
  const backend = tf.backend() as unknown as CompilingBackend;
  const t0 = tf.util.now();
  tf.env().set('WEBGPU_ENGINE_COMPILE_ONLY', true);
  try {
    tf.tidy(step);
  } finally {
    tf.env().set('WEBGPU_ENGINE_COMPILE_ONLY', false);
  }
  await backend.checkCompileCompletionAsync();
  return { ms: tf.util.now() - t0, pipelines: Object.keys(backend.pipelineCache).length };
}
