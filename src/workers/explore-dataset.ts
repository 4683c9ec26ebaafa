// The dataset explorer's core, with no worker or DOM: opens a dataset into a session, then
// answers page queries (samples by split, class and search word), picks samples by index, and
// runs the quality checks (exact and near duplicates, leakage across splits). The worker wraps it.
import { columnStats } from '../engine/eval/column-stats.js';
import { classBalance, splitDistribution } from '../engine/eval/dataset-checks.js';
import { crossSplitGroups, exactDuplicates, rowDuplicates, textDuplicates, type DuplicateGroups } from '../engine/eval/duplicates.js';
import { nearDuplicateImages } from '../engine/eval/image-duplicates.js';
import type { DuplicateFinding, ExploreOptions, ExploreSessionId, ExploreSummary, QualityProgress, QualityReport, SamplePage, SamplePreview, SampleQuery } from './explorer-api.js';
import { exploreLoad, SPLIT_NAMES, type ExploreDeps, type Explored } from './explore-load.js';
import type { DatasetRequest } from './trainer-api.js';

export { type ExploreDeps } from './explore-load.js';

/** Most samples one page or pick returns. */
export const MAX_PAGE = 200;
/** Most duplicate groups a report lists. */
export const MAX_GROUPS = 40;

/** A request the page got wrong (unknown session, bad paging): the message says which. */
export class ExploreError extends Error {}

interface Session {
  readonly explored: Explored;
  readonly summary: ExploreSummary;
  /** Lower-cased searchable text per sample (text and tables), built on the first search. */
  haystack: string[] | null;
}

function summarise(session: ExploreSessionId, e: Explored): ExploreSummary {
  const counts = { train: 0, validation: 0, test: 0 };
  for (const s of e.splitOf) counts[SPLIT_NAMES[s]!]++;
  let balance = null;
  let splits = null;
  if (e.labels && e.classes) {
    balance = classBalance(e.labels, e.classes.length, e.classes);
    const by = (s: number) => e.labels!.filter((_, i) => e.splitOf[i] === s);
    const present = SPLIT_NAMES.flatMap((name, s) => (counts[name] > 0 ? [[name, by(s)] as const] : []));
    splits = splitDistribution(Object.fromEntries(present), e.classes.length);
  }
  const raw = e.raw;
  return {
    session,
    name: e.name,
    kind: raw.kind,
    task: e.task,
    classes: e.classes,
    counts,
    balance,
    splits,
    decode: e.data?.decodeReport ?? null,
    skipped: e.data?.skipped ?? [],
    columns: raw.kind === 'table' ? columnStats(raw.header, raw.rows) : null,
    image: raw.kind === 'image' ? { height: raw.height, width: raw.width, channels: raw.channels } : null,
    header: raw.kind === 'table' ? raw.header : null,
  };
}

/** One sample as the page shows it: image values in [0, 1] become RGBA bytes. */
function preview(e: Explored, index: number): SamplePreview {
  const split = SPLIT_NAMES[e.splitOf[index]!]!;
  const label = e.labels ? e.labels[index]! : null;
  const raw = e.raw;
  switch (raw.kind) {
    case 'image': {
      const { height, width, channels, values } = raw;
      const size = height * width * channels;
      const rgba = new Uint8ClampedArray(height * width * 4);
      for (let p = 0; p < height * width; p++) {
        const at = index * size + p * channels;
        for (let c = 0; c < 3; c++) rgba[p * 4 + c] = Math.round(255 * values[at + (channels === 1 ? 0 : c)]!);
        rgba[p * 4 + 3] = 255;
      }
      return { kind: 'image', index, split, label, width, height, rgba };
    }
    case 'text':
      return { kind: 'text', index, split, label, text: raw.texts[index]! };
    case 'table':
      return { kind: 'row', index, split, label, cells: raw.rows[index]! };
    default: {
      const never: never = raw;
      throw new Error(`unknown samples ${JSON.stringify(never)}`);
    }
  }
}

function finding(groups: DuplicateGroups, splitOf: Uint8Array): DuplicateFinding {
  const crossing = new Set(crossSplitGroups(groups, splitOf));
  const ordered = [...groups].sort((a, b) => Number(crossing.has(b)) - Number(crossing.has(a)) || b.length - a.length || a[0]! - b[0]!);
  return {
    groupCount: groups.length,
    sampleCount: groups.reduce((n, g) => n + g.length, 0),
    crossSplitCount: crossing.size,
    groups: ordered.slice(0, MAX_GROUPS).map((g) => ({ members: Array.from(g), splits: Array.from(g, (i) => SPLIT_NAMES[splitOf[i]!]!), crossesSplits: crossing.has(g) })),
  };
}

