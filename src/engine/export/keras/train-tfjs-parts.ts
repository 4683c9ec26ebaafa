// The configurable parts of train_tfjs.mjs, as JavaScript: the loss (NeuralForge's, see
// train/losses.ts), the metrics, the optimizer's update rule (train/optimizers.ts) and the
// learning-rate schedule (train/schedules.ts). Only the project's own choices are written.
import type { LossName, MetricSpec, ResolvedOptimizer, ResolvedSchedule } from '../../train/config.js';
import type { OutputActivation } from '../../train/losses.js';
import { accuracyKind } from '../../train/metrics.js';

const num = (v: number): string => String(v);

/** `function loss(y, p)` returning a scalar mean. */
export function jsLoss(loss: LossName, output: OutputActivation): string {
  const probs = output !== 'linear';
  // Probabilities are renormalised and clipped to [ε, 1 − ε] before the log, as Keras does.
  const logp = probs ? 'tf.log(tf.clipByValue(tf.div(p, tf.sum(p, -1, true)), CLIP_EPSILON, 1 - CLIP_EPSILON))' : 'tf.logSoftmax(p)';
  switch (loss) {
    case 'sparseCategoricalCrossentropy':
    case 'nextTokenCrossentropy':
      return `/** Cross-entropy of class ids${loss === 'nextTokenCrossentropy' ? ' (the next token at every position)' : ''}. */
function loss(y, p) {
  const classes = p.shape[p.shape.length - 1];
  const logp = tf.reshape(${logp}, [-1, classes]);
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(tf.reshape(tf.cast(y, 'int32'), [-1]), classes), logp), -1)));
}`;
    case 'categoricalCrossentropy':
      return `/** Cross-entropy of one-hot targets. */
function loss(y, p) {
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.reshape(y, p.shape), ${logp}), -1)));
}`;
    case 'binaryCrossentropy':
      return probs
        ? `/** Binary cross-entropy of probabilities, clipped to [ε, 1 − ε] as Keras does. */
function loss(y, p) {
  const t = tf.reshape(y, p.shape);
  const q = tf.clipByValue(p, CLIP_EPSILON, 1 - CLIP_EPSILON);
  return tf.neg(tf.mean(tf.add(tf.mul(t, tf.log(q)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, q))))));
}`
        : `/** Binary cross-entropy of logits: max(z, 0) − z·y + log(1 + e^−|z|). */
function loss(y, p) {
  const t = tf.reshape(y, p.shape);
  return tf.mean(tf.add(tf.sub(tf.relu(p), tf.mul(p, t)), tf.log1p(tf.exp(tf.neg(tf.abs(p))))));
}`;
    case 'meanSquaredError':
      return 'function loss(y, p) {\n  return tf.mean(tf.square(tf.sub(tf.reshape(y, p.shape), p)));\n}';
    case 'meanAbsoluteError':
      return 'function loss(y, p) {\n  return tf.mean(tf.abs(tf.sub(tf.reshape(y, p.shape), p)));\n}';
    case 'huber':
      return `/** Huber loss, delta 1. */
function loss(y, p) {
  const a = tf.abs(tf.sub(tf.reshape(y, p.shape), p));
  const q = tf.minimum(a, 1);
  return tf.mean(tf.add(tf.mul(0.5, tf.square(q)), tf.sub(a, q)));
}`;
    default: {
      const never: never = loss;
      throw new Error(`unhandled loss ${String(never)}`);
    }
  }
}

