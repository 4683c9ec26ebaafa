// The editor's Training dock: Start/Pause/Resume/Stop with the run's status line, the data and
// backend to train on, "this run only" overrides, the project's training settings with a time
// and memory estimate, what the run loaded, its log and its live charts. Drawn from the page's
// TrainingSession. Every part above the charts keeps its height while a run streams in (fixed
// one-line status and estimate, a fixed box for the backend and dataset, a fixed-height log), so
// nothing moves between Start and the last epoch; only the epoch table grows, at the bottom.
import { For, Show } from 'solid-js';
import { BACKENDS, type BackendPreference } from '../../engine/runtime/backend-types.js';
import { BackendCard } from './BackendCard.js';
import { DatasetPicker } from './DatasetPicker.js';
import type { DatasetChoice } from './dataset-choice.js';
import { DatasetSummary } from './DatasetSummary.js';
import { EstimateLine } from './EstimateLine.js';
import { LogConsole } from './LogConsole.js';
import { RunCharts } from './RunCharts.js';
import { RunStatus } from './RunStatus.js';
import { intOrNull, type TrainingSession } from './training-session.js';
import { TrainingConfigForm } from './TrainingConfigForm.js';
import './runs.css';

/** What to do when Start is disabled, per dataset kind. */
const HINTS: Record<DatasetChoice['kind'], string> = {
  mnist: 'Built-in MNIST trains the MNIST templates (MLP, LeNet-5); import a file for the others.',
  file: 'Choose a file to import: a .zip of images (one folder per class), a .csv table, .jsonl text or a .txt corpus.',
  folder: 'Choose a folder of images with one sub-folder per class (cats/, dogs/, …).',
  remote: 'Enter the URL of a .csv, .tsv, .jsonl, .txt or .zip file (the server must allow cross-origin requests), and optionally its SHA-256.',
  stored: 'Pick a dataset kept on this device (every imported file, folder or download is kept there by its first run).',
};

/** A number input for one "this run only" override. */
function Override(props: { label: string; field: TrainingSession['epochs']; placeholder: string; size: number; disabled: boolean; testId: string }) {
  const [value, setValue] = props.field;
  return (
    <label>
      {props.label} <input type="number" min="1" size={props.size} placeholder={props.placeholder} value={value()} disabled={props.disabled} onInput={(e) => setValue(e.currentTarget.value)} data-testid={props.testId} />
    </label>
  );
}

export function TrainingPanel(props: { session: TrainingSession }) {
  const s = props.session;
  const project = () => s.options.project();
  const [choice, setChoice] = s.choice;
  return (
    <section class="training training-dock" data-testid="training-panel">
      <div class="training-head">
        <span class="buttons">
          <button onClick={() => void s.start()} disabled={s.busy() || !s.trainable()} data-testid="start">Start</button>
          <Show when={s.status() === 'paused'} fallback={<button onClick={() => void s.pause()} disabled={s.status() !== 'running'} data-testid="pause">Pause</button>}>
            <button onClick={() => void s.resume()} data-testid="resume">Resume</button>
          </Show>
          <button onClick={() => void s.stop()} disabled={!s.busy() || s.status() === 'stopping'} data-testid="stop">Stop</button>
        </span>
        <RunStatus session={s} />
      </div>
      <div class="controls">
        <DatasetPicker choice={choice()} onChange={setChoice} disabled={s.busy()} />
        <label>
          Backend{' '}
          <select value={s.pref()} disabled={s.busy()} data-testid="backend-picker" onChange={(e) => s.choosePref(e.currentTarget.value as BackendPreference)}>
            <option value="auto">auto</option>
            <For each={BACKENDS}>{(b) => <option value={b}>{b}</option>}</For>
          </select>
        </label>
      </div>
      <div class="controls">
        <span class="muted" title="These override the training settings below for the next run only">This run only:</span>
        <Override label="Epochs" field={s.epochs} placeholder={String(project().training.epochs ?? '')} size={4} disabled={s.busy()} testId="epochs" />
        <Override label="Batch" field={s.batch} placeholder={String(project().training.batchSize ?? '')} size={4} disabled={s.busy()} testId="batch-size" />
        <Override label="Train samples" field={s.samples} placeholder="all" size={6} disabled={s.busy()} testId="train-samples" />
        <Show when={s.projectId()}>
          <span title="Checkpoints are also saved after every epoch">
            <Override label="Checkpoint every" field={s.checkpointSteps} placeholder="epoch" size={4} disabled={s.busy()} testId="checkpoint-steps" /> steps
          </span>
        </Show>
      </div>
      <Show when={!s.trainable()}>
        <p class="muted">{HINTS[choice().kind]}</p>
      </Show>
      <TrainingConfigForm training={() => project().training} onChange={(t) => s.options.onTraining?.(t) ?? false} disabled={s.busy() || !s.options.onTraining} />
      <EstimateLine
        analysis={s.analysis}
        training={() => project().training}
        epochs={() => intOrNull(s.epochs[0]())}
        batchSize={() => intOrNull(s.batch[0]())}
        maxTrainSamples={() => intOrNull(s.samples[0]())}
        datasetSamples={s.datasetSamples}
        pace={s.pace}
      />
      {/* A fixed box: the backend report and what the run loaded scroll inside it rather than push the charts. */}
      <div class="run-facts" data-testid="run-facts">
        <BackendCard report={s.report()} pending={!s.initReport() && !s.initError()} error={s.initError()} prewarmMs={s.view().prewarmMs} />
        <Show when={s.readError()}>{(m) => <p class="error" data-testid="read-error">{m()}</p>}</Show>
        <DatasetSummary log={s.view()} />
      </div>
      <RunCharts view={s.view} version={s.version} smoothing={s.smoothing} chartWidth={440}>
        <LogConsole lines={s.view().console} version={s.version} />
      </RunCharts>
    </section>
  );
}
