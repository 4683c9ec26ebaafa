// Logs a finished run to an MLflow tracking server the person configured, over an injected
// fetch: runs/create, runs/log-batch (batched within MLflow's limits), runs/update. Never throws:
// every failure comes back as an MlflowError the page can show, and the local run is untouched.
import { createTags, planBatches, runEntities, type KeyValue, type MlflowPointInput, type MlflowRunInput } from './mlflow-payload.js';

/** The part of a fetch Response the client reads (a real Response fits). */
export interface MlflowResponse {
  readonly ok: boolean;
  readonly status: number;
  text(): Promise<string>;
}

export interface MlflowRequestInit {
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** 'no-cors' only for the reachability probe that tells CORS from a network failure. */
  readonly mode?: 'cors' | 'no-cors';
}

/** `fetch` itself fits (page, worker, Node 20). */
export type MlflowFetch = (url: string, init: MlflowRequestInit) => Promise<MlflowResponse>;

export interface MlflowOptions {
  /** The server's base URL, e.g. `http://localhost:5000` (a path prefix is kept). */
  readonly trackingUri: string;
  readonly experimentId: string;
  readonly fetch: MlflowFetch;
  /** Extra headers, e.g. `Authorization: Bearer …`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** `navigator.onLine` where there is one; absent: assume online. */
  readonly online?: () => boolean;
}

export type MlflowEndpoint = 'runs/create' | 'runs/log-batch' | 'runs/update';

export type MlflowError =
  | { readonly kind: 'invalid-config'; readonly field: 'trackingUri' | 'experimentId'; readonly message: string }
  /** The device says it is offline (navigator.onLine false). */
  | { readonly kind: 'offline'; readonly endpoint: MlflowEndpoint; readonly message: string }
  /** No answer: refused connection, unknown host, TLS failure. */
  | { readonly kind: 'network'; readonly endpoint: MlflowEndpoint; readonly message: string }
  /** The server answered a no-cors probe but the browser withheld its reply: it does not allow this app's origin (CORS). */
  | { readonly kind: 'cors'; readonly endpoint: MlflowEndpoint; readonly message: string }
  /** An HTTP error, with MLflow's `error_code` and `message` when the body carries them. */
  | { readonly kind: 'http'; readonly endpoint: MlflowEndpoint; readonly status: number; readonly errorCode: string | null; readonly message: string }
  /** A 2xx reply that is not what the API documents (no run id). */
  | { readonly kind: 'bad-response'; readonly endpoint: MlflowEndpoint; readonly message: string };

export type MlflowResult =
  | { readonly ok: true; readonly mlflowRunId: string; readonly requests: number; readonly batches: number; readonly warnings: readonly string[] }
  /** `mlflowRunId` is set when the run was created before the failure (it is then marked FAILED, best effort). */
  | { readonly ok: false; readonly error: MlflowError; readonly mlflowRunId: string | null; readonly requests: number };

/** MLflow's RunStatus for a NeuralForge status; null while it still runs. */
export function mlflowStatus(status: string): 'FINISHED' | 'FAILED' | 'KILLED' | null {
  switch (status) {
    case 'completed':
    case 'early-stopped':
      return 'FINISHED';
    case 'failed':
      return 'FAILED';
    case 'stopped':
    case 'interrupted':
      return 'KILLED';
    default:
      return null;
  }
}