/** `const METRICS = { name: (y, p) => [sum tensor, count] }`. */
export function jsMetrics(metrics: readonly MetricSpec[], loss: LossName, output: OutputActivation, lastDim: number): string {
  const kind = accuracyKind(loss, lastDim);
  const ids = kind === 'sparse' ? "tf.reshape(tf.cast(y, 'int32'), [-1])" : 'tf.argMax(tf.reshape(y, [-1, p.shape[p.shape.length - 1]]), -1)';
  const entries = metrics.map((m) => {
    switch (m.kind) {
      case 'accuracy':
        if (kind === 'binary')
          return `  ${m.name}: (y, p) => [tf.sum(tf.cast(tf.equal(tf.greater(p, ${output === 'linear' ? 0 : 0.5}), tf.greater(tf.reshape(y, p.shape), 0.5)), 'float32')), p.size],`;
        return `  ${m.name}: (y, p) => [tf.sum(tf.cast(tf.equal(tf.argMax(tf.reshape(p, [-1, p.shape[p.shape.length - 1]]), -1), ${ids}), 'float32')), p.size / p.shape[p.shape.length - 1]],`;
      case 'topKAccuracy':
        return `  ${m.name}: (y, p) => {
    const classes = p.shape[p.shape.length - 1];
    const scores = tf.reshape(p, [-1, classes]);
    const truth = tf.sum(tf.mul(scores, tf.oneHot(${ids}, classes)), -1, true);
    return [tf.sum(tf.cast(tf.less(tf.sum(tf.cast(tf.greater(scores, truth), 'float32'), -1), ${m.k}), 'float32')), p.size / classes];
  },`;
      case 'meanAbsoluteError':
        return `  ${m.name}: (y, p) => [tf.sum(tf.abs(tf.sub(tf.reshape(y, p.shape), p))), p.size],`;
      default: {
        const never: never = m;
        throw new Error(`unhandled metric ${JSON.stringify(never)}`);
      }
    }
  });
  return `/** Each metric as [sum over the batch, items counted], so an epoch's value is Σ sums / Σ counts. */\nconst METRICS = {\n${entries.join('\n')}\n};`;
}

/** `function makeOptimizer(weights)` returning `(grads, learningRate) => void`, NeuralForge's formulas. */
export function jsOptimizer(o: ResolvedOptimizer): string {
  const slots = (names: readonly string[]) =>
    `  const slots = weights.map((w) => ({ ${names.map((n) => `${n}: tf.variable(tf.zerosLike(w), false)`).join(', ')} }));`;
  const head = (doc: string, names: readonly string[]) => [`/** ${doc} */`, 'function makeOptimizer(weights) {', ...(names.length ? [slots(names)] : [])];
  const apply = (body: readonly string[], t = false) => [
    ...(t ? ['  let t = 0;'] : []),
    '  return (grads, lr) => {',
    ...(t ? ['    t += 1;'] : []),
    '    tf.tidy(() => weights.forEach((w, i) => {',
    '      const g = grads[i];',
    ...body.map((l) => `      ${l}`),
    '    }));',
    '  };',
    '}',
  ];
  switch (o.name) {
    case 'sgd': {
      if (o.momentum === 0) return [...head('SGD: w ← w − lr·g.', []), ...apply(['w.assign(tf.sub(w, tf.mul(lr, g)));'])].join('\n');
      const step = o.nesterov ? 'tf.add(g, tf.mul(MOMENTUM, b))' : 'b';
      return [
        `const MOMENTUM = ${num(o.momentum)};`,
        '',
        ...head(`SGD with${o.nesterov ? ' Nesterov' : ''} momentum: b ← μb + g; w ← w − lr·${o.nesterov ? '(g + μb)' : 'b'}.`, ['b']),
        ...apply(['const b = tf.add(tf.mul(MOMENTUM, slots[i].b), g);', 'slots[i].b.assign(b);', `w.assign(tf.sub(w, tf.mul(lr, ${step})));`]),
      ].join('\n');
    }
    case 'adam':
    case 'adamw': {
      const decay = o.name === 'adamw' && o.weightDecay > 0;
      return [
        `const [BETA1, BETA2, EPSILON] = [${num(o.beta1)}, ${num(o.beta2)}, ${num(o.epsilon)}];`,
        ...(decay ? [`const WEIGHT_DECAY = ${num(o.weightDecay)}; // decoupled, on matrices and kernels only`] : []),
        '',
        ...head(`${o.name === 'adamw' ? 'AdamW' : 'Adam'}: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; w ← w − lr·m̂ / (√v̂ + ε).`, ['m', 'v']),
        ...apply([
          'const m = tf.add(tf.mul(BETA1, slots[i].m), tf.mul(1 - BETA1, g));',
          'const v = tf.add(tf.mul(BETA2, slots[i].v), tf.mul(1 - BETA2, tf.square(g)));',
          'slots[i].m.assign(m);',
          'slots[i].v.assign(v);',
          'const step = tf.div(tf.div(m, 1 - BETA1 ** t), tf.add(tf.sqrt(tf.div(v, 1 - BETA2 ** t)), EPSILON));',
          ...(decay ? ['const decayed = w.rank >= 2 ? tf.mul(w, 1 - lr * WEIGHT_DECAY) : w;', 'w.assign(tf.sub(decayed, tf.mul(lr, step)));'] : ['w.assign(tf.sub(w, tf.mul(lr, step)));']),
        ], true),
      ].join('\n');
    }
    case 'rmsprop': {
      const state = ['s', ...(o.centered ? ['a'] : []), ...(o.momentum > 0 ? ['b'] : [])];
      return [
        `const [RHO, EPSILON${o.momentum > 0 ? ', MOMENTUM' : ''}] = [${num(o.rho)}, ${num(o.epsilon)}${o.momentum > 0 ? `, ${num(o.momentum)}` : ''}];`,
        '',
        ...head(`RMSprop${o.centered ? ' (centered)' : ''}: s ← ρs + (1−ρ)g²; d = g / (√s̄ + ε).`, state),
        ...apply([
          'const s = tf.add(tf.mul(RHO, slots[i].s), tf.mul(1 - RHO, tf.square(g)));',
          'slots[i].s.assign(s);',
          ...(o.centered
            ? ['const a = tf.add(tf.mul(RHO, slots[i].a), tf.mul(1 - RHO, g));', 'slots[i].a.assign(a);', 'const d = tf.div(g, tf.add(tf.sqrt(tf.relu(tf.sub(s, tf.square(a)))), EPSILON));']
            : ['const d = tf.div(g, tf.add(tf.sqrt(s), EPSILON));']),
          ...(o.momentum > 0
            ? ['const b = tf.add(tf.mul(MOMENTUM, slots[i].b), d);', 'slots[i].b.assign(b);', 'w.assign(tf.sub(w, tf.mul(lr, b)));']
            : ['w.assign(tf.sub(w, tf.mul(lr, d)));']),
        ]),
      ].join('\n');
    }
    case 'adagrad':
      return [
        `const EPSILON = ${num(o.epsilon)};`,
        '',
        ...head('Adagrad: s ← s + g²; w ← w − lr·g / (√s + ε).', ['s']),
        ...apply(['const s = tf.add(slots[i].s, tf.square(g));', 'slots[i].s.assign(s);', 'w.assign(tf.sub(w, tf.mul(lr, tf.div(g, tf.add(tf.sqrt(s), EPSILON)))));']),
      ].join('\n');
    default: {
      const never: never = o;
      throw new Error(`unhandled optimizer ${JSON.stringify(never)}`);
    }
  }
}

