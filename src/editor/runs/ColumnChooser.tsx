// "Columns": which of the runs table's columns show (the run's name always does). Hidden
// columns are left out of the CSV and JSON too: the files hold what the table shows.
import { createSignal, For } from 'solid-js';
import type { Column } from '../../engine/tracking/runs-table.js';

// Kept across visits to the Runs view, like the ticked runs.
const [hidden, setHidden] = createSignal<ReadonlySet<string>>(new Set());

/** Column ids the person hid. */
export const hiddenColumns = hidden;

/** The columns not hidden, in order. */
export const visibleColumns = (columns: readonly Column[]): Column[] => columns.filter((c) => c.id === 'name' || !hidden().has(c.id));

/** A folded list of tick boxes, one per column, with the count of hidden ones in its summary. */
export function ColumnChooser(props: { columns: readonly Column[] }) {
  const choosable = () => props.columns.filter((c) => c.id !== 'name');
  const hiddenCount = () => choosable().filter((c) => hidden().has(c.id)).length;
  const toggle = (id: string, show: boolean) =>
    setHidden((h) => {
      const next = new Set(h);
      if (show) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <details class="rt-columns" data-testid="runs-columns">
      <summary title="Choose the columns shown (and downloaded)">Columns{hiddenCount() > 0 ? ` (${hiddenCount()} hidden)` : ''}</summary>
      <div class="rt-columns-list" role="group" aria-label="Columns shown">
        <For each={choosable()}>
          {(c) => (
            <label>
              <input type="checkbox" data-testid="runs-column-toggle" data-col={c.id} checked={!hidden().has(c.id)} onChange={(e) => toggle(c.id, e.currentTarget.checked)} />
              {c.label}
            </label>
          )}
        </For>
        <button type="button" class="link" disabled={hiddenCount() === 0} onClick={() => setHidden(new Set<string>())}>
          Show all
        </button>
      </div>
    </details>
  );
}
