// What differs between two of the compared runs (A and B, the first two ticked by default):
// architecture (nodes, edges, likely renames), hyperparameters and dataset, before → after.
import { createMemo, createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { diffRuns, type NodeDiff, type ValueChange } from '../../engine/tracking/run-diff.js';
import type { FlatValue } from '../../engine/tracking/flatten.js';
import type { RunRecord, StorageDb } from '../../storage/types.js';
import { loadSides } from './diff-sides.js';
import { shortId } from './run-labels.js';

export interface RunDiffViewProps {
  readonly runs: readonly RunRecord[];
  readonly db: StorageDb;
  readonly labels: ReadonlyMap<string, string>;
}

const show = (v: FlatValue | undefined): string => (v === undefined ? '(not set)' : v === null ? 'none' : typeof v === 'string' ? v : String(v));

function nodeText(n: NodeDiff): string {
  switch (n.change) {
    case 'added':
      return `added ${n.id} (${n.kind})`;
    case 'removed':
      return `removed ${n.id} (${n.kind})`;
    case 'changed': {
      const kind = n.kind ? `kind ${n.kind.before} → ${n.kind.after}` : '';
      const params = n.params.map((p) => `${p.path} ${show(p.before)} → ${show(p.after)}`);
      return `changed ${n.id}: ${[kind, ...params].filter(Boolean).join(', ')}`;
    }
    default:
      return ((x: never) => String(x))(n);
  }
}

function ChangeTable(props: { rows: readonly ValueChange[]; testId: string; a: string; b: string }) {
  return (
    <table class="diff-table" data-testid={props.testId}>
      <thead>
        <tr>
          <th scope="col">setting</th>
          <th scope="col">A: {props.a}</th>
          <th scope="col">B: {props.b}</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.rows}>
          {(r) => (
            <tr data-path={r.path}>
              <th scope="row">{r.path}</th>
              <td>{show(r.before)}</td>
              <td>{show(r.after)}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

export function RunDiffView(props: RunDiffViewProps) {
  const [aId, setAId] = createSignal<string | null>(null);
  const [bId, setBId] = createSignal<string | null>(null);
  const byId = (id: string | null) => props.runs.find((r) => r.id === id);
  // The picked runs while they are still ticked, else the first two.
  const a = createMemo(() => byId(aId()) ?? props.runs[0]);
  const b = createMemo(() => byId(bId()) ?? props.runs.find((r) => r !== a()) ?? props.runs[1]);
  const [sides] = createResource(
    () => (a() && b() ? ([a()!, b()!] as const) : null),
    ([ra, rb]) => loadSides(props.db, ra, rb),
  );
  const diff = createMemo(() => {
    const s = sides();
    return s ? diffRuns(s[0].side, s[1].side) : null;
  });
  const label = (r: RunRecord | undefined) => (r ? (props.labels.get(r.id) ?? shortId(r.id)) : '');
  const missing = () => (sides() ?? []).filter((s) => s.version === null);

  const picker = (which: 'A' | 'B', value: () => RunRecord | undefined, set: (id: string) => void) => (
    <label>
      {which}{' '}
      <select data-testid={`diff-pick-${which.toLowerCase()}`} value={value()?.id ?? ''} onChange={(e) => set(e.currentTarget.value)}>
        <For each={props.runs}>{(r) => <option value={r.id}>{label(r)}</option>}</For>
      </select>
    </label>
  );

  return (
    <section class="compare-diff" data-testid="compare-diff" aria-label="Differences between two runs">
      <h3>What differs</h3>
      <div class="compare-controls">
        {picker('A', a, setAId)}
        {picker('B', b, setBId)}
      </div>
      <Switch>
        <Match when={sides.error}>
          <p class="error">The two runs' records could not be read: {(sides.error as Error).message}</p>
        </Match>
        <Match when={!diff()}>
          <p class="muted">Reading the two runs…</p>
        </Match>
        <Match when={a() === b()}>
          <p class="muted">A and B are the same run: pick two different runs.</p>
        </Match>
        <Match when={diff()}>
          {(d) => (
            <>
              <Show when={d().identical}>
                <p data-testid="diff-identical">Nothing differs: same architecture, settings, seed and data.</p>
              </Show>
              <h4>Architecture</h4>
              <Switch>
                <Match when={missing().length > 0}>
                  <p class="muted" data-testid="diff-version-missing">
                    {missing().map((s) => `The architecture version of ${label(s.run)} is no longer stored`).join('; ')}: the architectures cannot be compared.
                  </p>
                </Match>
                <Match when={a()!.versionId === b()!.versionId}>
                  <p data-testid="diff-same-architecture">Same architecture (version {shortId(a()!.versionId)}).</p>
                </Match>
                <Match when={true}>
                  <Show when={d().architecture.nodes.length + d().architecture.edgesAdded.length + d().architecture.edgesRemoved.length > 0} fallback={<p>Same layers and connections (saved as different versions: only labels or positions changed).</p>}>
                    <ul class="diff-nodes">
                      <For each={d().architecture.nodes}>{(n) => <li data-testid="diff-node" data-change={n.change} class={`diff-${n.change}`}>{nodeText(n)}</li>}</For>
                      <For each={d().architecture.edgesAdded}>{(e) => <li data-testid="diff-edge" data-change="added" class="diff-added">{`added edge ${e.source} → ${e.target} (input ${e.targetInput})`}</li>}</For>
                      <For each={d().architecture.edgesRemoved}>{(e) => <li data-testid="diff-edge" data-change="removed" class="diff-removed">{`removed edge ${e.source} → ${e.target} (input ${e.targetInput})`}</li>}</For>
                    </ul>
                    <Show when={d().architecture.likelyRenames.length > 0}>
                      <p class="muted">Likely renames (same kind and settings): {d().architecture.likelyRenames.map((r) => `${r.from} → ${r.to}`).join(', ')}</p>
                    </Show>
                  </Show>
                </Match>
              </Switch>
              <h4>Hyperparameters</h4>
              <Show when={d().hyperparameters.length > 0} fallback={<p class="muted">Same training settings and seed.</p>}>
                <ChangeTable rows={d().hyperparameters} testId="diff-hyper" a={label(a())} b={label(b())} />
              </Show>
              <h4>Dataset</h4>
              <Show when={d().dataset.length > 0} fallback={<p class="muted">Same dataset ({a()!.datasetName}{a()!.datasetVersion ? `, version ${a()!.datasetVersion!.slice(0, 8)}` : ', version not recorded'}).</p>}>
                <ChangeTable rows={d().dataset} testId="diff-dataset" a={label(a())} b={label(b())} />
              </Show>
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}
