// The per-class table: precision, recall, F1, support and one-vs-rest AUC for every class,
// sortable by any column (header buttons; aria-sort says the order), weakest F1 easy to find.
import { createMemo, createSignal, For } from 'solid-js';
import type { ClassificationReport, RocReport } from '../../engine/eval/index.js';
import { classRows, sortClassRows, type ClassRowKey, type SortDirection } from './class-rows.js';
import { metric } from './eval-format.js';

const COLUMNS: readonly { key: ClassRowKey; label: string; numeric: boolean }[] = [
  { key: 'name', label: 'class', numeric: false },
  { key: 'precision', label: 'precision', numeric: true },
  { key: 'recall', label: 'recall', numeric: true },
  { key: 'f1', label: 'F1', numeric: true },
  { key: 'support', label: 'support', numeric: true },
  { key: 'auc', label: 'AUC', numeric: true },
];

export function ClassMetricsTable(props: { report: ClassificationReport; roc: RocReport; classNames: readonly string[] }) {
  const [sort, setSort] = createSignal<{ key: ClassRowKey; dir: SortDirection }>({ key: 'id', dir: 'ascending' });
  const rows = createMemo(() => sortClassRows(classRows(props.report, props.roc, props.classNames), sort().key, sort().dir));
  const toggle = (key: ClassRowKey) =>
    setSort((s) => (s.key === key ? { key, dir: s.dir === 'ascending' ? 'descending' : 'ascending' } : { key, dir: key === 'name' ? 'ascending' : 'descending' }));
  return (
    <div class="class-table-box">
      <table class="class-metrics" data-testid="class-metrics-table">
        <thead>
          <tr>
            <For each={COLUMNS}>
              {(c) => (
                <th scope="col" class={c.numeric ? 'num' : ''} aria-sort={sort().key === c.key ? sort().dir : 'none'}>
                  <button type="button" class="sort" data-testid={`class-sort-${c.key}`} onClick={() => toggle(c.key)}>
                    {c.label}
                    <span aria-hidden="true">{sort().key === c.key ? (sort().dir === 'ascending' ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                </th>
              )}
            </For>
          </tr>
        </thead>
        <tbody>
          <For each={rows()}>
            {(r) => (
              <tr data-testid="class-row" data-class={r.id} data-f1={r.f1} data-support={r.support} classList={{ absent: r.support === 0 }}>
                <th scope="row">{r.name}</th>
                <td class="num">{metric(r.precision)}</td>
                <td class="num">{metric(r.recall)}</td>
                <td class="num">{metric(r.f1)}</td>
                <td class="num">{r.support}</td>
                <td class="num" title={r.auc === null ? 'undefined: the split has no samples of this class (or only them)' : undefined}>
                  {metric(r.auc)}
                </td>
              </tr>
            )}
          </For>
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">macro avg</th>
            <td class="num">{metric(props.report.macro.precision)}</td>
            <td class="num">{metric(props.report.macro.recall)}</td>
            <td class="num">{metric(props.report.macro.f1)}</td>
            <td class="num">{props.report.samples}</td>
            <td class="num">{metric(props.roc.macroAuc)}</td>
          </tr>
          <tr>
            <th scope="row">weighted avg</th>
            <td class="num">{metric(props.report.weighted.precision)}</td>
            <td class="num">{metric(props.report.weighted.recall)}</td>
            <td class="num">{metric(props.report.weighted.f1)}</td>
            <td class="num">{props.report.samples}</td>
            <td class="num">{metric(props.roc.weightedAuc)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
