// Classification metrics and one-vs-rest ROC against scikit-learn 1.2 (one Python process for
// every case), plus two confusion matrices worked by hand.
import { beforeAll, describe, expect, it } from 'vitest';
import { classificationReport, confusionMatrix, worstK } from '../../src/engine/eval/classification.js';
import { EvalInputError } from '../../src/engine/eval/input.js';
import { rocCurve, rocReport } from '../../src/engine/eval/roc.js';
import { PY_PRELUDE, list, randomClassCase, sklearn, type ClassCase } from './fixtures.js';

const cases: ClassCase[] = [
  randomClassCase('3 classes, 60 samples', 60, 3, 1),
  randomClassCase('5 classes, 400 samples', 400, 5, 2),
  randomClassCase('10 classes, 2000 samples', 2000, 10, 3),
  randomClassCase('binary, 150 samples', 150, 2, 4),
  randomClassCase('class 3 never predicted', 120, 4, 5, { neverPredicted: 3 }),
  randomClassCase('class 2 absent from labels', 90, 4, 6, { absent: 2 }),
  randomClassCase('ties: scores on a grid of 1/10', 300, 3, 7, { quantise: 10 }),
  randomClassCase('binary ties: grid of 1/4', 40, 2, 8, { quantise: 4 }),
  randomClassCase('single sample', 1, 3, 9),
];

const SCRIPT = `${PY_PRELUDE}
from sklearn.metrics import precision_recall_fscore_support, accuracy_score, confusion_matrix, roc_curve, roc_auc_score
res = []
for c in data:
    C = c['classes']; y = np.array(c['labels']); p = np.array(c['probs'], dtype=np.float64).reshape(-1, C)
    pred = p.argmax(axis=1); labels = list(range(C))
    r = {'pred': pred, 'accuracy': accuracy_score(y, pred), 'cm': confusion_matrix(y, pred, labels=labels).ravel()}
    r['per'] = [v for v in precision_recall_fscore_support(y, pred, labels=labels, average=None)]
    for avg in ('macro', 'weighted'):
        r[avg] = list(precision_recall_fscore_support(y, pred, labels=labels, average=avg)[:3])
    loss = -np.log(np.clip(p[np.arange(len(y)), y], 1e-7, 1))
    r['loss'] = loss; r['worst'] = np.lexsort((np.arange(len(y)), -loss.astype(np.float32)))[:5]
    curves = []
    for k in range(C):
        pos = (y == k).astype(int)
        one = {}
        for drop in (False, True):
            fpr, tpr, thr = roc_curve(pos, p[:, k], drop_intermediate=drop)
            one[str(drop)] = {'fpr': fpr, 'tpr': tpr, 'thr': thr[1:]}
        one['auc'] = roc_auc_score(pos, p[:, k]) if 0 < pos.sum() < len(y) else None
        curves.append(one)
    r['roc'] = curves
    present = len(set(y.tolist())) == C
    if C == 2 and present: r['binary_auc'] = roc_auc_score(y, p[:, 1])
    if C > 2 and present:
        r['ovr'] = {a: roc_auc_score(y, p, multi_class='ovr', average=a, labels=labels) for a in ('macro', 'weighted')}
    res.append(r)
out(res)
`;

interface Sk {
  pred: number[];
  accuracy: number;
  cm: number[];
  per: [number[], number[], number[], number[]];
  macro: number[];
  weighted: number[];
  loss: number[];
  worst: number[];
  roc: { False: { fpr: (number | null)[]; tpr: (number | null)[]; thr: number[] }; True: { fpr: (number | null)[]; tpr: (number | null)[]; thr: number[] }; auc: number | null }[];
  binary_auc?: number;
  ovr?: { macro: number; weighted: number };
}

/** Element-wise |a − b| ≤ tol (null in b = NaN expected); reports the first mismatch by index. */
const close = (a: ArrayLike<number>, b: readonly (number | null)[], tol = 1e-9) => {
  expect(a.length).toBe(b.length);
  const bad = list(a).findIndex((v, i) => (b[i] === null ? !Number.isNaN(v) : !(Math.abs(v - b[i]!) <= tol)));
  expect(bad === -1 ? null : { index: bad, got: a[bad], want: b[bad] }).toBeNull();
};

