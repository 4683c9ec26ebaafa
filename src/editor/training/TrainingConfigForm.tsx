// The project's training settings as a form: optimizer and schedule (each with its own fields),
// loss, metrics, batch size, epochs, seed, validation split, clipping, accumulation, L2 and early
// stopping. Every valid edit is written to the project (autosaved); an invalid value stays in
// its input, marked, with the validator's message, and is not written.
import { createEffect, createMemo, createSignal, For, on, Show, type JSX } from 'solid-js';
import type { OptimizerName, ScheduleName, TrainingConfig } from '../../engine/project/types.js';
import { LOSS_NAMES, resolveTrainingConfig } from '../../engine/train/config.js';
import {
  configFromForm, formFromConfig, OPTIMIZER_FIELDS, OPTIMIZER_NAMES, SCHEDULE_FIELDS, SCHEDULE_NAMES, withFlag, withNumber,
  type BoolField, type FieldName, type NumberField, type TrainingForm,
} from './training-form.js';

export interface TrainingConfigFormProps {
  /** The project's `training` section. */
  readonly training: () => TrainingConfig;
  /** Writes a valid section; false when refused (a read-only tab), and the form shows why. */
  readonly onChange: (training: TrainingConfig) => boolean;
  readonly disabled: boolean;
}

const LABELS: Record<NumberField | BoolField, string> = {
  learningRate: 'learning rate', momentum: 'momentum', beta1: 'β₁', beta2: 'β₂', epsilon: 'ε', weightDecay: 'weight decay', rho: 'ρ',
  stepSize: 'step size', gamma: 'γ', warmupSteps: 'warm-up steps', minLearningRate: 'min learning rate', totalSteps: 'total steps',
  pctStart: 'rising fraction', divFactor: 'start divisor', finalDivFactor: 'final divisor',
  batchSize: 'batch size', epochs: 'epochs', seed: 'seed', validationSplit: 'validation split', clipNorm: 'clip gradient norm',
  accumulationSteps: 'accumulation steps', l2: 'L2', patience: 'patience', minDelta: 'min improvement',
  nesterov: 'Nesterov', centered: 'centered', earlyStopping: 'early stopping', restoreBestWeights: 'restore best weights',
};

/** The engine's default for each number field under the chosen optimizer and schedule, shown as a placeholder. */
function defaults(f: TrainingForm): Partial<Record<NumberField, string>> {
  const r = resolveTrainingConfig({ loss: 'meanSquaredError', optimizer: { name: f.optimizer }, schedule: { name: f.schedule }, earlyStopping: {} });
  const out: Partial<Record<NumberField, string>> = {};
  for (const [k, v] of [...Object.entries(r.optimizer), ...Object.entries(r.schedule), ...Object.entries(r.earlyStopping ?? {})])
    if (typeof v === 'number') out[k as NumberField] = String(v);
  for (const k of ['batchSize', 'epochs', 'seed', 'validationSplit', 'accumulationSteps', 'l2'] as const) out[k] = String(r[k]);
  out.clipNorm = 'none';
  out.totalSteps = 'whole run';
  return out;
}

