// The training config form's state (what the inputs hold, as text) and its two directions:
// a project's `training` section → form, and form → section or a message per field. The
// project schema (ranges) and resolveTrainingConfig's checks (loss, metrics, monitor) are the
// validators, so the form refuses exactly what a project file would. Pure: no DOM, no Solid.
import { trainingSchema } from '../../engine/project/schema.js';
import type {
  EarlyStoppingConfig, OptimizerConfig, OptimizerName, ScheduleConfig, ScheduleName, ScheduleUnit, TrainingConfig,
} from '../../engine/project/types.js';
import { trainingConfigIssues } from '../../engine/train/config.js';

export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad'];
export const SCHEDULE_NAMES: readonly ScheduleName[] = ['constant', 'step', 'exponential', 'cosine', 'oneCycle'];

/** Number inputs: empty text means "absent" (the engine's default applies). */
export const NUMBER_FIELDS = [
  'learningRate', 'momentum', 'beta1', 'beta2', 'epsilon', 'weightDecay', 'rho',
  'stepSize', 'gamma', 'warmupSteps', 'minLearningRate', 'totalSteps', 'pctStart', 'divFactor', 'finalDivFactor',
  'batchSize', 'epochs', 'seed', 'validationSplit', 'clipNorm', 'accumulationSteps', 'l2',
  'patience', 'minDelta',
] as const;
export type NumberField = (typeof NUMBER_FIELDS)[number];

export const BOOL_FIELDS = ['nesterov', 'centered', 'earlyStopping', 'restoreBestWeights'] as const;
export type BoolField = (typeof BOOL_FIELDS)[number];

/** Every input a message can point at. */
export type FieldName = NumberField | BoolField | 'optimizer' | 'schedule' | 'unit' | 'loss' | 'metrics' | 'monitor' | 'mode';

export interface TrainingForm {
  readonly optimizer: OptimizerName;
  readonly schedule: ScheduleName;
  /** '' = the schedule's default unit. */
  readonly unit: ScheduleUnit | '';
  readonly loss: string;
  /** Comma-separated metric names. */
  readonly metrics: string;
  readonly monitor: string;
  /** '' = inferred from the monitor's name. */
  readonly mode: 'min' | 'max' | '';
  readonly numbers: Readonly<Record<NumberField, string>>;
  readonly flags: Readonly<Record<BoolField, boolean>>;
}

/** Which optimizer fields each optimizer takes (its own only, as the schema requires). */
export const OPTIMIZER_FIELDS: Readonly<Record<OptimizerName, readonly (NumberField | BoolField)[]>> = {
  sgd: ['learningRate', 'momentum', 'nesterov'],
  adam: ['learningRate', 'beta1', 'beta2', 'epsilon'],
  adamw: ['learningRate', 'beta1', 'beta2', 'epsilon', 'weightDecay'],
  rmsprop: ['learningRate', 'rho', 'momentum', 'epsilon', 'centered'],
  adagrad: ['learningRate', 'epsilon'],
};

/** Which schedule fields each schedule takes. */
export const SCHEDULE_FIELDS: Readonly<Record<ScheduleName, readonly (NumberField | 'unit')[]>> = {
  constant: [],
  step: ['stepSize', 'gamma', 'unit'],
  exponential: ['gamma', 'unit'],
  cosine: ['warmupSteps', 'minLearningRate', 'totalSteps'],
  oneCycle: ['pctStart', 'divFactor', 'finalDivFactor', 'totalSteps'],
};

export type FormErrors = Partial<Record<FieldName, string>>;
export type FormResult = { readonly ok: true; readonly training: TrainingConfig } | { readonly ok: false; readonly errors: FormErrors };

const text = (v: number | undefined): string => (v === undefined ? '' : String(v));

/** The form showing `t`; fields `t` leaves out are empty (their defaults apply). */
export function formFromConfig(t: TrainingConfig): TrainingForm {
  const o = (t.optimizer ?? {}) as Partial<Record<string, unknown>>;
  const s = (t.schedule ?? {}) as Partial<Record<string, unknown>>;
  const e: EarlyStoppingConfig = t.earlyStopping ?? {};
  const pick = (src: Partial<Record<string, unknown>>, k: string) => text(typeof src[k] === 'number' ? (src[k] as number) : undefined);
  const numbers = Object.fromEntries(NUMBER_FIELDS.map((k) => [k, ''])) as Record<NumberField, string>;
  for (const k of ['learningRate', 'momentum', 'beta1', 'beta2', 'epsilon', 'weightDecay', 'rho'] as const) numbers[k] = pick(o, k);
  for (const k of ['stepSize', 'gamma', 'warmupSteps', 'minLearningRate', 'totalSteps', 'pctStart', 'divFactor', 'finalDivFactor'] as const) numbers[k] = pick(s, k);
  for (const k of ['batchSize', 'epochs', 'seed', 'validationSplit', 'clipNorm', 'accumulationSteps', 'l2'] as const) numbers[k] = text(t[k]);
  numbers.patience = text(e.patience);
  numbers.minDelta = text(e.minDelta);
  return {
    optimizer: t.optimizer?.name ?? 'adam',
    schedule: t.schedule?.name ?? 'constant',
    unit: s['unit'] === 'epoch' || s['unit'] === 'step' ? s['unit'] : '',
    loss: t.loss ?? '',
    metrics: (t.metrics ?? []).join(', '),
    monitor: e.monitor ?? '',
    mode: e.mode ?? '',
    numbers,
    flags: { nesterov: o['nesterov'] === true, centered: o['centered'] === true, earlyStopping: t.earlyStopping !== undefined, restoreBestWeights: e.restoreBestWeights === true },
  };
}

