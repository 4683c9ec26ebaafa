// Quality checks: the files that failed to decode (from the load), then, on request, exact and
// near duplicates found in the worker, with groups that cross splits flagged as leakage and
// each group shown as thumbnails or snippets.
import { createResource, createSignal, For, Show } from 'solid-js';
import { decodeSummary, type DecodeReport } from '../../engine/eval/dataset-checks.js';
import type { SkippedEntry } from '../../engine/data/types.js';
import type { DuplicateFinding, DuplicateGroupView, ExploreSessionId, ExploreSummary, QualityProgress, QualityReport as Report } from '../../workers/explorer-api.js';
import type { ExplorerClient } from './explorer-client.js';
import { SampleThumb } from './SampleThumb.js';

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

/** The decode report, or nothing for sets that were not decoded from files. */
function DecodeSection(props: { report: DecodeReport; skipped: readonly SkippedEntry[] }) {
  return (
    <div class="decode-report" data-testid="decode-report">
      <h4>Files that failed to decode</h4>
      <p data-testid="decode-summary" classList={{ 'ok-note': props.report.failures.length === 0, warn: props.report.failures.length > 0 }}>
        {decodeSummary(props.report)}
        {props.report.failures.length > 0 ? '. They are left out here, and training leaves them out too (its dataset summary lists them).' : '.'}
      </p>
      <Show when={props.report.failures.length > 0}>
        <ul class="failure-list">
          <For each={props.report.failures}>
            {(f) => (
              <li data-testid="decode-failure" data-path={f.path}>
                <code>{f.path}</code> — {f.stage === 'decode' ? 'could not be decoded' : 'bad size'}: {f.reason.startsWith(`${f.path}: `) ? f.reason.slice(f.path.length + 2) : f.reason}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={props.skipped.length > 0}>
        <details>
          <summary>{props.skipped.length} files left out on purpose (not images, hidden files)</summary>
          <ul class="failure-list">
            <For each={props.skipped}>{(s) => <li><code>{s.path}</code> — {s.reason}</li>}</For>
          </ul>
        </details>
      </Show>
    </div>
  );
}

/** One duplicate group: its members as thumbnails (images) or snippets (text, rows). */
function GroupView(props: { group: DuplicateGroupView; client: ExplorerClient; session: ExploreSessionId; classes: readonly string[] | null }) {
  const shown = () => props.group.members.slice(0, 8);
  const [previews] = createResource(shown, (m) => props.client.pick(props.session, m));
  const label = (l: number | null) => (l === null ? '' : (props.classes?.[l] ?? String(l)));
  return (
    <li class="duplicate-group" data-testid="duplicate-group" data-crosses={props.group.crossesSplits}>
      <div class="group-head">
        {props.group.members.length} samples in {[...new Set(props.group.splits)].join(' + ')}
        <Show when={props.group.crossesSplits}>
          {' '}<span class="leak-badge" title="The same sample is in more than one split: the model is evaluated on data it trained on">leakage</span>
        </Show>
        <Show when={props.group.members.length > shown().length}> <span class="muted">(first {shown().length} shown)</span></Show>
      </div>
      <div class="group-members">
        <For each={previews() ?? []}>
          {(s) => {
            switch (s.kind) {
              case 'image':
                return <SampleThumb sample={s} classes={props.classes} />;
              case 'text':
                return <blockquote class="group-snippet">{s.text} <span class="muted">({label(s.label)}, {s.split})</span></blockquote>;
              case 'row':
                return <blockquote class="group-snippet"><code>{s.cells.join(', ')}</code> <span class="muted">(#{s.index + 1}, {s.split})</span></blockquote>;
              default: {
                const never: never = s;
                return String(never);
              }
            }
          }}
        </For>
      </div>
    </li>
  );
}

/** Groups listed before "Show more": enough to judge, short enough to scroll past. */
const FIRST_GROUPS = 6;

function FindingView(props: { title: string; finding: DuplicateFinding; client: ExplorerClient; session: ExploreSessionId; classes: readonly string[] | null; testId: string }) {
  const [shown, setShown] = createSignal(FIRST_GROUPS);
  return (
    <div class="duplicates" data-testid={props.testId}>
      <h4>{props.title}</h4>
      <p classList={{ 'ok-note': props.finding.groupCount === 0, warn: props.finding.crossSplitCount > 0 }}>
        {props.finding.groupCount === 0
          ? 'None found.'
          : `${plural(props.finding.groupCount, 'group')} holding ${plural(props.finding.sampleCount, 'sample')}; ${props.finding.crossSplitCount === 0 ? 'none crosses splits' : `${plural(props.finding.crossSplitCount, 'group')} ${props.finding.crossSplitCount === 1 ? 'crosses' : 'cross'} splits (leakage)`}.`}
        <Show when={props.finding.groupCount > FIRST_GROUPS}> Leakage first, then the largest{props.finding.groupCount > props.finding.groups.length ? `; the first ${props.finding.groups.length} can be listed` : ''}.</Show>
      </p>
      <ul class="group-list">
        <For each={props.finding.groups.slice(0, shown())}>{(g) => <GroupView group={g} client={props.client} session={props.session} classes={props.classes} />}</For>
      </ul>
      <Show when={props.finding.groups.length > shown()}>
        <button type="button" data-testid="groups-more" onClick={() => setShown(props.finding.groups.length)}>
          Show {props.finding.groups.length - shown()} more groups
        </button>
      </Show>
    </div>
  );
}

export function QualityReport(props: { summary: ExploreSummary; client: ExplorerClient }) {
  const [progress, setProgress] = createSignal<QualityProgress | null>(null);
  const [report, setReport] = createSignal<Report | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  let runs = 0;
  const run = async () => {
    const mine = ++runs;
    setError(null);
    setReport(null);
    setProgress({ phase: 'exact', samples: total() });
    try {
      // Progress messages may arrive after the reply (comlink delivers them separately): only the running check's count.
      const got = await props.client.quality(props.summary.session, (p) => mine === runs && report() === null && setProgress(p));
      if (mine === runs) setReport(got);
    } catch (e) {
      if (mine === runs) setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (mine === runs) setProgress(null);
    }
  };
  const what = () => (props.summary.kind === 'image' ? 'images' : props.summary.kind === 'text' ? 'texts' : 'rows');
  const total = () => props.summary.counts.train + props.summary.counts.validation + props.summary.counts.test;
  return (
    <section class="explorer-card quality-report" data-testid="quality-report" aria-labelledby="quality-title">
      <h3 id="quality-title">Quality checks</h3>
      <Show when={props.summary.decode}>{(d) => <DecodeSection report={d()} skipped={props.summary.skipped} />}</Show>
      <h4>Duplicates</h4>
      <p class="muted">
        {props.summary.kind === 'image'
          ? 'Exact copies (identical pixels) and near duplicates (same picture, slightly changed brightness or noise).'
          : props.summary.kind === 'text'
            ? 'Texts equal after ignoring case, Unicode form and extra spaces.'
            : 'Rows equal cell by cell (spaces around cells ignored).'}{' '}
        Duplicates in different splits let a model be scored on data it trained on.
      </p>
      <button type="button" class="primary" data-testid="quality-run" disabled={progress() !== null} onClick={() => void run()}>
        {report() ? 'Check again' : `Find duplicates in ${total().toLocaleString()} ${what()}`}
      </button>
      <span class="quality-progress" aria-live="polite" data-testid="quality-progress">
        {(() => {
          const p = progress();
          return p ? ` Checking ${p.samples.toLocaleString()} ${what()} for ${p.phase === 'exact' ? 'exact' : 'near'} duplicates…` : '';
        })()}
      </span>
      <Show when={error()}>{(e) => <p class="error" role="alert">The duplicate check failed: {e()}</p>}</Show>
      <Show when={report()}>
        {(r) => (
          <>
            <p class="muted">Checked in {r().ms < 1000 ? `${Math.max(1, Math.round(r().ms))} ms` : `${(r().ms / 1000).toFixed(1)} s`}.</p>
            <FindingView title="Exact duplicates" finding={r().exact} client={props.client} session={props.summary.session} classes={props.summary.classes} testId="exact-duplicates" />
            <Show when={r().near}>{(n) => <FindingView title="Near duplicates" finding={n()} client={props.client} session={props.summary.session} classes={props.summary.classes} testId="near-duplicates" />}</Show>
          </>
        )}
      </Show>
    </section>
  );
}
