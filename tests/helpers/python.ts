// Runs Debian's system Python (/usr/bin/python3, where python3-onnx and python3-torch live;
// not the first python3 on PATH) for outside-oracle checks. One process per call: batch work.
import { spawnSync } from 'node:child_process';

export const SYSTEM_PYTHON = '/usr/bin/python3';

export interface PythonResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `script` with `args`; `cwd` defaults to the current directory. Never throws on a non-zero
 * exit: callers assert on `code` and show `stderr`.
 * @example const r = runPython('import sys; print(sys.argv[1])', ['hi']); expect(r.stdout).toBe('hi\n');
 */
export function runPython(script: string, args: readonly string[] = [], opts: { cwd?: string; input?: string; timeoutMs?: number } = {}): PythonResult {
  const r = spawnSync(SYSTEM_PYTHON, ['-c', script, ...args], {
    cwd: opts.cwd,
    input: opts.input,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 300_000,
    maxBuffer: 64 * 1024 * 1024,
    // Keep torch to the cores the test runner leaves it, and quiet.
    env: { ...process.env, OMP_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' },
  });
  if (r.error) return { code: -1, stdout: r.stdout ?? '', stderr: String(r.error) };
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Whether every module imports; tests fail (not skip) when an oracle is missing, naming it. */
export function pythonHas(...modules: string[]): boolean {
  return runPython(`import ${modules.join(', ')}`).code === 0;
}
