// The "MLflow tracking server" box of the Runs view: tracking URI, experiment id, an optional
// Authorization value and automatic logging, checked on save and kept in this browser only.
import { createSignal, For } from 'solid-js';
import type { FieldError, SettingsField } from './mlflow-settings.js';
import { forgetMlflowSettings, mlflowSettings, saveMlflowSettings } from './mlflow-store.js';
import './tracking.css';

// Open or closed as the person left it, across visits to the Runs view (it unmounts in between).
const [boxOpen, setBoxOpen] = createSignal(false);

/** The MLflow tracking-server settings (kept on this device). */
export function TrackingSettings() {
  const saved = mlflowSettings;
  const [uri, setUri] = createSignal(saved()?.trackingUri ?? '');
  const [experiment, setExperiment] = createSignal(saved()?.experimentId ?? '');
  const [auth, setAuth] = createSignal(saved()?.authorization ?? '');
  const [autoLog, setAutoLog] = createSignal(saved()?.autoLog ?? false);
  const [errors, setErrors] = createSignal<readonly FieldError[]>([]);
  const [note, setNote] = createSignal('');
  const origin = globalThis.location?.origin ?? 'this page';
  const invalid = (f: SettingsField) => errors().some((e) => e.field === f);
  const errorId = 'mlflow-settings-errors';

  function save(e: Event) {
    e.preventDefault();
    const r = saveMlflowSettings({ trackingUri: uri(), experimentId: experiment(), authorization: auth(), autoLog: autoLog() });
    if (!r.ok) {
      setErrors(r.errors);
      setNote('Not saved.');
      return;
    }
    setErrors([]);
    setUri(r.settings.trackingUri);
    setExperiment(r.settings.experimentId);
    setAuth(r.settings.authorization);
    setNote('Saved on this device.');
  }

  function forget() {
    forgetMlflowSettings();
    setUri('');
    setExperiment('');
    setAuth('');
    setAutoLog(false);
    setErrors([]);
    setNote('Settings forgotten.');
  }

  const summary = () => {
    const s = saved();
    return s ? `${s.trackingUri}, experiment ${s.experimentId}${s.autoLog ? ', logs finished runs automatically' : ''}` : 'not set up';
  };

  return (
    <details class="tracking-settings" data-testid="mlflow-settings" open={boxOpen()} onToggle={(e) => setBoxOpen(e.currentTarget.open)}>
      <summary>
        MLflow tracking server <span class="muted" data-testid="mlflow-settings-summary">— {summary()}</span>
      </summary>
      <form class="tracking-form" onSubmit={save} novalidate>
        <label classList={{ invalid: invalid('trackingUri') }}>
          <span>Tracking URI</span>
          <input data-testid="mlflow-uri" type="url" inputmode="url" spellcheck={false} placeholder="http://localhost:5000" value={uri()} onInput={(e) => setUri(e.currentTarget.value)} aria-invalid={invalid('trackingUri')} aria-describedby={errorId} />
        </label>
        <label classList={{ invalid: invalid('experimentId') }}>
          <span>Experiment id</span>
          <input data-testid="mlflow-experiment" spellcheck={false} placeholder="0" value={experiment()} onInput={(e) => setExperiment(e.currentTarget.value)} aria-invalid={invalid('experimentId')} aria-describedby={errorId} />
        </label>
        <label classList={{ invalid: invalid('authorization') }}>
          <span>Authorization header (optional)</span>
          <input data-testid="mlflow-auth" type="password" autocomplete="off" placeholder="Bearer …" value={auth()} onInput={(e) => setAuth(e.currentTarget.value)} aria-invalid={invalid('authorization')} aria-describedby={errorId} />
        </label>
        <label class="tracking-check">
          <input data-testid="mlflow-auto" type="checkbox" checked={autoLog()} onChange={(e) => setAutoLog(e.currentTarget.checked)} />
          <span>Log each finished run automatically</span>
        </label>
        <div class="tracking-buttons">
          <button type="submit" data-testid="mlflow-save">Save</button>
          <button type="button" data-testid="mlflow-forget" disabled={!saved()} onClick={forget}>Forget settings</button>
          <span class="muted" role="status" data-testid="mlflow-settings-status">{note()}</span>
        </div>
        <ul class="tracking-errors error" id={errorId} data-testid="mlflow-settings-errors" role="alert">
          <For each={errors()}>{(e) => <li data-field={e.field}>{e.message}</li>}</For>
        </ul>
        <p class="muted tracking-note">
          The browser sends runs straight to the server, so the server must allow this page's origin, <code>{origin}</code> (CORS). MLflow 3.5 and later (its default
          server): start it with <code>--cors-allowed-origins "{origin}"</code> or set <code>MLFLOW_SERVER_CORS_ALLOWED_ORIGINS</code>; by default it allows localhost origins
          only. Older versions, or a server started with <code>--gunicorn-opts</code> or <code>--waitress-opts</code>, have no such setting: put a proxy in front that
          sends <code>Access-Control-Allow-Origin</code>. These settings, the Authorization value included, are kept in this browser's storage as plain text.
        </p>
      </form>
    </details>
  );
}