/** Reads the number inputs; text that is not a number is an error at its field. */
function readNumbers(f: TrainingForm, errors: FormErrors): Partial<Record<NumberField, number>> {
  const out: Partial<Record<NumberField, number>> = {};
  for (const k of NUMBER_FIELDS) {
    const raw = f.numbers[k].trim();
    if (raw === '') continue;
    const n = Number(raw);
    if (!Number.isFinite(n)) errors[k] = `"${raw}" is not a number`;
    else out[k] = n;
  }
  return out;
}

/** Copies the fields `names` lists that are set (numbers) or true (flags) into an object. */
function own(names: readonly string[], n: Partial<Record<NumberField, number>>, f: TrainingForm): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const k of names) {
    if ((BOOL_FIELDS as readonly string[]).includes(k)) {
      if (f.flags[k as BoolField]) out[k] = true;
    } else if (n[k as NumberField] !== undefined) out[k] = n[k as NumberField]!;
  }
  return out;
}

/** The section the form describes, before validation. */
function draftConfig(f: TrainingForm, n: Partial<Record<NumberField, number>>): TrainingConfig {
  const optimizer = { name: f.optimizer, ...own(OPTIMIZER_FIELDS[f.optimizer], n, f) } as OptimizerConfig;
  const scheduleFields = SCHEDULE_FIELDS[f.schedule].filter((k): k is NumberField => k !== 'unit');
  const schedule = {
    name: f.schedule,
    ...own(scheduleFields, n, f),
    ...(SCHEDULE_FIELDS[f.schedule].includes('unit') && f.unit !== '' ? { unit: f.unit } : {}),
  } as ScheduleConfig;
  const metrics = f.metrics.split(',').map((m) => m.trim()).filter((m) => m !== '');
  const earlyStopping: EarlyStoppingConfig = {
    ...(f.monitor.trim() !== '' ? { monitor: f.monitor.trim() } : {}),
    ...(f.mode !== '' ? { mode: f.mode } : {}),
    ...(n.patience !== undefined ? { patience: n.patience } : {}),
    ...(n.minDelta !== undefined ? { minDelta: n.minDelta } : {}),
    ...(f.flags.restoreBestWeights ? { restoreBestWeights: true } : {}),
  };
  const top = own(['batchSize', 'epochs', 'seed', 'validationSplit', 'clipNorm', 'accumulationSteps', 'l2'], n, f);
  return {
    optimizer,
    ...(f.loss.trim() !== '' ? { loss: f.loss.trim() } : {}),
    ...(metrics.length > 0 ? { metrics } : {}),
    ...top,
    schedule,
    ...(f.flags.earlyStopping ? { earlyStopping } : {}),
  };
}

/** "optimizer.momentum" → momentum, "earlyStopping.monitor" → monitor, "metrics.0" → metrics. */
function fieldOf(path: readonly PropertyKey[]): FieldName {
  const [head, second] = path;
  if ((head === 'optimizer' || head === 'schedule' || head === 'earlyStopping') && typeof second === 'string') {
    return second === 'name' ? (head === 'earlyStopping' ? 'earlyStopping' : head) : (second as FieldName);
  }
  if (head === 'earlyStopping') return 'earlyStopping';
  return String(head) as FieldName;
}

/** The engine's path for a form field, for messages ("training.batchSize"). */
const fieldOfIssuePath = (path: string): FieldName => fieldOf(path.replace(/^training\./, '').replace(/\[\d+\]/g, '').split('.'));

/**
 * The `training` section the form describes, or what is wrong, per field, in the validators' words.
 * @example configFromForm({ ...formFromConfig({}), numbers: { ...f.numbers, batchSize: '0' } })
 * // → { ok: false, errors: { batchSize: 'Too small: expected number to be >=1' } }
 */
export function configFromForm(f: TrainingForm): FormResult {
  const errors: FormErrors = {};
  const n = readNumbers(f, errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const draft = draftConfig(f, n);
  const parsed = trainingSchema.safeParse(draft);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[fieldOf(issue.path)] ??= issue.message;
    return { ok: false, errors };
  }
  for (const issue of trainingConfigIssues(draft)) errors[fieldOfIssuePath(issue.path)] ??= issue.message;
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, training: draft };
}

/** The form with one number input changed. */
export const withNumber = (f: TrainingForm, k: NumberField, v: string): TrainingForm => ({ ...f, numbers: { ...f.numbers, [k]: v } });
/** The form with one checkbox changed. */
export const withFlag = (f: TrainingForm, k: BoolField, v: boolean): TrainingForm => ({ ...f, flags: { ...f.flags, [k]: v } });
