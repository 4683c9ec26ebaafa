// The page's handle on the exporter worker: created on first use (TF.js, the exporters and
// onnxruntime load only then, in the worker), wrapped with comlink; a reply overtaken by a newer
// request of the same kind is dropped (null), so a slow export never overwrites a newer one.
import * as Comlink from 'comlink';
import type { ExportFormat } from '../../engine/export/types.js';
import type { ExporterApi, ExportOptions, ExportReply, ImportReply, SideFile, WeightsPayload } from '../../workers/exporter-api.js';

export interface ExporterConnection {
  readonly api: ExporterApi;
  terminate(): void;
}

/** The real worker; the URL form lets Vite bundle it (and TF.js, onnxruntime) as its own chunk. */
export function connectExporter(): ExporterConnection {
  const worker = new Worker(new URL('../../workers/exporter.worker.ts', import.meta.url), { type: 'module', name: 'exporter' });
  return { api: Comlink.wrap<ExporterApi>(worker) as unknown as ExporterApi, terminate: () => worker.terminate() };
}

/** Buffers a weights payload carries, to transfer rather than copy. */
function weightBuffers(w: WeightsPayload | null): ArrayBuffer[] {
  if (!w) return [];
  switch (w.kind) {
    case 'nodes':
      return [...new Set(w.nodes.flatMap(([, arrays]) => arrays.map((a) => a.buffer as ArrayBuffer)))];
    case 'tfjs-files':
      return [...new Set(w.shards.map((s) => s.buffer as ArrayBuffer))];
    case 'checkpoint':
      return []; // the worker reads the checkpoint from storage itself
    default: {
      const never: never = w;
      throw new Error(`unknown weights payload ${JSON.stringify(never)}`);
    }
  }
}

/** Copies of the arrays, so transferring them leaves the caller's (kept for later exports) intact. */
function copyWeights(w: WeightsPayload | null): WeightsPayload | null {
  if (!w) return null;
  switch (w.kind) {
    case 'nodes':
      return { kind: 'nodes', nodes: w.nodes.map(([id, arrays]) => [id, arrays.map((a) => a.slice())] as const) };
    case 'tfjs-files':
      return { kind: 'tfjs-files', modelJson: w.modelJson, shards: w.shards.map((s) => s.slice()) };
    case 'checkpoint':
      return w;
    default: {
      const never: never = w;
      throw new Error(`unknown weights payload ${JSON.stringify(never)}`);
    }
  }
}

export class ExporterClient {
  private connection: ExporterConnection | null = null;
  private exportSeq = 0;
  private importSeq = 0;

  constructor(private readonly connect: () => ExporterConnection = connectExporter) {}

  private remote(): ExporterApi {
    this.connection ??= this.connect();
    return this.connection.api;
  }

  /** The export, or null when a later export() superseded it. */
  async export(project: unknown, weights: WeightsPayload | null, format: ExportFormat, options?: ExportOptions): Promise<ExportReply | null> {
    const seq = ++this.exportSeq;
    const sent = copyWeights(weights);
    // comlink keys transfer lists by the value, so null (no weights) is passed as is.
    const reply = await this.remote().export(project, sent ? Comlink.transfer(sent, weightBuffers(sent)) : null, format, options);
    return seq === this.exportSeq ? reply : null;
  }

  /** The import of `file` (with the weight files a model.json lists), or null when a later import superseded it. */
  async importModel(file: File, sideFiles: readonly File[] = []): Promise<ImportReply | null> {
    const seq = ++this.importSeq;
    const bytes = await file.arrayBuffer();
    const side: SideFile[] = await Promise.all(sideFiles.map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })));
    const reply = await this.remote().importModel(Comlink.transfer(bytes, [bytes]), file.name, Comlink.transfer(side, side.map((s) => s.bytes)));
    return seq === this.importSeq ? reply : null;
  }

  terminate(): void {
    this.connection?.terminate();
    this.connection = null;
  }
}

let shared: ExporterClient | null = null;

/**
 * The page's one exporter worker, shared by the export studio and the project list's model
 * import (TF.js and onnxruntime load once); it lives as long as the page.
 */
export function sharedExporterClient(): ExporterClient {
  shared ??= new ExporterClient();
  return shared;
}
