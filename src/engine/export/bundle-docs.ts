// The serving bundle's text files besides app.py: requirements.txt, Dockerfile, README.md and
// an example request with the model's real input shapes.
import type { OnnxExport, OnnxIO } from './onnx/index.js';
import type { ValidationReport } from './types.js';

/** Minor versions pinned (patches float); onnxruntime 1.20 runs IR 8 / opset 17 models. */
export const REQUIREMENTS = `fastapi==0.115.*
uvicorn[standard]==0.32.*
onnxruntime==1.20.*
numpy==2.1.*
`;

export const PORT = 8000;

export const DOCKERFILE = `FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY model.onnx app.py ./

# Run as an unprivileged user.
RUN useradd --create-home --uid 10001 app
USER app

EXPOSE ${PORT}
CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "${PORT}"]
`;

/** One sample of zeros (valid token ids too) per input, shaped like the model's input without the batch. */
export function exampleRequest(exported: OnnxExport): string {
  const zeros = (dims: readonly number[]): unknown => (dims.length ? Array.from({ length: dims[0]! }, () => zeros(dims.slice(1))) : 0);
  const sample = (io: OnnxIO) => zeros(io.shape.slice(1).map((d) => (typeof d === 'number' ? d : 1)));
  return `${JSON.stringify({ inputs: Object.fromEntries(exported.inputs.map((io) => [io.name, [sample(io)]])) })}\n`;
}

const shapeText = (io: OnnxIO) => `[${io.shape.map((d) => (typeof d === 'number' ? d : 'batch')).join(', ')}]`;

function validationText(report: ValidationReport | null): string {
  if (!report) return '';
  const rows = report.runtimes.map((r) =>
    r.error !== undefined ? `| ${r.runtime} | — | — | did not run: ${r.error.replace(/\|/g, '/')} |` : `| ${r.runtime} | ${r.maxAbsDiff.toExponential(2)} | ${r.meanAbsDiff.toExponential(2)} | ${r.maxAbsDiff <= report.tolerance ? 'pass' : 'FAIL'} |`,
  );
  return `
## Validation

Compared with the TF.js model in NeuralForge on ${report.samples} random samples (tolerance ${report.tolerance}): **${report.passed ? 'passed' : 'FAILED'}**.

| runtime | max abs diff | mean abs diff | result |
| --- | --- | --- | --- |
${rows.join('\n')}
`;
}

/** README.md: what the model takes, how to build, run and call it. */
export function bundleReadme(modelName: string, exported: OnnxExport, report: ValidationReport | null): string {
  const io = (list: readonly OnnxIO[]) => list.map((x) => `- \`${x.name}\`: ${x.dtype} ${shapeText(x)}`).join('\n');
  const first = exported.outputs[0]?.name ?? 'output';
  return `# ${modelName}: serving bundle

An ONNX model (opset ${exported.opset}) exported by NeuralForge, with a small FastAPI app that serves it
with onnxruntime.

Inputs (batch first; send one sample or a batch):
${io(exported.inputs)}

Outputs:
${io(exported.outputs)}

## Build and run

\`\`\`sh
docker build -t ${slug(modelName)} .
docker run --rm -p ${PORT}:${PORT} ${slug(modelName)}
\`\`\`

Without Docker: \`pip install -r requirements.txt && uvicorn app:app --port ${PORT}\`.

## Call it

\`example-request.json\` holds one sample of zeros in the model's input shape:

\`\`\`sh
curl -s localhost:${PORT}/health
curl -s -X POST localhost:${PORT}/predict -H 'Content-Type: application/json' -d @example-request.json
\`\`\`

The reply is \`{"outputs": {"${first}": [...]}, "shapes": {"${first}": [...]}}\`. A request that does not fit
the inputs above is answered with status 422 and a message naming the input.
${validationText(report)}`;
}

/** A Docker image name from the model name: lowercase letters, digits and dashes. */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'model';
}
