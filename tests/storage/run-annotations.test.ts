// A person's name, notes and tags on a stored run: checked, normalised, written; refused with a
// sentence naming the field when bad, while the run trains, or on read-only data — and then
// nothing stored changes (read back with plain IndexedDB, not through the code under test).
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { encodeRecord } from '../../src/storage/db/codec.js';
import { openStorageDb, SCHEMA_VERSION } from '../../src/storage/db/index.js';
import { upgradeSchema } from '../../src/storage/db/schema.js';
import { annotateRun, isSystemTag, MAX_PERSON_TAGS } from '../../src/storage/run-annotations.js';
import type { RunId, RunRecord, StorageDb } from '../../src/storage/types.js';
import { dumpDb } from '../helpers/idb-fixtures.js';
import { RUN_A, RUN_B, sampleRecords, sampleRun } from '../fixtures/storage/sample.js';

const SYSTEM = ['train-samples:500', 'resumed-from:run-x@16/2', 'reproduces:run-y'];

async function seeded(runs: RunRecord[] = [sampleRun(RUN_A, { tags: [...SYSTEM, 'baseline'] }), sampleRun(RUN_B, { status: 'running', endedAt: null })]) {
  const factory = new IDBFactory();
  const db = await openStorageDb({ indexedDB: factory, name: 'nf' });
  await db.importAll({ ...sampleRecords(), runs });
  return { factory, db };
}

/** The runs store as bytes on disk, to prove a refusal wrote nothing. */
async function runsOnDisk(factory: IDBFactory): Promise<readonly unknown[]> {
  return (await dumpDb(factory, 'nf')).stores['runs']!;
}

