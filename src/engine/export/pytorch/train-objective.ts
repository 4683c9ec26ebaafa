// train.py's loss and metrics, written as NeuralForge computes them (src/engine/train/losses.ts,
// metrics.ts): softmax/sigmoid outputs are probabilities clipped to [ε, 1 − ε] before the log
// (Keras's rule), other outputs are logits; metrics are sums and counts per batch.
import type { LossName, MetricSpec } from '../../train/config.js';
import type { OutputActivation } from '../../train/losses.js';
import { accuracyKind } from '../../train/metrics.js';

function lossBody(loss: LossName, output: OutputActivation): { doc: string; body: string[] } {
  const logits = output === 'linear';
  switch (loss) {
    case 'sparseCategoricalCrossentropy':
    case 'nextTokenCrossentropy': {
      const doc = loss === 'nextTokenCrossentropy' ? 'Cross-entropy of the next token at every position' : 'Cross-entropy of class ids';
      if (logits) return { doc: `${doc}, from logits.`, body: ['return F.cross_entropy(output.reshape(-1, output.shape[-1]), target.reshape(-1))'] };
      return {
        doc: `${doc}, from probabilities (renormalised and clipped, as Keras does).`,
        body: ['p = (output / output.sum(-1, keepdim=True)).clamp(EPSILON, 1 - EPSILON)', 'return F.nll_loss(p.log().reshape(-1, p.shape[-1]), target.reshape(-1))'],
      };
    }
    case 'categoricalCrossentropy':
      if (logits) return { doc: 'Cross-entropy of one-hot targets, from logits.', body: ['return -(target.reshape(output.shape) * output.log_softmax(-1)).sum(-1).mean()'] };
      return {
        doc: 'Cross-entropy of one-hot targets, from probabilities (renormalised and clipped, as Keras does).',
        body: ['p = (output / output.sum(-1, keepdim=True)).clamp(EPSILON, 1 - EPSILON)', 'return -(target.reshape(output.shape) * p.log()).sum(-1).mean()'],
      };
    case 'binaryCrossentropy':
      if (logits) return { doc: 'Binary cross-entropy, from logits.', body: ['return F.binary_cross_entropy_with_logits(output, target.reshape(output.shape))'] };
      return {
        doc: 'Binary cross-entropy, from probabilities clipped to [ε, 1 − ε] as Keras does.',
        body: ['p = output.clamp(EPSILON, 1 - EPSILON)', 't = target.reshape(output.shape)', 'return -(t * p.log() + (1 - t) * (1 - p).log()).mean()'],
      };
    case 'meanSquaredError':
      return { doc: 'Mean squared error.', body: ['return F.mse_loss(output, target.reshape(output.shape))'] };
    case 'meanAbsoluteError':
      return { doc: 'Mean absolute error.', body: ['return F.l1_loss(output, target.reshape(output.shape))'] };
    case 'huber':
      return { doc: 'Huber loss with delta 1 (Keras\'s default).', body: ['return F.huber_loss(output, target.reshape(output.shape), delta=1.0)'] };
    default: {
      const never: never = loss;
      throw new Error(`unhandled loss ${String(never)}`);
    }
  }
}

/** One metric as `name: (sum, count)` lines; `ids` is the label's class ids when the metric compares classes. */
function metricLines(m: MetricSpec, loss: LossName, output: OutputActivation, lastDim: number): string[] {
  const key = `'${m.name}'`;
  switch (m.kind) {
    case 'accuracy': {
      const kind = accuracyKind(loss, lastDim);
      if (kind === 'binary') {
        const threshold = output === 'linear' ? '0' : '0.5'; // a logit of 0 is probability 0.5
        return [`${key}: (((output > ${threshold}) == (target.reshape(output.shape) > 0.5)).sum().item(), output.numel()),`];
      }
      return [`${key}: ((scores.argmax(-1) == ids).sum().item(), len(ids)),`];
    }
    case 'topKAccuracy':
      // Correct when fewer than k classes score strictly higher than the true one.
      return [`${key}: (((scores > scores.gather(1, ids[:, None])).sum(-1) < ${m.k}).sum().item(), len(ids)),`];
    case 'meanAbsoluteError':
      return [`${key}: ((output - target.reshape(output.shape)).abs().sum().item(), output.numel()),`];
    default: {
      const never: never = m;
      throw new Error(`unhandled metric ${JSON.stringify(never)}`);
    }
  }
}

/** Python source of `loss_fn(output, target)` and `metrics(output, target)`. */
export function objectiveSource(loss: LossName, output: OutputActivation, metrics: readonly MetricSpec[], lastDim: number): string {
  const { doc, body } = lossBody(loss, output);
  const clipped = body.some((l) => l.includes('EPSILON'));
  const lines = [
    ...(clipped ? ['EPSILON = 1e-7  # Keras\'s fuzz factor: probabilities stay inside [ε, 1 − ε] before a log', '', ''] : []),
    'def loss_fn(output, target):',
    `    """${doc}"""`,
    ...body.map((l) => `    ${l}`),
    '',
    '',
    'def metrics(output, target):',
    '    """Each metric as (sum, count) over the batch, so an epoch\'s value is Σ sums / Σ counts."""',
  ];
  const entries = metrics.flatMap((m) => metricLines(m, loss, output, lastDim));
  const usesIds = entries.some((e) => e.includes('ids'));
  if (usesIds) {
    const kind = accuracyKind(loss, lastDim);
    lines.push('    scores = output.reshape(-1, output.shape[-1])');
    lines.push(kind === 'sparse' ? '    ids = target.reshape(-1)' : '    ids = target.reshape(-1, output.shape[-1]).argmax(-1)');
  }
  lines.push(entries.length ? '    return {' : '    return {}');
  if (entries.length) lines.push(...entries.map((e) => `        ${e}`), '    }');
  return lines.join('\n');
}
