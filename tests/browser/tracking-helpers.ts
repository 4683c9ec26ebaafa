// Shared by the Reproduce and MLflow browser tests: train one tiny MNIST run on the cpu backend
// (deterministic, a few seconds) and read a run's stored record and points with raw IndexedDB.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { showTraining } from './dock.js';
import { readStore, waitFor } from './storage-helpers.js';

export interface RawRun {
  id: string;
  status: string;
  seed: number;
  config: Record<string, unknown>;
  versionId: string;
  datasetName: string;
  datasetVersion: string | null;
  backend: string | null;
  tags: string[];
  finalMetrics: Record<string, number>;
}
export interface RawPoint {
  runId: string;
  scope: 'step' | 'epoch';
  index: number;
  values: Record<string, number>;
}

export const runsOf = (page: Page) => readStore<RawRun>(page, 'runs');
export const runOf = async (page: Page, id: string) => (await runsOf(page)).find((r) => r.id === id) ?? null;
export const pointsOf = async (page: Page, runId: string, scope: RawPoint['scope']) =>
  (await readStore<RawPoint>(page, 'metrics')).filter((p) => p.runId === runId && p.scope === scope).sort((a, b) => a.index - b.index);

/** Waits until run `id` (or, without an id, a run not in `known`) is stored as ended; returns its record. */
export async function endedRun(page: Page, known: readonly string[], timeoutMs = 120_000): Promise<RawRun> {
  return waitFor(
    'a new run to end',
    async () => (await runsOf(page)).find((r) => !known.includes(r.id) && r.status !== 'running' && r.status !== 'paused') ?? null,
    timeoutMs,
  );
}

/**
 * Trains the default MLP on 1,024 MNIST samples (922 after the validation split), 1 epoch of
 * batch 128 (8 steps) on cpu; returns the completed run. A step of 128 takes over the trainer's
 * 100 ms between progress reports here, so which steps are kept (every other one) does not
 * depend on the machine's load.
 */
export async function trainTinyRun(page: Page, logs: string[]): Promise<RawRun> {
  await showTraining(page);
  await page.getByTestId('save-status').and(page.locator('[data-state=saved]')).waitFor({ timeout: 60_000 }); // the project is stored
  await page.getByTestId('backend-picker').selectOption('cpu');
  await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
  await page.getByTestId('epochs').fill('1');
  await page.getByTestId('batch-size').fill('128');
  await page.getByTestId('train-samples').fill('1024');
  const known = (await runsOf(page)).map((r) => r.id);
  await page.getByTestId('start').click();
  const run = await endedRun(page, known);
  expect(run.status, logs.join('\n')).toBe('completed');
  return run;
}
