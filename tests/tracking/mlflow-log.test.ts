// "Log to MLflow" for a stored run (src/editor/tracking/mlflow-log.ts) over the real storage
// layer (fake-indexeddb) against the loopback MLflow stub: what reaches the server is the stored
// record and every stored point; failures come back in plain words and leave the run as it was.
// Also the page's fetch for it (mlflow-fetch.ts), which tells a CORS refusal from a dead server
// in a cross-origin isolated page, and the `reproduces:` tag.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { pageMlflowFetch } from '../../src/editor/tracking/mlflow-fetch.js';
import { describeMlflowError, logStoredRun } from '../../src/editor/tracking/mlflow-log.js';
import type { MlflowSettings } from '../../src/editor/tracking/mlflow-settings.js';
import type { MlflowFetch } from '../../src/engine/tracking/mlflow.js';
import { openStorageDb } from '../../src/storage/db/index.js';
import type { RunId, StorageDb } from '../../src/storage/types.js';
import { reproducedRunOf, reproducesTag, REPRODUCES_TAG } from '../../src/workers/run-tags.js';
import { RUN_A, RUN_B, sampleMetrics, sampleRun } from '../fixtures/storage/sample.js';
import { deadPort, startMlflowStub, type MlflowStub } from './mlflow-stub.js';

const realFetch: MlflowFetch = (url, init) => fetch(url, init);
let stub: MlflowStub | null = null;
afterEach(async () => {
  await stub?.close();
  stub = null;
});

async function seeded(): Promise<StorageDb> {
  const db = await openStorageDb({ indexedDB: new IDBFactory() });
  await db.putRun(sampleRun(RUN_A, { name: 'baseline lr 0.01' }));
  await db.putRun(sampleRun(RUN_B, { status: 'running', endedAt: null }));
  await db.appendMetrics([...sampleMetrics(RUN_A, 'step', 12), ...sampleMetrics(RUN_A, 'epoch', 3)]);
  return db;
}

const settings = (uri: string, authorization = ''): MlflowSettings => ({ trackingUri: uri, experimentId: '3', authorization, autoLog: false });
const path = (s: MlflowStub) => s.requests.map((r) => r.path.replace('/api/2.0/mlflow/', ''));

describe('logStoredRun', () => {
  it('sends the stored record and every stored point, with the Authorization header', async () => {
    const db = await seeded();
    stub = await startMlflowStub();
    const before = await db.getRun(RUN_A);
    const r = await logStoredRun(db, RUN_A, settings(stub.uri, 'Bearer t0ken'), { fetch: realFetch });
    // 12 step + 3 epoch points of one value each, 2 final metrics.
    expect(r).toEqual({ ok: true, mlflowRunId: 'stub1', requests: 3, metrics: 12 + 3 + 2, warnings: [] });
    expect(stub.violations).toEqual([]);
    expect(path(stub)).toEqual(['runs/create', 'runs/log-batch', 'runs/update']);
    expect(stub.requests.map((q) => q.authorization)).toEqual(['Bearer t0ken', 'Bearer t0ken', 'Bearer t0ken']);
    expect(stub.requests[0]!.body).toMatchObject({ experiment_id: '3', run_name: 'baseline lr 0.01', start_time: before!.startedAt });
    const metrics = stub.requests[1]!.body['metrics'] as { key: string; step: number; value: number }[];
    expect(metrics).toHaveLength(17);
    expect(metrics.filter((m) => m.key === 'loss').map((m) => [m.step, m.value])).toEqual(sampleMetrics(RUN_A, 'step', 12).map((p) => [p.index, p.values['loss']]));
    expect(metrics.filter((m) => m.key === 'epoch/loss').map((m) => m.step)).toEqual([1, 2, 3]);
    expect(stub.requests[2]!.body).toEqual({ run_id: 'stub1', status: 'FINISHED', end_time: before!.endedAt });
    expect(await db.getRun(RUN_A)).toEqual(before);
  });

  it('an unnamed run goes by its id; no Authorization header when none is set', async () => {
    const db = await openStorageDb({ indexedDB: new IDBFactory() });
    await db.putRun(sampleRun(RUN_A, { status: 'stopped' }));
    stub = await startMlflowStub();
    expect((await logStoredRun(db, RUN_A, settings(stub.uri), { fetch: realFetch })).ok).toBe(true);
    expect(stub.requests[0]!.body['run_name']).toBe(RUN_A);
    expect(stub.requests[0]!.authorization).toBeNull();
    expect(stub.requests.at(-1)!.body['status']).toBe('KILLED');
  });

  it("shows MLflow's error_code and message on a 403, and the half-made run is marked failed", async () => {
    const db = await seeded();
    stub = await startMlflowStub({ failAt: { index: 1, status: 403, errorCode: 'PERMISSION_DENIED', message: 'User cannot write to experiment 3.' } });
    const before = await db.getRun(RUN_A);
    const r = await logStoredRun(db, RUN_A, settings(stub.uri), { fetch: realFetch });
    expect(r).toEqual({
      ok: false,
      kind: 'http',
      message:
        'Refused by the server: MLflow refused runs/log-batch (HTTP 403 PERMISSION_DENIED): User cannot write to experiment 3. MLflow run stub1 was created before this and is marked failed there. The run on this device is unchanged.',
    });
    expect(path(stub)).toEqual(['runs/create', 'runs/log-batch', 'runs/update']);
    expect(stub.requests[2]!.body['status']).toBe('FAILED');
    expect(await db.getRun(RUN_A)).toEqual(before);
  });

  it('names a dead server, an offline device, a live run and a missing run without sending anything', async () => {
    const db = await seeded();
    const dead = await logStoredRun(db, RUN_A, settings(`http://127.0.0.1:${await deadPort()}`), { fetch: realFetch });
    expect(dead.ok === false && [dead.kind, dead.message]).toEqual(['network', expect.stringMatching(/^Server not reachable: cannot reach the MLflow server at http:\/\/127\.0\.0\.1:\d+ \(fetch failed\): is it running, and is the address right\? The run on this device is unchanged\.$/)]);
    const offline = await logStoredRun(db, RUN_A, settings('http://127.0.0.1:1'), { fetch: () => Promise.reject(new TypeError('Failed to fetch')), online: () => false });
    expect(offline.ok === false && offline.kind).toBe('offline');
    stub = await startMlflowStub();
    const liveRun = await logStoredRun(db, RUN_B, settings(stub.uri), { fetch: realFetch });
    expect(liveRun).toEqual({ ok: false, kind: 'run-live', message: 'Run run-b is still running: log it to MLflow once it has ended.' });
    const missing = await logStoredRun(db, 'run-gone' as RunId, settings(stub.uri), { fetch: realFetch });
    expect(missing).toEqual({ ok: false, kind: 'run-missing', message: 'Run run-gone is no longer stored on this device (deleted?).' });
    expect(stub.requests).toEqual([]);
  });

  it('describes each error kind in words', () => {
    expect(describeMlflowError({ kind: 'cors', endpoint: 'runs/create', message: 'blocked (CORS).' }, null)).toBe('Blocked by CORS: blocked (CORS). The run on this device is unchanged.');
    expect(describeMlflowError({ kind: 'bad-response', endpoint: 'runs/create', message: 'no run id' }, null)).toBe('Unexpected reply from the server: no run id. The run on this device is unchanged.');
    expect(describeMlflowError({ kind: 'invalid-config', field: 'trackingUri', message: 'bad uri' }, null)).toMatch(/^Check the MLflow settings: bad uri\./);
  });
});

