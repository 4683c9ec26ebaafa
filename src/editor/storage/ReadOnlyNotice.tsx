// Tells a person why this tab cannot edit (another tab edits the project, or a newer app saved
// it) and offers "Take over editing".
import { createSignal, Show } from 'solid-js';
import { describeHolder, type EditMode } from '../../storage/tabs.js';

const time = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function ReadOnlyNotice(props: { mode: EditMode; newer: boolean; refusal: string | null; onTakeOver: () => Promise<boolean> }) {
  const [busy, setBusy] = createSignal(false);
  const [failed, setFailed] = createSignal(false);
  const readOnly = () => (props.mode.kind === 'read-only' ? props.mode : null);
  async function takeOver() {
    setBusy(true);
    setFailed(false);
    const ok = await props.onTakeOver();
    setBusy(false);
    setFailed(!ok);
  }
  return (
    <>
      <Show when={props.newer}>
        <div class="banner notice" data-testid="newer-notice">
          This project was saved by a newer NeuralForge, so it is read-only here. Update the app to edit it.
          <Show when={props.refusal}>
            <div class="refusal" data-testid="edit-refused">{props.refusal}</div>
          </Show>
        </div>
      </Show>
      <Show when={!props.newer && readOnly()}>
        {(m) => (
          <div class="banner notice" data-testid="read-only-notice" role="status">
            <Show
              when={m().reason === 'taken-over'}
              fallback={<>This project is open for editing in {describeHolder(m().holder, time)}. This tab is read-only and shows that tab's changes as they are saved.</>}
            >
              Editing moved to {describeHolder(m().holder, time)}. This tab is now read-only and follows its saves.
            </Show>{' '}
            <button type="button" data-testid="take-over" disabled={busy()} onClick={() => void takeOver()}>
              Take over editing
            </button>
            <Show when={failed()}>
              <span class="error" data-testid="take-over-failed"> The other tab did not let go; close it (or its project) and try again.</span>
            </Show>
            <Show when={props.refusal}>
              <div class="refusal" data-testid="edit-refused">{props.refusal}</div>
            </Show>
          </div>
        )}
      </Show>
    </>
  );
}
