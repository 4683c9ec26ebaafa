// The editor's toolbar: buttons for the common commands of the table, disabled with the reason
// as a tooltip when they cannot run, and a line for the last message (a refused paste).
import { For, Show } from 'solid-js';
import { command, commandState, type CommandEnv, type CommandId } from './commands.js';

const BUTTONS: readonly { id: CommandId; text: string }[] = [
  { id: 'undo', text: 'Undo' },
  { id: 'redo', text: 'Redo' },
  { id: 'duplicate', text: 'Duplicate' },
  { id: 'delete', text: 'Delete' },
  { id: 'autoLayout', text: 'Auto-layout' },
  { id: 'exportSvg', text: 'SVG' },
  { id: 'exportPng', text: 'PNG' },
  { id: 'help', text: 'Shortcuts ?' },
];

export function EditorToolbar(props: { env: CommandEnv; notice: string | null; detail: (id: CommandId) => string | null }) {
  return (
    <div class="editor-toolbar" role="toolbar" aria-label="Graph editing" data-testid="editor-toolbar">
      <For each={BUTTONS}>
        {(b) => {
          const c = command(b.id);
          const state = () => commandState(c, props.env);
          const title = () => {
            const s = state();
            return s.enabled ? [props.detail(b.id) ?? c.label, c.keys[0]].filter(Boolean).join(' — ') : s.reason;
          };
          return (
            <button type="button" data-testid={`cmd-${b.id}`} disabled={!state().enabled} title={title()} onClick={() => void c.run(props.env)}>
              {b.text}
            </button>
          );
        }}
      </For>
      <Show when={props.notice}>
        <span class="editor-notice" role="status" data-testid="editor-notice">{props.notice}</span>
      </Show>
    </div>
  );
}