const checkIndex = (e: Explored, i: number) => {
  if (!Number.isInteger(i) || i < 0 || i >= e.splitOf.length) throw new ExploreError(`sample ${i} does not exist (the dataset has ${e.splitOf.length} samples)`);
};

/** The explorer's sessions: each open dataset's samples stay in memory until closed. */
export class DatasetExplorer {
  private readonly sessions = new Map<ExploreSessionId, Session>();
  private next = 0;

  constructor(private readonly deps: ExploreDeps) {}

  /**
   * Loads and summarises a dataset; a new session per call.
   * @throws DatasetError, StorageError or DataUnavailable (what and where), nothing kept.
   */
  async open(request: DatasetRequest, options: ExploreOptions = {}): Promise<ExploreSummary> {
    const explored = await exploreLoad(request, options, this.deps);
    const id = `explore-${++this.next}` as ExploreSessionId;
    const summary = summarise(id, explored);
    this.sessions.set(id, { explored, summary, haystack: null });
    return summary;
  }

  private session(id: ExploreSessionId): Session {
    const s = this.sessions.get(id);
    if (!s) throw new ExploreError(`the dataset is no longer open in the explorer (session ${id}); open it again`);
    return s;
  }

  /** Sample indices matching the query's split, classes and search word, ascending. */
  matching(id: ExploreSessionId, query: Omit<SampleQuery, 'offset' | 'limit'>): number[] {
    const s = this.session(id);
    const e = s.explored;
    const split = query.split === 'all' ? -1 : SPLIT_NAMES.indexOf(query.split);
    if (query.split !== 'all' && split < 0) throw new ExploreError(`unknown split "${String(query.split)}" (expected all, train, validation or test)`);
    const classes = new Set(query.classes);
    const word = (query.search ?? '').trim().toLowerCase();
    if (word && e.raw.kind !== 'image') {
      const raw = e.raw;
      s.haystack ??= raw.kind === 'text' ? raw.texts.map((t) => t.toLowerCase()) : raw.rows.map((r) => r.join(' ').toLowerCase());
    }
    const out: number[] = [];
    for (let i = 0; i < e.splitOf.length; i++) {
      if (split >= 0 && e.splitOf[i] !== split) continue;
      if (classes.size > 0 && (!e.labels || !classes.has(e.labels[i]!))) continue;
      if (word && s.haystack && !s.haystack[i]!.includes(word)) continue;
      out.push(i);
    }
    return out;
  }

  /** One page of matching samples. */
  samples(id: ExploreSessionId, query: SampleQuery): SamplePage {
    if (!Number.isInteger(query.offset) || query.offset < 0) throw new ExploreError(`offset must be an integer ≥ 0, got ${query.offset}`);
    if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_PAGE) throw new ExploreError(`limit must be an integer in 1…${MAX_PAGE}, got ${query.limit}`);
    const e = this.session(id).explored;
    const all = this.matching(id, query);
    return { total: all.length, items: all.slice(query.offset, query.offset + query.limit).map((i) => preview(e, i)) };
  }

  /** The samples at `indices`, in that order. */
  pick(id: ExploreSessionId, indices: readonly number[]): SamplePreview[] {
    const e = this.session(id).explored;
    if (indices.length > MAX_PAGE) throw new ExploreError(`at most ${MAX_PAGE} samples at once, asked for ${indices.length}`);
    indices.forEach((i) => checkIndex(e, i));
    return indices.map((i) => preview(e, i));
  }

  /** Exact duplicates for every kind; near duplicates for images; groups across splits flagged. */
  quality(id: ExploreSessionId, onProgress: (p: QualityProgress) => void = () => {}): QualityReport {
    const e = this.session(id).explored;
    const t0 = performance.now();
    const n = e.splitOf.length;
    const raw = e.raw;
    onProgress({ phase: 'exact', samples: n });
    let exact: DuplicateGroups;
    let near: DuplicateGroups | null = null;
    switch (raw.kind) {
      case 'image':
        exact = exactDuplicates(raw.values, n);
        onProgress({ phase: 'near', samples: n });
        near = nearDuplicateImages({ values: raw.values, count: n, height: raw.height, width: raw.width, channels: raw.channels }).groups;
        break;
      case 'text':
        exact = textDuplicates(raw.texts);
        break;
      case 'table':
        exact = rowDuplicates(raw.rows);
        break;
      default: {
        const never: never = raw;
        throw new Error(`unknown samples ${JSON.stringify(never)}`);
      }
    }
    return { exact: finding(exact, e.splitOf), near: near ? finding(near, e.splitOf) : null, ms: performance.now() - t0 };
  }

  close(id: ExploreSessionId): void {
    this.sessions.delete(id);
  }
}
