// Checkpoints on the TF.js side: stable weight names, reading variables back and writing saved
// arrays into them. The format itself (plain data, no TF.js) is checkpoint-format.ts; storage
// persists it and `trainModel({ resumeFrom })` continues from one exactly.
import * as tf from '@tensorflow/tfjs';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type Checkpoint, type NamedArray } from './checkpoint-format.js';

export * from './checkpoint-format.js';

/** A tensor with a name, on the device. */
export interface NamedVariable {
  readonly key: string;
  readonly variable: tf.Tensor;
}

/**
 * Stable names for a model's weights: TF.js's layer-scoped name (`dense1/kernel`) without the
 * `_1` suffix TF.js adds when another model already used it, so a fresh compile matches.
 */
export function weightKeys(model: tf.LayersModel): string[] {
  const seen = new Map<string, number>();
  return model.weights.map((w) => {
    const n = seen.get(w.originalName) ?? 0;
    seen.set(w.originalName, n + 1);
    return n === 0 ? w.originalName : `${w.originalName}#${n}`;
  });
}

/** Reads named tensors back to the CPU, asynchronously and all at once. */
export async function readNamed(items: readonly NamedVariable[]): Promise<NamedArray[]> {
  const values = await Promise.all(items.map((i) => i.variable.data()));
  return items.map((i, k) => ({
    name: i.key,
    shape: [...i.variable.shape],
    dtype: i.variable.dtype === 'int32' ? 'int32' : 'float32',
    // A copy: the CPU backend hands out its own buffer, which must not alias a saved checkpoint.
    values: (values[k] as Float32Array | Int32Array).slice(),
  }));
}

/**
 * Copies saved arrays into variables with the same names and shapes; throws naming the first
 * mismatch (a checkpoint from another graph).
 */
export function writeNamed(targets: readonly { readonly key: string; readonly variable: tf.Variable }[], arrays: readonly NamedArray[], what: string): void {
  const byName = new Map(arrays.map((a) => [a.name, a]));
  if (byName.size !== targets.length || arrays.length !== targets.length)
    throw new Error(`checkpoint ${what}: has ${arrays.length} arrays, this model needs ${targets.length}`);
  for (const t of targets) {
    const a = byName.get(t.key);
    if (!a) throw new Error(`checkpoint ${what}: no "${t.key}" (it was made from another graph)`);
    if (a.shape.length !== t.variable.shape.length || a.shape.some((d, i) => d !== t.variable.shape[i]))
      throw new Error(`checkpoint ${what}: "${t.key}" is [${a.shape.join(',')}], the model's is [${t.variable.shape.join(',')}]`);
  }
  for (const t of targets) {
    const a = byName.get(t.key)!;
    tf.tidy(() => t.variable.assign(tf.tensor(a.values.slice(), [...a.shape], t.variable.dtype)));
  }
}

/** A checkpoint's identity and shape, checked before anything is restored. */
export function checkCheckpoint(c: Checkpoint): void {
  if (c.format !== CHECKPOINT_FORMAT) throw new Error(`not a NeuralForge checkpoint (format ${JSON.stringify(c.format)})`);
  if (c.version !== CHECKPOINT_VERSION) throw new Error(`checkpoint version ${c.version} is not readable here (expected ${CHECKPOINT_VERSION})`);
}