function checkConfig(o: MlflowOptions): { base: string } | MlflowError {
  const uri = o.trackingUri.trim();
  if (!/^https?:\/\/[^\s/?#]+[^\s?#]*$/i.test(uri))
    return { kind: 'invalid-config', field: 'trackingUri', message: `the tracking URI must be an http:// or https:// address such as http://localhost:5000; got "${o.trackingUri}"` };
  if (!/^[\w-]{1,256}$/.test(o.experimentId.trim()))
    return { kind: 'invalid-config', field: 'experimentId', message: `the experiment id must be the id MLflow shows for the experiment (such as 0 or 1234567890); got "${o.experimentId}"` };
  return { base: uri.replace(/\/+$/, '') };
}

class Failure {
  constructor(readonly error: MlflowError) {}
}

/** MLflow's error body: `{"error_code": "…", "message": "…"}`. */
function parseErrorBody(text: string): { errorCode: string | null; message: string | null } {
  try {
    const v = JSON.parse(text) as { error_code?: unknown; message?: unknown };
    return { errorCode: typeof v.error_code === 'string' ? v.error_code : null, message: typeof v.message === 'string' ? v.message : null };
  } catch {
    return { errorCode: null, message: null };
  }
}

/**
 * Sends the run, its metric points and final metrics to MLflow: runs/create (start time, name,
 * source tags), runs/log-batch in batches within MLflow's limits, then runs/update with the
 * end time and FINISHED/FAILED/KILLED.
 * @example
 * const r = await logRunToMlflow({ trackingUri: 'http://localhost:5000', experimentId: '0', fetch }, run, await db.readMetrics(run.id, 'step'));
 * if (!r.ok) show(r.error.message);
 */
export async function logRunToMlflow(opts: MlflowOptions, run: MlflowRunInput, points: readonly MlflowPointInput[]): Promise<MlflowResult> {
  const checked = checkConfig(opts);
  if ('kind' in checked) return { ok: false, error: checked, mlflowRunId: null, requests: 0 };
  const { base } = checked;
  let requests = 0;
  let mlflowRunId: string | null = null;
  let current: MlflowEndpoint = 'runs/create';

  const post = async (endpoint: MlflowEndpoint, body: unknown): Promise<unknown> => {
    const url = `${base}/api/2.0/mlflow/${endpoint}`;
    current = endpoint;
    requests++;
    let res: MlflowResponse;
    try {
      res = await opts.fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...opts.headers }, body: JSON.stringify(body), mode: 'cors' });
    } catch (e) {
      throw new Failure(await unreachable(opts, base, endpoint, e));
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) {
      const { errorCode, message } = parseErrorBody(text);
      const detail = message ?? (text.slice(0, 200) || 'no details');
      throw new Failure({ kind: 'http', endpoint, status: res.status, errorCode, message: `MLflow refused ${endpoint} (HTTP ${res.status}${errorCode ? ` ${errorCode}` : ''}): ${detail}` });
    }
    try {
      return text === '' ? {} : (JSON.parse(text) as unknown);
    } catch {
      throw new Failure({ kind: 'bad-response', endpoint, message: `MLflow's reply to ${endpoint} is not JSON: ${text.slice(0, 200)}` });
    }
  };

  try {
    const created = (await post('runs/create', {
      experiment_id: opts.experimentId.trim(),
      run_name: run.name ?? run.id,
      start_time: Math.round(run.startedAt),
      tags: createTags(run) satisfies KeyValue[],
    })) as { run?: { info?: { run_id?: unknown; run_uuid?: unknown } } };
    const id = created.run?.info?.run_id ?? created.run?.info?.run_uuid;
    if (typeof id !== 'string' || id === '') throw new Failure({ kind: 'bad-response', endpoint: 'runs/create', message: 'MLflow created no run (its reply has no run.info.run_id)' });
    mlflowRunId = id;
    const entities = runEntities(run, points);
    const batches = planBatches(id, entities);
    for (const b of batches) await post('runs/log-batch', b);
    const status = mlflowStatus(run.status);
    if (status) await post('runs/update', { run_id: id, status, end_time: Math.round(run.endedAt ?? Date.now()) });
    return { ok: true, mlflowRunId: id, requests, batches: batches.length, warnings: entities.warnings };
  } catch (e) {
    if (!(e instanceof Failure)) {
      const error: MlflowError = { kind: 'bad-response', endpoint: current, message: `unexpected failure while logging to MLflow: ${e instanceof Error ? e.message : String(e)}` };
      return { ok: false, error, mlflowRunId, requests };
    }
    // A half-logged run should not look finished or still running in MLflow (best effort).
    if (mlflowRunId && e.error.kind === 'http') await post('runs/update', { run_id: mlflowRunId, status: 'FAILED', end_time: Date.now() }).catch(() => undefined);
    return { ok: false, error: e.error, mlflowRunId, requests };
  }
}

/**
 * Why fetch rejected. Browsers reject a CORS refusal and a dead server with the same TypeError,
 * so a `no-cors` GET of the server's root tells them apart: it resolves (with an opaque reply)
 * when the server is reachable, so the refusal was CORS; it rejects when nothing answers.
 */
async function unreachable(opts: MlflowOptions, base: string, endpoint: MlflowEndpoint, cause: unknown): Promise<MlflowError> {
  const why = cause instanceof Error ? cause.message : String(cause);
  if (opts.online && !opts.online()) return { kind: 'offline', endpoint, message: `this device is offline: ${endpoint} was not sent to ${base}; the run is still kept here` };
  try {
    await opts.fetch(`${base}/`, { method: 'GET', mode: 'no-cors' });
  } catch {
    return { kind: 'network', endpoint, message: `cannot reach the MLflow server at ${base} (${why}): is it running, and is the address right?` };
  }
  return {
    kind: 'cors',
    endpoint,
    message: `the MLflow server at ${base} answered, but the browser blocked its reply (CORS): the server, or a proxy in front of it, must allow this app's origin (Access-Control-Allow-Origin)`,
  };
}
