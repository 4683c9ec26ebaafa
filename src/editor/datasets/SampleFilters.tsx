// Filters shared by the image grid and the text browser: class chips (several at once), a split
// picker, an optional search word, and the pager's "n–m of N" with previous/next.
import { For, Show } from 'solid-js';
import type { SplitName } from '../../workers/explorer-api.js';
import type { SamplePager } from './sample-pager.js';

const SPLITS: readonly (SplitName | 'all')[] = ['all', 'train', 'validation', 'test'];

/** The filter bar above a sample browser. */
export function SampleFilters(props: { pager: SamplePager; classes: readonly string[] | null; searchable: boolean; what: string }) {
  const p = props.pager;
  return (
    <div class="sample-filters">
      <Show when={props.classes}>
        {(names) => (
          <div class="class-chips" role="group" aria-label="Show classes">
            <button type="button" class="chip" aria-pressed={p.classes().length === 0} data-testid="class-chip-all" onClick={() => p.clearClasses()}>
              all classes
            </button>
            <For each={names()}>
              {(name, c) => (
                <button type="button" class="chip" aria-pressed={p.classes().includes(c())} data-testid="class-chip" data-class={name} onClick={() => p.toggleClass(c())}>
                  {name}
                </button>
              )}
            </For>
          </div>
        )}
      </Show>
      <div class="filter-row">
        <label>
          Split{' '}
          <select data-testid="split-picker" value={p.split()} onChange={(e) => p.setSplit(e.currentTarget.value as SplitName | 'all')}>
            <For each={SPLITS}>{(s) => <option value={s}>{s}</option>}</For>
          </select>
        </label>
        <Show when={props.searchable}>
          <label>
            Search{' '}
            <input type="search" data-testid="sample-search" placeholder="a word" value={p.search()} onInput={(e) => p.setSearch(e.currentTarget.value)} />
          </label>
        </Show>
        <span class="pager" aria-live="polite">
          <button type="button" data-testid="page-previous" disabled={p.offset() === 0} onClick={() => p.previous()} aria-label="Previous page">
            ‹
          </button>
          <span data-testid="page-range">
            {(() => {
              const total = p.page()?.total ?? 0;
              return total === 0 ? `no ${props.what}` : `${(p.offset() + 1).toLocaleString()}–${Math.min(total, p.offset() + p.pageSize).toLocaleString()} of ${total.toLocaleString()} ${props.what}`;
            })()}
          </span>
          <button type="button" data-testid="page-next" disabled={p.offset() + p.pageSize >= (p.page()?.total ?? 0)} onClick={() => p.next()} aria-label="Next page">
            ›
          </button>
        </span>
      </div>
      <Show when={p.error()}>{(e) => <p class="error" role="alert">Could not read the samples: {e()}</p>}</Show>
    </div>
  );
}