describe('classification report and ROC vs scikit-learn', () => {
  let sk: Sk[];
  beforeAll(() => {
    sk = sklearn<Sk[]>(SCRIPT, cases.map((c) => ({ classes: c.classes, labels: list(c.labels), probs: list(c.probs) })));
  });

  it.each(cases.map((c, i) => [c.name, i] as const))('%s: accuracy, confusion matrix, per-class and averaged P/R/F1', (_name, i) => {
    const c = cases[i]!;
    const s = sk[i]!;
    const r = classificationReport(c.labels, c.probs, c.classes);
    expect(list(r.predicted)).toEqual(s.pred);
    expect(r.accuracy).toBeCloseTo(s.accuracy, 12);
    expect(list(r.confusion.counts)).toEqual(s.cm);
    close(r.perClass.map((m) => m.precision), s.per[0]);
    close(r.perClass.map((m) => m.recall), s.per[1]);
    close(r.perClass.map((m) => m.f1), s.per[2]);
    expect(r.perClass.map((m) => m.support)).toEqual(s.per[3]);
    close([r.macro.precision, r.macro.recall, r.macro.f1], s.macro);
    close([r.weighted.precision, r.weighted.recall, r.weighted.f1], s.weighted);
    close(r.losses, s.loss, 1e-5);
    expect(list(worstK(r.losses, 5))).toEqual(s.worst);
    // Every sample sits in exactly the cell of (its label, its prediction).
    r.confusion.cells.forEach((cell, k) => cell.forEach((idx) => expect(c.labels[idx]! * c.classes + r.predicted[idx]!).toBe(k)));
    expect(r.confusion.cells.reduce((n, cell) => n + cell.length, 0)).toBe(c.labels.length);
  });

  it.each(cases.map((c, i) => [c.name, i] as const))('%s: one-vs-rest ROC curves, per-class AUC, macro and weighted AUC', (_name, i) => {
    const c = cases[i]!;
    const s = sk[i]!;
    for (const drop of [false, true]) {
      const r = rocReport(c.labels, c.probs, c.classes, { dropIntermediate: drop });
      r.perClass.forEach((cls, k) => {
        const want = s.roc[k]![drop ? 'True' : 'False'];
        close(cls.curve.fpr, want.fpr, 1e-12);
        close(cls.curve.tpr, want.tpr, 1e-12);
        expect(cls.curve.thresholds[0]).toBe(Infinity); // sklearn 1.2 writes max + 1 there
        close(cls.curve.thresholds.slice(1), want.thr, 0);
        if (s.roc[k]!.auc === null) expect(cls.auc).toBeNull();
        else expect(cls.auc!).toBeCloseTo(s.roc[k]!.auc!, 12);
      });
      if (s.binary_auc !== undefined) expect(r.perClass[1]!.auc!).toBeCloseTo(s.binary_auc, 12);
      if (s.ovr) {
        expect(r.macroAuc!).toBeCloseTo(s.ovr.macro, 12);
        expect(r.weightedAuc!).toBeCloseTo(s.ovr.weighted, 12);
      }
    }
  });

  it('the fixtures exercise what they claim (ties, dropped points, averaged AUCs)', () => {
    const ties = sk[cases.findIndex((c) => c.name.startsWith('ties'))]!;
    expect(ties.roc[0]!.False.thr.length).toBeLessThan(15); // 300 samples, ≤ 11 distinct scores
    expect(sk.some((s) => s.roc.some((r) => r.True.fpr.length < r.False.fpr.length))).toBe(true);
    expect(sk.filter((s) => s.ovr).length).toBe(5);
    expect(sk.filter((s) => s.binary_auc !== undefined).length).toBe(2);
    const never = sk[cases.findIndex((c) => c.name.includes('never'))]!;
    expect(never.cm.filter((_, k) => k % 4 === 3).every((v) => v === 0)).toBe(true);
  });

  it('averages the defined AUCs only when a class is absent (sklearn refuses this case)', () => {
    const i = cases.findIndex((c) => c.name.includes('absent'));
    const r = rocReport(cases[i]!.labels, cases[i]!.probs, 4);
    const aucs = sk[i]!.roc.map((x) => x.auc);
    expect(aucs[2]).toBeNull();
    expect(r.perClass[2]!.auc).toBeNull();
    const defined = aucs.filter((a): a is number => a !== null);
    expect(r.macroAuc!).toBeCloseTo(defined.reduce((a, b) => a + b, 0) / defined.length, 12);
  });
});

