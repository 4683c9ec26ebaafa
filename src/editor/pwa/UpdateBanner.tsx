// "A new version of NeuralForge is ready — Update / Later": the update prompt. While a run is
// training, Update is disabled and the banner says it waits for the run; Update saves first.
import { Match, Show, Switch } from 'solid-js';
import { trainingActive } from './app-activity.js';
import type { UpdateFlow } from './update-flow.js';
import './pwa.css';

/** The banner's state as one word, for tests and styling. */
const stateOf = (flow: UpdateFlow): string => {
  const p = flow.phase();
  return p.kind === 'ready' && trainingActive() ? 'after-training' : p.kind;
};

/** Shows nothing until a new version is installed and waiting (or was activated by another tab). */
export function UpdateBanner(props: { flow: UpdateFlow }) {
  const phase = () => props.flow.phase();
  const visible = () => phase().kind !== 'none' && phase().kind !== 'dismissed';
  const activated = () => {
    const p = phase();
    return (p.kind === 'ready' || p.kind === 'failed') && p.activated;
  };
  const failure = () => {
    const p = phase();
    return p.kind === 'failed' ? p.message : null;
  };
  return (
    <Show when={visible()}>
      <div class="update-banner" role="status" data-testid="update-banner" data-state={stateOf(props.flow)}>
        <p>
          <Switch>
            <Match when={phase().kind === 'saving'}>Saving your work before updating…</Match>
            <Match when={phase().kind === 'activating'}>Starting the new version of NeuralForge…</Match>
            <Match when={failure()}>{(message) => <span class="error">{message()}</span>}</Match>
            <Match when={trainingActive()}>
              A new version of NeuralForge is ready. <strong>Update after training finishes</strong>: a run is in progress in this tab.
            </Match>
            <Match when={activated()}>A new version of NeuralForge is running in another tab. Update to load it here.</Match>
            <Match when={true}>A new version of NeuralForge is ready.</Match>
          </Switch>
        </p>
        <Show when={phase().kind !== 'saving' && phase().kind !== 'activating'}>
          <div class="update-actions">
            <button type="button" data-testid="update-now" disabled={!props.flow.canUpdate()} onClick={() => void props.flow.accept()}>
              Update
            </button>
            <button type="button" data-testid="update-later" onClick={() => props.flow.later()}>
              Later
            </button>
          </div>
        </Show>
      </div>
    </Show>
  );
}
