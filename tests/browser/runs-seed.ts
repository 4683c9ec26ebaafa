// Seeds runs with known curves straight into the app's IndexedDB from the page (raw IndexedDB,
// never the app's code), for the Compare test and the runs benchmark. Points are generated inside
// the page: 200 runs × 10,000 steps never cross the DevTools protocol.
import type { Page } from 'playwright-core';
import { DB_NAME, putRecords, readStore } from './storage-helpers.js';

/** One run to seed: its settings, and the curve loss(i) = loss0 / (1 + i / 100). */
export interface SeedRun {
  readonly id: string;
  readonly name: string | null;
  readonly versionId: string;
  readonly learningRate: number;
  readonly batchSize?: number;
  readonly optimizer?: string;
  readonly valLoss: number;
  readonly loss0: number;
  readonly steps: number;
  readonly epochs: number;
  /** Milliseconds between two steps: sets the time axis. */
  readonly msPerStep: number;
  readonly startedAt: number;
  readonly tags?: readonly string[];
}

type RawProject = Record<string, unknown> & { id: string; draft: { training: Record<string, unknown>; graph: { nodes: unknown[]; edges: unknown[] } } };
type RawVersion = Record<string, unknown> & { id: string; graph: { nodes: unknown[]; edges: unknown[] } };

/**
 * The stored project the app opened first, and an architecture version of its draft graph
 * (written here: the app stores versions only when a run starts).
 */
export async function firstProject(page: Page): Promise<{ project: RawProject; version: RawVersion }> {
  const [project] = await readStore<RawProject>(page, 'projects');
  if (!project) throw new Error('the app has not stored its first project yet');
  const version: RawVersion = {
    schema: 1,
    id: 'seeded-version-1',
    projectId: project.id,
    parent: null,
    message: 'seeded',
    createdAt: Date.UTC(2026, 10, 1),
    graphHash: 'd'.repeat(64),
    graph: { nodes: project.draft.graph.nodes, edges: project.draft.graph.edges },
    totals: { params: 0, trainableParams: 0, flops: 0 },
  };
  await putRecords(page, 'versions', [version]);
  return { project, version };
}

/**
 * Writes `runs` (record schema 4) of `projectId` and their step and epoch points, in
 * transactions of `batch` points. `training` is the project's training section (each run
 * changes its optimizer's learning rate and the batch size).
 */
export async function seedRuns(page: Page, projectId: string, training: Record<string, unknown>, runs: readonly SeedRun[], batch = 20_000): Promise<void> {
  await page.evaluate(
    async ({ name, projectId, training, runs, batch }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const write = (store: string, records: unknown[]) =>
        new Promise<void>((resolve, reject) => {
          const tx = db.transaction(store, 'readwrite', { durability: 'relaxed' });
          for (const r of records) tx.objectStore(store).put(r);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
      const optimizer = training['optimizer'] as Record<string, unknown>;
      await write(
        'runs',
        runs.map((r) => ({
          schema: 4,
          id: r.id,
          projectId,
          versionId: r.versionId,
          datasetVersion: null,
          datasetName: 'mnist',
          config: { ...training, batchSize: r.batchSize ?? training['batchSize'], optimizer: { ...optimizer, name: r.optimizer ?? optimizer['name'], learningRate: r.learningRate } },
          seed: 1,
          backend: 'cpu',
          adapter: null,
          status: 'completed',
          startedAt: r.startedAt,
          endedAt: r.startedAt + r.steps * r.msPerStep,
          epochs: r.epochs,
          finalMetrics: { loss: r.loss0 / (1 + (r.steps - 1) / 100), valLoss: r.valLoss },
          tags: r.tags ?? [],
          resumedFrom: null,
          error: null,
          environment: null,
          activeMs: r.steps * r.msPerStep,
          name: r.name,
          notes: '',
        })),
      );
      let points: unknown[] = [];
      for (const r of runs) {
        for (let i = 0; i < r.steps; i++) {
          const loss = r.loss0 / (1 + i / 100);
          points.push({ schema: 1, runId: r.id, scope: 'step', index: i, values: { loss, accuracy: 1 - loss / (2 * r.loss0), learningRate: r.learningRate }, time: r.startedAt + i * r.msPerStep });
          if (points.length >= batch) (await write('metrics', points), (points = []));
        }
        for (let e = 1; e <= r.epochs; e++) {
          const at = Math.round((e * r.steps) / r.epochs) - 1;
          points.push({ schema: 1, runId: r.id, scope: 'epoch', index: e, values: { loss: r.loss0 / (1 + at / 100), valLoss: r.valLoss * (1 + (r.epochs - e) * 0.1), ms: 1000 }, time: r.startedAt + at * r.msPerStep });
        }
      }
      if (points.length > 0) await write('metrics', points);
      db.close();
    },
    { name: DB_NAME, projectId, training, runs, batch },
  );
}