describe('hand-worked confusion matrices', () => {
  const oneHot = (pred: number[], C: number) => Float32Array.from(pred.flatMap((p) => Array.from({ length: C }, (_, c) => (c === p ? 0.9 : 0.1 / (C - 1)))));

  it('binary [[3, 1], [2, 4]]', () => {
    const labels = Int32Array.of(0, 0, 0, 0, 1, 1, 1, 1, 1, 1);
    const r = classificationReport(labels, oneHot([0, 0, 0, 1, 0, 0, 1, 1, 1, 1], 2), 2);
    expect(list(r.confusion.counts)).toEqual([3, 1, 2, 4]);
    expect(r.accuracy).toBeCloseTo(0.7, 12);
    // class 0: P = 3/5, R = 3/4, F1 = 2/3; class 1: P = 4/5, R = 4/6, F1 = 8/11.
    expect(r.perClass.map((m) => [m.precision, m.recall, m.f1, m.support])).toEqual([
      [0.6, 0.75, expect.closeTo(2 / 3, 12), 4],
      [0.8, expect.closeTo(2 / 3, 12), expect.closeTo(8 / 11, 12), 6],
    ]);
    expect(r.macro.precision).toBeCloseTo(0.7, 12);
    expect(r.macro.recall).toBeCloseTo(17 / 24, 12);
    expect(r.macro.f1).toBeCloseTo((2 / 3 + 8 / 11) / 2, 12);
    expect(r.weighted.precision).toBeCloseTo(0.72, 12);
    expect(r.weighted.recall).toBeCloseTo(0.7, 12);
    expect(r.weighted.f1).toBeCloseTo((4 * (2 / 3) + 6 * (8 / 11)) / 10, 12);
    expect(list(r.confusion.cells[1]!)).toEqual([3]); // the one class-0 sample called 1
    expect(list(r.confusion.cells[2]!)).toEqual([4, 5]);
  });

  it('three classes, class 2 absent from the labels but predicted once: zero division → 0', () => {
    const labels = Int32Array.of(0, 0, 0, 1, 1);
    const r = classificationReport(labels, oneHot([0, 0, 2, 0, 1], 3), 3);
    expect(list(r.confusion.counts)).toEqual([2, 0, 1, 1, 1, 0, 0, 0, 0]);
    expect(r.accuracy).toBeCloseTo(0.6, 12);
    // class 0: P = 2/3, R = 2/3; class 1: P = 1, R = 1/2, F1 = 2/3; class 2: P = 0/1, R = 0/0 → 0.
    expect(r.perClass[0]!.precision).toBeCloseTo(2 / 3, 12);
    expect(r.perClass[1]!.f1).toBeCloseTo(2 / 3, 12);
    expect(r.perClass[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(r.macro.precision).toBeCloseTo(5 / 9, 12);
    expect(r.macro.recall).toBeCloseTo(7 / 18, 12);
    expect(r.macro.f1).toBeCloseTo(4 / 9, 12);
    expect(r.weighted.precision).toBeCloseTo(0.8, 12);
    expect(r.weighted.recall).toBeCloseTo(0.6, 12);
    expect(r.weighted.f1).toBeCloseTo(2 / 3, 12);
    expect(list(r.confusion.cells[2]!)).toEqual([2]);
  });

  it('ROC of a hand-worked binary problem with a tie', () => {
    // scores 0.8(+) 0.6(+) 0.6(−) 0.3(−): thresholds ∞, .8, .6, .3 → points (0,0) (0,.5) (.5,1) (1,1); AUC = 0.875.
    const c = rocCurve(Uint8Array.of(1, 1, 0, 0), Float64Array.of(0.8, 0.6, 0.6, 0.3));
    expect(list(c.fpr)).toEqual([0, 0, 0.5, 1]);
    expect(list(c.tpr)).toEqual([0, 0.5, 1, 1]);
    expect(rocReport(Int32Array.of(1, 1, 0, 0), Float32Array.of(0.2, 0.8, 0.4, 0.6, 0.4, 0.6, 0.7, 0.3), 2).perClass[1]!.auc).toBeCloseTo(0.875, 7);
  });
});

describe('bad input', () => {
  it('names the argument and the first bad index', () => {
    expect(() => classificationReport(Int32Array.of(0, 3), new Float32Array(6), 3)).toThrow(/labels: label 3 at sample 1 is outside 0…2/);
    expect(() => classificationReport(Int32Array.of(0, 1), new Float32Array(5), 3)).toThrow(/probs: has 5 values, expected samples × classes \(2 × 3\) = 6/);
    expect(() => rocReport(Int32Array.of(0, 1), Float32Array.of(0.5, NaN, 0.5, 0.5), 2)).toThrow(/probs: value NaN at index 1 is not a finite number/);
    expect(() => confusionMatrix(Int32Array.of(0), Int32Array.of(0, 1), 2)).toThrow(EvalInputError);
    expect(() => classificationReport(new Int32Array(0), new Float32Array(0), 2)).toThrow(/labels \(sample count\): must be an integer ≥ 1, got 0/);
  });
});
