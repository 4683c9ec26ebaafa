// The project's past exports, newest first: file, format, weights, architecture version, size,
// and the validation verdict with max/mean |Δ| per runtime (the full report on demand). Entries
// can be deleted; the files themselves were never kept (src/storage/export-history.ts says why).
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import type { RuntimeComparison } from '../../engine/export/types.js';
import { deleteExportEntry, listExportHistory, type ExportHistoryEntry } from '../../storage/export-history.js';
import type { ProjectId, StorageDb } from '../../storage/types.js';
import { bytes } from '../format.js';
import { exportedWeightsLabel } from './weight-choices.js';
import { rowStatus, ValidationReport } from './ValidationReport.js';

export interface ExportHistoryProps {
  readonly db: StorageDb;
  readonly projectId: ProjectId;
  /** Bumped after an export was recorded: the list re-reads. */
  readonly revision: () => number;
}

const when = (ms: number) => new Date(ms).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
const sci = (x: number) => (Number.isFinite(x) ? x.toExponential(1) : '—');

/** "wasm: max |Δ| 2.4e-7, mean 3.1e-8 (pass)" per runtime. */
const diffs = (rows: readonly RuntimeComparison[], tolerance: number) =>
  rows.map((r) => `${r.runtime.replace('onnxruntime-web/', '')}: ${r.error !== undefined ? 'did not run' : `max |Δ| ${sci(r.maxAbsDiff)}, mean ${sci(r.meanAbsDiff)} (${rowStatus(r, tolerance)})`}`).join('; ');

function Entry(props: { entry: ExportHistoryEntry; onDelete: () => Promise<void> }) {
  const r = () => props.entry.record;
  const v = () => props.entry.details.validation;
  const w = () => props.entry.details.weights;
  const checkpointId = () => {
    const x = w();
    return x?.kind === 'checkpoint' ? x.checkpointId : '';
  };
  const [busy, setBusy] = createSignal(false);
  return (
    <li
      data-testid="export-history-entry"
      data-export-id={r().id}
      data-format={r().format}
      data-file-name={r().fileName}
      data-bytes={String(r().bytes)}
      data-run-id={r().runId ?? ''}
      data-checkpoint-id={checkpointId()}
      data-version-id={r().versionId ?? ''}
      data-passed={v() ? String(v()!.passed) : ''}
    >
      <strong>{r().fileName}</strong> <span class="muted">({r().format}, {bytes(r().bytes)}, {when(r().createdAt)})</span>
      <br />
      {exportedWeightsLabel(w())}
      {r().versionId ? `, architecture version ${r().versionId!.slice(0, 8)}` : ''}
      <Show when={v()}>
        {(rep) => (
          <>
            {' · '}
            <span classList={{ ok: rep().passed, error: !rep().passed }} data-testid="export-history-verdict">
              validation {rep().passed ? 'passed' : 'failed'}
            </span>{' '}
            <span class="muted" data-testid="export-history-diffs">{diffs(rep().runtimes, rep().tolerance)}</span>
            <details>
              <summary>report</summary>
              <ValidationReport report={rep()} />
            </details>
          </>
        )}
      </Show>{' '}
      <button
        type="button"
        data-testid="export-history-delete"
        disabled={busy()}
        onClick={() => {
          setBusy(true);
          void props.onDelete().finally(() => setBusy(false));
        }}
      >
        Delete
      </button>
    </li>
  );
}

export function ExportHistory(props: ExportHistoryProps) {
  const [entries, setEntries] = createSignal<readonly ExportHistoryEntry[]>([]);
  const [error, setError] = createSignal<string | null>(null);
  let reads = 0;

  async function reload(): Promise<void> {
    const n = ++reads;
    try {
      const list = await listExportHistory(props.db, props.projectId);
      if (n === reads) setEntries(list); // a slower, older read never overwrites a newer one
    } catch (err) {
      setError(`could not read the history: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  createEffect(on(props.revision, () => void reload()));

  async function remove(e: ExportHistoryEntry): Promise<void> {
    try {
      await deleteExportEntry(props.db, e.record.id);
      setError(null);
    } catch (err) {
      setError(`could not delete the entry: ${err instanceof Error ? err.message : String(err)}`);
    }
    await reload();
  }

  return (
    <div class="export-history" data-testid="export-history" data-count={String(entries().length)}>
      <h3>Past exports</h3>
      <p class="muted">The files are not kept: export the same weights again to get them back.</p>
      <Show when={error()}>{(m) => <p class="error" role="alert">{m()}</p>}</Show>
      <Show when={entries().length} fallback={<p class="muted" data-testid="export-history-empty">None yet.</p>}>
        <ul>
          <For each={entries()}>{(e) => <Entry entry={e} onDelete={() => remove(e)} />}</For>
        </ul>
      </Show>
    </div>
  );
}
