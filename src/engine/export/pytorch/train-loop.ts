// train.py's loop: seeded shuffles, optimizer steps (with gradient accumulation, L2 and
// clipping when the project uses them), per-epoch loss and metrics, validation and early
// stopping, as NeuralForge's trainer (src/engine/train/step.ts, trainer.ts) runs them.
import type { ResolvedTrainingConfig } from '../../train/config.js';
import { pyFloat } from '../python-code.js';

const TOTALS = `class Totals:
    """An epoch's loss and metric sums, and how many items each counted."""

    def __init__(self):
        self.loss, self.samples, self.sums, self.counts = 0.0, 0, {}, {}

    def add(self, output, target, loss):
        self.loss += loss * len(target)
        self.samples += len(target)
        for name, (total, count) in metrics(output, target).items():
            self.sums[name] = self.sums.get(name, 0.0) + total
            self.counts[name] = self.counts.get(name, 0) + count

    def result(self, prefix=''):
        """{'loss': …, 'accuracy': …}, or with prefix 'val' {'valLoss': …}: NeuralForge's names."""
        named = lambda name: prefix + name[0].upper() + name[1:] if prefix else name
        values = {'loss': self.loss / self.samples, **{k: self.sums[k] / self.counts[k] for k in self.sums}}
        return {named(k): v for k, v in values.items()}`;

const EVALUATE = `@torch.no_grad()
def evaluate(model, data):
    """Loss and metrics over data, in evaluation mode (no dropout, running batch-norm statistics)."""
    model.eval()
    x, y = data
    totals = Totals()
    for batch in torch.arange(len(x)).split(BATCH_SIZE):
        output = model(x[batch])
        totals.add(output, y[batch], loss_fn(output, y[batch]).item())
    return totals`;

const L2 = `def add_l2_gradient(model):
    """The gradient of L2 · Σw² over matrices and kernels (not biases or normalisation scales)."""
    for p in model.parameters():
        if p.grad is not None and p.dim() >= 2:
            p.grad.add_(p.detach(), alpha=2 * L2)`;

const CLIP = `def clip_gradients(model):
    """Scales all gradients by CLIP_NORM / max(norm, CLIP_NORM), the norm taken over all of them."""
    grads = [p.grad for p in model.parameters() if p.grad is not None]
    norm = torch.sqrt(sum((g ** 2).sum() for g in grads))
    for g in grads:
        g.mul_(CLIP_NORM / torch.clamp(norm, min=CLIP_NORM))`;

/** Optional pieces of the loop, from the configuration. */
interface LoopFeatures {
  readonly schedule: boolean;
  readonly l2: boolean;
  readonly clip: boolean;
  readonly accumulate: boolean;
  readonly validation: boolean;
  readonly earlyStopping: ResolvedTrainingConfig['earlyStopping'];
}

/** Which optional pieces a configuration needs (`schedule`: whether the rate changes). */
export const loopFeatures = (c: ResolvedTrainingConfig, schedule: boolean): LoopFeatures => ({
  schedule,
  l2: c.l2 > 0,
  clip: c.clipNorm !== null,
  accumulate: c.accumulationSteps > 1,
  validation: c.validationSplit > 0,
  earlyStopping: c.earlyStopping,
});

/** The statements of one optimizer step, after the gradients are in. */
function stepLines(f: LoopFeatures): string[] {
  return [
    ...(f.l2 ? ['add_l2_gradient(model)'] : []),
    ...(f.clip ? ['clip_gradients(model)'] : []),
    ...(f.schedule ? ['for param_group in optimizer.param_groups:', "    param_group['lr'] = learning_rate(step, epoch, total_steps)"] : []),
    'optimizer.step()',
    ...(f.schedule ? ['step += 1'] : []),
  ];
}

