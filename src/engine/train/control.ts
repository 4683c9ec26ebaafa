// Pause, resume and stop for a running loop: a small object the worker or the CLI drives.
// The loop looks at it between optimizer steps, so a step is never cut in half.

export type ControlState = 'running' | 'paused' | 'stopping';

export class TrainingControl {
  #state: ControlState = 'running';
  #wake: (() => void) | null = null;

  get state(): ControlState {
    return this.#state;
  }

  /** Hold before the next step; no effect once stopping. */
  pause(): void {
    if (this.#state === 'running') this.#state = 'paused';
  }

  resume(): void {
    if (this.#state !== 'paused') return;
    this.#state = 'running';
    this.#release();
  }

  /** Finish the current step, then end the run with status 'stopped' (a paused run stops too). */
  stop(): void {
    this.#state = 'stopping';
    this.#release();
  }

  /** Resolves at once unless paused; then when resumed or stopped. */
  whenRunnable(): Promise<void> {
    if (this.#state !== 'paused') return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.#wake;
      this.#wake = () => {
        previous?.();
        resolve();
      };
    });
  }

  #release(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}

/**
 * @example
 * const control = createTrainingControl();
 * const run = trainModel({ ..., control });
 * control.pause(); control.resume(); control.stop(); // run resolves with status 'stopped'
 */
export const createTrainingControl = (): TrainingControl => new TrainingControl();
