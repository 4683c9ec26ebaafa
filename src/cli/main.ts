// NeuralForge on the command line: the same engine as the browser, in Node.
//   npm run cli -- inspect FILE      shapes, counts and diagnostics as JSON (exit 0 valid, 1 errors, 2 unreadable)
//   npm run cli -- templates         list the templates
//   npm run cli -- template NAME     print a template as a project file
//   npm run cli -- train FILE [--epochs N] [--backend B] [--out DIR]   train headless (JSON lines)
//   npm run cli -- export FILE --format F --out PATH [--weights DIR]  onnx|tfjs|pytorch|keras|notebook|bundle
//   npm run cli -- import MODEL --out project.json                     an ONNX or TF.js model as a project
import { analyzeGraph } from '../engine/graph/analyze.js';
import { summarize } from '../engine/graph/summary.js';
import { findTemplate, TEMPLATES } from '../engine/templates/index.js';
import { readProject, UsageError } from './io.js';
import { trainCommand, TRAIN_USAGE } from './train.js';

const USAGE = `usage: npm run cli -- <command>
  inspect FILE     print shapes, parameter counts, FLOPs and diagnostics as JSON
  templates        list the built-in templates
  template NAME    print a template as a project file
  train FILE       train headless; ${TRAIN_USAGE.replace('usage: npm run cli -- train FILE ', '')}
  export FILE      --format onnx|tfjs|pytorch|keras|notebook|bundle --out PATH [--weights DIR]
  import MODEL     MODEL.onnx or model.json --out project.json [--name NAME]`;

async function run(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'inspect': {
      if (rest.length !== 1) throw new UsageError('usage: npm run cli -- inspect FILE');
      const project = await readProject(rest[0]!);
      const summary = summarize(analyzeGraph(project.graph), project.training);
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      return summary.valid ? 0 : 1;
    }
    case 'templates':
      for (const t of TEMPLATES) process.stdout.write(`${t.id.padEnd(12)} ${t.name} — ${t.summary}\n`);
      return 0;
    case 'template': {
      const t = findTemplate(rest[0] ?? '');
      if (!t) throw new UsageError(`unknown template "${rest[0] ?? ''}"; try: ${TEMPLATES.map((x) => x.id).join(', ')}`);
      process.stdout.write(`${JSON.stringify(t.project(), null, 2)}\n`);
      return 0;
    }
    case 'train':
      return trainCommand(rest);
    // Loaded on demand: the exporters and importers (and onnxruntime) only when asked for.
    case 'export':
      return (await import('./export.js')).exportCommand(rest);
    case 'import':
      return (await import('./import.js')).importCommand(rest);
    default:
      throw new UsageError(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) process.stderr.write(`${e.message}\n`);
    else process.stderr.write(`internal error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
