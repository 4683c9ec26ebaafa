// Benchmark plumbing: medians over repeated runs, the machine's name, and writing a
// suite's results as JSON plus a table between markers in bench/README.md.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export interface Row {
  readonly name: string;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly runs: number;
  readonly target?: string;
  readonly note?: string;
  /** Raw measurements, kept in the JSON only. */
  readonly data?: object;
}

export function machine(): string {
  const c = cpus();
  return `${c[0]?.model.trim() ?? 'unknown CPU'}, ${c.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** Times `fn` after `warmup` untimed calls; `setup` runs untimed before every call. */
export function measure<T>(runs: number, warmup: number, setup: () => T, fn: (x: T) => void): { medianMs: number; p95Ms: number; runs: number } {
  for (let i = 0; i < warmup; i++) fn(setup());
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const x = setup();
    const t0 = performance.now();
    fn(x);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(runs / 2)]!, p95Ms: times[Math.min(runs - 1, Math.floor(runs * 0.95))]!, runs };
}

const benchDir = import.meta.dirname;

export function writeSuite(suite: string, title: string, rows: readonly Row[], columns: readonly [string, string] = ['median (ms)', 'p95 (ms)']): void {
  const when = new Date().toISOString();
  const host = machine();
  mkdirSync(join(benchDir, 'results'), { recursive: true });
  writeFileSync(join(benchDir, 'results', `${suite}.json`), `${JSON.stringify({ suite, machine: host, date: when, rows }, null, 2)}\n`);
  const table = [
    `### ${title}`,
    '',
    `Machine: ${host}. Run: ${when.slice(0, 10)}.`,
    '',
    `| case | ${columns[0]} | ${columns[1]} | runs | target | note |`,
    '| --- | ---: | ---: | ---: | --- | --- |',
    ...rows.map((r) => `| ${r.name} | ${r.medianMs.toFixed(3)} | ${r.p95Ms.toFixed(3)} | ${r.runs} | ${r.target ?? ''} | ${r.note ?? ''} |`),
  ].join('\n');
  const readme = join(benchDir, 'README.md');
  const start = `<!-- ${suite}:start -->`;
  const end = `<!-- ${suite}:end -->`;
  const text = readFileSync(readme, 'utf8');
  const block = `${start}\n${table}\n${end}`;
  const next = text.includes(start) ? text.replace(new RegExp(`${start}[\\s\\S]*?${end}`), block) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(readme, next);
  console.log(table);
}
