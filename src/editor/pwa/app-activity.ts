// What the page is busy with, for the update prompt: whether a training run is live (an update
// must wait for it), and how to save pending edits before the page reloads into a new version.
// Set by the panels that own that state; read by the update banner.
import { createEffect, createSignal, onCleanup, type Accessor } from 'solid-js';

const [training, setTraining] = createSignal(false);

/** True while a training run is live in this tab (running, paused or stopping). */
export const trainingActive: Accessor<boolean> = training;

/**
 * Mirrors a panel's "run is live" state into `trainingActive`, for the life of the calling
 * component (its cleanup sets it back to false). Call inside a component.
 */
export function trackTraining(busy: Accessor<boolean>): void {
  createEffect(() => setTraining(busy()));
  onCleanup(() => setTraining(false));
}

/** Saves pending work; resolves false when it could not (the update then waits). */
export type Saver = () => Promise<boolean>;

const savers = new Set<Saver>();

/** Registers what to save before an update reloads the page; returns the unregister function. */
export function saveBeforeUpdate(save: Saver): () => void {
  savers.add(save);
  return () => void savers.delete(save);
}

/** Runs every registered saver; true when all saved. */
export async function saveAll(): Promise<boolean> {
  const results = await Promise.all([...savers].map((s) => s().catch(() => false)));
  return results.every(Boolean);
}
