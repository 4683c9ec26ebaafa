// The training section of the project file: what parses, what is refused (naming the field),
// and the defaults resolveTrainingConfig fills in.
import { describe, expect, it } from 'vitest';
import { parseProject } from '../../src/engine/project/parse.js';
import type { TrainingConfig } from '../../src/engine/project/types.js';
import {
  inferMonitorMode, parseMetric, resolveTrainingConfig, trainingConfigIssues, TrainingConfigError,
} from '../../src/engine/train/config.js';

const project = (training: unknown) => ({
  format: 'neuralforge-project',
  version: 1,
  name: 't',
  graph: { nodes: [{ id: 'x', kind: 'Input', params: { shape: [2] } }], edges: [] },
  training,
});

function parsedTraining(training: unknown): TrainingConfig {
  const r = parseProject(project(training));
  if (!r.ok) throw new Error(`${r.error.path}: ${r.error.message}`);
  return r.project.training;
}

function refusal(training: unknown) {
  const r = parseProject(project(training));
  if (r.ok) throw new Error('expected a refusal');
  return r.error;
}

const ISSUE_EXAMPLE = { optimizer: { name: 'adam', learningRate: 0.001 }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], batchSize: 64, epochs: 8, seed: 1, validationSplit: 0.2 };

describe('training section: schema', () => {
  it("parses the issue's minimum example unchanged", () => {
    expect(parsedTraining(ISSUE_EXAMPLE)).toEqual(ISSUE_EXAMPLE);
  });

  it('parses every new field', () => {
    const full = {
      ...ISSUE_EXAMPLE,
      optimizer: { name: 'adamw', learningRate: 3e-4, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1 },
      schedule: { name: 'cosine', warmupSteps: 100, minLearningRate: 1e-5, totalSteps: 5000 },
      clipNorm: 1,
      accumulationSteps: 4,
      l2: 1e-4,
      earlyStopping: { monitor: 'valAccuracy', mode: 'max', patience: 5, minDelta: 0.001, restoreBestWeights: true },
    };
    expect(parsedTraining(full)).toEqual(full);
    for (const optimizer of [
      { name: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true },
      { name: 'rmsprop', rho: 0.95, momentum: 0.5, epsilon: 1e-6, centered: true },
      { name: 'adagrad', epsilon: 1e-10 },
    ]) expect(parsedTraining({ optimizer }).optimizer).toEqual(optimizer);
    for (const schedule of [
      { name: 'constant' },
      { name: 'step', stepSize: 3, gamma: 0.5, unit: 'step' },
      { name: 'exponential', gamma: 0.9 },
      { name: 'oneCycle', pctStart: 0.25, divFactor: 10, finalDivFactor: 100, totalSteps: 1000 },
    ]) expect(parsedTraining({ schedule }).schedule).toEqual(schedule);
  });

  const cases: [string, unknown, string, string][] = [
    ['a field of another optimizer', { optimizer: { name: 'adam', momentum: 0.9 } }, 'training.optimizer', 'unknown field "momentum"'],
    ['weightDecay on adam (use adamw, or l2)', { optimizer: { name: 'adam', weightDecay: 0.01 } }, 'training.optimizer', 'unknown field "weightDecay"'],
    ['nesterov without momentum', { optimizer: { name: 'sgd', nesterov: true } }, 'training.optimizer.nesterov', 'nesterov needs momentum > 0'],
    ['momentum of 1', { optimizer: { name: 'sgd', momentum: 1 } }, 'training.optimizer.momentum', 'Too big: expected number to be <1'],
    ['an unknown schedule', { schedule: { name: 'cyclic' } }, 'training.schedule.name', 'Invalid option: expected one of "constant"|"step"|"exponential"|"cosine"|"oneCycle"'],
    ['a field of another schedule', { schedule: { name: 'step', warmupSteps: 3 } }, 'training.schedule', 'unknown field "warmupSteps"'],
    ['a misspelt top-level field', { clipnorm: 1 }, 'training', 'unknown field "clipnorm"'],
    ['a zero clipNorm', { clipNorm: 0 }, 'training.clipNorm', 'Too small: expected number to be >0'],
    ['fractional accumulation', { accumulationSteps: 1.5 }, 'training.accumulationSteps', 'Invalid input: expected int, received number'],
    ['an unknown early-stopping field', { earlyStopping: { patience: 2, baseline: 0.5 } }, 'training.earlyStopping', 'unknown field "baseline"'],
    ['a bad mode', { earlyStopping: { mode: 'auto' } }, 'training.earlyStopping.mode', 'Invalid option: expected one of "min"|"max"'],
  ];
  for (const [what, training, path, message] of cases) {
    it(`refuses ${what}, naming the field`, () => {
      const e = refusal(training);
      expect(e.path).toBe(path);
      expect(e.message).toBe(message);
    });
  }
});

