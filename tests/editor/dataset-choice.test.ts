// The Dataset picker's choices as worker requests: a folder's files keep their relative
// paths, a URL needs http(s) and an optional 64-hex SHA-256, a kept dataset goes by its id,
// and the transfer list names every buffer a request carries.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DatasetId } from '../../src/storage/types.js';
import { choiceReady, datasetRequest, sha256Problem, urlProblem } from '../../src/editor/training/dataset-choice.js';
import { transferables } from '../../src/editor/training/trainer-client.js';

const inFolder = (path: string, text: string) => {
  const f = new File([text], path.split('/').pop()!);
  Object.defineProperty(f, 'webkitRelativePath', { value: path });
  return f;
};

describe('dataset choices', () => {
  it('sends a folder as relative paths and bytes, transferred', async () => {
    const req = await datasetRequest({ kind: 'folder', files: [inFolder('pets/cats/1.png', 'a'), inFolder('pets/dogs/2.png', 'bc')] });
    expect(req?.source).toBe('folder');
    if (req?.source !== 'folder') return;
    expect(req.name).toBe('pets');
    expect(req.files.map((f) => [f.path, f.bytes.byteLength])).toEqual([['pets/cats/1.png', 1], ['pets/dogs/2.png', 2]]);
    expect(transferables(req)).toHaveLength(2);
    expect(await datasetRequest({ kind: 'folder', files: [] })).toBeNull();
  });

  it('checks a URL and its optional SHA-256', async () => {
    expect(urlProblem('ftp://x/y.csv')).toMatch(/only http and https/);
    expect(urlProblem('nope')).toMatch(/not a URL/);
    expect(sha256Problem('abc')).toMatch(/64 hex/);
    expect(choiceReady({ kind: 'remote', url: 'http://127.0.0.1:1/d.csv', sha256: 'zz', label: '' })).toBe(false);
    const sha = 'AB'.repeat(32);
    expect(await datasetRequest({ kind: 'remote', url: ' http://127.0.0.1:1/d.csv ', sha256: sha, label: 'label' })).toEqual({ source: 'remote', url: 'http://127.0.0.1:1/d.csv', sha256: sha.toLowerCase(), label: 'label' });
    expect(transferables({ source: 'remote', url: 'http://x/' })).toEqual([]);
  });

  it('sends a kept dataset by id with its label; the crash-test flag reaches only imports', async () => {
    const id = 'd-1' as DatasetId;
    expect(choiceReady({ kind: 'stored', id: null, name: '', label: '' })).toBe(false);
    expect(await datasetRequest({ kind: 'stored', id, name: 'houses.csv', label: ' price_band ' })).toEqual({ source: 'stored', datasetId: id, name: 'houses.csv', label: 'price_band' });
    expect(transferables({ source: 'stored', datasetId: id, name: 'x' })).toEqual([]);
    vi.stubGlobal('location', { search: '?nf-test-hang-dataset-import=2' });
    expect(await datasetRequest({ kind: 'file', file: new File(['a'], 'a.csv'), label: '' })).toMatchObject({ source: 'file', testHangImportAfterChunks: 2 });
    expect(await datasetRequest({ kind: 'stored', id, name: 'x', label: '' })).toEqual({ source: 'stored', datasetId: id, name: 'x' });
  });
});

afterEach(() => vi.unstubAllGlobals());