/** `function learningRate(step, epoch, totalSteps)`; step = optimizer steps taken, epoch = epochs completed. */
export function jsSchedule(s: ResolvedSchedule, base: number): string {
  const lr = num(base);
  const cosine = 'const cosineAnneal = (start, end, pct) => end + ((start - end) / 2) * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, pct))));';
  switch (s.name) {
    case 'constant':
      return `const learningRate = () => ${lr};`;
    case 'step':
      return `const learningRate = (step, epoch) => ${lr} * ${num(s.gamma)} ** Math.floor(${s.unit} / ${s.stepSize});`;
    case 'exponential':
      return `const learningRate = (step, epoch) => ${lr} * ${num(s.gamma)} ** ${s.unit};`;
    case 'cosine': {
      const total = s.totalSteps === null ? 'totalSteps' : String(s.totalSteps);
      return [
        cosine,
        'function learningRate(step, epoch, totalSteps) {',
        ...(s.warmupSteps > 0 ? [`  if (step < ${s.warmupSteps}) return (${lr} * (step + 1)) / ${s.warmupSteps};`] : []),
        `  return cosineAnneal(${lr}, ${num(s.minLearningRate)}, (step - ${s.warmupSteps}) / Math.max(1, ${total} - ${s.warmupSteps}));`,
        '}',
      ].join('\n');
    }
    case 'oneCycle': {
      const total = s.totalSteps === null ? 'totalSteps' : String(s.totalSteps);
      return [
        cosine,
        'function learningRate(step, epoch, totalSteps) {',
        `  const initial = ${lr} / ${num(s.divFactor)};`,
        `  const peak = ${num(s.pctStart)} * ${total} - 1;`,
        `  if (step <= peak) return cosineAnneal(initial, ${lr}, peak > 0 ? step / peak : 1);`,
        '  const start = Math.max(0, peak);',
        `  return cosineAnneal(${lr}, initial / ${num(s.finalDivFactor)}, (step - start) / Math.max(1e-12, ${total} - 1 - start));`,
        '}',
      ].join('\n');
    }
    default: {
      const never: never = s;
      throw new Error(`unhandled schedule ${JSON.stringify(never)}`);
    }
  }
}
