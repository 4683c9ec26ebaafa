// A page harness for the Evaluate panel with a fake evaluator (bundled by the browser test and
// injected into a blank page): scenarios the MNIST runs cannot reach — a regression model with
// table samples, 100 classes, the dataset-missing failure, no run picked. The reports are
// computed by the engine from fixed arrays the test recomputes independently.
import { createSignal } from 'solid-js';
import { render } from 'solid-js/web';
import { EvaluatePanel } from '../../src/editor/evaluate/EvaluatePanel.js';
import { classificationReport, regressionReport, residualPoints, rocReport, worstK } from '../../src/engine/eval/index.js';
import type { CheckpointRecord, RunRecord } from '../../src/storage/types.js';
import type { ClassificationEval, EvalCommon, EvalReply, EvalSessionId, EvaluatorApi, RegressionEval, SampleInfo } from '../../src/workers/evaluator-api.js';

export type Scenario = 'none' | 'regression' | 'classes100' | 'missing';

/** Regression fixture: target i/10, prediction off by ((37·i mod 11) − 5)/20. */
export const REG_N = 60;
const actual = Float32Array.from({ length: REG_N }, (_, i) => i / 10);
const predicted = Float32Array.from({ length: REG_N }, (_, i) => i / 10 + (((37 * i) % 11) - 5) / 20);

/** 100 classes, 1,000 samples: label i mod 100; every third predicted as the next class. */
const C = 100;
const N100 = 1000;
const labels = Int32Array.from({ length: N100 }, (_, i) => i % C);
const probs = new Float32Array(N100 * C).fill(0.5 / (C - 1));
for (let i = 0; i < N100; i++) probs[i * C + (i % 3 === 0 ? (labels[i]! + 1) % C : labels[i]!)] = 0.5;

const common = (runId: string, samples: number, sampleKind: EvalCommon['sampleKind']): EvalCommon => ({
  session: `session-${runId}` as EvalSessionId,
  runId: runId as RunRecord['id'],
  checkpointId: `ck-${runId}` as CheckpointRecord['id'],
  split: 'test',
  fellBack: false,
  samples,
  sampleKind,
  nodes: [
    { id: 'hidden', kind: 'Dense', shape: [8], spatial: false },
    { id: 'out', kind: 'Dense', shape: [runId === 'reg' ? 1 : C], spatial: false },
  ],
  backend: 'fake',
  ms: 12,
});

function regression(): RegressionEval {
  const residuals = residualPoints(actual, predicted);
  const worst = Int32Array.from([...residuals].sort((a, b) => Math.abs(b.residual) - Math.abs(a.residual) || a.index - b.index).slice(0, 100).map((p) => p.index));
  return { ...common('reg', REG_N, 'table'), task: 'regression', report: regressionReport(actual, predicted), residuals, worst };
}

function classes100(): ClassificationEval {
  const report = classificationReport(labels, probs, C);
  return { ...common('c100', N100, 'text'), task: 'classification', classNames: Array.from({ length: C }, (_, c) => `class-${c}`), labels, report, roc: rocReport(labels, probs, C), worst: worstK(report.losses, 100) };
}

const fake: EvaluatorApi = {
  async evaluate(request): Promise<EvalReply> {
    switch (request.runId as string) {
      case 'reg':
        return { ok: true, result: regression() };
      case 'c100':
        return { ok: true, result: classes100() };
      default:
        return { ok: false, code: 'dataset-missing', error: { message: 'dataset 3f2a… ("digits.zip") is not on this device', stack: null } };
    }
  },
  async samples(session, indices) {
    const reg = session === 'session-reg';
    const out: SampleInfo[] = indices.map((index) =>
      reg
        ? { index, preview: { kind: 'table', columns: ['x1', 'x2'], values: [index, 2 * index] }, actual: actual[index]!, prediction: predicted[index]!, loss: (actual[index]! - predicted[index]!) ** 2 }
        : { index, preview: { kind: 'text', text: `sample text ${index}` }, label: labels[index]!, predicted: (index % 3 === 0 ? (labels[index]! + 1) % C : labels[index]!), top: [[index % 3 === 0 ? (labels[index]! + 1) % C : labels[index]!, 0.5]], loss: -Math.log(index % 3 === 0 ? 0.5 / (C - 1) : 0.5) },
    );
    return { ok: true, samples: out };
  },
  async gradCam() {
    return { ok: false, code: 'bad-request', error: { message: 'not used here', stack: null } };
  },
  async project(session, request) {
    const reg = session === 'session-reg';
    const n = Math.min(request.maxPoints ?? 1000, reg ? REG_N : N100);
    const points = Float32Array.from({ length: n * 2 }, (_, k) => (k % 2 === 0 ? Math.cos(k) : Math.sin(k * 0.7)) * (1 + (k % 7)));
    return { ok: true, nodeId: request.nodeId, method: request.method, points, indices: Int32Array.from({ length: n }, (_, i) => i), labels: reg ? null : labels.slice(0, n), values: reg ? actual.slice(0, n) : null, explained: request.method === 'pca' ? [0.5, 0.25] : null, ms: 3 };
  },
  async dispose() {},
};

const run = (id: string): RunRecord => ({ id, startedAt: 0, datasetName: `fixture ${id}`, status: 'completed', epochs: 1 }) as unknown as RunRecord;
const checkpoint = (id: string): CheckpointRecord => ({ id: `ck-${id}`, runId: id, kind: 'best', epoch: 1, globalStep: 10, createdAt: 1, metric: null }) as unknown as CheckpointRecord;
const RUN_IDS: Record<Exclude<Scenario, 'none'>, string> = { regression: 'reg', classes100: 'c100', missing: 'gone' };

const [scenario, setScenario] = createSignal<Scenario>('none');
const runOf = () => (scenario() === 'none' ? null : run(RUN_IDS[scenario() as Exclude<Scenario, 'none'>]));

declare global {
  interface Window {
    nfEvalHarness: { show(s: Scenario): void };
  }
}
window.nfEvalHarness = { show: setScenario };
const root = document.createElement('main');
document.body.append(root);
render(() => <EvaluatePanel run={runOf()} checkpoints={runOf() ? [checkpoint(runOf()!.id)] : []} busy={false} connect={() => ({ api: fake, terminate() {} })} />, root);
