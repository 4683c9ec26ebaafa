// Step metrics leave the worker at most once per interval, and nothing is lost on flush.
import { describe, expect, it } from 'vitest';
import { StepBuffer } from '../../src/workers/step-buffer.js';
import type { StepPoint } from '../../src/workers/trainer-api.js';

describe('StepBuffer', () => {
  it('sends at most one message per interval and everything on flush', () => {
    let now = 1000;
    const sent: (readonly StepPoint[])[] = [];
    const b = new StepBuffer((p) => sent.push(p), 250, () => now);
    const point = (step: number): StepPoint => ({ step, epoch: 1, loss: 1, accuracy: null });
    b.push(point(1)); // first push: nothing sent yet in this interval → sends
    for (let s = 2; s <= 10; s++) {
      now += 20;
      b.push(point(s));
    }
    expect(sent.map((p) => p.map((x) => x.step))).toEqual([[1]]);
    now += 100; // 280 ms after the first send
    b.push(point(11));
    expect(sent.map((p) => p.length)).toEqual([1, 10]);
    b.push(point(12));
    b.flush();
    expect(sent.at(-1)!.map((x) => x.step)).toEqual([12]);
    b.flush();
    expect(sent).toHaveLength(3);
  });
});
