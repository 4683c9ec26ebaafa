// Subtract: input 1 minus input 2 (TF.js has no Subtract merge layer).
import * as tf from '@tensorflow/tfjs';

export interface SubtractArgs {
  name?: string;
}

export class SubtractLayer extends tf.layers.Layer {
  static readonly className = 'NFSubtract';

  constructor(args: SubtractArgs = {}) {
    super({ name: args.name });
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    if (!Array.isArray(inputShape[0]) || inputShape.length !== 2)
      throw new Error(`Subtract needs exactly 2 inputs, got ${JSON.stringify(inputShape)}`);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2) throw new Error('Subtract needs exactly 2 inputs');
    return tf.tidy(() => tf.sub(inputs[0]!, inputs[1]!));
  }

  /** Same shapes in, same shape out; a dim is unknown if either input's is (as TF.js merges do). */
  override computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape {
    const [a, b] = shape as tf.Shape[];
    return a!.map((d, i) => (d === null || b![i] === null ? null : d));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig() };
  }
}
