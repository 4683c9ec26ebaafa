// The details of the run on show, under the runs table: its name, notes and tags, saved to
// storage through annotateRun (then the table re-reads its rows). Locked, with the reason, while
// the run trains or when its record is read-only.
import { createEffect, createMemo, createSignal, on, Show } from 'solid-js';
import { MAX_RUN_NAME, MAX_RUN_NOTES, annotateRun, type RunAnnotationPatch } from '../../storage/run-annotations.js';
import type { RunRecord } from '../../storage/types.js';
import { pageStorage } from '../training/run-history.js';
import { RunTagsEditor } from './RunTagsEditor.js';
import { shortId } from './runs-table-view.js';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Why a run's name, notes and tags cannot change now; null when they can. */
export function lockReason(run: RunRecord): string | null {
  if (run.status === 'running' || run.status === 'paused') return 'This run is training: name, notes and tags can be changed once it has ended.';
  if (run.readOnly) return 'This run was saved by a newer NeuralForge: it opens read-only here.';
  return null;
}

export interface RunDetailsProps {
  readonly run: RunRecord;
  /** Re-reads the runs after a save (session.refreshRows). */
  readonly onSaved: () => Promise<void>;
}

/** Name, notes and tags of one run, with Save and the result of the last save. */
export function RunDetails(props: RunDetailsProps) {
  const [name, setName] = createSignal('');
  const [notes, setNotes] = createSignal('');
  const [saving, setSaving] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [saved, setSaved] = createSignal(false);
  // The drafts follow what is stored when it changes (memos: a re-read with the same values, as
  // after a tag is saved, keeps what the person is typing), and restart when another run is shown.
  const storedName = createMemo(() => props.run.name ?? '');
  const storedNotes = createMemo(() => props.run.notes);
  createEffect(on(storedName, (n) => setName(n)));
  createEffect(on(storedNotes, (t) => setNotes(t)));
  // `on` runs on every change of what its source reads (a re-read record too): key it on the id's value.
  const runId = createMemo(() => props.run.id);
  createEffect(
    on(
      runId,
      () => {
        setName(storedName());
        setNotes(storedNotes());
        setError(null);
        setSaved(false);
      },
    ),
  );

  const locked = () => lockReason(props.run);
  const dirty = () => name().trim() !== (props.run.name ?? '') || notes().trim() !== props.run.notes;

  async function save(patch: RunAnnotationPatch): Promise<boolean> {
    setSaving(true);
    setError(null);
    setSaved(false);
    try {
      const r = await annotateRun(await pageStorage(), props.run.id, patch);
      if (!r.ok) {
        setError(r.message);
        return false;
      }
      await props.onSaved();
      setSaved(true);
      return true;
    } catch (e) {
      setError(`Could not open this device's storage: ${message(e)}`);
      return false;
    } finally {
      setSaving(false);
    }
  }

  return (
    <div class="rt-details" data-testid="run-details" data-run-id={props.run.id}>
      <form
        class="rt-details-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (dirty()) void save({ name: name(), notes: notes() });
        }}
      >
        <div class="rt-details-left">
          <label class="rt-field">
            <span>Name of run <code title={props.run.id}>{shortId(props.run.id)}</code></span>
            <input
              type="text"
              data-testid="run-name-input"
              placeholder="unnamed"
              maxLength={MAX_RUN_NAME}
              disabled={locked() !== null || saving()}
              title={locked() ?? 'A name of your own for this run (Enter saves)'}
              value={name()}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          </label>
          <div class="rt-field">
            <span>Tags</span>
            <RunTagsEditor tags={props.run.tags} locked={locked()} saving={saving()} onSave={(tags) => save({ tags })} />
          </div>
        </div>
        <label class="rt-field rt-notes">
          <span>Notes</span>
          <textarea
            data-testid="run-notes"
            rows={3}
            maxLength={MAX_RUN_NOTES}
            placeholder="What you tried, what you saw…"
            disabled={locked() !== null || saving()}
            title={locked() ?? 'Notes on this run, kept on this device'}
            value={notes()}
            onInput={(e) => setNotes(e.currentTarget.value)}
          />
        </label>
        <div class="rt-details-actions">
          <button type="submit" data-testid="run-details-save" disabled={locked() !== null || saving() || !dirty()} title={locked() ?? (dirty() ? 'Save the name and notes' : 'Nothing changed')}>
            {saving() ? 'Saving…' : 'Save name and notes'}
          </button>
          <p class="rt-details-status" role="status" aria-live="polite">
            <Show when={error()} fallback={<Show when={locked()} fallback={saved() && !dirty() ? <span class="muted">Saved on this device.</span> : ''}>{(why) => <span class="muted">{why()}</span>}</Show>}>
              {(e) => (
                <span class="error" data-testid="run-details-error" role="alert">
                  {e()}
                </span>
              )}
            </Show>
          </p>
        </div>
      </form>
    </div>
  );
}
