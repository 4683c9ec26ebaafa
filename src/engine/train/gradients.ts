// Gradient arithmetic between the backward pass and the optimizer: weighted accumulation of
// micro-batches, the L2 penalty's gradient, the global norm and clipping by it. All on the
// device; nothing here reads a value back.
import * as tf from '@tensorflow/tfjs';

/** √(Σ‖gᵢ‖²) over every gradient, as a scalar tensor. */
export function globalNorm(grads: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
}

/**
 * Scales every gradient by clipNorm / max(norm, clipNorm): unchanged when the global norm is
 * within the limit, otherwise shrunk to exactly clipNorm with every direction kept.
 * @example const { grads: clipped, norm } = clipByGlobalNorm(grads, 1); // norm is the value before clipping
 */
export function clipByGlobalNorm(grads: readonly tf.Tensor[], clipNorm: number): { grads: tf.Tensor[]; norm: tf.Scalar } {
  const norm = globalNorm(grads);
  const clipped = tf.tidy(() => {
    const scale = tf.div(clipNorm, tf.maximum(norm, clipNorm));
    return grads.map((g) => tf.mul(g, scale));
  });
  return { grads: clipped, norm };
}

/** acc + weight · g for each pair (acc null on the first micro-batch); disposes the old sums. */
export function accumulate(acc: tf.Tensor[] | null, grads: readonly tf.Tensor[], weight: number): tf.Tensor[] {
  const next = tf.tidy(() => grads.map((g, i) => (acc ? tf.add(acc[i]!, tf.mul(g, weight)) : tf.mul(g, weight))));
  if (acc) tf.dispose(acc);
  return next;
}

/** Adds ∂(l2 · Σw²)/∂w = 2·l2·w to the gradients of decayed weights. */
export function addL2(grads: readonly tf.Tensor[], weights: readonly { readonly variable: tf.Variable; readonly decay: boolean }[], l2: number): tf.Tensor[] {
  return tf.tidy(() => grads.map((g, i) => (weights[i]!.decay ? tf.add(g, tf.mul(2 * l2, weights[i]!.variable)) : tf.clone(g))));
}
