// The exporter worker: exposes ExporterApi over comlink around exporter-core.ts. TF.js, the
// exporters, the importers and onnxruntime-web all load here, never in the page; storage opens
// here on the first checkpoint export. Projects and files arriving here are untrusted: projects
// go through parseProject, models through the importers' own checks.
import * as tf from '@tensorflow/tfjs';
import * as Comlink from 'comlink';
import { ExportError } from '../engine/export/types.js';
import { OnnxImportError } from '../engine/import/onnx/index.js';
import { TfjsImportError } from '../engine/import/tfjs.js';
import type { ExporterApi, ExportReply, ImportReply } from './exporter-api.js';
import { exportProject, importModelFile, type ExporterEnv, type ExporterStorage } from './exporter-core.js';
import { loadOrt, VALIDATION_PROVIDERS } from './ort-env.js';
import { toWireError } from './trainer-api.js';
import { storageOpener } from './worker-storage.js';

/** Each distinct buffer once: comlink refuses to transfer one buffer twice. */
const buffersOf = (views: readonly ArrayBufferView[]): ArrayBuffer[] => [...new Set(views.map((v) => v.buffer as ArrayBuffer))];

/** TF.js's cpu backend: exact float32, so the ONNX comparison measures the export, not the GPU. */
let backend: Promise<unknown> | null = null;
const ready = () => (backend ??= tf.setBackend('cpu').then(() => tf.ready()));

/** The device's storage, opened once (a failed open is retried on the next export). */
const openStorage: () => Promise<ExporterStorage> = storageOpener();

const env: ExporterEnv = { storage: openStorage, ort: loadOrt, providers: VALIDATION_PROVIDERS };

/** Exports and imports take turns: TF.js variables and the ORT session are per worker. */
let turn: Promise<unknown> = Promise.resolve();
function exclusive<T>(f: () => Promise<T>): Promise<T> {
  const next = turn.then(f);
  turn = next.catch(() => undefined);
  return next;
}

const api: ExporterApi = {
  export: (project, weights, format, options = {}) =>
    exclusive(async (): Promise<ExportReply> => {
      try {
        await ready();
        const reply = await exportProject(project, weights, format, options, env);
        return Comlink.transfer(reply, buffersOf(reply.files.map((f) => f.bytes)));
      } catch (e) {
        return { ok: false, error: toWireError(e), unsupported: e instanceof ExportError ? e.unsupported : [] };
      }
    }),

  importModel: (bytes, fileName, sideFiles = []) =>
    exclusive(async (): Promise<ImportReply> => {
      try {
        await ready();
        const reply = await importModelFile(new Uint8Array(bytes), fileName, sideFiles);
        return Comlink.transfer(reply, buffersOf((reply.weights ?? []).map((a) => a.values)));
      } catch (e) {
        const code = e instanceof OnnxImportError || e instanceof TfjsImportError ? e.code : null;
        return { ok: false, error: toWireError(e), code };
      }
    }),
};

Comlink.expose(api);
