// Every past schema version, frozen as a JSON fixture, must open with the current code and come
// out migrated and valid. `UPDATE_FIXTURES=1` writes a missing one from the code at that version (never overwrites).
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStorageDb, SCHEMA_VERSION } from '../../src/storage/db/index.js';
import { upgradeSchema } from '../../src/storage/db/schema.js';
import type { ImportRecords } from '../../src/storage/types.js';
import { dumpDb, loadFixture, type DbDump } from '../helpers/idb-fixtures.js';
import { PROJECT_ID, RUN_A, RUN_B, sampleRecords } from '../fixtures/storage/sample.js';

const fixtureDir = join(import.meta.dirname, '../fixtures/storage');

/** What the app's code writes at schema version `v`: the sample records, through openStorageDb({ upTo: v }). */
async function produce(v: number): Promise<DbDump> {
  const factory = new IDBFactory();
  const db = await openStorageDb({ indexedDB: factory, name: 'fixture', upTo: v });
  const all = sampleRecords();
  // Stores that did not exist yet at version v get nothing.
  const records: ImportRecords = { ...all, exports: v >= 2 ? all.exports : [] };
  await db.importAll(records);
  db.close();
  return dumpDb(factory, 'fixture');
}

/**
 * The dump with every project document's format version set aside. Drafts are the engine's
 * documents, written at the current project format (the parser migrates older ones on read), so
 * a project-format bump is not a storage layout change; the fixtures keep the bytes written then.
 */
function layoutOf(dump: DbDump): unknown {
  return JSON.parse(JSON.stringify(dump), (_key, value: unknown) => {
    if (value && typeof value === 'object' && (value as { format?: unknown }).format === 'neuralforge-project') {
      const { version: _version, ...rest } = value as Record<string, unknown>;
      return rest;
    }
    return value;
  });
}

function fixture(v: number): DbDump {
  return JSON.parse(readFileSync(join(fixtureDir, `v${v}.json`), 'utf8')) as DbDump;
}

const PAST_VERSIONS = Array.from({ length: SCHEMA_VERSION - 1 }, (_, i) => i + 1);

describe.each(PAST_VERSIONS)('schema version %i fixture', (v) => {
  it('is what the code at that version writes (past layouts never change)', async () => {
    const produced = await produce(v);
    const path = join(fixtureDir, `v${v}.json`);
    if (process.env['UPDATE_FIXTURES'] === '1' && !existsSync(path)) writeFileSync(path, `${JSON.stringify(produced, null, 1)}\n`);
    expect(existsSync(path), `${path} is missing: run with UPDATE_FIXTURES=1 once, then commit it`).toBe(true);
    expect(layoutOf(produced)).toEqual(layoutOf(fixture(v)));
  });

  it('opens with the current code: upgraded in place, every record migrated and valid', async () => {
    const factory = new IDBFactory();
    const before = fixture(v);
    await loadFixture(factory, 'old', before);
    const db = await openStorageDb({ indexedDB: factory, name: 'old' });
    expect(db.schemaVersion).toBe(SCHEMA_VERSION);
    expect(db.readOnly).toBe(false);

    // On disk (read with plain IndexedDB, not through the app): the upgrade rewrote the runs.
    db.close();
    const after = await dumpDb(factory, 'old');
    expect(after.version).toBe(SCHEMA_VERSION);
    expect(Object.keys(after.stores).sort()).toEqual(['checkpoints', 'datasets', 'exports', 'meta', 'metrics', 'projects', 'runs', 'versions']);
    expect(after.stores['meta']).toEqual([{ key: 'app', schema: SCHEMA_VERSION, writtenBy: 'neuralforge' }]);
    const oldRuns = before.stores['runs'] as Record<string, unknown>[];
    expect(oldRuns.every((r) => r['schema'] === v && !('name' in r) && !('notes' in r))).toBe(true);
    if (v < 3) expect(oldRuns.every((r) => !('environment' in r) && !('activeMs' in r))).toBe(true);
    // v1 runs gain tags and resumedFrom (record schema 2); runs before 3 gain environment and active time as "not recorded" (3);
    // every older run gains no name and empty notes (4).
    const notRecorded = v < 3 ? { environment: null, activeMs: null } : {};
    expect(after.stores['runs']).toEqual(oldRuns.map((r) => ({ ...r, schema: 4, tags: r['tags'] ?? [], resumedFrom: r['resumedFrom'] ?? null, ...notRecorded, name: null, notes: '' })));
    // Stores whose record schema did not change keep their bytes.
    for (const s of ['projects', 'versions', 'datasets', 'metrics', 'checkpoints']) expect(after.stores[s]).toEqual(before.stores[s]);

    // Through the app: everything reads back valid.
    const db2 = await openStorageDb({ indexedDB: factory, name: 'old' });
    const runs = await db2.listRuns(PROJECT_ID);
    expect(runs.map((r) => [r.id, r.tags, r.resumedFrom, r.environment ?? null, r.name, r.notes, r.schema])).toEqual(oldRuns.map((r) => [r['id'], r['tags'] ?? [], null, null, null, '', 4]));
    expect(runs.map((r) => r.id)).toEqual([RUN_A, RUN_B]);
    expect((await db2.getProject(PROJECT_ID))?.draft.graph.nodes).toHaveLength(3);
    expect(await db2.listVersions(PROJECT_ID)).toHaveLength(2);
    expect(await db2.listDatasets()).toHaveLength(1);
    expect(await db2.readMetrics(RUN_A, 'step')).toHaveLength(4);
    expect(await db2.allCheckpoints()).toHaveLength(3);
    expect(await db2.listExports(PROJECT_ID)).toHaveLength(v === 1 ? 0 : sampleRecords().exports.length);
    // …and the upgraded database takes new-layout writes.
    await db2.putRun({ ...runs[0]!, tags: ['kept'], name: 'baseline', notes: 'first try' });
    expect(await db2.getRun(RUN_A)).toMatchObject({ tags: ['kept'], name: 'baseline', notes: 'first try' });
    db2.close();
  });
});

