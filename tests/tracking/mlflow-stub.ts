// A small MLflow-compatible tracking server on loopback for tests: it checks every request
// against the REST API documentation (fields, types, LogBatch limits, key rules) and records it.
// With `allowOrigin` it also answers browsers' CORS preflights for that origin, as a server
// configured to allow a web app (`mlflow server --cors-allowed-origins`, MLflow 3.5+) does.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly bytes: number;
  /** The request's Authorization header, when it had one. */
  readonly authorization: string | null;
}

export interface StubOptions {
  /** Answer this request (0-based, counting every request) with this status and MLflow error body. */
  readonly failAt?: { readonly index: number; readonly status: number; readonly errorCode: string; readonly message: string };
  /** Allow this browser origin (CORS): preflights are answered (not recorded) and every reply allows it. */
  readonly allowOrigin?: string;
}

export interface MlflowStub {
  readonly uri: string;
  readonly requests: Recorded[];
  /** Every way a request broke the documented API; a correct client leaves it empty. */
  readonly violations: string[];
  close(): Promise<void>;
}

const KEY = /^[A-Za-z0-9_\-. /]{1,250}$/;
const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
const isDouble = (v: unknown) => typeof v === 'number' || v === 'NaN' || v === 'Infinity' || v === '-Infinity';

function checkKeyValues(where: string, list: unknown, valueMax: number, keyRule: RegExp | null, v: string[]): void {
  if (!Array.isArray(list)) return void v.push(`${where} is not an array`);
  list.forEach((kv: { key?: unknown; value?: unknown }, i) => {
    if (typeof kv.key !== 'string' || kv.key.length > 250 || (keyRule && !keyRule.test(kv.key))) v.push(`${where}[${i}].key ${JSON.stringify(kv.key)} breaks the key rules`);
    if (typeof kv.value !== 'string' || kv.value.length > valueMax) v.push(`${where}[${i}].value must be a string of at most ${valueMax}`);
    const extra = Object.keys(kv).filter((k) => k !== 'key' && k !== 'value');
    if (extra.length) v.push(`${where}[${i}] has undocumented fields ${extra.join(',')}`);
  });
}

const onlyFields = (body: Record<string, unknown>, allowed: readonly string[], where: string, v: string[]) => {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length) v.push(`${where}: undocumented fields ${extra.join(',')}`);
};