export function TrainingConfigForm(props: TrainingConfigFormProps) {
  const [form, setForm] = createSignal<TrainingForm>(formFromConfig(props.training()));
  const [refused, setRefused] = createSignal(false);
  let written = JSON.stringify(props.training());
  // The project changed elsewhere (another tab, a reload, an imported file): show it.
  createEffect(
    on(props.training, (t) => {
      const json = JSON.stringify(t);
      if (json !== written) {
        written = json;
        setForm(formFromConfig(t));
      }
    }, { defer: true }),
  );
  const result = createMemo(() => configFromForm(form()));
  const errors = () => {
    const r = result();
    return r.ok ? {} : r.errors;
  };
  const placeholders = createMemo(() => defaults(form()));

  function update(next: TrainingForm) {
    setForm(next);
    const r = configFromForm(next);
    if (!r.ok) return;
    const json = JSON.stringify(r.training);
    if (json === written) return;
    const ok = props.onChange(r.training);
    setRefused(!ok);
    if (ok) written = json;
  }

  const Field = (p: { name: FieldName; label: string; children: JSX.Element }) => (
    <label class="field" classList={{ invalid: errors()[p.name] !== undefined }}>
      <span>{p.label}</span>
      {p.children}
      <Show when={errors()[p.name]}>
        {(m) => (
          <span class="field-error" role="alert" data-testid={`cfg-${p.name}-error`}>
            {m()}
          </span>
        )}
      </Show>
    </label>
  );
  const Num = (p: { name: NumberField }) => (
    <Field name={p.name} label={LABELS[p.name]}>
      <input
        inputMode="decimal"
        value={form().numbers[p.name]}
        placeholder={placeholders()[p.name] ?? ''}
        disabled={props.disabled}
        aria-invalid={errors()[p.name] !== undefined}
        onInput={(e) => update(withNumber(form(), p.name, e.currentTarget.value))}
        data-testid={`cfg-${p.name}`}
      />
    </Field>
  );
  const Flag = (p: { name: BoolField }) => (
    <Field name={p.name} label={LABELS[p.name]}>
      <input type="checkbox" checked={form().flags[p.name]} disabled={props.disabled} onChange={(e) => update(withFlag(form(), p.name, e.currentTarget.checked))} data-testid={`cfg-${p.name}`} />
    </Field>
  );
  /** A field of the chosen optimizer or schedule: a number, a checkbox, or the schedule's unit. */
  const Own = (p: { name: NumberField | BoolField | 'unit' }) => {
    const n = p.name;
    if (n === 'unit')
      return (
        <Field name="unit" label="counts">
          <select value={form().unit} disabled={props.disabled} onChange={(e) => update({ ...form(), unit: e.currentTarget.value as TrainingForm['unit'] })} data-testid="cfg-unit">
            <option value="">epochs (default)</option>
            <option value="epoch">epochs</option>
            <option value="step">steps</option>
          </select>
        </Field>
      );
    return n === 'nesterov' || n === 'centered' || n === 'earlyStopping' || n === 'restoreBestWeights' ? <Flag name={n} /> : <Num name={n} />;
  };
  const losses = () => (form().loss === '' || (LOSS_NAMES as readonly string[]).includes(form().loss) ? LOSS_NAMES : [form().loss, ...LOSS_NAMES]);

  return (
    // Closed at first: in the editor's Training tab the run's curves matter more once it is set up.
    <details class="training-config" data-testid="training-config">
      <summary>Training settings (saved with the project)</summary>
      <div class="rows">
        <fieldset>
          <legend>Optimizer</legend>
          <Field name="optimizer" label="optimizer">
            <select value={form().optimizer} disabled={props.disabled} onChange={(e) => update({ ...form(), optimizer: e.currentTarget.value as OptimizerName })} data-testid="cfg-optimizer">
              <For each={OPTIMIZER_NAMES}>{(o) => <option value={o}>{o}</option>}</For>
            </select>
          </Field>
          <For each={OPTIMIZER_FIELDS[form().optimizer]}>{(k) => <Own name={k} />}</For>
        </fieldset>
        <fieldset>
          <legend>Learning-rate schedule</legend>
          <Field name="schedule" label="schedule">
            <select value={form().schedule} disabled={props.disabled} onChange={(e) => update({ ...form(), schedule: e.currentTarget.value as ScheduleName })} data-testid="cfg-schedule">
              <For each={SCHEDULE_NAMES}>{(s) => <option value={s}>{s}</option>}</For>
            </select>
          </Field>
          <For each={SCHEDULE_FIELDS[form().schedule]}>{(k) => <Own name={k} />}</For>
        </fieldset>
        <fieldset>
          <legend>Run</legend>
          <Field name="loss" label="loss">
            <select value={form().loss} disabled={props.disabled} onChange={(e) => update({ ...form(), loss: e.currentTarget.value })} data-testid="cfg-loss">
              <option value="">(choose)</option>
              <For each={losses()}>{(l) => <option value={l}>{l}</option>}</For>
            </select>
          </Field>
          <Field name="metrics" label="metrics">
            <input value={form().metrics} placeholder="accuracy, top5Accuracy" disabled={props.disabled} onInput={(e) => update({ ...form(), metrics: e.currentTarget.value })} data-testid="cfg-metrics" />
          </Field>
          <For each={['batchSize', 'epochs', 'seed', 'validationSplit', 'clipNorm', 'accumulationSteps', 'l2'] as const}>{(k) => <Num name={k} />}</For>
        </fieldset>
        <fieldset>
          <legend>Early stopping</legend>
          <Flag name="earlyStopping" />
          <Show when={form().flags.earlyStopping}>
            <Field name="monitor" label="monitor">
              <input value={form().monitor} placeholder="valLoss" disabled={props.disabled} onInput={(e) => update({ ...form(), monitor: e.currentTarget.value })} data-testid="cfg-monitor" />
            </Field>
            <Field name="mode" label="mode">
              <select value={form().mode} disabled={props.disabled} onChange={(e) => update({ ...form(), mode: e.currentTarget.value as TrainingForm['mode'] })} data-testid="cfg-mode">
                <option value="">from the name</option>
                <option value="min">min</option>
                <option value="max">max</option>
              </select>
            </Field>
            <Num name="patience" />
            <Num name="minDelta" />
            <Flag name="restoreBestWeights" />
          </Show>
        </fieldset>
      </div>
      <Show when={refused()}>
        <p class="error" data-testid="cfg-refused">This tab cannot edit the project now, so the change was not saved.</p>
      </Show>
    </details>
  );
}
