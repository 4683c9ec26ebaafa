// Keyboard shortcuts from the command table: one keydown handler for the editor. Keys are
// written like "Mod+Shift+Z" (Mod = Ctrl, or Cmd on a Mac); letters and digits are matched by
// their physical key, other characters ("?", "/", "+") by what they type.
import { commandState, type Command, type CommandEnv } from './commands.js';

/** The parts of a KeyboardEvent a shortcut looks at. */
export interface KeyPress {
  readonly key: string;
  readonly code: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

const NAMED: Readonly<Record<string, string>> = { ' ': 'Space', Esc: 'Escape', Del: 'Delete' };

const MODIFIERS: Readonly<Record<string, 'Mod' | 'Alt' | 'Shift'>> = { mod: 'Mod', ctrl: 'Mod', control: 'Mod', cmd: 'Mod', meta: 'Mod', alt: 'Alt', option: 'Alt', shift: 'Shift' };

/** Canonical form of a key spec: modifiers in the order Mod, Alt, Shift; letters upper case. */
export function normalizeKeys(spec: string): string {
  // "+" and "Mod++" name the "+" key itself.
  const plus = spec === '+' || spec.endsWith('++');
  const cut = plus ? spec.length - 1 : spec.lastIndexOf('+') + 1;
  const key = spec.slice(cut);
  const modText = spec.slice(0, Math.max(0, cut - 1));
  if (key === '') throw new Error(`the shortcut "${spec}" names no key`);
  const mods = new Set(
    (modText === '' ? [] : modText.split('+')).map((m) => {
      const canonical = MODIFIERS[m.toLowerCase()];
      if (!canonical) throw new Error(`the shortcut "${spec}" has an unknown modifier "${m}"`);
      return canonical;
    }),
  );
  const name = key.length === 1 ? key.toUpperCase() : (NAMED[key] ?? key);
  return [...(['Mod', 'Alt', 'Shift'] as const).filter((m) => mods.has(m)), name].join('+');
}

/** The canonical combo of a key press, or null for a bare modifier. */
export function pressCombo(e: KeyPress): string | null {
  if (['Control', 'Meta', 'Shift', 'Alt'].includes(e.key)) return null;
  let key: string;
  let shift = e.shiftKey;
  if (/^Key[A-Z]$/.test(e.code)) key = e.code.slice(3);
  else if (/^Digit[0-9]$/.test(e.code)) key = e.code.slice(5);
  else if (e.key.length === 1 && e.key !== ' ') {
    key = e.key.toUpperCase();
    shift = false; // "?" already says Shift was held (where the layout needs it)
  } else key = NAMED[e.key] ?? e.key;
  const mods = [e.ctrlKey || e.metaKey ? 'Mod' : null, e.altKey ? 'Alt' : null, shift ? 'Shift' : null].filter((m) => m !== null);
  return [...mods, key].join('+');
}

/** How a key spec reads to a person on this platform ("Ctrl+Shift+Z", "⌘⇧Z"). */
export function displayKeys(spec: string, mac: boolean): string {
  const parts = normalizeKeys(spec).split('+');
  const key = parts.at(-1)!;
  const mods = parts.slice(0, -1);
  if (mac) return mods.map((m) => ({ Mod: '⌘', Alt: '⌥', Shift: '⇧' })[m] ?? m).join('') + key;
  return [...mods.map((m) => (m === 'Mod' ? 'Ctrl' : m)), key].join('+');
}

/** True while typing into a field: shortcuts then leave the keystroke to the field. */
export function isTextTarget(target: unknown): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean } | null;
  if (!el || typeof el.tagName !== 'string') return false;
  return el.isContentEditable === true || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName.toUpperCase());
}

/** The command bound to `combo`, if any. */
export function commandFor(commands: readonly Command[], combo: string): Command | undefined {
  return commands.find((c) => c.keys.some((k) => normalizeKeys(k) === combo));
}

/**
 * A keydown listener running the table's commands. A matched, enabled command takes the key
 * (preventDefault, so Ctrl+D does not bookmark); a disabled one says why through `env.ui.notify`.
 */
export function shortcutHandler(commands: readonly Command[], env: CommandEnv): (e: KeyboardEvent) => void {
  return (e) => {
    if (e.defaultPrevented || isTextTarget(e.target)) return;
    const combo = pressCombo(e);
    const command = combo === null ? undefined : commandFor(commands, combo);
    if (!command) return;
    e.preventDefault();
    const state = commandState(command, env);
    if (!state.enabled) {
      env.ui.notify(state.reason);
      return;
    }
    void Promise.resolve(command.run(env)).catch((err: unknown) => env.ui.notify(`${command.label} failed: ${err instanceof Error ? err.message : String(err)}`));
  };
}
