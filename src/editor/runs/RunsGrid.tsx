// The runs table itself: sortable headers, one keyed row per run (a tick box, its name or short
// id, status, times, settings, final metrics with the best of each column marked, tags,
// checkpoints and the row actions). Rows are keyed by run id, so a re-read of the runs or a new
// sort moves and updates rows instead of rebuilding them.
import { createEffect, createMemo, createSignal, For, onCleanup, Show, type JSX } from 'solid-js';
import type { Column, Row } from '../../engine/tracking/runs-table.js';
import { isSystemTag } from '../../storage/run-annotations.js';
import type { CheckpointRecord, RunId, RunRecord } from '../../storage/types.js';
import type { RunRow } from '../training/run-history.js';
import { RunCheckpoints } from './RunCheckpoints.js';
import { cellText, isNumeric, shortId, type SortState, type TableView } from './runs-table-view.js';

export interface RunsGridProps {
  readonly view: TableView;
  readonly rowsById: ReadonlyMap<string, RunRow>;
  readonly sort: SortState;
  readonly onSort: (column: Column) => void;
  readonly selected: RunId | null;
  readonly busy: boolean;
  readonly picked: ReadonlySet<string>;
  readonly onPickOne: (id: RunId, on: boolean) => void;
  readonly allShownPicked: boolean;
  readonly someShownPicked: boolean;
  readonly onPickShown: (on: boolean) => void;
  readonly onSelect: (id: RunId) => void;
  readonly onResume: (c: CheckpointRecord) => void;
  readonly rowActions: (run: RunRecord) => JSX.Element;
  /** Shown in the body when no row passes the filter. */
  readonly emptyText: string;
}

const ariaSort = (sort: SortState, id: string) => (sort.columnId !== id ? 'none' : sort.direction === 'asc' ? 'ascending' : 'descending');

function HeaderCell(props: { column: Column; sort: SortState; onSort: (c: Column) => void; children?: JSX.Element }) {
  const c = () => props.column;
  const arrow = () => (props.sort.columnId !== c().id ? '' : props.sort.direction === 'asc' ? ' ▲' : ' ▼');
  const hint = () => {
    const col = c();
    return col.kind === 'metric' ? ` (${col.best === 'min' ? 'lower' : 'higher'} is better)` : '';
  };
  return (
    <th scope="col" data-testid="runs-col" data-col={c().id} aria-sort={ariaSort(props.sort, c().id)} classList={{ num: isNumeric(c()), sticky: c().id === 'name' }}>
      {props.children}
      <button type="button" class="rt-sort" title={`Sort by ${c().label}${hint()}`} onClick={() => props.onSort(c())}>
        <span class="rt-label">{c().label}</span>
        <span class="rt-arrow" aria-hidden="true">{arrow()}</span>
      </button>
    </th>
  );
}

function TagChips(props: { tags: readonly string[] }) {
  return (
    <ul class="rt-tags">
      <For each={props.tags}>{(t) => <li class="rt-tag" classList={{ system: isSystemTag(t) }}>{t}</li>}</For>
    </ul>
  );
}

/** What every row shares, computed once per view: cells by row id, the columns by id. */
interface Shared {
  readonly grid: RunsGridProps;
  readonly cellsById: () => ReadonlyMap<string, Row>;
  readonly columnIds: () => readonly string[];
  readonly columnById: () => ReadonlyMap<string, Column>;
}

function MetricOrValueCell(props: { id: string; column: () => Column; shared: Shared }) {
  const g = props.shared.grid;
  const c = props.column;
  const best = () => {
    const col = c();
    return col.kind === 'metric' && (g.view.best[col.id]?.rowIds.includes(props.id) ?? false);
  };
  const bestTitle = () => {
    const col = c();
    return col.kind === 'metric' && best() ? `best (${col.best === 'min' ? 'lowest' : 'highest'})` : undefined;
  };
  return (
    <td data-col={c().id} classList={{ num: isNumeric(c()), best: best() }} data-best={best() ? 'true' : undefined} title={bestTitle()}>
      {cellText(c(), props.shared.cellsById().get(props.id)?.cells[c().id])}
    </td>
  );
}

