// What the worker loaded: name, classes, split sizes, its content version (and whether it is
// kept on the device), files the import left out, and a remote dataset's download progress bar
// (full once it arrived, or "From the cache").
import { For, Show } from 'solid-js';
import type { RunLog } from './run-log.js';

/** Bytes for people: KiB under a MiB (a small CSV would read "0.0 MiB"), else MiB. */
const mib = (b: number) => (b < 1 << 20 ? `${(b / 1024).toFixed(1)} KiB` : `${(b / (1 << 20)).toFixed(1)} MiB`);

export function DatasetSummary(props: { log: RunLog }) {
  const d = () => props.log.dataset;
  return (
    <>
      {/* Kept after loading ("Downloaded …", a full bar), so a run shows where its data came from. */}
      <Show when={props.log.download}>
        {(p) => (
          <p class="download" data-testid="download-progress" data-loaded={p().loaded} data-total={p().total ?? ''} data-cached={String(p().cached)}>
            {p().cached ? 'From the cache' : d() ? 'Downloaded' : 'Downloading'} {mib(p().loaded)}
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
            <Show when={info().version}>
              {(v) => (
                <span class="muted" data-testid="dataset-version" data-version={v()} data-dataset-id={info().datasetId ?? ''} title={v()}>
                  {' '}· version {v().slice(0, 8)}
                  {info().datasetId ? ' · kept on this device' : ''}
                </span>
              )}
            </Show>
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