describe('annotateRun', () => {
  it('writes a trimmed name, notes and de-duplicated tags, keeping system tags first and as they were', async () => {
    const { factory, db } = await seeded();
    const r = await annotateRun(db, RUN_A, { name: '  lr 3e-4  ', notes: '\n warm-up helped\n', tags: [' sweep', 'sweep', 'baseline', '', 'baseline ', 'lr-3e-4'] });
    expect(r).toMatchObject({ ok: true, run: { name: 'lr 3e-4', notes: 'warm-up helped', tags: [...SYSTEM, 'sweep', 'baseline', 'lr-3e-4'] } });
    db.close();
    const stored = (await runsOnDisk(factory)).find((x) => (x as RunRecord).id === RUN_A) as RunRecord;
    expect(stored).toMatchObject({ schema: SCHEMA_VERSION, name: 'lr 3e-4', notes: 'warm-up helped', tags: [...SYSTEM, 'sweep', 'baseline', 'lr-3e-4'] });
    // Everything else of the record is untouched.
    expect({ ...stored, name: null, notes: '', tags: [] }).toEqual({ ...encodeRecord('runs', sampleRun(RUN_A), SCHEMA_VERSION), tags: [] });
  });

  it('changes only the fields given; an empty name makes the run unnamed again', async () => {
    const { db } = await seeded();
    await annotateRun(db, RUN_A, { name: 'first', notes: 'kept' });
    expect(await annotateRun(db, RUN_A, { tags: ['only-tags'] })).toMatchObject({ ok: true, run: { name: 'first', notes: 'kept', tags: [...SYSTEM, 'only-tags'] } });
    expect(await annotateRun(db, RUN_A, { name: '   ' })).toMatchObject({ ok: true, run: { name: null, notes: 'kept' } });
    expect((await db.getRun(RUN_A))?.name).toBeNull();
  });

  it('keeps system tags a person leaves out (they cannot be removed) and refuses new ones', async () => {
    const { factory, db } = await seeded();
    expect(await annotateRun(db, RUN_A, { tags: [] })).toMatchObject({ ok: true, run: { tags: SYSTEM } });
    const before = await runsOnDisk(factory);
    const r = await annotateRun(db, RUN_A, { tags: ['reproduces:run-z'] });
    expect(r).toEqual({ ok: false, code: 'invalid', field: 'tags', message: expect.stringMatching(/^"reproduces:run-z" is a tag the app keeps for itself \(it starts with "reproduces:"\)/) });
    expect(await annotateRun(db, RUN_A, { tags: ['imported'] })).toMatchObject({ ok: false, field: 'tags' });
    expect(await runsOnDisk(factory)).toEqual(before);
    expect(['train-samples:1', 'resumed-from:a@1/1', 'reproduces:a', 'imported'].every(isSystemTag)).toBe(true);
    expect(['baseline', 'reproduce', 'imported-data', 'train-samples'].some(isSystemTag)).toBe(false);
  });

  it.each([
    ['a name over 200 characters', { name: 'x'.repeat(201) }, 'name', /^The run name is 201 characters long; at most 200 fit\.$/],
    ['a name on two lines', { name: 'a\nb' }, 'name', /control character/],
    ['notes over 10,000 characters', { notes: 'n'.repeat(10_001) }, 'notes', /^The notes are 10,001 characters long; at most 10,000 fit\.$/],
    ['notes with a NUL', { notes: 'a\u0000b' }, 'notes', /control character other than a line break or tab/],
    ['a tag over 64 characters', { tags: ['t'.repeat(65)] }, 'tags', /^The tag "t{20}…" is 65 characters long; at most 64 fit\.$/],
    ['a tag with a tab', { tags: ['a\tb'] }, 'tags', /^The tag "a\\tb" holds a control character/],
    ['too many tags', { tags: Array.from({ length: MAX_PERSON_TAGS + 1 }, (_, i) => `t${i}`) }, 'tags', /^51 tags: a run takes at most 50\.$/],
  ] as const)('refuses %s, naming the field, and stores nothing', async (_what, patch, field, text) => {
    const { factory, db } = await seeded();
    const before = await runsOnDisk(factory);
    // A valid field next to the bad one is not written either.
    const r = await annotateRun(db, RUN_A, { notes: 'would be fine', ...patch });
    expect(r).toMatchObject({ ok: false, code: 'invalid', field });
    expect(!r.ok && r.message).toMatch(text);
    expect(await runsOnDisk(factory)).toEqual(before);
  });

  it('accepts the limits exactly (200-character name, 10,000-character notes, 50 tags of 64)', async () => {
    const { db } = await seeded();
    const tags = Array.from({ length: MAX_PERSON_TAGS }, (_, i) => `${i}`.padStart(64, 'x'));
    const r = await annotateRun(db, RUN_A, { name: 'n'.repeat(200), notes: 'm'.repeat(10_000), tags });
    expect(r.ok).toBe(true);
    expect((await db.getRun(RUN_A))?.tags).toEqual([...SYSTEM, ...tags]);
  });

  it('refuses a run that is training or paused, and one that is gone', async () => {
    const { factory, db } = await seeded([sampleRun(RUN_A, { status: 'paused', endedAt: null }), sampleRun(RUN_B, { status: 'running', endedAt: null })]);
    const before = await runsOnDisk(factory);
    expect(await annotateRun(db, RUN_B, { name: 'x' })).toEqual({ ok: false, code: 'training', field: null, message: 'The run "run-b" is training: its name, notes and tags can be changed once it has ended.' });
    expect(await annotateRun(db, RUN_A, { notes: 'x' })).toMatchObject({ ok: false, code: 'training', message: expect.stringContaining('is paused') });
    expect(await annotateRun(db, 'nope' as RunId, { name: 'x' })).toEqual({ ok: false, code: 'not-found', field: null, message: 'The run "nope" is no longer stored on this device.' });
    expect(await runsOnDisk(factory)).toEqual(before);
  });

  it('refuses a run written by a newer app, leaving its bytes alone', async () => {
    const { factory, db } = await seeded();
    db.close();
    const newer = { ...encodeRecord('runs', sampleRun(RUN_A), SCHEMA_VERSION), schema: SCHEMA_VERSION + 1, colour: 'teal' };
    await putRaw(factory, 'nf', SCHEMA_VERSION, newer);
    const db2 = await openStorageDb({ indexedDB: factory, name: 'nf' });
    const r = await annotateRun(db2, RUN_A, { name: 'x' });
    expect(r).toMatchObject({ ok: false, code: 'read-only', message: expect.stringMatching(/newer NeuralForge.*read-only/) });
    db2.close();
    expect((await runsOnDisk(factory)).find((x) => (x as RunRecord).id === RUN_A)).toEqual(newer);
  });

  it('refuses everything in a database from a newer app', async () => {
    const factory = new IDBFactory();
    await putRaw(factory, 'nf', SCHEMA_VERSION + 1, encodeRecord('runs', sampleRun(RUN_A), SCHEMA_VERSION));
    const db: StorageDb = await openStorageDb({ indexedDB: factory, name: 'nf' });
    expect(db.readOnly).toBe(true);
    expect(await annotateRun(db, RUN_A, { tags: ['x'] })).toMatchObject({ ok: false, code: 'read-only' });
    db.close();
    expect((await runsOnDisk(factory))[0]).toMatchObject({ tags: ['baseline'], name: null });
  });

  it('reports a failed write as a storage error with the cause', async () => {
    const { db } = await seeded();
    const failing: StorageDb = Object.assign(Object.create(db) as StorageDb, { putRun: () => Promise.reject(new Error('disk full')) });
    expect(await annotateRun(failing, RUN_A, { name: 'x' })).toEqual({ ok: false, code: 'storage', field: null, message: 'The run "run-a" could not be saved: disk full' });
  });
});

/** Writes one run record as raw bytes, creating the database at `version` (the app's steps up to its own version) if needed. */
async function putRaw(factory: IDBFactory, name: string, version: number, value: unknown): Promise<void> {
  const req = factory.open(name, version);
  req.onupgradeneeded = (ev) => upgradeSchema(req.result, req.transaction!, ev.oldVersion, Math.min(version, SCHEMA_VERSION));
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const tx = db.transaction('runs', 'readwrite');
  tx.objectStore('runs').put(value);
  await new Promise((resolve) => (tx.oncomplete = resolve));
  db.close();
}
