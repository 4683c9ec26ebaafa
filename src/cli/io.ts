// What every CLI command shares: reading a project file, and failures the user caused
// (one line on stderr, exit code 2).
import { readFile } from 'node:fs/promises';
import { describeProjectError, MAX_PROJECT_BYTES, parseProjectText } from '../engine/project/parse.js';
import type { Project } from '../engine/project/types.js';

export class UsageError extends Error {}

export async function readProject(file: string): Promise<Project> {
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

/** `--name value` flags after positional arguments; unknown flags are refused. */
export function parseFlags(args: readonly string[], known: readonly string[]): { positional: string[]; flags: Map<string, string> } {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (!known.includes(name)) throw new UsageError(`unknown option --${name}; options: ${known.map((k) => `--${k}`).join(', ')}`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    flags.set(name, value);
  }
  return { positional, flags };
}

export const writeLine = (obj: unknown): void => {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
};
