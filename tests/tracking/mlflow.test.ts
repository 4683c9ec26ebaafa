// Logging runs to MLflow through a stub tracking server on loopback that checks every request
// against the REST API documentation; failures (403, 500, refused, CORS, offline, bad config)
// come back as typed errors, never as exceptions.
import { afterEach, describe, expect, it } from 'vitest';
import { mlp } from '../../src/engine/templates/vision.js';
import { logRunToMlflow, type MlflowFetch } from '../../src/engine/tracking/mlflow.js';
import { MLFLOW_LIMITS, planBatches, type MlflowMetric, type MlflowPointInput, type MlflowRunInput } from '../../src/engine/tracking/mlflow-payload.js';
import type { TrainingConfig } from '../../src/engine/project/types.js';
import { deadPort, startMlflowStub, type MlflowStub } from './mlflow-stub.js';

const T0 = 1_700_000_000_000;
const RUN: MlflowRunInput = {
  id: 'run-42', status: 'completed', startedAt: T0, endedAt: T0 + 60_000, versionId: 'ver-1', datasetName: 'mnist', datasetVersion: 'c'.repeat(64),
  backend: 'webgpu', adapter: 'google swiftshader', config: mlp.project().training, seed: 1, epochs: 2, tags: ['baseline', 'fast'],
  finalMetrics: { loss: 0.2, valLoss: 0.25, testAccuracy: 0.93 },
  environment: { app: '0.1.0', userAgent: 'Mozilla/5.0 Chrome/156', tfjs: '4.22.0' },
};

/** `steps` step points (loss, accuracy, learningRate, gradNorm, samplesPerSec) and one epoch point per `perEpoch` steps. */
function points(steps: number, perEpoch: number): MlflowPointInput[] {
  const out: MlflowPointInput[] = [];
  for (let s = 1; s <= steps; s++) {
    out.push({ scope: 'step', index: s, time: T0 + s, values: { loss: 1 / s, accuracy: s / (s + 1), learningRate: 1e-3, gradNorm: 0.5, samplesPerSec: 900 } });
    if (s % perEpoch === 0) out.push({ scope: 'epoch', index: s / perEpoch, time: T0 + s, values: { loss: 1 / s, valLoss: 1.1 / s } });
  }
  return out;
}

const realFetch: MlflowFetch = (url, init) => fetch(url, init);
let stub: MlflowStub | null = null;
afterEach(async () => {
  await stub?.close();
  stub = null;
});

const bodies = (s: MlflowStub, endpoint: string) => s.requests.filter((r) => r.path === `/api/2.0/mlflow/${endpoint}`).map((r) => r.body);

