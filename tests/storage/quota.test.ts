// Quota errors of every browser are recognised, explained to the person, keep the last good
// state, and the connection is reopened after one (Firefox may leave it read-only).
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStorageDb } from '../../src/storage/db/index.js';
import { isQuotaError, quotaMessage, toStorageError } from '../../src/storage/quota.js';
import { StorageError } from '../../src/storage/types.js';
import { dumpDb } from '../helpers/idb-fixtures.js';
import { PROJECT_ID, RUN_A, sampleMetrics, sampleProject } from '../fixtures/storage/sample.js';

describe('isQuotaError', () => {
  const quota: [string, unknown][] = [
    ['DOMException QuotaExceededError (Chromium, Safari, current Firefox)', new DOMException('The quota has been exceeded.', 'QuotaExceededError')],
    ['Firefox NS_ERROR_DOM_QUOTA_REACHED by name', { name: 'NS_ERROR_DOM_QUOTA_REACHED', message: '' }],
    ['Firefox NS_ERROR_DOM_QUOTA_REACHED in the message only', new Error('Component returned failure code: 0x80530016 (NS_ERROR_DOM_QUOTA_REACHED)')],
    ['old WebKit QUOTA_EXCEEDED_ERR code 22', { code: 22, name: 'Error' }],
    ['legacy Firefox code 1014', { code: 1014 }],
    ['an aborted transaction whose error is a quota error', { name: 'AbortError', error: new DOMException('full', 'QuotaExceededError') }],
    ['an abort event whose target transaction holds it', { type: 'abort', target: { error: { name: 'QuotaExceededError' } } }],
    ['a wrapped cause', new Error('save failed', { cause: { code: 22 } })],
    ['a StorageError of code quota', new StorageError('quota', 'full')],
  ];
  it.each(quota)('recognises %s', (_what, e) => expect(isQuotaError(e)).toBe(true));

  const other: [string, unknown][] = [
    ['an AbortError with no reason', new DOMException('aborted', 'AbortError')],
    ['a ConstraintError', new DOMException('key exists', 'ConstraintError')],
    ['DOMException code 21 (DataCloneError-adjacent)', { code: 21 }],
    ['a plain Error', new Error('network down')],
    ['a string mentioning quota', 'QuotaExceededError'],
    ['null', null],
    ['undefined', undefined],
    ['a self-referencing object', (() => { const o: Record<string, unknown> = { name: 'X' }; o['error'] = o; o['target'] = o; return o; })()],
    ['a getter that throws', Object.defineProperty({}, 'error', { get() { throw new Error('not done'); } })],
  ];
  it.each(other)('does not mistake %s for one', (_what, e) => expect(isQuotaError(e)).toBe(false));
});

describe('toStorageError', () => {
  it('explains a quota error in words a person understands', () => {
    const e = toStorageError({ name: 'NS_ERROR_DOM_QUOTA_REACHED' }, 'the project "Iris"');
    expect(e.code).toBe('quota');
    expect(e.message).toBe(
      'Not enough storage to save the project "Iris". Nothing already saved was lost. Free space by deleting runs, checkpoints or datasets (the Storage button at the top of the page).',
    );
    expect(quotaMessage('x')).toContain('the Storage button at the top of the page');
  });

  it('passes StorageErrors through and names anything else as unavailable', () => {
    const s = new StorageError('read-only', 'no');
    expect(toStorageError(s, 'x')).toBe(s);
    const u = toStorageError(new DOMException('disk I/O', 'UnknownError'), 'run "r"');
    expect(u).toMatchObject({ code: 'unavailable', message: 'Could not save run "r": disk I/O.' });
  });
});

describe('a quota failure while saving', () => {
  let restore: (() => void) | null = null;
  afterEach(() => restore?.());

  /** From now on, writes to `store` abort their transaction the way a full disk does. */
  function fillDisk(store: string, errorName = 'QuotaExceededError') {
    const proto = IDBObjectStore.prototype as unknown as { put(...a: unknown[]): IDBRequest };
    const original = proto.put;
    const spy = vi.spyOn(proto, 'put').mockImplementation(function (this: IDBObjectStore, ...args: unknown[]) {
      const request = original.apply(this, args);
      if (this.name === store) (this.transaction as unknown as { _abort(name: string): void })._abort(errorName);
      return request;
    });
    restore = () => {
      spy.mockRestore();
      restore = null;
    };
  }

  it('keeps the previous record, tells the person, and reopens the connection for the next save', async () => {
    const factory = new IDBFactory();
    const open = vi.spyOn(factory, 'open');
    const db = await openStorageDb({ indexedDB: factory, name: 'nf' });
    await db.putProject(sampleProject());
    const before = await dumpDb(factory, 'nf');
    expect(open).toHaveBeenCalledTimes(2); // openStorageDb, dumpDb

    fillDisk('projects');
    const err = await db.putProject(sampleProject({ name: 'Edited', description: 'x'.repeat(10000) })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err).toMatchObject({ code: 'quota', message: expect.stringMatching(/^Not enough storage to save the project "Edited"\. Nothing already saved was lost\./) });
    expect(isQuotaError((err as StorageError).cause)).toBe(true);
    restore!();

    expect(await dumpDb(factory, 'nf')).toEqual(before);
    expect((await db.getProject(PROJECT_ID))?.name).toBe('Iris classifier');
    // The read above went through a fresh connection (open count: +1 for the dump, +1 for the reopen).
    expect(open).toHaveBeenCalledTimes(4);
    await db.putProject(sampleProject({ name: 'Saved after freeing space' }));
    expect((await db.getProject(PROJECT_ID))?.name).toBe('Saved after freeing space');
    db.close();
  });

  it('recovers when the old connection stays unusable after the error (Firefox)', async () => {
    const factory = new IDBFactory();
    const db = await openStorageDb({ indexedDB: factory, name: 'nf' });
    const first = vi.spyOn(IDBDatabase.prototype, 'transaction');
    fillDisk('metrics', 'NS_ERROR_DOM_QUOTA_REACHED');
    await expect(db.appendMetrics(sampleMetrics(RUN_A, 'step', 3))).rejects.toMatchObject({ code: 'quota' });
    restore!();
    const stale = first.mock.contexts[0] as IDBDatabase;
    first.mockRestore();
    // Had the same connection been reused, this would fail: every transaction on it now throws.
    vi.spyOn(stale, 'transaction').mockImplementation(() => {
      throw new DOMException('read-only after quota', 'UnknownError');
    });
    await db.appendMetrics(sampleMetrics(RUN_A, 'step', 3));
    expect((await db.readMetrics(RUN_A, 'step')).map((p) => p.index)).toEqual([0, 1, 2]);
    db.close();
  });
});
