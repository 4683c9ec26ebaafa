// The serving bundle (a zip): the exported ONNX model, a FastAPI app that serves it with
// onnxruntime, pinned requirements, a Dockerfile, a README and an example request.
import { zipSync } from 'fflate';
import { appPy } from './bundle-app-py.js';
import { bundleReadme, DOCKERFILE, exampleRequest, REQUIREMENTS, slug } from './bundle-docs.js';
import type { OnnxExport } from './onnx/index.js';
import { utf8 } from './tfjs/utf8.js';
import type { ExportFile, ValidationReport } from './types.js';

export const BUNDLE_ENTRIES = ['model.onnx', 'app.py', 'requirements.txt', 'Dockerfile', 'README.md', 'example-request.json'] as const;

/** The bundle's files, unzipped (the CLI and tests read these; `servingBundle` zips them). */
export function bundleEntries(modelName: string, exported: OnnxExport, report: ValidationReport | null): ExportFile[] {
  return [
    { path: 'model.onnx', bytes: exported.bytes },
    { path: 'app.py', bytes: utf8(appPy(modelName, exported)) },
    { path: 'requirements.txt', bytes: utf8(REQUIREMENTS) },
    { path: 'Dockerfile', bytes: utf8(DOCKERFILE) },
    { path: 'README.md', bytes: utf8(bundleReadme(modelName, exported, report)) },
    { path: 'example-request.json', bytes: utf8(exampleRequest(exported)) },
  ];
}

/** The zip's file name for a model: `<slug>-serving.zip`. */
export const bundleFileName = (modelName: string): string => `${slug(modelName)}-serving.zip`;

/**
 * @example const zip = servingBundle(project.name, exportOnnx(input), report); // write as mlp-serving.zip
 */
export function servingBundle(modelName: string, exported: OnnxExport, report: ValidationReport | null): Uint8Array {
  const entries = bundleEntries(modelName, exported, report);
  // A fixed timestamp keeps the zip byte-identical for the same model (zip dates start in 1980).
  const mtime = new Date(1980, 0, 2);
  return zipSync(Object.fromEntries(entries.map((f) => [f.path, [f.bytes, { mtime }]])), { level: 6 });
}
