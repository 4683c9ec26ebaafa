// The CLI as a person runs it: real processes, real files, exit codes and streams.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const cli = (...args: string[]) => spawnSync(tsx, ['src/cli/main.ts', ...args], { cwd: root, encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'nf-cli-'));
const write = (name: string, content: string) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

describe('npm run cli', () => {
  it('lists templates and prints one that inspects as valid', () => {
    const list = cli('templates');
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^mlp\s+MLP/m);
    const t = cli('template', 'lenet5');
    expect(t.status).toBe(0);
    const r = cli('inspect', write('lenet.json', t.stdout));
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.valid).toBe(true);
    expect(out.nodes.c1).toEqual({ outputShape: [null, 28, 28, 6], params: 156, trainableParams: 156, flops: 2 * 25 * 6 * 784 + 6 * 784 + 6 * 784 });
    expect(out.nodes.f5.outputShape).toEqual([null, 120]);
    expect(out.totals.params).toBe(61706);
    expect(out.diagnostics).toEqual([]);
  });

  it('exits 1 with the JSON still printed when the graph has errors', () => {
    const p = write('broken.json', JSON.stringify({
      format: 'neuralforge-project', version: 1, name: 'b',
      graph: { nodes: [{ id: 'in', kind: 'Input', params: { shape: [784] } }, { id: 'c', kind: 'Conv2D', params: {} }], edges: [{ source: 'in', target: 'c', targetInput: 0 }] },
    }));
    const r = cli('inspect', p);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.valid).toBe(false);
    expect(out.nodes.c.outputShape).toBeNull();
    expect(out.diagnostics[0]).toMatchObject({ code: 'rank-mismatch', severity: 'error', nodeId: 'c' });
  });

  it('exits 2 with one line on stderr and nothing on stdout for unreadable input', () => {
    for (const [file, reason] of [
      [join(dir, 'missing.json'), 'no such file'],
      [write('garbage.json', 'not json'), 'not valid JSON'],
      [write('other.json', '{"format":"onnx"}'), 'not a NeuralForge project'],
      [write('future.json', '{"format":"neuralforge-project","version":9}'), 'made by a newer NeuralForge'],
      [dir, 'is a directory'],
    ] as const) {
      const r = cli('inspect', file);
      expect(r.status, file).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(reason);
    }
  });

  it('exits 2 on an unknown command or template', () => {
    expect(cli('frobnicate').status).toBe(2);
    const r = cli('template', 'alexnet');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown template "alexnet"; try: mlp, lenet5/);
  });
});