describe('opening at a past version', () => {
  it('writes records in that version’s layout (fields it did not know are dropped)', async () => {
    const v1 = fixture(1);
    const run = (v1.stores['runs'] as Record<string, unknown>[])[0]!;
    expect(run['schema']).toBe(1);
    expect(Object.keys(run)).not.toContain('tags');
    expect(v1.stores['exports']).toBeUndefined();
    expect(v1.stores['meta']).toBeUndefined();
  });

  it('refuses an export at version 1, whose layout has no export history', async () => {
    const db = await openStorageDb({ indexedDB: new IDBFactory(), upTo: 1 });
    await expect(db.putExport(sampleRecords().exports[0]!)).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/"exports" store needs database version 2/) });
    expect(await db.listExports(PROJECT_ID)).toEqual([]);
    // Cascades skip the store that does not exist yet.
    await db.importAll({ ...sampleRecords(), exports: [] });
    await db.deleteProject(PROJECT_ID);
    expect(await db.listRuns(PROJECT_ID)).toEqual([]);
    expect(await db.allCheckpoints()).toEqual([]);
    db.close();
  });

  it('rejects an upTo outside the schema chain', async () => {
    await expect(openStorageDb({ indexedDB: new IDBFactory(), upTo: SCHEMA_VERSION + 1 })).rejects.toThrow(`upTo must be a schema version from 1 to ${SCHEMA_VERSION}`);
    await expect(openStorageDb({ indexedDB: new IDBFactory(), upTo: 0 })).rejects.toThrow(RangeError);
  });

  it('names a gap in the schema chain instead of half-upgrading', () => {
    const fakeDb = { objectStoreNames: { contains: () => false } } as unknown as IDBDatabase;
    expect(() => upgradeSchema(fakeDb, {} as IDBTransaction, SCHEMA_VERSION, SCHEMA_VERSION + 1)).toThrow(`no storage schema step to version ${SCHEMA_VERSION + 1}`);
  });

  it('says clearly when there is no IndexedDB at all', async () => {
    const g = globalThis as { indexedDB?: IDBFactory };
    const saved = g.indexedDB;
    delete g.indexedDB;
    try {
      await expect(openStorageDb()).rejects.toEqual(expect.objectContaining({ code: 'unavailable', message: expect.stringMatching(/no IndexedDB/) }));
    } finally {
      g.indexedDB = saved;
    }
  });
});
