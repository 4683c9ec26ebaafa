// The save indicator beside the project name: saved (and when), saving, not saved, or read-only.
import { Match, Switch } from 'solid-js';
import type { SaveStatus as Status } from '../../storage/autosave.js';
import type { EditMode } from '../../storage/tabs.js';

const time = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** `data-state` is 'saved' | 'saving' | 'error' | 'read-only', for tests and styling. */
export function SaveStatus(props: { status: Status; mode: EditMode }) {
  const state = () => (props.mode.kind === 'read-only' ? 'read-only' : props.status.state);
  const savedAt = () => (props.status.state === 'saved' ? props.status.at : null);
  return (
    <span class={`save-status ${state()}`} data-testid="save-status" data-state={state()} role="status" aria-live="polite">
      <Switch>
        <Match when={state() === 'read-only'}>Read-only</Match>
        <Match when={state() === 'saving'}>Saving…</Match>
        <Match when={state() === 'error'}>Not saved</Match>
        <Match when={state() === 'saved'}>Saved{savedAt() !== null ? ` ${time(savedAt()!)}` : ''}</Match>
      </Switch>
    </span>
  );
}
