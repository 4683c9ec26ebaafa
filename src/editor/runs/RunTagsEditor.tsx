// A run's tags as chips: the person's own with a remove button, the app's system tags
// (train-samples:, resumed-from:, reproduces:, imported) read-only in a style of their own,
// and a field that adds tags (Enter; commas separate several).
import { createSignal, For, Show } from 'solid-js';
import { isSystemTag } from '../../storage/run-annotations.js';

export interface RunTagsEditorProps {
  readonly tags: readonly string[];
  /** Why the tags cannot change now; null when they can. */
  readonly locked: string | null;
  readonly saving: boolean;
  /** Saves the person's tags (system tags are kept by storage whatever is passed). */
  readonly onSave: (personTags: readonly string[]) => Promise<boolean>;
}

/** Tags as chips (system tags read-only), each of the person's with a remove button; an input adds more. */
export function RunTagsEditor(props: RunTagsEditorProps) {
  const [draft, setDraft] = createSignal('');
  const person = () => props.tags.filter((t) => !isSystemTag(t));
  const disabled = () => props.locked !== null || props.saving;

  async function add() {
    const typed = draft().split(',').map((t) => t.trim()).filter((t) => t !== '');
    if (typed.length === 0) return;
    if (await props.onSave([...person(), ...typed])) setDraft('');
  }

  return (
    <div class="rt-tags-editor">
      <ul class="rt-tags" aria-label="Tags">
        <For each={props.tags}>
          {(t) => (
            <Show
              when={!isSystemTag(t)}
              fallback={
                <li class="rt-tag system" data-testid="run-tag" data-tag={t} data-system="true" title="Kept by the app: it records how this run was trained and cannot be changed">
                  {t}
                </li>
              }
            >
              <li class="rt-tag" data-testid="run-tag" data-tag={t}>
                {t}
                <button
                  type="button"
                  class="rt-tag-remove"
                  data-testid="run-tag-remove"
                  aria-label={`Remove tag ${t}`}
                  title={props.locked ?? `Remove tag ${t}`}
                  disabled={disabled()}
                  onClick={() => void props.onSave(person().filter((x) => x !== t))}
                >
                  ×
                </button>
              </li>
            </Show>
          )}
        </For>
      </ul>
      <input
        type="text"
        class="rt-tag-input"
        data-testid="run-tag-input"
        aria-label="Add tags (Enter; commas separate several)"
        placeholder="add tag…"
        maxLength={640}
        disabled={disabled()}
        title={props.locked ?? 'Type a tag and press Enter; commas separate several'}
        value={draft()}
        onInput={(e) => setDraft(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void add();
          }
        }}
      />
    </div>
  );
}
