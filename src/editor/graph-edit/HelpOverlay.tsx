// The keyboard help overlay ("?"): every command of the table with its keys and whether it can
// run now. Escape or the close button closes it.
import { For, onCleanup, onMount } from 'solid-js';
import { commandState, type Command, type CommandEnv } from './commands.js';
import { displayKeys } from './shortcuts.js';

const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function HelpOverlay(props: { commands: readonly Command[]; env: CommandEnv; onClose: () => void }) {
  let closeButton: HTMLButtonElement | undefined;
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      props.onClose();
    }
  };
  onMount(() => {
    closeButton?.focus();
    window.addEventListener('keydown', onKey, true);
  });
  onCleanup(() => window.removeEventListener('keydown', onKey, true));
  return (
    <div class="help-backdrop" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <div class="help-overlay" role="dialog" aria-modal="true" aria-labelledby="help-title" data-testid="help-overlay">
        <header>
          <h3 id="help-title">Keyboard shortcuts</h3>
          <button type="button" ref={closeButton} data-testid="help-close" onClick={() => props.onClose()}>Close</button>
        </header>
        <table>
          <tbody>
            <For each={props.commands}>
              {(c) => {
                const state = () => commandState(c, props.env);
                return (
                  <tr data-testid="help-row" data-command={c.id} classList={{ disabled: !state().enabled }} title={state().enabled ? '' : (state() as { reason: string }).reason}>
                    <td>{c.label}</td>
                    <td class="help-keys">
                      <For each={c.keys} fallback={<span class="muted">toolbar</span>}>{(k) => <kbd>{displayKeys(k, isMac())}</kbd>}</For>
                    </td>
                  </tr>
                );
              }}
            </For>
          </tbody>
        </table>
        <p class="muted small">Shortcuts work while the editor has focus and you are not typing in a field.</p>
      </div>
    </div>
  );
}
