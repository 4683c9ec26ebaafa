// The optimizers, written out rather than taken from tf.train: one formula each (PyTorch's,
// which textbooks follow), the learning rate passed per step so schedules need no mutation,
// and every piece of state a named variable a checkpoint can save and restore.
//   sgd      b ← μb + g;  w ← w − lr·(nesterov ? g + μb : b)            (μ = 0: w ← w − lr·g)
//   adam     m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  w ← w − lr·m̂ / (√v̂ + ε),  m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)
//   adamw    w ← w − lr·wd·w (decayed weights only), then the Adam update: decoupled from the gradient
//   rmsprop  v ← ρv + (1−ρ)g²;  centered: a ← ρa + (1−ρ)g, v̄ = v − a²;  d = g / (√v̄ + ε);
//            momentum: b ← μb + d, w ← w − lr·b;  else w ← w − lr·d
//   adagrad  s ← s + g²;  w ← w − lr·g / (√s + ε)
import * as tf from '@tensorflow/tfjs';
import type { ResolvedOptimizer } from './config.js';

export interface TrainableParam {
  /** Stable across a fresh compile of the same graph (the layer's weight name), for checkpoints. */
  readonly key: string;
  readonly variable: tf.Variable;
  /** Whether weight decay and L2 apply: matrices and embeddings yes, biases and norm scales no. */
  readonly decay: boolean;
}

export interface OptimizerSlot {
  /** `${param key}/${slot}`, e.g. `dense1/kernel/m`. */
  readonly key: string;
  readonly variable: tf.Variable;
}

export interface Optimizer {
  readonly config: ResolvedOptimizer;
  /** Updates applied so far: Adam's t is iterations + 1 during the next update. */
  iterations: number;
  readonly slots: readonly OptimizerSlot[];
  /** One update of every param; `grads[i]` belongs to `params[i]`. */
  apply(grads: readonly tf.Tensor[], learningRate: number): void;
  dispose(): void;
}

interface Step {
  readonly w: tf.Variable;
  readonly g: tf.Tensor;
  readonly s: readonly tf.Variable[];
  readonly lr: number;
  /** 1-based update count. */
  readonly t: number;
  readonly decay: boolean;
}

interface Rule {
  readonly slots: readonly string[];
  readonly update: (p: Step) => void;
}

/** Weights get decay when they are matrices or more (nanoGPT's grouping): not biases, not norm scales. */
export const decays = (v: tf.Variable): boolean => v.shape.length >= 2;

function rule(c: ResolvedOptimizer): Rule {
  switch (c.name) {
    case 'sgd': {
      const { momentum: mu, nesterov } = c;
      if (mu === 0) return { slots: [], update: ({ w, g, lr }) => w.assign(tf.sub(w, tf.mul(lr, g))) };
      return {
        slots: ['momentum'],
        update: ({ w, g, s, lr }) => {
          const b = tf.add(tf.mul(mu, s[0]!), g);
          s[0]!.assign(b);
          w.assign(tf.sub(w, tf.mul(lr, nesterov ? tf.add(g, tf.mul(mu, b)) : b)));
        },
      };
    }
    case 'adam':
    case 'adamw': {
      const { beta1, beta2, epsilon } = c;
      const weightDecay = c.name === 'adamw' ? c.weightDecay : 0;
      return {
        slots: ['m', 'v'],
        update: ({ w, g, s, lr, t, decay }) => {
          const m = tf.add(tf.mul(beta1, s[0]!), tf.mul(1 - beta1, g));
          const v = tf.add(tf.mul(beta2, s[1]!), tf.mul(1 - beta2, tf.square(g)));
          s[0]!.assign(m);
          s[1]!.assign(v);
          const step = tf.div(tf.div(m, 1 - beta1 ** t), tf.add(tf.sqrt(tf.div(v, 1 - beta2 ** t)), epsilon));
          const decayed = decay && weightDecay > 0 ? tf.mul(w, 1 - lr * weightDecay) : w;
          w.assign(tf.sub(decayed, tf.mul(lr, step)));
        },
      };
    }
    case 'rmsprop': {
      const { rho, momentum: mu, epsilon, centered } = c;
      const slots = ['meanSquare', ...(centered ? ['meanGrad'] : []), ...(mu > 0 ? ['momentum'] : [])];
      return {
        slots,
        update: ({ w, g, s, lr }) => {
          const v = tf.add(tf.mul(rho, s[0]!), tf.mul(1 - rho, tf.square(g)));
          s[0]!.assign(v);
          let variance: tf.Tensor = v;
          if (centered) {
            const a = tf.add(tf.mul(rho, s[1]!), tf.mul(1 - rho, g));
            s[1]!.assign(a);
            variance = tf.relu(tf.sub(v, tf.square(a))); // rounding can make v − a² slightly negative
          }
          const d = tf.div(g, tf.add(tf.sqrt(variance), epsilon));
          if (mu > 0) {
            const slot = s[s.length - 1]!;
            const b = tf.add(tf.mul(mu, slot), d);
            slot.assign(b);
            w.assign(tf.sub(w, tf.mul(lr, b)));
          } else w.assign(tf.sub(w, tf.mul(lr, d)));
        },
      };
    }
    case 'adagrad': {
      const { epsilon } = c;
      return {
        slots: ['accumulator'],
        update: ({ w, g, s, lr }) => {
          const acc = tf.add(s[0]!, tf.square(g));
          s[0]!.assign(acc);
          w.assign(tf.sub(w, tf.mul(lr, tf.div(g, tf.add(tf.sqrt(acc), epsilon)))));
        },
      };
    }
    default: {
      const never: never = c;
      throw new Error(`unknown optimizer ${JSON.stringify(never)}`);
    }
  }
}

/**
 * An optimizer over `params`, with its state created up front (zeros), so memory is flat from the first step.
 * @example
 * const opt = createOptimizer({ name: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true }, params);
 * opt.apply(grads, 0.1);
 */
export function createOptimizer(config: ResolvedOptimizer, params: readonly TrainableParam[]): Optimizer {
  const r = rule(config);
  const perParam = params.map((p) => r.slots.map((name) => ({ key: `${p.key}/${name}`, variable: tf.tidy(() => tf.variable(tf.zerosLike(p.variable), false)) })));
  return {
    config,
    iterations: 0,
    slots: perParam.flat(),
    apply(grads, learningRate) {
      if (grads.length !== params.length) throw new Error(`expected ${params.length} gradients, got ${grads.length}`);
      const t = this.iterations + 1;
      tf.tidy(() => {
        params.forEach((p, i) => r.update({ w: p.variable, g: grads[i]!, s: perParam[i]!.map((x) => x.variable), lr: learningRate, t, decay: p.decay }));
      });
      this.iterations = t;
    },
    dispose() {
      for (const s of perParam.flat()) s.variable.dispose();
    },
  };
}
