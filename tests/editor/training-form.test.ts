// The training form against its validators: every optimizer and schedule round-trips through the
// form unchanged, and every invalid field is refused at that field with the validator's own words
// (the project schema that parseProject applies, and resolveTrainingConfig).
import { describe, expect, it } from 'vitest';
import { trainingSchema } from '../../src/engine/project/schema.js';
import type { OptimizerConfig, ScheduleConfig, TrainingConfig } from '../../src/engine/project/types.js';
import { resolveTrainingConfig, TrainingConfigError } from '../../src/engine/train/config.js';
import { configFromForm, formFromConfig, withFlag, withNumber, type NumberField, type TrainingForm } from '../../src/editor/training/training-form.js';

const OPTIMIZERS: OptimizerConfig[] = [
  { name: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: true },
  { name: 'adam', learningRate: 0.002, beta1: 0.8, beta2: 0.99, epsilon: 1e-8 },
  { name: 'adamw', learningRate: 0.001, beta1: 0.9, beta2: 0.95, epsilon: 1e-6, weightDecay: 0.05 },
  { name: 'rmsprop', learningRate: 0.001, rho: 0.95, momentum: 0.5, epsilon: 1e-7, centered: true },
  { name: 'adagrad', learningRate: 0.1, epsilon: 1e-10 },
];
const SCHEDULES: ScheduleConfig[] = [
  { name: 'constant' },
  { name: 'step', stepSize: 3, gamma: 0.5, unit: 'step' },
  { name: 'exponential', gamma: 0.95, unit: 'epoch' },
  { name: 'cosine', warmupSteps: 100, minLearningRate: 1e-5, totalSteps: 5000 },
  { name: 'oneCycle', pctStart: 0.25, divFactor: 10, finalDivFactor: 1000, totalSteps: 800 },
];
const BASE: TrainingConfig = {
  loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy', 'top5Accuracy'], batchSize: 64, epochs: 3, seed: 7, validationSplit: 0.1,
  clipNorm: 1, accumulationSteps: 2, l2: 0.0001, earlyStopping: { monitor: 'valAccuracy', mode: 'max', patience: 2, minDelta: 0.001, restoreBestWeights: true },
};

/** What the project schema or resolveTrainingConfig says about `t` (the oracle's words). */
function validatorMessage(t: unknown): string {
  const r = trainingSchema.safeParse(t);
  if (!r.success) return r.error.issues[0]!.message;
  try {
    resolveTrainingConfig(r.data);
  } catch (e) {
    if (e instanceof TrainingConfigError) return e.issues[0]!.message;
    throw e;
  }
  throw new Error('the validators accept it');
}

describe('training form ⇄ config', () => {
  for (const optimizer of OPTIMIZERS)
    for (const schedule of SCHEDULES)
      it(`round-trips ${optimizer.name} with a ${schedule.name} schedule`, () => {
        const config: TrainingConfig = { ...BASE, optimizer, schedule };
        const r = configFromForm(formFromConfig(config));
        expect(r).toEqual({ ok: true, training: config });
        if (r.ok) expect(resolveTrainingConfig(r.training)).toEqual(resolveTrainingConfig(config));
      });

  it('writes only the chosen optimizer\'s fields (switching adam → sgd drops beta1)', () => {
    const f: TrainingForm = { ...formFromConfig({ ...BASE, optimizer: OPTIMIZERS[1] }), optimizer: 'sgd' };
    const r = configFromForm(withNumber(f, 'momentum', '0.9'));
    expect(r.ok && r.training.optimizer).toEqual({ name: 'sgd', learningRate: 0.002, momentum: 0.9 });
  });

  it('leaves empty fields out, so the engine defaults apply', () => {
    const r = configFromForm(formFromConfig({ loss: 'meanSquaredError' }));
    expect(r).toEqual({ ok: true, training: { loss: 'meanSquaredError', optimizer: { name: 'adam' }, schedule: { name: 'constant' } } });
  });
});

