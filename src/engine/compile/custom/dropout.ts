// SpatialDropout2D: drops whole feature maps (TF.js only ships the 1-D variant).
import * as tf from '@tensorflow/tfjs';

export interface SpatialDropout2DArgs extends tf.serialization.ConfigDict {
  rate: number;
}

export class SpatialDropout2DLayer extends tf.layers.Layer {
  static readonly className = 'NFSpatialDropout2D';
  private readonly rate: number;

  constructor(args: SpatialDropout2DArgs & { name?: string }) {
    super({ name: args.name });
    this.rate = args.rate;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (!kwargs['training'] || this.rate === 0) return x;
    // One keep/drop decision per (sample, channel): noise shape [B, 1, 1, C].
    return tf.tidy(() => tf.dropout(x, this.rate, [x.shape[0]!, 1, 1, x.shape[3]!]));
  }

  override computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return shape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}