describe('logRunToMlflow against a stub server', () => {
  it('creates the run, logs params, tags and every metric, then finishes it — every request as documented', async () => {
    stub = await startMlflowStub();
    const pts = points(6, 3);
    const r = await logRunToMlflow({ trackingUri: `${stub.uri}/`, experimentId: '7', fetch: realFetch }, RUN, pts);
    expect(r).toEqual({ ok: true, mlflowRunId: 'stub1', requests: 3, batches: 1, warnings: [] });
    expect(stub.violations).toEqual([]);
    expect(stub.requests.map((q) => q.path.replace('/api/2.0/mlflow/', ''))).toEqual(['runs/create', 'runs/log-batch', 'runs/update']);
    expect(bodies(stub, 'runs/create')[0]).toEqual({
      experiment_id: '7', run_name: 'run-42', start_time: T0,
      tags: [{ key: 'mlflow.runName', value: 'run-42' }, { key: 'mlflow.source.name', value: 'NeuralForge' }, { key: 'mlflow.source.type', value: 'LOCAL' }],
    });
    const batch = bodies(stub, 'runs/log-batch')[0] as { run_id: string; params: { key: string; value: string }[]; tags: { key: string; value: string }[]; metrics: MlflowMetric[] };
    expect(batch.run_id).toBe('stub1');
    expect(Object.fromEntries(batch.params.map((p) => [p.key, p.value]))).toEqual({
      'architecture.version': 'ver-1', batchSize: '128', 'dataset.name': 'mnist', 'dataset.version': 'c'.repeat(64), epochs: '8', loss: 'sparseCategoricalCrossentropy',
      metrics: '["accuracy"]', 'optimizer.learningRate': '0.001', 'optimizer.name': 'adam', seed: '1', validationSplit: '0.1',
    });
    expect(Object.fromEntries(batch.tags.map((t) => [t.key, t.value]))).toEqual({
      'neuralforge.run_id': 'run-42', 'neuralforge.status': 'completed', 'neuralforge.backend': 'webgpu', 'neuralforge.adapter': 'google swiftshader',
      'neuralforge.app_version': '0.1.0', 'neuralforge.user_agent': 'Mozilla/5.0 Chrome/156', 'neuralforge.tfjs_version': '4.22.0', 'neuralforge.tags': 'baseline, fast',
    });
    // 6 steps × 5 values, 2 epochs × 2 values, 3 final values.
    expect(batch.metrics).toHaveLength(6 * 5 + 2 * 2 + 3);
    expect(batch.metrics.filter((m) => m.key === 'loss').map((m) => [m.step, m.value, m.timestamp])).toEqual([1, 2, 3, 4, 5, 6].map((s) => [s, 1 / s, T0 + s]));
    expect(batch.metrics.filter((m) => m.key === 'epoch/valLoss').map((m) => [m.step, m.value])).toEqual([[1, 1.1 / 3], [2, 1.1 / 6]]);
    expect(batch.metrics.filter((m) => m.key.startsWith('final/'))).toEqual([
      { key: 'final/loss', value: 0.2, timestamp: T0 + 60_000, step: 2 },
      { key: 'final/valLoss', value: 0.25, timestamp: T0 + 60_000, step: 2 },
      { key: 'final/testAccuracy', value: 0.93, timestamp: T0 + 60_000, step: 2 },
    ]);
    expect(bodies(stub, 'runs/update')).toEqual([{ run_id: 'stub1', status: 'FINISHED', end_time: T0 + 60_000 }]);
  });

  it('batches a 10,000-step run within the limits: 50,000+ metrics, ⌈entities / 1000⌉ log-batch requests, all in order', async () => {
    stub = await startMlflowStub();
    const pts = points(10_000, 500); // 20 epochs
    const r = await logRunToMlflow({ trackingUri: stub.uri, experimentId: '0', fetch: realFetch }, { ...RUN, epochs: 20 }, pts);
    expect(stub.violations).toEqual([]);
    const batches = bodies(stub, 'runs/log-batch') as { params: unknown[]; tags: unknown[]; metrics: MlflowMetric[] }[];
    const metrics = 10_000 * 5 + 20 * 2 + 3;
    const entities = 11 + 8 + metrics;
    expect(batches).toHaveLength(Math.ceil(entities / 1000)); // 51
    expect(r).toEqual({ ok: true, mlflowRunId: 'stub1', requests: 1 + batches.length + 1, batches: batches.length, warnings: [] });
    expect(batches.map((b) => b.metrics.length + b.params.length + b.tags.length)).toEqual([...Array(batches.length - 1).fill(1000), entities - 1000 * (batches.length - 1)]);
    expect(batches[0]).toMatchObject({ params: expect.any(Array), tags: expect.any(Array) });
    expect([batches[0]!.params.length, batches[0]!.tags.length, batches[0]!.metrics.length]).toEqual([11, 8, 981]);
    expect(Math.max(...stub.requests.map((q) => q.bytes))).toBeLessThan(1_000_000);
    const sent = batches.flatMap((b) => b.metrics);
    expect(sent).toHaveLength(metrics);
    expect(sent.filter((m) => m.key === 'loss').map((m) => m.step)).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
  });

  it('splits more than 100 params across requests, 100 at most each', () => {
    const config = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`p${String(i).padStart(3, '0')}`, i])) as unknown as TrainingConfig;
    const params = Object.entries(config).map(([key, v]) => ({ key, value: String(v) }));
    const b = planBatches('r', { params, tags: [], metrics: [] });
    expect(b.map((x) => x.params.length)).toEqual([100, 100, 50]);
    expect(b.flatMap((x) => x.params)).toEqual(params);
    expect(MLFLOW_LIMITS.paramsPerBatch).toBe(100);
  });

  it('sends NaN and infinite metric values as proto3 JSON strings, and marks a failed run FAILED', async () => {
    stub = await startMlflowStub();
    const diverged: MlflowPointInput[] = [{ scope: 'step', index: 1, time: T0, values: { loss: Number.NaN, gradNorm: Number.POSITIVE_INFINITY } }];
    const r = await logRunToMlflow({ trackingUri: stub.uri, experimentId: '0', fetch: realFetch }, { ...RUN, status: 'failed', finalMetrics: {} }, diverged);
    expect(r.ok).toBe(true);
    expect(stub.violations).toEqual([]);
    expect((bodies(stub, 'runs/log-batch')[0] as { metrics: MlflowMetric[] }).metrics.map((m) => m.value)).toEqual(['NaN', 'Infinity']);
    expect(bodies(stub, 'runs/update')[0]).toMatchObject({ status: 'FAILED' });
  });
});

