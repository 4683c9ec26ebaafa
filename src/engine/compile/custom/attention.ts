// Custom TF.js layers for the attention family: MultiHeadAttention (Keras semantics, but
// trainable: TF.js's own uses einsum, which has no gradient) and a learned
// PositionalEmbedding. TransformerEncoder lives in transformer.ts and is re-exported here.
import * as tf from '@tensorflow/tfjs';
import { hash32 } from '../seed.js';
import { MaskSeeds, type StepSeeded } from './dropout.js';
import {
  initializer, lastDim, makeAttentionWeights, multiHeadAttention, readAttentionWeights, shapeList, weightSeedOf,
  type AttentionWeights, type WeightInit,
} from './attention-math.js';

export { TransformerEncoderLayer, type TransformerEncoderArgs } from './transformer.js';

/** What every custom layer accepts besides its own config (also what `getConfig` returns). */
interface BaseArgs {
  name?: string;
  trainable?: boolean;
}

export interface MultiHeadAttentionArgs extends tf.serialization.ConfigDict {
  numHeads: number;
  keyDim: number;
  /** null: same as keyDim. */
  valueDim: number | null;
  dropout: number;
  useBias: boolean;
  /** Size of the output's last axis; null: the query's. (Keras calls it output_shape.) */
  outputDim: number | null;
  useCausalMask: boolean;
  /** Base seed; each weight derives its own from it. */
  seed: number;
}

/**
 * Inputs [query [B,Tq,Dq], value [B,Tv,Dv], key [B,Tv,Dk]?] (key defaults to value) → [B,Tq,Dout].
 * Weights, in order: query/kernel [Dq,H·K], query/bias [H·K], key/kernel [Dk,H·K], key/bias [H·K],
 * value/kernel [Dv,H·V], value/bias [H·V], output/kernel [H·V,Dout], output/bias [Dout]
 * (no biases when useBias is false); see attention-math.ts for the column layout.
 */
export class MultiHeadAttentionLayer extends tf.layers.Layer implements StepSeeded {
  static readonly className = 'NFMultiHeadAttention';
  /** Dropout masks seeded per training step (see MaskSeeds). */
  private readonly masks: MaskSeeds;
  private readonly cfg: MultiHeadAttentionArgs;
  private attention: AttentionWeights<tf.LayerVariable> | null = null;

  constructor(args: MultiHeadAttentionArgs & BaseArgs) {
    super({ name: args.name, trainable: args.trainable });
    this.masks = new MaskSeeds(hash32(this.name));
    const { numHeads, keyDim, valueDim, dropout, useBias, outputDim, useCausalMask, seed } = args;
    this.cfg = { numHeads, keyDim, valueDim, dropout, useBias, outputDim, useCausalMask, seed };
  }

  private get valueDim(): number {
    return this.cfg.valueDim ?? this.cfg.keyDim;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const [q, v, k = v] = shapeList(inputShape);
    if (!q || !v || !k) throw new Error(`${this.name} needs a query and a value input`);
    const dq = lastDim(q, this.name);
    const add = (name: string, shape: number[], init: WeightInit) =>
      this.addWeight(name, shape, 'float32', initializer(init, weightSeedOf(this.cfg.seed, name)));
    this.attention = makeAttentionWeights(
      add,
      { query: dq, key: lastDim(k, this.name), value: lastDim(v, this.name), output: this.cfg.outputDim ?? dq },
      { numHeads: this.cfg.numHeads, keyDim: this.cfg.keyDim, valueDim: this.valueDim, useBias: this.cfg.useBias },
    );
    this.built = true;
  }

  setStep(runSeed: number, step: number): void {
    this.masks.setStep(runSeed, step);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const [query, value, key = value] = Array.isArray(inputs) ? inputs : [inputs];
    if (!query || !value || !key || !this.attention) throw new Error(`${this.name} was called before it was built`);
    const w = this.attention;
    return tf.tidy(() =>
      multiHeadAttention(query, value, key, readAttentionWeights(w), {
        numHeads: this.cfg.numHeads,
        keyDim: this.cfg.keyDim,
        valueDim: this.valueDim,
        dropout: this.cfg.dropout,
        dropoutSeed: () => this.masks.next(),
        useCausalMask: this.cfg.useCausalMask,
        training: kwargs['training'] === true,
      }),
    );
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [q] = shapeList(inputShape);
    if (!q) throw new Error(`${this.name} needs a query input`);
    return [q[0] ?? null, q[1] ?? null, this.cfg.outputDim ?? lastDim(q, this.name)];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.cfg };
  }
}

export interface PositionalEmbeddingArgs extends tf.serialization.ConfigDict {
  maxLength: number;
  seed: number;
}

/** [B, T, D] → [B, T, D] + P[0:T]; one weight: embeddings [maxLength, D] (glorotUniform, as keras-hub). */
export class PositionalEmbeddingLayer extends tf.layers.Layer {
  static readonly className = 'NFPositionalEmbedding';
  private readonly cfg: PositionalEmbeddingArgs;
  private table: tf.LayerVariable | null = null;

  constructor(args: PositionalEmbeddingArgs & BaseArgs) {
    super({ name: args.name, trainable: args.trainable });
    this.cfg = { maxLength: args.maxLength, seed: args.seed };
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const [x] = shapeList(inputShape);
    if (!x) throw new Error(`${this.name} needs an input`);
    const init = initializer('glorotUniform', weightSeedOf(this.cfg.seed, 'embeddings'));
    this.table = this.addWeight('embeddings', [this.cfg.maxLength, lastDim(x, this.name)], 'float32', init);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!x || !this.table) throw new Error(`${this.name} was called before it was built`);
    const table = this.table;
    const steps = x.shape[1]!;
    if (steps > this.cfg.maxLength) throw new Error(`${this.name}: ${steps} steps exceed maxLength ${this.cfg.maxLength}`);
    return tf.tidy(() => tf.add(x, tf.slice(table.read(), [0, 0], [steps, -1]))); // [B,T,D] + [T,D]
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return shapeList(inputShape)[0]!;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.cfg };
  }
}
