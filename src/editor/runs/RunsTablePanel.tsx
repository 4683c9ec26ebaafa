// The Runs view's table of the project's runs (issue 6 §2): a query box (words search name, tags
// and notes; `valLoss<0.3`, `optimizer.learningRate:1e-4..1e-2`), the count shown, CSV/JSON of
// what is shown, ticks for comparison, sortable columns with the best metric values marked, and
// the shown run's name, notes and tags under the table. Built on src/engine/tracking/.
import { createMemo, createSignal, Show, type JSX } from 'solid-js';
import { parseRunsQuery, type RunsQuery } from '../../engine/tracking/runs-query.js';
import type { RunId, RunRecord } from '../../storage/types.js';
import type { TrainingSession } from '../training/training-session.js';
import { ColumnChooser, visibleColumns } from './ColumnChooser.js';
import { RunDetails } from './RunDetails.js';
import { RunsGrid } from './RunsGrid.js';
import { downloadRuns, type RunsFileFormat } from './runs-download.js';
import { DEFAULT_SORT, nextSort, tableOf, viewOf, type SortState } from './runs-table-view.js';
import './runs-table.css';

export interface RunsTablePanelProps {
  /** rows(), busy(), shown(), select(), start(checkpoint) for "Resume from here", refreshRows(). */
  readonly session: TrainingSession;
  /** Runs ticked for comparison, in the order they were ticked. */
  readonly picked: readonly RunId[];
  readonly onPick: (ids: readonly RunId[]) => void;
  /** "Compare N runs": opens the Compare tab with the picked runs. */
  readonly onCompare: () => void;
  /** Per-row actions owned by src/editor/tracking/ (Reproduce, Log to MLflow). */
  readonly rowActions: (run: RunRecord) => JSX.Element;
}

const EMPTY_QUERY: RunsQuery = { words: [], ranges: [] };
const QUERY_HELP = 'Words search run names, tags and notes; filter numbers with valLoss<0.3, epochs>=5, optimizer.learningRate:1e-4..1e-2';

export function RunsTablePanel(props: RunsTablePanelProps) {
  const s = props.session;
  const [queryText, setQueryText] = createSignal('');
  const [sort, setSort] = createSignal<SortState>(DEFAULT_SORT);
  const rowsById = createMemo(() => new Map(s.rows().map((r) => [r.run.id as string, r] as const)));
  const table = createMemo(() => tableOf(s.rows().map((r) => r.run)));
  const parsed = createMemo(() => parseRunsQuery(queryText(), table().columns));
  // A query that does not parse keeps the last one that did: the rows do not flash while typing.
  const query = createMemo<RunsQuery>((last) => {
    const p = parsed();
    return p.ok ? p.query : last;
  }, EMPTY_QUERY);
  const full = createMemo(() => viewOf(table(), query(), sort()));
  const view = createMemo(() => ({ ...full(), columns: visibleColumns(full().columns) }));
  const queryError = () => {
    const p = parsed();
    return p.ok ? null : p.message;
  };

  const picked = createMemo(() => new Set<string>(props.picked));
  const pickedStored = () => props.picked.filter((id) => rowsById().has(id));
  const shownIds = () => view().rows.map((r) => r.id as RunId);
  const allShownPicked = () => shownIds().length > 0 && shownIds().every((id) => picked().has(id));
  const someShownPicked = () => shownIds().some((id) => picked().has(id));
  const pickOne = (id: RunId, on: boolean) => props.onPick(on ? (picked().has(id) ? props.picked : [...props.picked, id]) : props.picked.filter((x) => x !== id));
  const pickShown = (on: boolean) => {
    const shown = new Set<string>(shownIds());
    props.onPick(on ? [...props.picked, ...shownIds().filter((id) => !picked().has(id))] : props.picked.filter((id) => !shown.has(id)));
  };
  const compareBlocked = () => (pickedStored().length < 2 ? 'Tick at least two runs to compare them' : null);

  const shownRow = () => {
    const id = s.shown();
    return id ? (rowsById().get(id) ?? null) : null;
  };
  const projectName = () => s.options.project().name;
  const download = (format: RunsFileFormat) => downloadRuns(projectName(), view().columns, view().rows, format);
  const noneShown = () => view().rows.length === 0;

  return (
    <section class="rt-panel runs" data-testid="runs-list" aria-label="Runs of this project">
      <div class="rt-toolbar">
        <label class="rt-search">
          <span class="rt-visually-hidden">Search and filter runs</span>
          <input
            type="search"
            data-testid="runs-search"
            placeholder="Search runs: baseline valLoss<0.3 optimizer.learningRate:1e-4..1e-2"
            title={QUERY_HELP}
            aria-describedby="runs-search-help"
            aria-invalid={queryError() !== null}
            value={queryText()}
            onInput={(e) => setQueryText(e.currentTarget.value)}
          />
        </label>
        <span class="rt-count" data-testid="runs-count" aria-live="polite">
          {view().rows.length} of {s.rows().length} run{s.rows().length === 1 ? '' : 's'}
        </span>
        <span class="rt-spacer" />
        <ColumnChooser columns={full().columns} />
        <button type="button" data-testid="runs-download-csv" disabled={noneShown()} title={noneShown() ? 'No run is shown' : 'Download the runs shown, as shown, as CSV'} onClick={() => download('csv')}>
          Download CSV
        </button>
        <button type="button" data-testid="runs-download-json" disabled={noneShown()} title={noneShown() ? 'No run is shown' : 'Download the runs shown, as shown, as JSON'} onClick={() => download('json')}>
          Download JSON
        </button>
        <button type="button" class="primary" data-testid="runs-compare" disabled={compareBlocked() !== null} title={compareBlocked() ?? 'Open the Compare tab with the ticked runs'} onClick={() => props.onCompare()}>
          Compare {pickedStored().length} runs
        </button>
      </div>
      {/* One line kept for the filter's help or its error, so the table never moves. */}
      <p class="rt-search-line" id="runs-search-help">
        <Show when={queryError()} fallback={<span class="muted">{QUERY_HELP}</span>}>
          {(e) => (
            <span class="error" data-testid="runs-search-error" role="alert">
              {e()} — showing the last filter that worked.
            </span>
          )}
        </Show>
      </p>
      <Show when={s.runsError()}>{(e) => <p class="error" role="alert">Stored runs cannot be shown: {e()}</p>}</Show>
      <div class="rt-scroll" tabindex="0" aria-label="Runs table (scrolls sideways when it is wide)">
        <Show
          when={s.rows().length > 0}
          fallback={<p class="muted rt-none">No runs of this project yet: start one from the Editor's Training tab; every run is kept on this device.</p>}
        >
          <RunsGrid
            view={view()}
            rowsById={rowsById()}
            sort={sort()}
            onSort={(c) => setSort(nextSort(sort(), c))}
            selected={s.shown()}
            busy={s.busy()}
            picked={picked()}
            onPickOne={pickOne}
            allShownPicked={allShownPicked()}
            someShownPicked={someShownPicked()}
            onPickShown={pickShown}
            onSelect={(id) => s.select(id)}
            onResume={(c) => void s.start(c)}
            rowActions={props.rowActions}
            emptyText={`No run matches “${queryText().trim()}”.`}
          />
        </Show>
      </div>
      <Show when={shownRow()} fallback={<div class="rt-details rt-details-empty muted">Pick a run above to name it, tag it and write notes on it.</div>}>
        {(row) => <RunDetails run={row().run} onSaved={() => s.refreshRows()} />}
      </Show>
    </section>
  );
}
