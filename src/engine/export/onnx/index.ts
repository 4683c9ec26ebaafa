// ONNX export: which nodes ONNX can express, the exporter itself, and validation of the
// exported bytes against TF.js with onnxruntime-web.
export { exportOnnx, onnxSupport } from './export.js';
export { validateOnnx, ONNX_TOLERANCE, type OnnxProvider, type ValidateOptions } from './validate.js';
export type { OnnxDtype, OnnxExport, OnnxExportOptions, OnnxIO } from './types.js';
