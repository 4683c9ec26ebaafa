// One editable parameter, built from its ParamDef alone (no per-kind UI code): a checkbox for
// bools, a select for choices, a text box for numbers and lists. Invalid text is refused inline
// with the reason and never reaches the graph; valid text is previewed at once and committed after
// a pause, on Enter or on leaving the field.
import { createEffect, createSignal, For, onCleanup, Show, untrack } from 'solid-js';
import type { ParamDef } from '../../engine/params.js';
import { controlFor, formatParam, parseParam } from './param-input.js';

/** Quiet time after the last keystroke before a valid value is committed. */
export const COMMIT_DELAY_MS = 500;

export interface ParamFieldProps {
  readonly name: string;
  readonly def: ParamDef;
  /** The stored (raw) value, or the resolved default when the node does not set it. */
  readonly value: unknown;
  readonly disabled: boolean;
  /** A valid candidate while typing (preview), or null when the field is back to its stored value. */
  onPreview(value: unknown | null): void;
  /** Commit a valid value as one undo step. */
  onCommit(value: unknown): void;
}

export function ParamField(props: ParamFieldProps) {
  const [text, setText] = createSignal(formatParam(props.def, props.value));
  const [error, setError] = createSignal<string | null>(null);
  let focused = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: { value: unknown } | null = null;

  // Follow the stored value (undo, another field's fix) unless the person is typing here.
  createEffect(() => {
    const shown = formatParam(props.def, props.value);
    if (!untrack(() => focused)) {
      setText(shown);
      setError(null);
    }
  });

  const commit = () => {
    clearTimeout(timer);
    if (!pending) return;
    const { value } = pending;
    pending = null;
    props.onCommit(value);
    props.onPreview(null);
  };
  // Closing the panel (another node selected by keyboard) must not drop a valid edit in flight.
  onCleanup(commit);

  const onText = (t: string) => {
    setText(t);
    const r = parseParam(props.name, props.def, t);
    clearTimeout(timer);
    if (!r.ok) {
      setError(r.error);
      pending = null;
      props.onPreview(null);
      return;
    }
    setError(null);
    pending = { value: r.value };
    props.onPreview(r.value);
    timer = setTimeout(commit, COMMIT_DELAY_MS);
  };

  const id = () => `param-${props.name}`;
  const control = () => controlFor(props.def);
  return (
    <div class="param-field" classList={{ invalid: error() !== null }} data-param={props.name}>
      <label for={id()} title={props.def.doc}>{props.name}</label>
      <Show when={control() === 'checkbox'}>
        <input id={id()} type="checkbox" data-testid={`prop-${props.name}`} checked={props.value === true} disabled={props.disabled}
          onChange={(e) => props.onCommit(e.currentTarget.checked)} />
      </Show>
      <Show when={control() === 'select' && props.def.type === 'enum' ? props.def : null}>
        {(def) => (
          <select id={id()} data-testid={`prop-${props.name}`} disabled={props.disabled} onChange={(e) => props.onCommit(e.currentTarget.value)}>
            <For each={def().values}>{(v) => <option value={v} selected={v === props.value}>{v}</option>}</For>
          </select>
        )}
      </Show>
      <Show when={control() === 'text'}>
        <input
          id={id()}
          type="text"
          data-testid={`prop-${props.name}`}
          value={text()}
          disabled={props.disabled}
          aria-invalid={error() !== null}
          placeholder={'nullable' in props.def && props.def.nullable ? 'none' : ''}
          onFocus={() => (focused = true)}
          onInput={(e) => onText(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Enter' && commit()}
          onBlur={() => {
            focused = false;
            commit();
            // Leaving an invalid field puts the stored value back; the reason stays visible until then.
            if (error() !== null) {
              setText(formatParam(props.def, props.value));
              setError(null);
              props.onPreview(null);
            }
          }}
        />
      </Show>
      <Show when={error()}>{(msg) => <p class="param-error" role="alert" data-testid={`prop-error-${props.name}`}>{msg()}</p>}</Show>
    </div>
  );
}