describe('pageMlflowFetch in a cross-origin isolated page', () => {
  /** A ReportingObserver stand-in that files a `coep` report for `blocked` when asked. */
  function observerFor(blocked: string | null) {
    const live = new Set<(r: { type: string; body: unknown }[]) => void>();
    const Observer = class {
      constructor(private readonly cb: (r: { type: string; body: unknown }[]) => void) {}
      observe() {
        live.add(this.cb);
      }
      disconnect() {
        live.delete(this.cb);
      }
    };
    // Chromium's report body shows its fields through toJSON() only.
    const file = () => setTimeout(() => blocked && live.forEach((cb) => cb([{ type: 'coep', body: { toJSON: () => ({ type: 'corp', blockedURL: blocked }) } }])), 20);
    return { Observer, file, observers: () => live.size };
  }
  const failing = (after: () => void): typeof fetch => () => (after(), Promise.reject(new TypeError('Failed to fetch')));

  it('a blocked probe the browser reported means the server answered: the engine then says CORS', async () => {
    const o = observerFor('http://127.0.0.1:5000/');
    const f = pageMlflowFetch({ fetch: failing(o.file), isolated: true, Observer: o.Observer });
    const r = await f('http://127.0.0.1:5000/', { method: 'GET', mode: 'no-cors' });
    expect([r.ok, r.status]).toEqual([false, 0]);
    expect(o.observers()).toBe(0);
  });

  it('no report (nothing answered), a report for another URL, or not isolated: the rejection stands', async () => {
    for (const [blocked, isolated] of [[null, true], ['http://127.0.0.1:9999/', true], ['http://127.0.0.1:5000/', false]] as const) {
      const o = observerFor(blocked);
      const f = pageMlflowFetch({ fetch: failing(o.file), isolated, Observer: o.Observer, reportWaitMs: 200 });
      await expect(f('http://127.0.0.1:5000/', { method: 'GET', mode: 'no-cors' })).rejects.toThrow('Failed to fetch');
    }
  });

  it('API requests (cors mode) are plain fetch', async () => {
    const o = observerFor('http://127.0.0.1:5000/api/2.0/mlflow/runs/create');
    const f = pageMlflowFetch({ fetch: failing(o.file), isolated: true, Observer: o.Observer });
    await expect(f('http://127.0.0.1:5000/api/2.0/mlflow/runs/create', { method: 'POST', mode: 'cors' })).rejects.toThrow('Failed to fetch');
  });
});

describe('the reproduces: tag', () => {
  it('round-trips a run id; other tags and an empty id are not a reproduction', () => {
    expect(REPRODUCES_TAG).toBe('reproduces:');
    expect(reproducedRunOf({ tags: ['train-samples:64', reproducesTag(RUN_A)] })).toBe(RUN_A);
    expect(reproducedRunOf({ tags: ['train-samples:64'] })).toBeNull();
    expect(reproducedRunOf({ tags: ['reproduces:'] })).toBeNull();
  });
});