function epochLines(f: LoopFeatures): string[] {
  const order = 'torch.from_numpy(rng.permutation(len(x)))';
  if (!f.accumulate)
    return [
      `for batch in ${order}.split(BATCH_SIZE):`,
      '    optimizer.zero_grad()',
      '    output = model(x[batch])',
      '    loss = loss_fn(output, y[batch])',
      '    loss.backward()',
      ...stepLines(f).map((l) => `    ${l}`),
      '    totals.add(output.detach(), y[batch], loss.item())',
    ];
  return [
    `micro_batches = ${order}.split(BATCH_SIZE)`,
    'for first in range(0, len(micro_batches), ACCUMULATION_STEPS):',
    '    group = micro_batches[first:first + ACCUMULATION_STEPS]',
    '    samples = sum(len(batch) for batch in group)',
    '    optimizer.zero_grad()',
    '    for batch in group:',
    '        output = model(x[batch])',
    '        loss = loss_fn(output, y[batch])',
    '        (loss * len(batch) / samples).backward()  # the group\'s gradient is a mean over its samples',
    '        totals.add(output.detach(), y[batch], loss.item())',
    ...stepLines(f).map((l) => `    ${l}`),
  ];
}

function earlyStoppingLines(e: NonNullable<LoopFeatures['earlyStopping']>): { before: string[]; after: string[]; end: string[] } {
  const delta = e.minDelta > 0 ? (e.mode === 'min' ? ` - ${pyFloat(e.minDelta)}` : ` + ${pyFloat(e.minDelta)}`) : '';
  const better = `value ${e.mode === 'min' ? '<' : '>'} best${delta}`;
  return {
    before: ['best, wait = None, 0', ...(e.restoreBestWeights ? ['best_state = None'] : [])],
    after: [
      `value = record['${e.monitor}']`,
      `if value == value and (best is None or ${better}):  # NaN never improves`,
      '    best, wait = value, 0',
      ...(e.restoreBestWeights ? ['    best_state = copy.deepcopy(model.state_dict())'] : []),
      'else:',
      '    wait += 1',
      `    if wait >= ${e.patience}:`,
      `        print(f'early stop: ${e.monitor} has not improved for ${e.patience} epochs (best {best:.4f})')`,
      '        break',
    ],
    end: e.restoreBestWeights ? ['if best_state is not None:', '    model.load_state_dict(best_state)'] : [],
  };
}

/** `fit(model, train, validation, epochs)` and what it calls. */
export function loopSource(f: LoopFeatures): { source: string; imports: string[] } {
  const es = f.earlyStopping ? earlyStoppingLines(f.earlyStopping) : { before: [], after: [], end: [] };
  const steps = f.accumulate ? 'math.ceil(math.ceil(len(x) / BATCH_SIZE) / ACCUMULATION_STEPS)' : 'math.ceil(len(x) / BATCH_SIZE)';
  const fit = [
    `def fit(model, train, ${f.validation ? 'validation, ' : ''}epochs):`,
    `    """Trains in place; one record per epoch: loss and metrics${f.validation ? ', and the same on validation data' : ''}."""`,
    '    optimizer = make_optimizer(model)',
    '    rng = np.random.default_rng(SEED)',
    '    x, y = train',
    ...(f.schedule ? [`    total_steps = ${steps} * epochs`, '    step = 0'] : []),
    ...es.before.map((l) => `    ${l}`),
    '    history = []',
    '    for epoch in range(epochs):',
    '        model.train()',
    '        totals = Totals()',
    ...epochLines(f).map((l) => `        ${l}`),
    '        record = totals.result()',
    ...(f.validation ? ['        record.update(evaluate(model, validation).result(\'val\'))'] : []),
    '        history.append(record)',
    "        print(f'epoch {epoch + 1}/{epochs}  ' + '  '.join(f'{name} {value:.4f}' for name, value in record.items()), flush=True)",
    ...es.after.map((l) => `        ${l}`),
    ...es.end.map((l) => `    ${l}`),
    '    return history',
  ].join('\n');
  const parts = [TOTALS, EVALUATE, ...(f.l2 ? [L2] : []), ...(f.clip ? [CLIP] : []), fit];
  const imports = [...(f.schedule ? ['math'] : []), ...(f.earlyStopping?.restoreBestWeights ? ['copy'] : [])];
  return { source: parts.join('\n\n\n'), imports };
}
