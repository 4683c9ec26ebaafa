// The worker's dataset loading, without a browser: an imported CSV comes from the bytes the
// page sent, a missing label column is a DatasetError naming the columns, and a remote file
// reports download progress (fetch stubbed).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DatasetError, type DownloadEvent } from '../../src/engine/data/index.js';
import { describeRequest, loadRunData } from '../../src/workers/load-run-data.js';

const csv = ['x,y,label', ...Array.from({ length: 30 }, (_, i) => `${i},${i % 3},${i % 2 ? 'odd' : 'even'}`)].join('\n');
const bytes = () => new TextEncoder().encode(csv).buffer;

afterEach(() => vi.unstubAllGlobals());

describe('loadRunData', () => {
  it('reads an imported CSV from the transferred bytes', async () => {
    const ds = await loadRunData({ source: 'file', name: 'parity.csv', bytes: bytes(), label: 'label' }, { task: 'classification', seed: 1 }, () => {});
    expect(ds.classes).toEqual(['even', 'odd']);
    expect(ds.train.count + (ds.test?.count ?? 0)).toBe(30);
    expect(describeRequest({ source: 'file', name: 'parity.csv', bytes: new ArrayBuffer(0) })).toBe('parity.csv');
  });

  it('names the columns when no label column was chosen', async () => {
    const p = loadRunData({ source: 'file', name: 'parity.csv', bytes: bytes() }, {}, () => {});
    await expect(p).rejects.toBeInstanceOf(DatasetError);
    await expect(p).rejects.toThrow(/no label column chosen.*"x", "y", "label"/);
  });

  it('reports download progress for a remote file', async () => {
    const body = new TextEncoder().encode(csv);
    vi.stubGlobal('fetch', async () => new Response(body, { headers: { 'content-length': String(body.length) } }));
    const events: DownloadEvent[] = [];
    const ds = await loadRunData({ source: 'remote', url: 'https://example.test/parity.csv', label: 'label' }, { seed: 1 }, (e) => events.push(e));
    expect(ds.name).toBe('remote:https://example.test/parity.csv');
    expect(events[0]).toEqual({ kind: 'start', total: body.length });
    expect(events.at(-1)).toMatchObject({ kind: 'progress', loaded: body.length });
  });
});
