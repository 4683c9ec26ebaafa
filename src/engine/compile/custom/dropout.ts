// Dropout, SpatialDropout1D and SpatialDropout2D with reproducible masks. TF.js's own Dropout
// draws the SAME mask on every call when given a seed, and uses Math.random without one; here
// each call's mask is seeded from (the layer's name, the run's seed, the training step, the
// call within that step), so a seeded run repeats exactly and a resumed one continues exactly,
// even in a model compiled afresh with other initial weights.
import * as tf from '@tensorflow/tfjs';
import { hash32 } from '../seed.js';

/** Which entries share a keep/drop decision: none, a channel across steps, a channel across a feature map. */
export type DropoutNoise = 'elementwise' | 'channels1d' | 'channels2d';

export interface DropoutArgs extends tf.serialization.ConfigDict {
  rate: number;
  noise: DropoutNoise;
}

function noiseShape(x: tf.Tensor, noise: DropoutNoise): number[] | undefined {
  switch (noise) {
    case 'elementwise':
      return undefined;
    case 'channels1d':
      return [x.shape[0]!, 1, x.shape[2]!]; // [B, 1, C]
    case 'channels2d':
      return [x.shape[0]!, 1, 1, x.shape[3]!]; // [B, 1, 1, C]
    default: {
      const never: never = noise;
      throw new Error(`unknown dropout noise ${String(never)}`);
    }
  }
}

/**
 * Per-call mask seeds for one layer: a function of (salt, run seed, step, call within the
 * step). Every layer that drops anything holds one, so a seeded run repeats exactly.
 */
export class MaskSeeds {
  private runSeed = 0;
  private step = 0;
  private calls = 0;
  constructor(private readonly salt: number) {}

  setStep(runSeed: number, step: number): void {
    this.runSeed = runSeed;
    this.step = step;
    this.calls = 0;
  }

  next(): number {
    return hash32(`${this.salt}|${this.runSeed}|${this.step}|${this.calls++}`);
  }
}

/** A layer whose random masks the trainer points at a step (see setDropoutStep). */
export interface StepSeeded {
  setStep(runSeed: number, step: number): void;
}

const isStepSeeded = (layer: unknown): layer is StepSeeded => typeof (layer as Partial<StepSeeded>).setStep === 'function';

export class DropoutLayer extends tf.layers.Layer implements StepSeeded {
  static readonly className = 'NFDropout';
  private readonly args: DropoutArgs;
  /** Salted with the layer's name (the node id), so two Dropout layers draw different masks. */
  private readonly masks: MaskSeeds;

  constructor(args: DropoutArgs & { name?: string }) {
    super({ name: args.name });
    this.args = { rate: args.rate, noise: args.noise };
    this.masks = new MaskSeeds(hash32(this.name));
  }

  /**
   * The trainer calls this before every forward pass. Without it each call still draws a new
   * mask (the call counter advances), deterministically from the layer's seed.
   */
  setStep(runSeed: number, step: number): void {
    this.masks.setStep(runSeed, step);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const { rate, noise } = this.args;
    if (!kwargs['training'] || rate === 0) return x;
    const maskSeed = this.masks.next();
    return tf.tidy(() => tf.dropout(x, rate, noiseShape(x, noise), maskSeed));
  }

  override computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return shape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.args };
  }
}

/**
 * Points every dropout layer of `model` at one training step: masks become a function of
 * (runSeed, step). Returns how many layers it set.
 * @example setDropoutStep(model, config.seed, microStep); model.apply(x, { training: true })
 */
export function setDropoutStep(model: tf.LayersModel, runSeed: number, step: number): number {
  let n = 0;
  for (const layer of model.layers) {
    if (isStepSeeded(layer)) {
      layer.setStep(runSeed, step);
      n++;
    }
  }
  return n;
}
