// NeuralForge on the command line: the same engine as the browser, in Node.
//   npm run cli -- inspect FILE      shapes, counts and diagnostics as JSON (exit 0 valid, 1 errors, 2 unreadable)
//   npm run cli -- templates         list the templates
//   npm run cli -- template NAME     print a template as a project file
import { readFile } from 'node:fs/promises';
import { analyzeGraph } from '../engine/graph/analyze.js';
import { summarize } from '../engine/graph/summary.js';
import { describeProjectError, MAX_PROJECT_BYTES, parseProjectText } from '../engine/project/parse.js';
import { findTemplate, TEMPLATES } from '../engine/templates/index.js';

const USAGE = `usage: npm run cli -- <command>
  inspect FILE     print shapes, parameter counts, FLOPs and diagnostics as JSON
  templates        list the built-in templates
  template NAME    print a template as a project file`;

/** A failure the user caused: one line on stderr, exit code 2. */
class UsageError extends Error {}

async function readProject(file: string) {
  let text: string;
  try {
    const buf = await readFile(file);
    if (buf.byteLength > MAX_PROJECT_BYTES) throw new UsageError(`${file}: larger than ${MAX_PROJECT_BYTES / 1024 / 1024} MB`);
    text = buf.toString('utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
  const r = parseProjectText(text);
  if (!r.ok) throw new UsageError(`${file}: ${describeProjectError(r.error)}`);
  return r.project;
}

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