describe('the stub itself', () => {
  it('refuses what MLflow refuses: over 1000 metrics, a bad metric key, an unknown run, a changed param', async () => {
    stub = await startMlflowStub();
    const post = (endpoint: string, body: unknown) => fetch(`${stub!.uri}/api/2.0/mlflow/${endpoint}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    await post('runs/create', { experiment_id: '0', start_time: T0 });
    const metric = (key: string) => ({ key, value: 1, timestamp: T0, step: 0 });
    expect((await post('runs/log-batch', { run_id: 'stub1', metrics: Array.from({ length: 1001 }, () => metric('loss')) })).status).toBe(400);
    expect((await post('runs/log-batch', { run_id: 'stub1', metrics: [metric('val:loss')] })).status).toBe(400);
    expect((await post('runs/log-batch', { run_id: 'nope', metrics: [] })).status).toBe(400);
    await post('runs/log-batch', { run_id: 'stub1', params: [{ key: 'lr', value: '0.1' }] });
    expect((await post('runs/log-batch', { run_id: 'stub1', params: [{ key: 'lr', value: '0.2' }] })).status).toBe(400);
    expect(stub.violations).toEqual([
      'log-batch: 1001 metrics > 1000',
      'log-batch: 1001 entities > 1000',
      'log-batch metrics[0].key "val:loss" breaks the key rules',
      'log-batch: unknown run_id nope',
      'log-batch: param lr changed',
    ]);
  });
});

describe('failures are shown, never thrown', () => {
  it('403 on runs/create: an http error with MLflow’s error_code and message, nothing else sent', async () => {
    stub = await startMlflowStub({ failAt: { index: 0, status: 403, errorCode: 'PERMISSION_DENIED', message: 'User lacks permission on experiment 7' } });
    const r = await logRunToMlflow({ trackingUri: stub.uri, experimentId: '7', fetch: realFetch }, RUN, points(3, 3));
    expect(r).toEqual({
      ok: false, mlflowRunId: null, requests: 1,
      error: { kind: 'http', endpoint: 'runs/create', status: 403, errorCode: 'PERMISSION_DENIED', message: 'MLflow refused runs/create (HTTP 403 PERMISSION_DENIED): User lacks permission on experiment 7' },
    });
    expect(stub.requests).toHaveLength(1);
  });

  it('500 on the second log-batch: an http error naming it; the MLflow run is marked FAILED', async () => {
    stub = await startMlflowStub({ failAt: { index: 2, status: 500, errorCode: 'INTERNAL_ERROR', message: 'database is locked' } });
    const r = await logRunToMlflow({ trackingUri: stub.uri, experimentId: '0', fetch: realFetch }, RUN, points(400, 200));
    expect(r).toMatchObject({ ok: false, mlflowRunId: 'stub1', error: { kind: 'http', endpoint: 'runs/log-batch', status: 500, errorCode: 'INTERNAL_ERROR' } });
    expect(stub.requests.map((q) => q.path.split('/').pop())).toEqual(['create', 'log-batch', 'log-batch', 'update']);
    expect(stub.requests.at(-1)!.body).toMatchObject({ run_id: 'stub1', status: 'FAILED' });
  });

  it('a refused connection is a network error', async () => {
    const port = await deadPort();
    const r = await logRunToMlflow({ trackingUri: `http://127.0.0.1:${port}`, experimentId: '0', fetch: realFetch }, RUN, []);
    expect(r).toMatchObject({ ok: false, mlflowRunId: null, error: { kind: 'network', endpoint: 'runs/create', message: expect.stringMatching(/cannot reach the MLflow server at http:\/\/127\.0\.0\.1:\d+ \(fetch failed\)/) } });
  });

  it('a CORS refusal (server reachable, reply withheld) is told apart from a dead server by a no-cors probe', async () => {
    stub = await startMlflowStub();
    // What a browser does when the server sends no Access-Control-Allow-Origin: the cors request rejects with a TypeError, a no-cors one resolves opaquely.
    const browserLike: MlflowFetch = (url, init) => (init.mode === 'no-cors' ? fetch(url, { method: 'GET' }) : Promise.reject(new TypeError('Failed to fetch')));
    const r = await logRunToMlflow({ trackingUri: stub.uri, experimentId: '0', fetch: browserLike }, RUN, []);
    expect(r).toMatchObject({ ok: false, error: { kind: 'cors', endpoint: 'runs/create', message: expect.stringMatching(/answered, but the browser blocked its reply \(CORS\)/) } });
  });

  it('offline: says so without probing', async () => {
    const calls: string[] = [];
    const offline: MlflowFetch = (url) => {
      calls.push(url);
      return Promise.reject(new TypeError('Failed to fetch'));
    };
    const r = await logRunToMlflow({ trackingUri: 'http://mlflow.example:5000', experimentId: '0', fetch: offline, online: () => false }, RUN, []);
    expect(r).toMatchObject({ ok: false, error: { kind: 'offline', message: expect.stringMatching(/this device is offline/) } });
    expect(calls).toEqual(['http://mlflow.example:5000/api/2.0/mlflow/runs/create']);
  });

  it('a bad tracking URI or experiment id is refused before any request', async () => {
    const never: MlflowFetch = () => {
      throw new Error('must not be called');
    };
    expect(await logRunToMlflow({ trackingUri: 'ftp://host', experimentId: '0', fetch: never }, RUN, [])).toMatchObject({ ok: false, requests: 0, error: { kind: 'invalid-config', field: 'trackingUri' } });
    expect(await logRunToMlflow({ trackingUri: 'http://host', experimentId: 'a b', fetch: never }, RUN, [])).toMatchObject({ ok: false, requests: 0, error: { kind: 'invalid-config', field: 'experimentId' } });
  });

  it('a reply without a run id is a bad-response error', async () => {
    const odd: MlflowFetch = async () => ({ ok: true, status: 200, text: async () => '{"run":{}}' });
    expect(await logRunToMlflow({ trackingUri: 'http://host', experimentId: '0', fetch: odd }, RUN, [])).toMatchObject({ ok: false, error: { kind: 'bad-response', endpoint: 'runs/create' } });
  });
});
