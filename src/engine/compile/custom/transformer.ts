// TransformerEncoder block with keras-hub semantics: self-attention and a two-layer
// feed-forward network, each with dropout, a residual connection and a layer norm,
// placed after (post-LN, BERT) or before (pre-LN, GPT-2) the sub-block.
import * as tf from '@tensorflow/tfjs';
import { hash32 } from '../seed.js';
import { MaskSeeds, type StepSeeded } from './dropout.js';
import {
  initializer, lastDim, layerNorm, makeAttentionWeights, makeProjection, multiHeadAttention, project,
  readAttentionWeights, readProjection, shapeList, weightSeedOf, type AttentionWeights, type Projection, type WeightInit,
} from './attention-math.js';

export interface TransformerEncoderArgs extends tf.serialization.ConfigDict {
  intermediateDim: number;
  numHeads: number;
  dropout: number;
  /** A TF.js activation identifier for the feed-forward hidden layer. */
  activation: string;
  layerNormEpsilon: number;
  normalizeFirst: boolean;
  useCausalMask: boolean;
  seed: number;
}

interface Norm<T> {
  readonly gamma: T;
  readonly beta: T;
}

interface EncoderWeights {
  readonly attention: AttentionWeights<tf.LayerVariable>;
  readonly attentionNorm: Norm<tf.LayerVariable>;
  readonly intermediate: Projection<tf.LayerVariable>;
  readonly output: Projection<tf.LayerVariable>;
  readonly feedforwardNorm: Norm<tf.LayerVariable>;
}

/**
 * [B, T, D] → [B, T, D], key dim D / numHeads. Weights, in order (names as keras-hub):
 * self_attention/{query,key,value}/{kernel [D,D], bias [D]}, self_attention/output/{kernel [D,D], bias [D]},
 * self_attention_layer_norm/{gamma,beta} [D], feedforward_intermediate_dense/{kernel [D,I], bias [I]},
 * feedforward_output_dense/{kernel [I,D], bias [D]}, feedforward_layer_norm/{gamma,beta} [D].
 */
export class TransformerEncoderLayer extends tf.layers.Layer implements StepSeeded {
  static readonly className = 'NFTransformerEncoder';
  /** Dropout masks seeded per training step (see MaskSeeds). */
  private readonly masks: MaskSeeds;
  private readonly cfg: TransformerEncoderArgs;
  private readonly ffnActivation: tf.layers.Layer;
  private w: EncoderWeights | null = null;

  constructor(args: TransformerEncoderArgs & { name?: string; trainable?: boolean }) {
    super({ name: args.name, trainable: args.trainable });
    this.masks = new MaskSeeds(hash32(this.name));
    const { intermediateDim, numHeads, dropout, activation, layerNormEpsilon, normalizeFirst, useCausalMask, seed } = args;
    this.cfg = { intermediateDim, numHeads, dropout, activation, layerNormEpsilon, normalizeFirst, useCausalMask, seed };
    // A weightless helper, called on concrete tensors only; TF.js has no public activation lookup.
    this.ffnActivation = tf.layers.activation({ activation: activation as never });
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const [x] = shapeList(inputShape);
    if (!x) throw new Error(`${this.name} needs an input`);
    const d = lastDim(x, this.name);
    const { numHeads, intermediateDim } = this.cfg;
    if (d % numHeads !== 0) throw new Error(`${this.name}: width ${d} is not divisible by ${numHeads} heads`);
    const add = (name: string, shape: number[], init: WeightInit) =>
      this.addWeight(name, shape, 'float32', initializer(init, weightSeedOf(this.cfg.seed, name)));
    const scoped = (scope: string) => (name: string, shape: number[], init: WeightInit) => add(`${scope}/${name}`, shape, init);
    const norm = (scope: string): Norm<tf.LayerVariable> => ({ gamma: add(`${scope}/gamma`, [d], 'ones'), beta: add(`${scope}/beta`, [d], 'zeros') });
    this.w = {
      attention: makeAttentionWeights(scoped('self_attention'), { query: d, key: d, value: d, output: d }, { numHeads, keyDim: d / numHeads, valueDim: d / numHeads, useBias: true }),
      attentionNorm: norm('self_attention_layer_norm'),
      intermediate: makeProjection(add, 'feedforward_intermediate_dense', d, intermediateDim, true),
      output: makeProjection(add, 'feedforward_output_dense', intermediateDim, d, true),
      feedforwardNorm: norm('feedforward_layer_norm'),
    };
    this.built = true;
  }

  setStep(runSeed: number, step: number): void {
    this.masks.setStep(runSeed, step);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!x || !this.w) throw new Error(`${this.name} was called before it was built`);
    const w = this.w;
    const training = kwargs['training'] === true;
    return tf.tidy(() => {
      const attended = this.residual(x, w.attentionNorm, (h) => this.selfAttention(h, w.attention, training), training);
      return this.residual(attended, w.feedforwardNorm, (h) => this.feedForward(h, w), training);
    });
  }

  /** One sub-block with its dropout, residual and layer norm (before it when normalizeFirst, else after). */
  private residual(x: tf.Tensor, n: Norm<tf.LayerVariable>, block: (h: tf.Tensor) => tf.Tensor, training: boolean): tf.Tensor {
    const { normalizeFirst, layerNormEpsilon: eps, dropout } = this.cfg;
    const norm = (t: tf.Tensor) => layerNorm(t, n.gamma.read(), n.beta.read(), eps);
    let h = block(normalizeFirst ? norm(x) : x);
    if (training && dropout > 0) h = tf.dropout(h, dropout, undefined, this.masks.next());
    const sum = tf.add(h, x);
    return normalizeFirst ? sum : norm(sum);
  }

  private selfAttention(h: tf.Tensor, w: AttentionWeights<tf.LayerVariable>, training: boolean): tf.Tensor {
    const keyDim = h.shape[2]! / this.cfg.numHeads;
    return multiHeadAttention(h, h, h, readAttentionWeights(w), {
      numHeads: this.cfg.numHeads,
      keyDim,
      valueDim: keyDim,
      dropout: this.cfg.dropout,
      dropoutSeed: () => this.masks.next(),
      useCausalMask: this.cfg.useCausalMask,
      training,
    });
  }

  /** [B,T,D] → dense I + activation → dense D */
  private feedForward(h: tf.Tensor, w: EncoderWeights): tf.Tensor {
    const hidden = this.ffnActivation.apply(project(h, readProjection(w.intermediate))) as tf.Tensor;
    return project(hidden, readProjection(w.output));
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return shapeList(inputShape)[0]!;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.cfg };
  }
}
