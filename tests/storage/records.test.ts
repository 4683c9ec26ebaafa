// The record codec: what is refused on the way in and out, and the words a person reads.
import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord } from '../../src/storage/db/codec.js';
import { SCHEMA_VERSION } from '../../src/storage/db/schema.js';
import { migrateRecord, RECORD_STORES, RECORD_VERSIONS, recordVersionAt } from '../../src/storage/records.js';
import { StorageError } from '../../src/storage/types.js';
import { RUN_A, sampleRecords, sampleRun } from '../fixtures/storage/sample.js';

const V = SCHEMA_VERSION;

function caught(fn: () => unknown): StorageError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StorageError) return e;
    throw e;
  }
  throw new Error('expected a StorageError');
}

describe('record codec', () => {
  it('round-trips every sample record of every store unchanged (plus its schema number)', () => {
    const all = sampleRecords();
    for (const store of RECORD_STORES) {
      for (const r of all[store]) {
        const stored = encodeRecord(store, r as never, V);
        expect(stored['schema']).toBe(recordVersionAt(store, V).schema);
        expect(decodeRecord(store, 'k', stored, V)).toEqual({ ...r, schema: stored['schema'] });
      }
    }
  });

  it('names the store, the key and the field of a damaged record', () => {
    const stored = encodeRecord('runs', sampleRun(RUN_A), V);
    const e = caught(() => decodeRecord('runs', RUN_A, { ...stored, config: { ...(stored['config'] as object), batchSize: 0 } }, V));
    expect(e.code).toBe('invalid-record');
    expect(e.where).toEqual({ store: 'runs', key: 'run-a', field: 'config.batchSize' });
    expect(e.message).toMatch(/^The saved run "run-a" \(store "runs"\) is damaged at "config\.batchSize": .*>=1/);
  });

  it('reports a missing field, a wrong type, a missing schema number and a non-object', () => {
    const stored = encodeRecord('checkpoints', sampleRecords().checkpoints[0]!, V);
    const { files: _files, ...noFiles } = stored;
    expect(caught(() => decodeRecord('checkpoints', 'ckpt-a1', noFiles, V)).where?.field).toBe('files');
    expect(caught(() => decodeRecord('checkpoints', 'ckpt-a1', { ...stored, kind: 'sometimes' }, V)).where?.field).toBe('kind');
    expect(caught(() => decodeRecord('checkpoints', 'ckpt-a1', { ...stored, schema: undefined }, V)).where?.field).toBe('schema');
    expect(caught(() => decodeRecord('checkpoints', 'ckpt-a1', 'oops', V)).where?.field).toBe('(record)');
  });

  it('checks a project draft with the engine’s own parser and names the path inside it', () => {
    const p = sampleRecords().projects[0]!;
    const stored = encodeRecord('projects', p, V);
    const draft = stored['draft'] as { graph: { edges: object[] } };
    const broken = { ...stored, draft: { ...draft, graph: { ...draft.graph, edges: [{ source: 'in', target: 'nowhere', targetInput: 0 }] } } };
    const e = caught(() => decodeRecord('projects', p.id, broken, V));
    expect(e.where?.field).toBe('draft.graph.edges[0].target');
    expect(e.message).toMatch(/"nowhere", which is not a node/);
  });

  it('keeps metric values a diverged run produces (NaN, Infinity)', () => {
    const point = { runId: RUN_A, scope: 'step' as const, index: 3, values: { loss: Number.NaN, gradNorm: Number.POSITIVE_INFINITY }, time: 1 };
    const back = decodeRecord('metrics', [RUN_A, 'step', 3], encodeRecord('metrics', point, V), V);
    expect(back.values['loss']).toBeNaN();
    expect(back.values['gradNorm']).toBe(Number.POSITIVE_INFINITY);
  });

  it('refuses bad input on write, naming the field, before anything is stored', () => {
    const e = caught(() => encodeRecord('runs', sampleRun(RUN_A, { seed: -1 }), V));
    expect(e).toMatchObject({ code: 'invalid-record', where: { store: 'runs', key: 'run-a', field: 'seed' } });
    expect(e.message).toMatch(/^Cannot save run "run-a" \(store "runs"\): "seed"/);
  });

  it('migrates an older record forward on read (runs v1 → v2 gain tags and resumedFrom)', () => {
    const v1 = encodeRecord('runs', sampleRun(RUN_A), 1);
    expect(v1['schema']).toBe(1);
    expect(v1).not.toHaveProperty('tags');
    expect(decodeRecord('runs', RUN_A, v1, V)).toMatchObject({ schema: 4, tags: [], resumedFrom: null, environment: null, activeMs: null, name: null, notes: '' });
    // A migration keeps what is already there.
    expect(migrateRecord('runs', { ...v1, tags: ['x'] }, 2)).toMatchObject({ tags: ['x'], resumedFrom: null, schema: 2 });
  });

  it('migrates a v2 run to v3: environment and active time are "not recorded" (null), nothing else changes', () => {
    const v2 = encodeRecord('runs', sampleRun(RUN_A, { tags: ['t'] }), 2);
    expect(v2['schema']).toBe(2);
    expect(decodeRecord('runs', RUN_A, v2, V)).toEqual({ ...v2, schema: 4, environment: null, activeMs: null, name: null, notes: '' });
  });

  it('keeps a v3 run’s environment and active time, and names a damaged one', () => {
    const environment = { app: '0.1.0', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0', tfjs: '4.22.0' };
    const stored = encodeRecord('runs', sampleRun(RUN_A, { environment, activeMs: 1234.5 }), V);
    expect(stored['schema']).toBe(4);
    expect(decodeRecord('runs', RUN_A, stored, V)).toMatchObject({ environment, activeMs: 1234.5 });
    const e = caught(() => encodeRecord('runs', sampleRun(RUN_A, { activeMs: -1 }), V));
    expect(e.where).toEqual({ store: 'runs', key: 'run-a', field: 'activeMs' });
    expect(caught(() => decodeRecord('runs', RUN_A, { ...stored, environment: { app: 3 } }, V)).where?.field).toBe('environment.app');
  });

  it('returns a newer record flagged read-only, unknown fields kept, and refuses to write it back', () => {
    const stored = { ...encodeRecord('runs', sampleRun(RUN_A), V), schema: 99, colour: 'teal' };
    const r = decodeRecord('runs', RUN_A, stored, V);
    expect(r.readOnly).toBe(true);
    expect(r.schema).toBe(99);
    expect((r as unknown as Record<string, unknown>)['colour']).toBe('teal');
    expect(caught(() => encodeRecord('runs', r, V)).code).toBe('read-only');
    const { readOnly: _ro, ...copied } = r;
    expect(caught(() => encodeRecord('runs', copied, V)).code).toBe('read-only'); // the schema number still says newer
  });

  it('says a newer record cannot be shown when the fields this app knows no longer check', () => {
    const stored = { ...encodeRecord('runs', sampleRun(RUN_A), V), schema: 99, status: 'quantum' };
    const e = caught(() => decodeRecord('runs', RUN_A, stored, V));
    expect(e.code).toBe('newer-schema');
    expect(e.message).toMatch(/newer NeuralForge \(record schema 99; this app reads up to 4\)/);
  });

  it('migrates a v3 run to v4: unnamed, no notes; a v4 run keeps its name and notes, and a too-long one is refused naming the field', () => {
    const v3 = encodeRecord('runs', sampleRun(RUN_A, { activeMs: 10 }), 3);
    expect(v3['schema']).toBe(3);
    expect(v3).not.toHaveProperty('name');
    expect(decodeRecord('runs', RUN_A, v3, V)).toEqual({ ...v3, schema: 4, name: null, notes: '' });
    const named = encodeRecord('runs', sampleRun(RUN_A, { name: 'lr sweep 1', notes: 'warm-up helped' }), V);
    expect(decodeRecord('runs', RUN_A, named, V)).toMatchObject({ schema: 4, name: 'lr sweep 1', notes: 'warm-up helped' });
    expect(caught(() => encodeRecord('runs', sampleRun(RUN_A, { name: 'x'.repeat(201) }), V)).where?.field).toBe('name');
    expect(caught(() => encodeRecord('runs', sampleRun(RUN_A, { notes: 'x'.repeat(10001) }), V)).where?.field).toBe('notes');
  });

  it('lists every store’s record versions in order, each after the first with a migration', () => {
    for (const store of RECORD_STORES) {
      const versions = RECORD_VERSIONS[store] as readonly { schema: number; since: number; up?: unknown }[];
      versions.forEach((v, i) => {
        expect(v.schema).toBe(i + 1);
        if (i > 0) expect(typeof v.up).toBe('function');
        expect(v.since).toBeLessThanOrEqual(SCHEMA_VERSION);
      });
    }
    expect(() => recordVersionAt('exports', 1)).toThrow('the "exports" store does not exist at database version 1');
  });
});
