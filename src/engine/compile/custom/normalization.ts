// GroupNormalization (channels-last), as in Keras: channels are split into `groups`, and
// each sample is normalised over every position and the channels of one group.
import * as tf from '@tensorflow/tfjs';

export interface GroupNormalizationArgs {
  name?: string;
  groups: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
}

export class GroupNormalizationLayer extends tf.layers.Layer {
  static readonly className = 'NFGroupNormalization';
  private readonly groups: number;
  private readonly epsilon: number;
  private readonly center: boolean;
  private readonly scale: boolean;
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;

  constructor(args: GroupNormalizationArgs) {
    super({ name: args.name });
    this.groups = args.groups;
    this.epsilon = args.epsilon;
    this.center = args.center;
    this.scale = args.scale;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (typeof channels !== 'number' || channels % this.groups !== 0)
      throw new Error(`GroupNormalization: ${String(channels)} channels cannot be split into ${this.groups} groups`);
    // Constant initialisers (ones, zeros): no seed needed.
    if (this.scale) this.gamma = this.addWeight('gamma', [channels], 'float32', tf.initializers.ones());
    if (this.center) this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.tidy(() => {
      const shape = x.shape; // [B, ...spatial, C]
      const c = shape[shape.length - 1]!;
      const grouped = tf.reshape(x, [...shape.slice(0, -1), this.groups, c / this.groups]); // [B, ...spatial, G, C/G]
      const rank = grouped.rank;
      // Reduce over spatial dims and the channels within a group: everything but batch and group.
      const axes = [...Array.from({ length: rank - 3 }, (_, i) => i + 1), rank - 1];
      const { mean, variance } = tf.moments(grouped, axes, true); // [B, 1…, G, 1]
      const normed = tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
      let y = tf.reshape(normed, shape); // [B, ...spatial, C]
      if (this.gamma) y = tf.mul(y, this.gamma.read()); // gamma [C] broadcasts over the last axis
      if (this.beta) y = tf.add(y, this.beta.read());
      return y;
    });
  }

  override computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return shape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groups: this.groups, epsilon: this.epsilon, center: this.center, scale: this.scale };
  }
}
