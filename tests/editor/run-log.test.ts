// Worker events fold into chart columns and the epoch log; a burst of events costs one flush
// per animation frame.
import { describe, expect, it } from 'vitest';
import { applyEvent, emptyRunLog, frameBatcher } from '../../src/editor/training/run-log.js';
import { runId, type TrainerEvent } from '../../src/workers/trainer-api.js';

const id = runId('r1');

describe('run log', () => {
  it('lays steps and epochs out as uPlot columns', () => {
    const log = emptyRunLog();
    applyEvent(log, { type: 'steps', runId: id, points: [{ step: 1, epoch: 1, loss: 2.3, accuracy: 0.1 }, { step: 2, epoch: 1, loss: 2.0, accuracy: null }] });
    applyEvent(log, { type: 'epoch', runId: id, epoch: { epoch: 1, epochs: 2, loss: 1.5, accuracy: 0.6, valLoss: 1.2, valAccuracy: 0.7, ms: 900 } });
    applyEvent(log, { type: 'warning', runId: id, message: 'slow' });
    expect(log.steps).toEqual([[1, 2], [2.3, 2.0], [0.1, null]]);
    expect(log.epochs).toEqual([[1], [1.5], [1.2], [0.6], [0.7]]);
    expect(log.epochRows.map((r) => r.valAccuracy)).toEqual([0.7]);
    expect(log.warnings).toEqual(['slow']);
  });

  it('flushes a burst of events once, on the next frame', () => {
    const frames: (() => void)[] = [];
    const flushed: TrainerEvent[][] = [];
    const push = frameBatcher<TrainerEvent>((items) => flushed.push(items), (cb) => frames.push(cb));
    for (let i = 0; i < 100; i++) push({ type: 'warning', runId: id, message: String(i) });
    expect(frames).toHaveLength(1);
    expect(flushed).toHaveLength(0);
    frames.shift()!();
    expect(flushed).toHaveLength(1);
    expect(flushed[0]).toHaveLength(100);
    push({ type: 'warning', runId: id, message: 'next' });
    expect(frames).toHaveLength(1);
  });
});
