// The page's handle on the trainer worker: creates the worker lazily, wraps it with comlink,
// and drops stale traffic (events and replies of a run that is no longer current, or an
// init reply overtaken by a newer init). TF.js never loads here: the API is a type import.
import * as Comlink from 'comlink';
import type { BackendPreference } from '../../engine/runtime/backend-types.js';
import { runId, type DatasetRequest, type InitResult, type RunId, type RunSummary, type StartRequest, type TrainerApi, type TrainerEvent } from '../../workers/trainer-api.js';

/** The worker side as the client sees it: the API plus a way to end it. */
export interface TrainerConnection {
  readonly api: TrainerApi;
  terminate(): void;
}

/** The real worker. The URL form lets Vite bundle the worker (and TF.js) as its own chunk. */
export function connectWorker(): TrainerConnection {
  const worker = new Worker(new URL('../../workers/trainer.worker.ts', import.meta.url), { type: 'module', name: 'trainer' });
  const api = Comlink.wrap<TrainerApi>(worker);
  return {
    // Comlink.Remote<T> has T's methods with the same promise-returning signatures.
    api: api as unknown as TrainerApi,
    terminate: () => worker.terminate(),
  };
}

/** The buffers a dataset request carries, to transfer rather than copy. */
export function transferables(d: DatasetRequest): ArrayBuffer[] {
  switch (d.source) {
    case 'file':
      return [d.bytes];
    case 'folder':
      return d.files.map((f) => f.bytes);
    case 'builtin':
    case 'remote':
    case 'stored':
      return [];
    default: {
      const never: never = d;
      throw new Error(`unknown dataset source ${JSON.stringify(never)}`);
    }
  }
}

export class TrainerClient {
  private connection: TrainerConnection | null = null;
  private initSeq = 0;
  private current: RunId | null = null;
  private runSeq = 0;

  /** `connect` is called on first use, so the worker and TF.js load only when needed. */
  constructor(
    private readonly connect: () => TrainerConnection = connectWorker,
    private readonly wrapCallback: <T extends object>(f: T) => T = (f) => Comlink.proxy(f),
  ) {}

  private remote(): TrainerApi {
    this.connection ??= this.connect();
    return this.connection.api;
  }

  /** The backend report for `preference`, or null when a later init() superseded this one. */
  async init(preference: BackendPreference): Promise<InitResult | null> {
    const seq = ++this.initSeq;
    const r = await this.remote().init(preference);
    return seq === this.initSeq ? r : null;
  }

  get runId(): RunId | null {
    return this.current;
  }

  /**
   * Starts a run; `onEvent` sees only this run's events, and only while it is current.
   * Resolves to null when another run replaced it before it finished.
   */
  async start(request: Omit<StartRequest, 'runId'>, onEvent: (e: TrainerEvent) => void): Promise<RunSummary | null> {
    const id = runId(`run-${Date.now().toString(36)}-${++this.runSeq}`);
    this.current = id;
    const filtered = (e: TrainerEvent) => {
      if (e.runId === this.current) onEvent(e);
    };
    const message: StartRequest = { ...request, runId: id };
    // Imported bytes (a file, a folder's files) move to the worker instead of being copied (they can be large).
    const sent = Comlink.transfer(message, transferables(request.dataset));
    const summary = await this.remote().start(sent, this.wrapCallback(filtered));
    if (this.current !== id) return null;
    this.current = null;
    return summary;
  }

  pause(): Promise<boolean> {
    return this.current ? this.remote().pause(this.current) : Promise.resolve(false);
  }

  resume(): Promise<boolean> {
    return this.current ? this.remote().resume(this.current) : Promise.resolve(false);
  }

  stop(): Promise<boolean> {
    return this.current ? this.remote().stop(this.current) : Promise.resolve(false);
  }

  /** Ends the worker (and any run in it) at once: used when the page goes away. */
  terminate(): void {
    this.connection?.terminate();
    this.connection = null;
    this.current = null;
  }
}
