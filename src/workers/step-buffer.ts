// Per-step metrics leave the worker in small batches (at most every `intervalMs`), so a fast
// backend doing hundreds of steps a second sends a handful of messages, not hundreds.
import type { StepPoint } from './trainer-api.js';

export class StepBuffer {
  private points: StepPoint[] = [];
  private last = 0;

  constructor(
    private readonly send: (points: readonly StepPoint[]) => void,
    private readonly intervalMs = 250,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(p: StepPoint): void {
    this.points.push(p);
    if (this.now() - this.last >= this.intervalMs) this.flush();
  }

  flush(): void {
    if (this.points.length === 0) return;
    this.send(this.points);
    this.points = [];
    this.last = this.now();
  }
}
