// The page's handle on the dataset-explorer worker: created on first use, wrapped with comlink;
// an `open` overtaken by a newer one is dropped (null) and its session closed, so a slow load
// never replaces the dataset the person picked last.
import * as Comlink from 'comlink';
import type { ExploreOptions, ExplorerApi, ExploreSessionId, ExploreSummary, QualityProgress, QualityReport, Reply, SamplePage, SamplePreview, SampleQuery } from '../../workers/explorer-api.js';
import type { DatasetRequest } from '../../workers/trainer-api.js';

export interface ExplorerConnection {
  readonly api: ExplorerApi;
  terminate(): void;
}

/** The real worker; the URL form lets Vite bundle it as its own chunk. */
export function connectExplorer(): ExplorerConnection {
  const worker = new Worker(new URL('../../workers/explorer.worker.ts', import.meta.url), { type: 'module', name: 'explorer' });
  return { api: Comlink.wrap<ExplorerApi>(worker) as unknown as ExplorerApi, terminate: () => worker.terminate() };
}

/** A worker failure as the page shows it. */
const unwrap = <T>(r: Reply<T>): T => {
  if (r.ok) return r.value;
  throw new Error(r.error.message);
};

export class ExplorerClient {
  private connection: ExplorerConnection | null = null;
  private openSeq = 0;

  constructor(private readonly connect: () => ExplorerConnection = connectExplorer) {}

  private remote(): ExplorerApi {
    this.connection ??= this.connect();
    return this.connection.api;
  }

  /** The summary, or null when a later open() superseded it. @throws Error with the worker's message. */
  async open(request: DatasetRequest, options: ExploreOptions): Promise<ExploreSummary | null> {
    const seq = ++this.openSeq;
    const summary = unwrap(await this.remote().open(request, options));
    if (seq === this.openSeq) return summary;
    void this.close(summary.session);
    return null;
  }

  async samples(session: ExploreSessionId, query: SampleQuery): Promise<SamplePage> {
    return unwrap(await this.remote().samples(session, query));
  }

  async pick(session: ExploreSessionId, indices: readonly number[]): Promise<readonly SamplePreview[]> {
    return unwrap(await this.remote().pick(session, indices));
  }

  async quality(session: ExploreSessionId, onProgress: (p: QualityProgress) => void): Promise<QualityReport> {
    return unwrap(await this.remote().quality(session, Comlink.proxy(onProgress)));
  }

  async close(session: ExploreSessionId): Promise<void> {
    await this.remote().close(session);
  }

  terminate(): void {
    this.connection?.terminate();
    this.connection = null;
  }
}

let shared: ExplorerClient | null = null;

/** The page's one explorer worker (datasets stay loaded between visits to the view). */
export function sharedExplorerClient(): ExplorerClient {
  shared ??= new ExplorerClient();
  return shared;
}