describe('training form refuses invalid input with the validators\' words', () => {
  const good = formFromConfig({ ...BASE, optimizer: OPTIMIZERS[0], schedule: SCHEDULES[1] });
  // [field, bad text, the form to edit (its optimizer/schedule takes the field), the section the validator sees]
  const numberCases: [NumberField, string, TrainingForm, (v: number) => TrainingConfig][] = [
    ['batchSize', '0', good, (v) => ({ ...BASE, batchSize: v })],
    ['batchSize', '2.5', good, (v) => ({ ...BASE, batchSize: v })],
    ['epochs', '0', good, (v) => ({ ...BASE, epochs: v })],
    ['seed', '-1', good, (v) => ({ ...BASE, seed: v })],
    ['validationSplit', '1', good, (v) => ({ ...BASE, validationSplit: v })],
    ['clipNorm', '0', good, (v) => ({ ...BASE, clipNorm: v })],
    ['accumulationSteps', '0', good, (v) => ({ ...BASE, accumulationSteps: v })],
    ['l2', '2', good, (v) => ({ ...BASE, l2: v })],
    ['learningRate', '0', good, (v) => ({ ...BASE, optimizer: { name: 'sgd', learningRate: v } })],
    ['momentum', '1', good, (v) => ({ ...BASE, optimizer: { name: 'sgd', momentum: v } })],
    ['beta1', '1', { ...good, optimizer: 'adam' }, (v) => ({ ...BASE, optimizer: { name: 'adam', beta1: v } })],
    ['beta2', '-0.1', { ...good, optimizer: 'adamw' }, (v) => ({ ...BASE, optimizer: { name: 'adamw', beta2: v } })],
    ['epsilon', '0', { ...good, optimizer: 'adagrad' }, (v) => ({ ...BASE, optimizer: { name: 'adagrad', epsilon: v } })],
    ['weightDecay', '3', { ...good, optimizer: 'adamw' }, (v) => ({ ...BASE, optimizer: { name: 'adamw', weightDecay: v } })],
    ['rho', '1', { ...good, optimizer: 'rmsprop' }, (v) => ({ ...BASE, optimizer: { name: 'rmsprop', rho: v } })],
    ['stepSize', '0', good, (v) => ({ ...BASE, schedule: { name: 'step', stepSize: v } })],
    ['gamma', '0', { ...good, schedule: 'exponential' }, (v) => ({ ...BASE, schedule: { name: 'exponential', gamma: v } })],
    ['warmupSteps', '-5', { ...good, schedule: 'cosine' }, (v) => ({ ...BASE, schedule: { name: 'cosine', warmupSteps: v } })],
    ['minLearningRate', '-1', { ...good, schedule: 'cosine' }, (v) => ({ ...BASE, schedule: { name: 'cosine', minLearningRate: v } })],
    ['totalSteps', '0', { ...good, schedule: 'oneCycle' }, (v) => ({ ...BASE, schedule: { name: 'oneCycle', totalSteps: v } })],
    ['pctStart', '1', { ...good, schedule: 'oneCycle' }, (v) => ({ ...BASE, schedule: { name: 'oneCycle', pctStart: v } })],
    ['divFactor', '0.5', { ...good, schedule: 'oneCycle' }, (v) => ({ ...BASE, schedule: { name: 'oneCycle', divFactor: v } })],
    ['finalDivFactor', '0', { ...good, schedule: 'oneCycle' }, (v) => ({ ...BASE, schedule: { name: 'oneCycle', finalDivFactor: v } })],
    ['patience', '-1', good, (v) => ({ ...BASE, earlyStopping: { patience: v } })],
    ['minDelta', '-0.5', good, (v) => ({ ...BASE, earlyStopping: { minDelta: v } })],
  ];
  for (const [field, bad, form, section] of numberCases)
    it(`${field} = ${bad}`, () => {
      const r = configFromForm(withNumber(form, field, bad));
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.errors[field]).toBe(validatorMessage(section(Number(bad))));
        expect(Object.keys(r.errors)).toEqual([field]);
      }
    });

  it('text that is not a number, at its field', () => {
    const r = configFromForm(withNumber(good, 'epochs', 'ten'));
    expect(r).toEqual({ ok: false, errors: { epochs: '"ten" is not a number' } });
  });

  it('nesterov without momentum', () => {
    const r = configFromForm(withNumber(withFlag(good, 'nesterov', true), 'momentum', ''));
    expect(r.ok ? null : r.errors.nesterov).toBe(validatorMessage({ optimizer: { name: 'sgd', nesterov: true } }));
    expect(r.ok ? null : r.errors.nesterov).toBe('nesterov needs momentum > 0');
  });

  it('an unknown loss, metric and monitor, with resolveTrainingConfig\'s words', () => {
    const loss = configFromForm({ ...good, loss: 'mse' });
    expect(loss.ok ? null : loss.errors.loss).toBe(validatorMessage({ ...BASE, loss: 'mse' }));
    expect(loss.ok ? null : loss.errors.loss).toMatch(/^unknown loss "mse"; use one of/);
    const metric = configFromForm({ ...good, metrics: 'accuracy, f1' });
    expect(metric.ok ? null : metric.errors.metrics).toBe(validatorMessage({ ...BASE, metrics: ['accuracy', 'f1'] }));
    const monitor = configFromForm({ ...good, monitor: 'valF1' });
    expect(monitor.ok ? null : monitor.errors.monitor).toBe(validatorMessage({ ...BASE, earlyStopping: { monitor: 'valF1' } }));
    expect(monitor.ok ? null : monitor.errors.monitor).toMatch(/"valF1" is not reported by this run/);
    const none = configFromForm({ ...good, loss: '' });
    expect(none.ok ? null : none.errors.loss).toMatch(/^no loss chosen/);
  });
});

describe('chart smoothing (EMA)', () => {
  it('is TensorBoard\'s debiased EMA, skipping gaps', async () => {
    const { ema } = await import('../../src/editor/training/smoothing.js');
    // By hand, w = 0.5: acc1 = 0.5, /(1-0.5) = 1; acc2 = 0.25 + 1.5 = 1.75, /(1-0.25) = 2.333…
    const s = ema([1, null, 3], 0.5);
    expect(s[0]).toBeCloseTo(1, 12);
    expect(s[1]).toBeNull();
    expect(s[2]).toBeCloseTo(1.75 / 0.75, 12);
    expect(ema([4, 5, 6], 0)).toEqual([4, 5, 6]);
    // A constant stays constant at any weight (the debiasing at work).
    expect(ema([2, 2, 2, 2], 0.99).every((v) => Math.abs(v! - 2) < 1e-12)).toBe(true);
    expect(() => ema([1], 1)).toThrow(/smoothing weight must be in \[0, 1\); got 1/);
  });
});
