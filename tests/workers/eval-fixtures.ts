// Stored runs for the evaluator tests, trained through the trainer's own path (runTraining,
// fake-indexeddb + the memory BlobStore, cpu backend): a 2-class table, a regression table and a
// tiny CNN on an MNIST-format binary of 8×8 bars, each with its data kept on the "device".
import { IDBFactory } from 'fake-indexeddb';
import { encodeMnistBinary } from '../../src/engine/data/mnist.js';
import { CURRENT_VERSION, type Project, type TrainingConfig } from '../../src/engine/project/types.js';
import { rng } from '../../src/engine/random.js';
import { GraphBuilder } from '../../src/engine/templates/builder.js';
import { TrainingControl } from '../../src/engine/train/index.js';
import { createMemoryBlobStore } from '../../src/storage/blobs/memory.js';
import { saveDatasetBytes } from '../../src/storage/datasets.js';
import { openStorageDb } from '../../src/storage/db/index.js';
import { newProjectId } from '../../src/storage/ids.js';
import type { BlobStore, DatasetRecord, ProjectId, RunRecord, StorageDb } from '../../src/storage/types.js';
import { runTraining } from '../../src/workers/run-training.js';
import { runId, type DatasetRequest, type StartRequest, type TrainerEvent } from '../../src/workers/trainer-api.js';

export interface Env {
  readonly db: StorageDb;
  readonly blobs: BlobStore;
  readonly projectId: ProjectId;
}

export async function freshEnv(): Promise<Env> {
  const db = await openStorageDb({ indexedDB: new IDBFactory() });
  const projectId = newProjectId();
  const draft = { format: 'neuralforge-project', version: CURRENT_VERSION, name: 'eval', graph: { nodes: [], edges: [] }, training: {}, dataset: {} } as unknown as Project;
  await db.putProject({ id: projectId, name: 'eval', description: '', task: 'classification', tags: [], createdAt: 1, updatedAt: 1, draft, headVersion: null, ui: { selectedRunId: null, selectedNodeIds: [] } });
  return { db, blobs: createMemoryBlobStore(), projectId };
}

/** CSV rows `a,b,label`: two noisy classes in the plane ("left"/"right"), or a float target a·2 − b. */
export function tableCsv(count: number, seed: number, kind: 'classes' | 'target'): string {
  const rand = rng(seed);
  const rows = ['a,b,label'];
  for (let i = 0; i < count; i++) {
    const a = rand() * 2 - 1;
    const b = rand() * 2 - 1;
    const label = kind === 'classes' ? (a + 0.3 * b + 0.2 * (rand() - 0.5) > 0 ? 'right' : 'left') : (2 * a - b + 0.05 * (rand() - 0.5)).toFixed(4);
    rows.push(`${a.toFixed(4)},${b.toFixed(4)},${label}`);
  }
  return rows.join('\n');
}

const bytesOf = (text: string): ArrayBuffer => new TextEncoder().encode(text).buffer as ArrayBuffer;

function project(graph: GraphBuilder, training: TrainingConfig): Project {
  return { format: 'neuralforge-project', version: CURRENT_VERSION, name: 'eval', graph: graph.build(), training, dataset: {} } as Project;
}

export function tableClassifier(): Project {
  const g = new GraphBuilder();
  const h = g.layer('h', 'Dense', { units: 8, activation: 'tanh' }, [g.input('x', [2])]);
  g.layer('out', 'Dense', { units: 2, activation: 'softmax' }, [h]);
  return project(g, { optimizer: { name: 'adam', learningRate: 0.05 }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], batchSize: 16, epochs: 3, seed: 11, validationSplit: 0.25 } as TrainingConfig);
}

export function tableRegressor(): Project {
  const g = new GraphBuilder();
  const h = g.layer('h', 'Dense', { units: 8, activation: 'tanh' }, [g.input('x', [2])]);
  g.layer('out', 'Dense', { units: 1 }, [h]);
  return project(g, { optimizer: { name: 'adam', learningRate: 0.05 }, loss: 'meanSquaredError', batchSize: 16, epochs: 3, seed: 5, validationSplit: 0.2 } as TrainingConfig);
}

/** 8×8 images: class 0 a vertical bar, class 1 a horizontal bar, class 2 a dot; position and brightness vary. */
export function barsBinary(perClass: number, seed: number): { bytes: Uint8Array; pixels: Uint8Array; labels: Uint8Array } {
  const rand = rng(seed);
  const n = perClass * 3;
  const pixels = new Uint8Array(n * 64);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    labels[i] = c;
    const at = 1 + Math.floor(rand() * 6);
    const v = 150 + Math.floor(rand() * 106);
    for (let p = 0; p < 64; p++) {
      const [r, col] = [Math.floor(p / 8), p % 8];
      const on = c === 0 ? col === at : c === 1 ? r === at : r === at && col === at;
      pixels[i * 64 + p] = on ? v : Math.floor(rand() * 30);
    }
  }
  return { bytes: encodeMnistBinary(pixels, labels, 8, 8), pixels, labels };
}

export function barsCnn(): Project {
  const g = new GraphBuilder();
  const x = g.input('x', [8, 8, 1]);
  const c1 = g.layer('c1', 'Conv2D', { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }, [x]);
  const p1 = g.layer('p1', 'MaxPooling2D', { poolSize: 2 }, [c1]);
  const f = g.layer('f', 'Flatten', {}, [p1]);
  g.layer('out', 'Dense', { units: 10, activation: 'softmax' }, [f]);
  return project(g, { optimizer: { name: 'adam', learningRate: 0.05 }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], batchSize: 8, epochs: 3, seed: 3, validationSplit: 0.2 } as TrainingConfig);
}

/** Keeps the bars binary on the device as an 'mnist-bin' dataset. */
export function keepBars(env: Env, bytes: Uint8Array): Promise<DatasetRecord> {
  return saveDatasetBytes(env.db, env.blobs, { name: 'bars.bin', source: { source: 'builtin', name: 'bars' }, format: 'mnist-bin', columns: [], classes: null, splits: { train: 0, validation: 0, test: 0 } }, bytes);
}

export const csvRequest = (name: string, csv: string): DatasetRequest => ({ source: 'file', name, bytes: bytesOf(csv), label: 'label' });

/** Trains `p` on `dataset` as the trainer worker would, keeping the run; its record and events. */
export async function trainRun(env: Env, id: string, p: Project, dataset: DatasetRequest, extra: Partial<StartRequest> = {}): Promise<{ run: RunRecord; events: TrainerEvent[] }> {
  const events: TrainerEvent[] = [];
  const request: StartRequest = { runId: runId(id), projectId: env.projectId, project: p, backend: 'cpu', dataset, ...extra };
  const summary = await runTraining(request, new TrainingControl(), (e) => events.push(e), { storage: async () => env, progressIntervalMs: 0 });
  if (summary.status !== 'completed') throw new Error(`training ${id} ended ${summary.status}: ${summary.error?.message}`);
  return { run: (await env.db.getRun(runId(id)))!, events };
}
