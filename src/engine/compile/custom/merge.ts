// STUB: to be implemented (custom TF.js layers for the merge family).
import * as tf from '@tensorflow/tfjs';

export class SubtractLayer extends tf.layers.Layer {
  static readonly className = 'NFSubtract';
  constructor(args: Record<string, unknown>) {
    super({ name: args['name'] as string | undefined });
    throw new Error('SubtractLayer is not implemented yet');
  }
}
