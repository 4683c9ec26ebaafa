// Learning-rate schedules, evaluated before every optimizer step from the step and epoch
// counters alone: no state, so a resumed run continues on exactly the same curve.
import type { ResolvedSchedule } from './config.js';

export interface SchedulePosition {
  /** Optimizer steps already taken in the whole run (0 for the first step). */
  readonly step: number;
  /** Completed epochs (0 during the first epoch). */
  readonly epoch: number;
  /** Optimizer steps in the whole run, used when the schedule gives no totalSteps. */
  readonly totalSteps: number;
}

/** Cosine interpolation from `start` (pct 0) to `end` (pct 1), as PyTorch's OneCycleLR. */
const cosineAnneal = (start: number, end: number, pct: number): number => end + ((start - end) / 2) * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, pct))));

/**
 * The learning rate for the step at `pos`; `base` is the optimizer's learningRate (the peak for oneCycle).
 * - step: base · gamma^⌊t / stepSize⌋; exponential: base · gamma^t, t in epochs or steps;
 * - cosine: base · (step + 1) / warmupSteps during warm-up, then min + (base − min)·½(1 + cos πp);
 * - oneCycle: cosine from base/divFactor up to base over pctStart of the run, then down to
 *   base/(divFactor·finalDivFactor) (PyTorch's OneCycleLR, without momentum cycling).
 * @example learningRateAt({ name: 'step', stepSize: 2, gamma: 0.5, unit: 'epoch' }, 0.1, { step: 0, epoch: 3, totalSteps: 100 }) // 0.05
 */
export function learningRateAt(schedule: ResolvedSchedule, base: number, pos: SchedulePosition): number {
  switch (schedule.name) {
    case 'constant':
      return base;
    case 'step': {
      const t = schedule.unit === 'epoch' ? pos.epoch : pos.step;
      return base * schedule.gamma ** Math.floor(t / schedule.stepSize);
    }
    case 'exponential':
      return base * schedule.gamma ** (schedule.unit === 'epoch' ? pos.epoch : pos.step);
    case 'cosine': {
      const total = schedule.totalSteps ?? pos.totalSteps;
      const warm = schedule.warmupSteps;
      // (step + 1): the first warm-up step already learns a little, and the last reaches base.
      if (pos.step < warm) return (base * (pos.step + 1)) / warm;
      const p = (pos.step - warm) / Math.max(1, total - warm);
      return cosineAnneal(base, schedule.minLearningRate, p);
    }
    case 'oneCycle': {
      const total = schedule.totalSteps ?? pos.totalSteps;
      const initial = base / schedule.divFactor;
      const final = initial / schedule.finalDivFactor;
      const peakStep = schedule.pctStart * total - 1;
      if (pos.step <= peakStep) return cosineAnneal(initial, base, peakStep > 0 ? pos.step / peakStep : 1);
      const start = Math.max(0, peakStep);
      return cosineAnneal(base, final, (pos.step - start) / Math.max(1e-12, total - 1 - start));
    }
    default: {
      const never: never = schedule;
      throw new Error(`unknown schedule ${JSON.stringify(never)}`);
    }
  }
}
