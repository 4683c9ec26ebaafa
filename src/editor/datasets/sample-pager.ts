// The state behind a sample browser: split, class filter, search word and page, and the page
// the worker returns for them (the previous page stays shown while the next one loads).
import { createResource, createSignal, type Accessor } from 'solid-js';
import type { ExploreSessionId, SamplePage, SplitName } from '../../workers/explorer-api.js';
import type { ExplorerClient } from './explorer-client.js';

export interface SamplePager {
  readonly split: Accessor<SplitName | 'all'>;
  setSplit(s: SplitName | 'all'): void;
  readonly classes: Accessor<readonly number[]>;
  toggleClass(c: number): void;
  clearClasses(): void;
  readonly search: Accessor<string>;
  setSearch(s: string): void;
  readonly offset: Accessor<number>;
  readonly pageSize: number;
  next(): void;
  previous(): void;
  /** The latest page (kept while the next loads); undefined before the first. */
  readonly page: Accessor<SamplePage | undefined>;
  readonly loading: Accessor<boolean>;
  readonly error: Accessor<string | null>;
}

/** A pager over `session`'s samples, `pageSize` at a time. */
export function createSamplePager(client: ExplorerClient, session: ExploreSessionId, pageSize: number): SamplePager {
  const [split, setSplitRaw] = createSignal<SplitName | 'all'>('all');
  const [classes, setClasses] = createSignal<readonly number[]>([]);
  const [search, setSearchRaw] = createSignal('');
  const [offset, setOffset] = createSignal(0);
  const query = () => ({ split: split(), classes: classes(), search: search(), offset: offset(), limit: pageSize });
  const [page] = createResource(query, (q) => client.samples(session, q));
  const total = () => page.latest?.total ?? 0;
  return {
    split,
    setSplit: (s) => {
      setSplitRaw(s);
      setOffset(0);
    },
    classes,
    toggleClass: (c) => {
      setClasses((cs) => (cs.includes(c) ? cs.filter((x) => x !== c) : [...cs, c].sort((a, b) => a - b)));
      setOffset(0);
    },
    clearClasses: () => {
      setClasses([]);
      setOffset(0);
    },
    search,
    setSearch: (s) => {
      setSearchRaw(s);
      setOffset(0);
    },
    offset,
    pageSize,
    next: () => setOffset((o) => (o + pageSize < total() ? o + pageSize : o)),
    previous: () => setOffset((o) => Math.max(0, o - pageSize)),
    page: () => (page.error ? undefined : page.latest),
    loading: () => page.loading,
    error: () => (page.error ? (page.error instanceof Error ? page.error.message : String(page.error)) : null),
  };
}
