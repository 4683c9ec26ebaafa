// The dataset explorer for one dataset: opens it in the explorer worker, then shows the
// overview (task, split sizes, classes), class balance, splits, the samples (image grid, text
// or row browser), column statistics for tables, and the quality checks.
import { createMemo, createResource, Match, onCleanup, Show, Switch } from 'solid-js';
import type { ExploreOptions, ExploreSummary } from '../../workers/explorer-api.js';
import type { DatasetRequest } from '../../workers/trainer-api.js';
import { ClassBalanceChart } from './ClassBalanceChart.js';
import { ColumnStats } from './ColumnStats.js';
import { sharedExplorerClient, type ExplorerClient } from './explorer-client.js';
import { ImageGrid } from './ImageGrid.js';
import { QualityReport } from './QualityReport.js';
import { SplitView } from './SplitView.js';
import { TextBrowser } from './TextBrowser.js';
import './datasets.css';

const TASK: Record<ExploreSummary['task'], string> = {
  classification: 'classification',
  regression: 'regression',
  'language-modeling': 'language modeling',
  segmentation: 'segmentation',
};

function Overview(props: { summary: ExploreSummary }) {
  const s = () => props.summary;
  const total = () => s().counts.train + s().counts.validation + s().counts.test;
  return (
    <dl class="explorer-overview" data-testid="explorer-overview">
      <div><dt>task</dt><dd>{TASK[s().task]}</dd></div>
      <div><dt>samples</dt><dd data-testid="overview-total">{total().toLocaleString()}</dd></div>
      <div><dt>train</dt><dd data-testid="overview-train">{s().counts.train.toLocaleString()}</dd></div>
      <div><dt>validation</dt><dd data-testid="overview-validation">{s().counts.validation.toLocaleString()}</dd></div>
      <div><dt>test</dt><dd data-testid="overview-test">{s().counts.test.toLocaleString()}</dd></div>
      <Show when={s().classes}>{(c) => <div><dt>classes</dt><dd>{c().length}</dd></div>}</Show>
      <Show when={s().image}>{(i) => <div><dt>shown at</dt><dd>{i().width}×{i().height}{i().channels === 1 ? ', grey' : ''}</dd></div>}</Show>
    </dl>
  );
}

/** Everything the explorer shows of one opened dataset. */
function Explored(props: { summary: ExploreSummary; client: ExplorerClient; options: Required<Pick<ExploreOptions, 'seed' | 'validationSplit'>> }) {
  const s = () => props.summary;
  return (
    <>
      <Overview summary={s()} />
      <div class="explorer-charts">
        <Show when={s().classes && s().balance}>
          <ClassBalanceChart classes={s().classes!} balance={s().balance!} />
        </Show>
        <Show when={s().classes && s().splits}>
          <SplitView classes={s().classes!} splits={s().splits!} validationSplit={props.options.validationSplit} seed={props.options.seed} />
        </Show>
        <Show when={!s().classes}>
          <p class="muted explorer-card">This dataset has no classes ({TASK[s().task]}), so there is no class balance or per-class split.</p>
        </Show>
      </div>
      <Show when={s().columns}>{(c) => <ColumnStats columns={c()} />}</Show>
      <Switch>
        <Match when={s().kind === 'image'}>
          <ImageGrid client={props.client} session={s().session} classes={s().classes} />
        </Match>
        <Match when={s().kind === 'text' || s().kind === 'table'}>
          <TextBrowser client={props.client} session={s().session} classes={s().classes} header={s().header} />
        </Match>
      </Switch>
      <QualityReport summary={s()} client={props.client} />
    </>
  );
}

/**
 * Explores `request` (built-in MNIST or a kept dataset) with the project's seed and
 * validationSplit (defaults 0 and 0.1). A new request replaces the open one.
 */
export function DatasetExplorer(props: { request: DatasetRequest; label: string; options?: ExploreOptions; client?: ExplorerClient }) {
  const client = () => props.client ?? sharedExplorerClient();
  // Memos of plain numbers: a project edit that leaves them equal must not reload the dataset.
  const seed = createMemo(() => props.options?.seed ?? 0);
  const validationSplit = createMemo(() => props.options?.validationSplit ?? 0.1);
  const imageSize = createMemo(() => props.options?.imageSize);
  const options = () => ({ seed: seed(), validationSplit: validationSplit(), ...(imageSize() ? { imageSize: imageSize()! } : {}) });
  let open: ExploreSummary | null = null;
  const release = () => {
    if (open) void client().close(open.session);
    open = null;
  };
  const [summary] = createResource(
    () => ({ request: props.request, options: options() }),
    async ({ request, options: o }) => {
      release();
      const got = await client().open(request, o);
      open = got;
      return got;
    },
  );
  onCleanup(release);
  return (
    <section class="dataset-explorer" data-testid="dataset-explorer" aria-labelledby="explorer-title">
      <h3 id="explorer-title" class="explorer-title">Exploring {props.label}</h3>
      <Switch>
        <Match when={summary.error}>
          {(e) => (
            <p class="error" role="alert" data-testid="explorer-error">
              Could not open {props.label}: {e() instanceof Error ? (e() as Error).message : String(e())}
            </p>
          )}
        </Match>
        <Match when={summary.loading}>
          <p class="muted" aria-live="polite" data-testid="explorer-loading">
            Loading {props.label}… (in a worker: the page stays usable)
          </p>
        </Match>
        <Match when={summary()} keyed>
          {(s) => <Explored summary={s} client={client()} options={options()} />}
        </Match>
      </Switch>
    </section>
  );
}
