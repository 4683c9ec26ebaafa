// The text snippet browser (labelled texts) and the row browser (tables): a page of samples
// filtered by class, split and a search word, each with its label and split.
import { For, Show } from 'solid-js';
import type { ExploreSessionId } from '../../workers/explorer-api.js';
import type { ExplorerClient } from './explorer-client.js';
import { createSamplePager } from './sample-pager.js';
import { SampleFilters } from './SampleFilters.js';

const PAGE = 20;

export function TextBrowser(props: { client: ExplorerClient; session: ExploreSessionId; classes: readonly string[] | null; header: readonly string[] | null }) {
  const pager = createSamplePager(props.client, props.session, PAGE);
  const label = (l: number | null) => (l === null ? '' : (props.classes?.[l] ?? String(l)));
  const items = () => pager.page()?.items ?? [];
  return (
    <section class="explorer-card sample-browser" data-testid="text-browser" aria-labelledby="text-browser-title">
      <h3 id="text-browser-title">{props.header ? 'Rows' : 'Texts'}</h3>
      <SampleFilters pager={pager} classes={props.classes} searchable what={props.header ? 'rows' : 'texts'} />
      <Show
        when={props.header}
        fallback={
          <ol class="text-list" classList={{ stale: pager.loading() }}>
            <For each={items()}>
              {(s) =>
                s.kind === 'text' && (
                  <li data-testid="text-sample" data-label={label(s.label)} data-split={s.split}>
                    <span class="text-meta">
                      <Show when={s.label !== null}><span class="tile-label">{label(s.label)}</span></Show> <span class={`split-badge split-${s.split}`}>{s.split}</span>
                    </span>
                    <span class="text-body">{s.text}</span>
                  </li>
                )
              }
            </For>
          </ol>
        }
      >
        {(header) => (
          <div class="table-scroll">
            <table class="storage-items rows-table" classList={{ stale: pager.loading() }}>
              <thead>
                <tr>
                  <th scope="col" class="num">#</th>
                  <th scope="col">split</th>
                  <For each={header()}>{(h) => <th scope="col">{h}</th>}</For>
                </tr>
              </thead>
              <tbody>
                <For each={items()}>
                  {(s) =>
                    s.kind === 'row' && (
                      <tr data-testid="row-sample" data-label={label(s.label)}>
                        <td class="num">{s.index + 1}</td>
                        <td><span class={`split-badge split-${s.split}`}>{s.split}</span></td>
                        <For each={header()}>{(_, j) => <td>{s.cells[j()] ?? ''}</td>}</For>
                      </tr>
                    )
                  }
                </For>
              </tbody>
            </table>
          </div>
        )}
      </Show>
    </section>
  );
}
