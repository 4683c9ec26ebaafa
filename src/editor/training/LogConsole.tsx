// The run's log console: phase, backend, warning and error lines, newest last, warnings and
// errors highlighted (by class, and by role for assistive technology). It keeps scrolled to
// the newest line unless the person scrolled up to read.
import { createEffect, For, on } from 'solid-js';
import type { ConsoleLine } from './run-log.js';

/** Errors interrupt (alert); warnings are announced politely (status); the rest is plain text. */
const ROLE: Record<ConsoleLine['level'], 'alert' | 'status' | undefined> = { error: 'alert', warning: 'status', info: undefined };

export function LogConsole(props: { lines: readonly ConsoleLine[]; version: () => number }) {
  let box!: HTMLOListElement;
  createEffect(
    on(props.version, () => {
      // Follow the tail only when already at (or near) the bottom.
      if (box.scrollHeight - box.scrollTop - box.clientHeight < 40) queueMicrotask(() => (box.scrollTop = box.scrollHeight));
    }),
  );
  return (
    <section class="log-console" aria-label="Run log">
      <h3>Log</h3>
      <ol ref={box} data-testid="log-console" data-lines={props.lines.length}>
        <For each={props.lines.slice()} fallback={<li class="muted">Nothing yet: events of the run appear here.</li>}>
          {(l) => (
            <li class={`log-line ${l.level}`} role={ROLE[l.level]} data-level={l.level} data-testid="log-line">
              <span class="level">{l.level === 'info' ? '·' : l.level}</span> {l.text}
            </li>
          )}
        </For>
      </ol>
    </section>
  );
}