/** The documented request structure of each endpoint (REST API reference: CreateRun, LogBatch, UpdateRun). */
function validate(path: string, body: Record<string, unknown>, bytes: number, runs: Map<string, Map<string, string>>, v: string[]): void {
  switch (path) {
    case '/api/2.0/mlflow/runs/create':
      onlyFields(body, ['experiment_id', 'user_id', 'run_name', 'start_time', 'tags'], 'runs/create', v);
      if (typeof body['experiment_id'] !== 'string') v.push('runs/create: experiment_id must be a string');
      if (!isInt(body['start_time'])) v.push('runs/create: start_time must be an int64 (ms)');
      if (body['run_name'] !== undefined && typeof body['run_name'] !== 'string') v.push('runs/create: run_name must be a string');
      checkKeyValues('runs/create tags', body['tags'] ?? [], 5000, null, v);
      return;
    case '/api/2.0/mlflow/runs/log-batch': {
      onlyFields(body, ['run_id', 'metrics', 'params', 'tags'], 'log-batch', v);
      const params = runs.get(String(body['run_id']));
      if (!params) v.push(`log-batch: unknown run_id ${String(body['run_id'])}`);
      const metrics = (body['metrics'] ?? []) as Record<string, unknown>[];
      const ps = (body['params'] ?? []) as { key: string; value: string }[];
      const tags = (body['tags'] ?? []) as unknown[];
      if (metrics.length > 1000) v.push(`log-batch: ${metrics.length} metrics > 1000`);
      if (ps.length > 100) v.push(`log-batch: ${ps.length} params > 100`);
      if (tags.length > 100) v.push(`log-batch: ${tags.length} tags > 100`);
      if (metrics.length + ps.length + tags.length > 1000) v.push(`log-batch: ${metrics.length + ps.length + tags.length} entities > 1000`);
      if (bytes > 1_000_000) v.push(`log-batch: ${bytes} bytes > 1 MB`);
      metrics.forEach((m, i) => {
        if (typeof m['key'] !== 'string' || !KEY.test(m['key'])) v.push(`log-batch metrics[${i}].key ${JSON.stringify(m['key'])} breaks the key rules`);
        if (!isDouble(m['value'])) v.push(`log-batch metrics[${i}].value must be a double`);
        if (!isInt(m['timestamp'])) v.push(`log-batch metrics[${i}].timestamp must be an int64`);
        if (!isInt(m['step'])) v.push(`log-batch metrics[${i}].step must be an int64`);
      });
      checkKeyValues('log-batch params', ps, 6000, KEY, v);
      checkKeyValues('log-batch tags', tags, 5000, null, v);
      // "once written, param values cannot be changed"
      for (const p of ps) {
        if (params?.has(p.key) && params.get(p.key) !== p.value) v.push(`log-batch: param ${p.key} changed`);
        params?.set(p.key, p.value);
      }
      return;
    }
    case '/api/2.0/mlflow/runs/update':
      onlyFields(body, ['run_id', 'status', 'end_time', 'run_name'], 'runs/update', v);
      if (!runs.has(String(body['run_id']))) v.push('runs/update: unknown run_id');
      if (!['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'].includes(String(body['status']))) v.push(`runs/update: bad status ${String(body['status'])}`);
      if (!isInt(body['end_time'])) v.push('runs/update: end_time must be an int64');
      return;
    default:
      v.push(`unknown endpoint ${path}`);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the stub on 127.0.0.1 at a free port. */
export async function startMlflowStub(opts: StubOptions = {}): Promise<MlflowStub> {
  const requests: Recorded[] = [];
  const violations: string[] = [];
  const runs = new Map<string, Map<string, string>>();
  let n = 0;
  const cors: Record<string, string> = opts.allowOrigin ? { 'Access-Control-Allow-Origin': opts.allowOrigin, Vary: 'Origin' } : {};
  const server: Server = createServer((req, res) => {
    void readBody(req).then((text) => {
      if (opts.allowOrigin && req.method === 'OPTIONS') {
        res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'Content-Type, Authorization', 'Access-Control-Max-Age': '600' });
        return void res.end();
      }
      const index = n++;
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json', ...cors });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/json') violations.push(`${req.method} ${req.url} with content-type ${String(req.headers['content-type'])}`);
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        violations.push(`${req.url}: body is not JSON`);
        return reply(400, { error_code: 'MALFORMED_REQUEST', message: 'not JSON' });
      }
      const path = req.url ?? '';
      requests.push({ path, body, bytes: Buffer.byteLength(text), authorization: req.headers.authorization ?? null });
      if (opts.failAt?.index === index) return reply(opts.failAt.status, { error_code: opts.failAt.errorCode, message: opts.failAt.message });
      const before = violations.length;
      validate(path, body, Buffer.byteLength(text), runs, violations);
      if (violations.length > before) return reply(400, { error_code: 'INVALID_PARAMETER_VALUE', message: violations.at(-1) });
      if (path.endsWith('runs/create')) {
        const id = `stub${runs.size + 1}`;
        runs.set(id, new Map());
        return reply(200, { run: { info: { run_id: id, run_uuid: id, experiment_id: body['experiment_id'], status: 'RUNNING', start_time: body['start_time'] }, data: {} } });
      }
      return reply(200, path.endsWith('runs/update') ? { run_info: { run_id: body['run_id'], status: body['status'] } } : {});
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { uri: `http://127.0.0.1:${port}`, requests, violations, close: () => new Promise((r) => server.close(() => r())) };
}

/** A loopback port with nothing listening (refused connections). */
export async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
