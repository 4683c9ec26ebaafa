// train.py's optimizer and learning-rate schedule. PyTorch's optimizers compute the same
// updates as NeuralForge's (src/engine/train/optimizers.ts follows PyTorch's formulas); the
// schedule is learningRateAt (schedules.ts) in Python.
import type { ResolvedOptimizer, ResolvedSchedule } from '../../train/config.js';
import { pyBool, pyFloat } from '../python-code.js';

/** `make_optimizer(model)` for the resolved optimizer, with Keras's epsilon unless the project sets one. */
export function optimizerSource(o: ResolvedOptimizer): string {
  const lr = `lr=${pyFloat(o.learningRate)}`;
  const head = ['def make_optimizer(model):'];
  const params = '    params = [p for p in model.parameters() if p.requires_grad]';
  switch (o.name) {
    case 'sgd': {
      const momentum = o.momentum > 0 ? `, momentum=${pyFloat(o.momentum)}${o.nesterov ? ', nesterov=True' : ''}` : '';
      return [...head, params, `    return torch.optim.SGD(params, ${lr}${momentum})`].join('\n');
    }
    case 'adam':
      return [...head, params, `    return torch.optim.Adam(params, ${lr}, betas=(${pyFloat(o.beta1)}, ${pyFloat(o.beta2)}), eps=${pyFloat(o.epsilon)})`].join('\n');
    case 'adamw':
      return [
        ...head,
        '    # Decay only matrices and kernels, as NeuralForge does: not biases or normalisation scales.',
        '    params = [p for p in model.parameters() if p.requires_grad]',
        '    groups = [',
        `        {'params': [p for p in params if p.dim() >= 2], 'weight_decay': ${pyFloat(o.weightDecay)}},`,
        "        {'params': [p for p in params if p.dim() < 2], 'weight_decay': 0.0},",
        '    ]',
        `    return torch.optim.AdamW(groups, ${lr}, betas=(${pyFloat(o.beta1)}, ${pyFloat(o.beta2)}), eps=${pyFloat(o.epsilon)})`,
      ].join('\n');
    case 'rmsprop': {
      const extra = `${o.momentum > 0 ? `, momentum=${pyFloat(o.momentum)}` : ''}${o.centered ? `, centered=${pyBool(true)}` : ''}`;
      return [...head, params, `    return torch.optim.RMSprop(params, ${lr}, alpha=${pyFloat(o.rho)}, eps=${pyFloat(o.epsilon)}${extra})`].join('\n');
    }
    case 'adagrad':
      return [...head, params, `    return torch.optim.Adagrad(params, ${lr}, eps=${pyFloat(o.epsilon)})`].join('\n');
    default: {
      const never: never = o;
      throw new Error(`unhandled optimizer ${JSON.stringify(never)}`);
    }
  }
}

const COSINE_ANNEAL = `def cosine_anneal(start, end, pct):
    """Cosine from start (pct 0) to end (pct 1), as PyTorch's OneCycleLR."""
    return end + (start - end) / 2 * (1 + math.cos(math.pi * min(1.0, max(0.0, pct))))`;

/**
 * `learning_rate(step, epoch, total_steps)` for a schedule, or null for a constant rate.
 * `step` counts optimizer steps taken, `epoch` completed epochs.
 */
export function scheduleSource(s: ResolvedSchedule, base: number): string | null {
  const lr = pyFloat(base);
  const head = (doc: string) => ['def learning_rate(step, epoch, total_steps):', `    """${doc}"""`];
  switch (s.name) {
    case 'constant':
      return null;
    case 'step': {
      const t = s.unit === 'epoch' ? 'epoch' : 'step';
      return [...head(`${lr} × ${s.gamma} every ${s.stepSize} ${t}s.`), `    return ${lr} * ${pyFloat(s.gamma)} ** (${t} // ${s.stepSize})`].join('\n');
    }
    case 'exponential': {
      const t = s.unit === 'epoch' ? 'epoch' : 'step';
      return [...head(`${lr} × ${s.gamma} per ${t}.`), `    return ${lr} * ${pyFloat(s.gamma)} ** ${t}`].join('\n');
    }
    case 'cosine': {
      const total = s.totalSteps === null ? 'total_steps' : String(s.totalSteps);
      const warm = s.warmupSteps;
      return [
        COSINE_ANNEAL,
        '',
        '',
        ...head(`${warm > 0 ? `Linear warm-up over ${warm} steps, then cosine` : 'Cosine'} from ${lr} down to ${s.minLearningRate}.`),
        ...(warm > 0 ? [`    if step < ${warm}:`, `        return ${lr} * (step + 1) / ${warm}`] : []),
        `    return cosine_anneal(${lr}, ${pyFloat(s.minLearningRate)}, (step - ${warm}) / max(1, ${total} - ${warm}))`,
      ].join('\n');
    }
    case 'oneCycle': {
      const total = s.totalSteps === null ? 'total_steps' : String(s.totalSteps);
      return [
        COSINE_ANNEAL,
        '',
        '',
        ...head(`One cycle: up from ${lr}/${s.divFactor} to ${lr} over ${s.pctStart * 100}% of the steps, then down to ${lr}/${s.divFactor * s.finalDivFactor}.`),
        `    initial = ${lr} / ${pyFloat(s.divFactor)}`,
        `    peak = ${pyFloat(s.pctStart)} * ${total} - 1`,
        '    if step <= peak:',
        `        return cosine_anneal(initial, ${lr}, step / peak if peak > 0 else 1.0)`,
        '    start = max(0.0, peak)',
        `    return cosine_anneal(${lr}, initial / ${pyFloat(s.finalDivFactor)}, (step - start) / max(1e-12, ${total} - 1 - start))`,
      ].join('\n');
    }
    default: {
      const never: never = s;
      throw new Error(`unhandled schedule ${JSON.stringify(never)}`);
    }
  }
}