function RunLine(props: { id: string; shared: Shared }) {
  const g = props.shared.grid;
  const rec = createMemo(() => g.rowsById.get(props.id) ?? null);
  const selected = () => g.selected === props.id;
  return (
    <Show when={rec()}>
      {(r) => (
        <tr
          data-testid="run-row"
          data-run-id={props.id}
          data-status={r().run.status}
          data-selected={selected() ? 'true' : 'false'}
          classList={{ selected: selected() }}
          onClick={() => !g.busy && g.onSelect(r().run.id)}
        >
          <th scope="row" class="sticky rt-name" data-col="name">
            <input
              type="checkbox"
              data-testid="run-pick"
              aria-label={`Tick ${r().run.name ?? `run ${shortId(props.id)}`} for comparison`}
              checked={g.picked.has(props.id)}
              onClick={(e) => e.stopPropagation()}
              onChange={(e) => g.onPickOne(r().run.id, e.currentTarget.checked)}
            />
            <button
              type="button"
              class="rt-show"
              aria-pressed={selected()}
              disabled={g.busy && !selected()}
              title={g.busy ? 'A run is training: other runs can be shown when it has ended' : `Show this run's curves (${props.id})`}
              onClick={(e) => {
                e.stopPropagation();
                if (!g.busy) g.onSelect(r().run.id);
              }}
            >
              <Show when={r().run.name} fallback={<code class="rt-id">{shortId(props.id)}</code>}>{(n) => <span class="rt-run-name">{n()}</span>}</Show>
            </button>
          </th>
          <For each={props.shared.columnIds()}>
            {(cid) => {
              // A column id says its kind for good ('status', 'tags', 'metric:…'): choose the cell once.
              const column = () => props.shared.columnById().get(cid)!;
              switch (cid) {
                case 'status':
                  return (
                    <td data-col={cid} class={`rt-status ${r().run.status}`} title={r().run.error ?? ''}>
                      {r().run.status}
                      {r().run.resumedFrom ? ' (resumed)' : ''}
                    </td>
                  );
                case 'tags':
                  return (
                    <td data-col={cid}>
                      <TagChips tags={r().run.tags} />
                    </td>
                  );
                default:
                  return <MetricOrValueCell id={props.id} column={column} shared={props.shared} />;
              }
            }}
          </For>
          <td class="rt-actions-cell">{g.rowActions(r().run)}</td>
          <td class="rt-checkpoints-cell">
            <RunCheckpoints run={r().run} checkpoints={r().checkpoints} busy={g.busy} onResume={g.onResume} />
          </td>
        </tr>
      )}
    </Show>
  );
}

/** Rows drawn per task: hundreds of runs appear over a few short tasks, never one long one. */
const ROWS_PER_TASK = 40;
const sameStrings = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The table of runs; `view` decides which rows and columns, in which order. */
export function RunsGrid(props: RunsGridProps) {
  const all = createMemo(() => props.view.rows.map((r) => r.id));
  // The first rows draw at once, the rest in later tasks; once all are drawn, new ones come at once.
  const [limit, setLimit] = createSignal(ROWS_PER_TASK);
  const ids = createMemo(() => (all().length <= limit() ? all() : all().slice(0, limit())), undefined, { equals: sameStrings });
  createEffect(() => {
    if (limit() >= all().length) return;
    const t = setTimeout(() => setLimit((l) => l + ROWS_PER_TASK), 0);
    onCleanup(() => clearTimeout(t));
  });
  const nameColumn = createMemo(() => props.view.columns.find((c) => c.id === 'name')!);
  const others = createMemo(() => props.view.columns.filter((c) => c.id !== 'name'));
  // Strings compare by value: rows and cells keep their DOM when the runs are re-read.
  const columnIds = createMemo(() => others().map((c) => c.id), undefined, { equals: sameStrings });
  const shared: Shared = {
    grid: props,
    cellsById: createMemo(() => new Map(props.view.rows.map((r) => [r.id, r] as const))),
    columnIds,
    columnById: createMemo(() => new Map(others().map((c) => [c.id, c] as const))),
  };
  return (
    <table class="rt-table">
      <thead>
        <tr>
          <HeaderCell column={nameColumn()} sort={props.sort} onSort={props.onSort}>
            <input
              type="checkbox"
              data-testid="runs-pick-all"
              aria-label="Tick every run shown"
              title={props.allShownPicked ? 'Untick every run shown' : 'Tick every run shown'}
              checked={props.allShownPicked}
              ref={(el) => createEffect(() => (el.indeterminate = props.someShownPicked && !props.allShownPicked))}
              disabled={all().length === 0}
              onChange={(e) => props.onPickShown(e.currentTarget.checked)}
            />
          </HeaderCell>
          <For each={columnIds()}>{(cid) => <HeaderCell column={shared.columnById().get(cid)!} sort={props.sort} onSort={props.onSort} />}</For>
          <th scope="col">Actions</th>
          <th scope="col">Checkpoints</th>
        </tr>
      </thead>
      <tbody>
        <For each={ids()} fallback={<tr class="rt-empty"><td colSpan={others().length + 3}>{props.emptyText}</td></tr>}>
          {(id) => <RunLine id={id} shared={shared} />}
        </For>
      </tbody>
    </table>
  );
}
