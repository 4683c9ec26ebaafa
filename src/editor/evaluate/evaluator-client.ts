// The page's handle on the evaluator worker: created on first use (TF.js and the run's data load
// only there), wrapped with comlink. The page imports the API's types only.
import * as Comlink from 'comlink';
import type { EvaluatorApi } from '../../workers/evaluator-api.js';

export interface EvaluatorConnection {
  readonly api: EvaluatorApi;
  terminate(): void;
}

/** The real worker; the URL form lets Vite bundle it (and TF.js) as its own chunk. */
export function connectEvaluator(): EvaluatorConnection {
  const worker = new Worker(new URL('../../workers/evaluator.worker.ts', import.meta.url), { type: 'module', name: 'evaluator' });
  return { api: Comlink.wrap<EvaluatorApi>(worker) as unknown as EvaluatorApi, terminate: () => worker.terminate() };
}

let shared: EvaluatorConnection | null = null;

/**
 * The page's one evaluator worker, started on the first call and kept while the page lives (the
 * evaluated model stays in it for follow-up questions); `terminate()` ends it and the next call
 * starts a fresh one.
 * @example const reply = await evaluator().api.evaluate({ runId, checkpointId: null, split: 'test' });
 */
export function evaluator(): EvaluatorConnection {
  if (!shared) {
    const connection = connectEvaluator();
    shared = {
      api: connection.api,
      terminate: () => {
        connection.terminate();
        if (shared?.api === connection.api) shared = null;
      },
    };
  }
  return shared;
}
