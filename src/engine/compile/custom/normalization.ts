// STUB: to be implemented (custom TF.js layers for the normalization family).
import * as tf from '@tensorflow/tfjs';

export class GroupNormalizationLayer extends tf.layers.Layer {
  static readonly className = 'NFGroupNormalization';
  constructor(args: Record<string, unknown>) {
    super({ name: args['name'] as string | undefined });
    throw new Error('GroupNormalizationLayer is not implemented yet');
  }
}
