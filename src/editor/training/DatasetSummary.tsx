// What the worker loaded: name, classes, split sizes, files the import left out, and a
// progress bar while a remote dataset downloads.
import { For, Show } from 'solid-js';
import type { RunLog } from './run-log.js';

const mib = (b: number) => `${(b / (1 << 20)).toFixed(1)} MiB`;

export function DatasetSummary(props: { log: RunLog }) {
  const d = () => props.log.dataset;
  return (
    <>
      <Show when={d() ? null : props.log.download}>
        {(p) => (
          <p class="download" data-testid="download-progress">
            {p().cached ? 'From the cache' : 'Downloading'} {mib(p().loaded)}
            {p().total !== null ? ` of ${mib(p().total!)}` : ''}{' '}
            {/* No total: an indeterminate bar (no value attribute). */}
            <progress max={p().total ?? 1} value={p().total !== null ? p().loaded : undefined} />
          </p>
        )}
      </Show>
      <Show when={d()}>
        {(info) => (
          <div class="dataset-summary" data-testid="dataset-summary" data-classes={info().classes ?? ''} data-train={info().train} data-validation={info().validation} data-test={info().test}>
            <strong>{info().name}</strong>
            {info().classes !== null ? ` · ${info().classes} classes` : ''} · {info().train} train / {info().validation} validation / {info().test} test
            <Show when={info().skipped.length > 0}>
              <details open>
                <summary>{info().skipped.length} file{info().skipped.length === 1 ? '' : 's'} skipped</summary>
                <ul class="skipped">
                  <For each={info().skipped}>
                    {(s) => (
                      <li data-testid="skipped-file" data-path={s.path}>
                        {s.path}: {s.reason}
                      </li>
                    )}
                  </For>
                </ul>
              </details>
            </Show>
          </div>
        )}
      </Show>
    </>
  );
}
