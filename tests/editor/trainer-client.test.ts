// The page-side client drops stale traffic: an init reply overtaken by a newer init, events
// of a run that is no longer current, and the summary of a replaced run.
import { describe, expect, it } from 'vitest';
import type { BackendReport } from '../../src/engine/runtime/backend-types.js';
import { TrainerClient, type TrainerConnection } from '../../src/editor/training/trainer-client.js';
import type { InitResult, RunId, RunSummary, StartRequest, TrainerApi, TrainerEvent } from '../../src/workers/trainer-api.js';

const report = (backend: BackendReport['backend']): BackendReport => ({
  requested: 'auto',
  backend,
  adapter: null,
  softwareAdapter: false,
  skipped: [],
  timings: { initMs: 0, dryRunMs: null, totalMs: 0 },
});

const summary = (runId: RunId): RunSummary => ({
  runId,
  status: 'completed',
  backend: 'cpu',
  epochsCompleted: 1,
  finalValAccuracy: 0.9,
  testAccuracy: null,
  timeToFirstStepMs: 1,
  timings: { loadDataMs: 0, chooseBackendMs: 0, prewarmMs: null, firstStepMs: 1 },
  totalMs: 1,
  error: null,
});

/** A fake worker whose replies the test releases by hand. */
function fakeWorker() {
  const inits: ((r: InitResult) => void)[] = [];
  const runs: { req: StartRequest; onEvent: (e: TrainerEvent) => void; finish: () => void }[] = [];
  const commands: string[] = [];
  const api: TrainerApi = {
    init: () => new Promise((resolve) => inits.push(resolve)),
    start: (req, onEvent) => new Promise((resolve) => runs.push({ req, onEvent, finish: () => resolve(summary(req.runId)) })),
    pause: async (id) => (commands.push(`pause ${id}`), true),
    resume: async (id) => (commands.push(`resume ${id}`), true),
    stop: async (id) => (commands.push(`stop ${id}`), true),
  };
  const connection: TrainerConnection = { api, terminate: () => commands.push('terminate') };
  return { connection, inits, runs, commands };
}

const request = { project: {}, dataset: { source: 'builtin', name: 'mnist' }, backend: 'auto' } as const;
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('TrainerClient', () => {
  it('returns null for an init reply that a newer init overtook', async () => {
    const w = fakeWorker();
    const client = new TrainerClient(() => w.connection, (f) => f);
    const first = client.init('webgpu');
    const second = client.init('wasm');
    await tick();
    w.inits[1]!({ ok: true, report: report('wasm') });
    w.inits[0]!({ ok: true, report: report('webgpu') });
    expect(await second).toEqual({ ok: true, report: report('wasm') });
    expect(await first).toBeNull();
  });

  it('passes only the current run’s events and drops a replaced run’s summary', async () => {
    const w = fakeWorker();
    const client = new TrainerClient(() => w.connection, (f) => f);
    const seen: TrainerEvent[] = [];
    const a = client.start(request, (e) => seen.push(e));
    await tick();
    const runA = w.runs[0]!;
    const event = (runId: RunId): TrainerEvent => ({ type: 'warning', runId, message: runId });
    runA.onEvent(event(runA.req.runId));
    expect(seen).toHaveLength(1);

    const b = client.start(request, (e) => seen.push(e));
    await tick();
    const runB = w.runs[1]!;
    expect(runB.req.runId).not.toBe(runA.req.runId);
    runA.onEvent(event(runA.req.runId)); // late event of the replaced run
    runB.onEvent(event(runB.req.runId));
    expect(seen.map((e) => e.runId)).toEqual([runA.req.runId, runB.req.runId]);

    await client.pause();
    expect(w.commands).toEqual([`pause ${runB.req.runId}`]);
    runA.finish();
    runB.finish();
    expect(await a).toBeNull();
    expect((await b)?.runId).toBe(runB.req.runId);
    expect(await client.stop()).toBe(false); // no run in progress any more
  });
});