describe('resolveTrainingConfig', () => {
  it('fills every default for the issue example', () => {
    expect(resolveTrainingConfig(parsedTraining(ISSUE_EXAMPLE))).toEqual({
      optimizer: { name: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
      schedule: { name: 'constant' },
      loss: 'sparseCategoricalCrossentropy',
      metrics: [{ kind: 'accuracy', name: 'accuracy' }],
      batchSize: 64,
      epochs: 8,
      seed: 1,
      validationSplit: 0.2,
      clipNorm: null,
      accumulationSteps: 1,
      l2: 0,
      earlyStopping: null,
    });
  });

  it('fills per-optimizer and per-schedule defaults', () => {
    const r = (t: TrainingConfig) => resolveTrainingConfig({ loss: 'meanSquaredError', ...t });
    expect(r({ optimizer: { name: 'sgd' } }).optimizer).toEqual({ name: 'sgd', learningRate: 0.01, momentum: 0, nesterov: false });
    expect(r({ optimizer: { name: 'adamw' } }).optimizer).toEqual({ name: 'adamw', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.01 });
    expect(r({ optimizer: { name: 'rmsprop', centered: true } }).optimizer).toEqual({ name: 'rmsprop', learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: true });
    expect(r({ optimizer: { name: 'adagrad', learningRate: 0.5 } }).optimizer).toEqual({ name: 'adagrad', learningRate: 0.5, epsilon: 1e-7 });
    expect(r({ schedule: { name: 'step' } }).schedule).toEqual({ name: 'step', stepSize: 10, gamma: 0.1, unit: 'epoch' });
    expect(r({ schedule: { name: 'cosine', warmupSteps: 10 } }).schedule).toEqual({ name: 'cosine', warmupSteps: 10, minLearningRate: 0, totalSteps: null });
    expect(r({ schedule: { name: 'oneCycle' } }).schedule).toEqual({ name: 'oneCycle', pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4, totalSteps: null });
    expect(r({ earlyStopping: {} }).earlyStopping).toEqual({ monitor: 'valLoss', mode: 'min', patience: 3, minDelta: 0, restoreBestWeights: false });
    expect(r({ metrics: ['meanAbsoluteError'], earlyStopping: { monitor: 'valMeanAbsoluteError' } }).earlyStopping?.mode).toBe('min');
  });

  it('parses metric names, k included', () => {
    expect(parseMetric('top5Accuracy')).toEqual({ kind: 'topKAccuracy', name: 'top5Accuracy', k: 5 });
    expect(parseMetric('top12Accuracy')).toEqual({ kind: 'topKAccuracy', name: 'top12Accuracy', k: 12 });
    expect(parseMetric('topKAccuracy')).toEqual({ kind: 'topKAccuracy', name: 'topKAccuracy', k: 5 });
    expect(parseMetric('top0Accuracy')).toBeNull();
    expect(parseMetric('f1')).toBeNull();
  });

  it('infers the monitor direction from its name', () => {
    expect(['valLoss', 'loss', 'valMeanAbsoluteError'].map(inferMonitorMode)).toEqual(['min', 'min', 'min']);
    expect(['valAccuracy', 'accuracy', 'valTop5Accuracy'].map(inferMonitorMode)).toEqual(['max', 'max', 'max']);
  });

  it('lists every problem a person can fix, by field', () => {
    const issues = trainingConfigIssues({ loss: 'crossEntropy', metrics: ['accuracy', 'f1', 'accuracy'], earlyStopping: { monitor: 'valPrecision' } });
    expect(issues).toEqual([
      { path: 'training.loss', message: expect.stringMatching(/^unknown loss "crossEntropy"; use one of sparseCategoricalCrossentropy, /) },
      { path: 'training.metrics[1]', message: 'unknown metric "f1"; use accuracy, top5Accuracy (any k) or meanAbsoluteError' },
      { path: 'training.metrics[2]', message: '"accuracy" is listed twice' },
      { path: 'training.earlyStopping.monitor', message: '"valPrecision" is not reported by this run; choose one of "loss", "accuracy", "valLoss", "valAccuracy"' },
    ]);
    expect(() => resolveTrainingConfig({ loss: 'crossEntropy' })).toThrow(TrainingConfigError);
    expect(trainingConfigIssues({})).toEqual([{ path: 'training.loss', message: expect.stringMatching(/^no loss chosen/) }]);
  });

  it('every template resolves', async () => {
    const { TEMPLATES } = await import('../../src/engine/templates/index.js');
    for (const t of TEMPLATES) expect(trainingConfigIssues(t.project().training), t.id).toEqual([]);
  });
});
